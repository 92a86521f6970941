/**
 * Folding daily figures into the answer for a range: a pure function, the same whether the days came
 * from the rollup table or straight from the appointments (analytics.store.ts builds both with one
 * query), so the two paths can only differ if the rollup is stale.
 */

/** One doctor's counts for one clinic-local day (a row of analytics_doctor_days without its values). */
export interface DayCounts {
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
}

/** The whole row: the counts and each appointment's values, from which percentiles are taken. */
export interface DayRow extends DayCounts {
  /** Whole minutes from booking to start, of every booking but walk-ins. */
  leadMinutes: number[];
  /** Whole minutes from arrival to the start of the consultation. */
  waitMinutes: number[];
  /** Whole minutes from the start of the consultation to its end, of completed ones. */
  consultationMinutes: number[];
  /** Whole minutes between a cancellation and the start it cancelled (0 when after it). */
  cancelNoticeMinutes: number[];
  /** The distinct patients seen (appointments not cancelled), sorted. */
  patientIds: string[];
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

/** What the day rows' values give, summed up where they are (analytics.store.ts valueStats). */
export interface ValueFigures {
  lead: Percentiles;
  wait: Percentiles;
  consultation: Percentiles;
  notice: Percentiles & RangeFigures['cancellations']['notice'];
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

/** The figures of a range from its day rows (any doctors, any order) and their values' summary. */
export function foldDays(
  rows: readonly DayCounts[],
  from: string,
  to: string,
  values: ValueFigures,
): RangeFigures {
  const sum = (pick: (r: DayCounts) => number) => rows.reduce((n, r) => n + pick(r), 0);
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
        under2h: values.notice.under2h,
        under24h: values.notice.under24h,
        under7d: values.notice.under7d,
        weekOrMore: values.notice.weekOrMore,
      },
      noticeMinutes: { p50: values.notice.p50, p90: values.notice.p90 },
    },
    leadTimeMinutes: values.lead,
    waitMinutes: values.wait,
    consultationMinutes: values.consultation,
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
