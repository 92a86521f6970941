/**
 * Folding daily figures into the answer for a range: a pure function, the same whether the days came
 * from the rollup table or straight from the appointments (analytics.store.ts builds both with one
 * query), so the two paths can only differ if the rollup is stale.
 */

/** One doctor's figures for one clinic-local day (a row of analytics_doctor_days). */
export interface DayRow {
  clinicId: string;
  doctorId: string;
  /** Local date, YYYY-MM-DD. */
  day: string;
  /** Appointments starting that day, whatever became of them. */
  bookings: number;
  /** Minutes of those not cancelled (no-shows included: the time was taken). */
  bookedMinutes: number;
  completed: number;
  cancelled: number;
  noShows: number;
  cancelledByPatient: number;
  cancelledByDoctor: number;
  cancelledByStaff: number;
  cancelledByAdmin: number;
  /** Cancelled with no canceller recorded (an automatic cancellation). */
  cancelledBySystem: number;
  /** Fees of completed appointments. */
  revenueCents: number;
  /** Local start hour (0–23) of each appointment not cancelled. */
  startHours: number[];
  /** Whole minutes from booking to start, of every booking but walk-ins. */
  leadMinutes: number[];
  /** Whole minutes from arrival to the start of the consultation. */
  waitMinutes: number[];
  /** Whole minutes from the start of the consultation to its end, of completed ones. */
  consultationMinutes: number[];
  /** Whole minutes between a cancellation and the start it cancelled (0 when after it). */
  cancelNoticeMinutes: number[];
}

export interface Percentiles {
  p50: number | null;
  p90: number | null;
}

export interface DaySeries {
  date: string;
  booked: number;
  completed: number;
  cancelled: number;
  noShow: number;
}

/** What the day rows give; utilization, patients and money context are added by the service. */
export interface RangeFigures {
  bookings: number;
  bookedMinutes: number;
  completed: number;
  noShows: number;
  /** noShows ÷ (completed + noShows): of the appointments whose outcome is known; null when none. */
  noShowRate: number | null;
  cancellations: {
    total: number;
    /** Cancelled appointments ÷ bookings; null when there are none. */
    rate: number | null;
    byWhom: { patient: number; doctor: number; staff: number; admin: number; system: number };
    /** How long before the start: under 2 hours, 2–24 hours, 1–7 days, a week or more. */
    notice: { under2h: number; under24h: number; under7d: number; weekOrMore: number };
    noticeMinutes: Percentiles;
  };
  leadTimeMinutes: Percentiles;
  waitMinutes: Percentiles;
  consultationMinutes: Percentiles;
  revenueCents: number;
  /** [weekday 0 = Monday … 6 = Sunday][local hour 0–23]: appointments not cancelled. */
  byWeekdayHour: number[][];
  /** Every date of the range, in order, zeros included. */
  byDay: DaySeries[];
}

const DAY_MS = 86_400_000;
const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

/** Linear-interpolation percentile (as Postgres percentile_cont) of sorted values; null when empty. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  const value = sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
  return round(value, 1);
}

function percentiles(lists: readonly (readonly number[])[]): Percentiles {
  // A typed array sorts numerically without a comparator call per pair: a clinic's year is ~10⁵ values.
  const all = new Float64Array(lists.reduce((n, l) => n + l.length, 0));
  let i = 0;
  for (const list of lists) for (const value of list) all[i++] = value;
  all.sort();
  const sorted = Array.from(all);
  return { p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9) };
}

/** ISO weekday index 0 = Monday … 6 = Sunday of a YYYY-MM-DD date. */
export function weekdayIndex(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** Every date from `from` to `to`, inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end; t += DAY_MS) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

const ratio = (part: number, whole: number) => (whole > 0 ? round(part / whole, 4) : null);

/** The figures of a range from its day rows (any doctors, any order). */
export function foldDays(rows: readonly DayRow[], from: string, to: string): RangeFigures {
  const sum = (pick: (r: DayRow) => number) => rows.reduce((n, r) => n + pick(r), 0);
  const byWeekdayHour = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const perDay = new Map<string, DaySeries>();
  for (const r of rows) {
    const row = byWeekdayHour[weekdayIndex(r.day)]!;
    for (const h of r.startHours) row[h]! += 1;
    const d = perDay.get(r.day) ?? { date: r.day, booked: 0, completed: 0, cancelled: 0, noShow: 0 };
    d.booked += r.bookings;
    d.completed += r.completed;
    d.cancelled += r.cancelled;
    d.noShow += r.noShows;
    perDay.set(r.day, d);
  }
  const notices = rows.flatMap((r) => r.cancelNoticeMinutes);
  const bookings = sum((r) => r.bookings);
  const completed = sum((r) => r.completed);
  const noShows = sum((r) => r.noShows);
  const cancelled = sum((r) => r.cancelled);
  return {
    bookings,
    bookedMinutes: sum((r) => r.bookedMinutes),
    completed,
    noShows,
    noShowRate: ratio(noShows, completed + noShows),
    cancellations: {
      total: cancelled,
      rate: ratio(cancelled, bookings),
      byWhom: {
        patient: sum((r) => r.cancelledByPatient),
        doctor: sum((r) => r.cancelledByDoctor),
        staff: sum((r) => r.cancelledByStaff),
        admin: sum((r) => r.cancelledByAdmin),
        system: sum((r) => r.cancelledBySystem),
      },
      notice: {
        under2h: notices.filter((m) => m < 120).length,
        under24h: notices.filter((m) => m >= 120 && m < 1440).length,
        under7d: notices.filter((m) => m >= 1440 && m < 10_080).length,
        weekOrMore: notices.filter((m) => m >= 10_080).length,
      },
      noticeMinutes: percentiles([notices]),
    },
    leadTimeMinutes: percentiles(rows.map((r) => r.leadMinutes)),
    waitMinutes: percentiles(rows.map((r) => r.waitMinutes)),
    consultationMinutes: percentiles(rows.map((r) => r.consultationMinutes)),
    revenueCents: sum((r) => r.revenueCents),
    byWeekdayHour,
    byDay: datesBetween(from, to).map(
      (date) => perDay.get(date) ?? { date, booked: 0, completed: 0, cancelled: 0, noShow: 0 },
    ),
  };
}

/** Booked ÷ available minutes, 4 places; null when nothing was available. */
export const utilization = (bookedMinutes: number, availableMinutes: number) =>
  ratio(bookedMinutes, availableMinutes);
