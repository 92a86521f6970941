import type { ClinicAnalytics, DoctorAnalytics } from './analytics.schemas.js';

/**
 * CSV that opens cleanly in a spreadsheet (RFC 4180): comma separated, CRLF line ends, a field quoted
 * when it holds a comma, quote or line break (quotes doubled), a UTF-8 byte order mark so Excel reads
 * accents right, and text that a spreadsheet would run as a formula (= + - @ at the start) neutralised
 * with a leading apostrophe (OWASP "CSV injection").
 */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvField).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

type Figures = Omit<DoctorAnalytics, 'doctorId' | 'name'>;

const SUMMARY_HEADER = [
  'doctor',
  'from',
  'to',
  'utilization',
  'available_minutes',
  'booked_minutes',
  'bookings',
  'completed',
  'cancelled',
  'cancelled_by_patient',
  'cancelled_by_doctor',
  'cancelled_by_staff',
  'cancelled_by_admin',
  'cancelled_by_system',
  'cancelled_under_24h',
  'no_shows',
  'no_show_rate',
  'lead_time_p50_minutes',
  'lead_time_p90_minutes',
  'wait_p50_minutes',
  'wait_p90_minutes',
  'consultation_p50_minutes',
  'consultation_p90_minutes',
  'revenue',
  'currency',
  'new_patients',
  'returning_patients',
];

function summaryRow(name: string, f: Figures): unknown[] {
  const c = f.cancellations;
  return [
    name,
    f.from,
    f.to,
    f.utilization,
    f.availableMinutes,
    f.bookedMinutes,
    f.bookings,
    f.completed,
    c.total,
    c.byWhom.patient,
    c.byWhom.doctor,
    c.byWhom.staff,
    c.byWhom.admin,
    c.byWhom.system,
    c.notice.under2h + c.notice.under24h,
    f.noShows,
    f.noShowRate,
    f.leadTimeMinutes.p50,
    f.leadTimeMinutes.p90,
    f.waitMinutes.p50,
    f.waitMinutes.p90,
    f.consultationMinutes.p50,
    f.consultationMinutes.p90,
    // Money in major units with two decimals, as a spreadsheet user expects to sum it.
    f.revenueCents === null ? null : (f.revenueCents / 100).toFixed(2),
    f.currency,
    f.newPatients,
    f.returningPatients,
  ];
}

const DAILY_HEADER = ['doctor', 'date', 'booked', 'completed', 'cancelled', 'no_show'];
const dailyRows = (name: string, f: Figures) =>
  f.byDay.map((d) => [name, d.date, d.booked, d.completed, d.cancelled, d.noShow]);

/** A doctor's figures as CSV: one summary row, or one row per day. */
export function doctorCsv(a: DoctorAnalytics, view: 'summary' | 'daily'): string {
  return view === 'daily'
    ? toCsv(DAILY_HEADER, dailyRows(a.name, a))
    : toCsv(SUMMARY_HEADER, [summaryRow(a.name, a)]);
}

/** A clinic's figures as CSV: a row per doctor and one for the whole clinic, or per doctor and day. */
export function clinicCsv(a: ClinicAnalytics, view: 'summary' | 'daily'): string {
  const whole = `All doctors (${a.name})`;
  if (view === 'daily') {
    return toCsv(DAILY_HEADER, [...a.doctors.flatMap((d) => dailyRows(d.name, d)), ...dailyRows(whole, a)]);
  }
  return toCsv(SUMMARY_HEADER, [...a.doctors.map((d) => summaryRow(d.name, d)), summaryRow(whole, a)]);
}
