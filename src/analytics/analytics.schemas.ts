import * as v from 'valibot';
import { IsoDate } from '../schedule/schedule.schemas.js';
import { datesBetween } from './figures.js';

/** The longest range one request may ask for (three years and a leap day). */
export const MAX_ANALYTICS_DAYS = 1096;

const isReal = (d: string) => v.is(IsoDate, d);

/** `?from=&to=` (local dates, inclusive; default the last 30 days) and, for CSV, which table. */
export const AnalyticsQuery = v.pipe(
  v.strictObject({
    from: v.optional(IsoDate),
    to: v.optional(IsoDate),
    /** CSV only: `summary` (one row per doctor, the default) or `daily` (one row per doctor and day). */
    view: v.optional(v.picklist(['summary', 'daily'])),
  }),
  v.forward(
    v.check(
      (q) => !q.from || !q.to || !isReal(q.from) || !isReal(q.to) || q.to >= q.from,
      'must not be before from',
    ),
    ['to'],
  ),
  v.forward(
    v.check(
      (q) =>
        !q.from ||
        !q.to ||
        !isReal(q.from) ||
        !isReal(q.to) ||
        datesBetween(q.from, q.to).length <= MAX_ANALYTICS_DAYS,
      `the range spans at most ${MAX_ANALYTICS_DAYS} days`,
    ),
    ['to'],
  ),
);
export type AnalyticsQueryInput = v.InferOutput<typeof AnalyticsQuery>;

const Percentiles = v.object({ p50: v.nullable(v.number()), p90: v.nullable(v.number()) });

const FiguresEntries = {
  utilization: v.nullable(v.number()),
  availableMinutes: v.number(),
  bookedMinutes: v.number(),
  bookings: v.number(),
  completed: v.number(),
  noShows: v.number(),
  noShowRate: v.nullable(v.number()),
  cancellations: v.object({
    total: v.number(),
    rate: v.nullable(v.number()),
    byWhom: v.object({
      patient: v.number(),
      doctor: v.number(),
      staff: v.number(),
      admin: v.number(),
      system: v.number(),
    }),
    notice: v.object({
      under2h: v.number(),
      under24h: v.number(),
      under7d: v.number(),
      weekOrMore: v.number(),
    }),
    noticeMinutes: Percentiles,
  }),
  leadTimeMinutes: Percentiles,
  waitMinutes: Percentiles,
  consultationMinutes: Percentiles,
  revenueCents: v.nullable(v.number()),
  currency: v.nullable(v.string()),
  newPatients: v.number(),
  returningPatients: v.number(),
  byWeekdayHour: v.array(v.array(v.number())),
  byDay: v.array(
    v.object({
      date: v.string(),
      booked: v.number(),
      completed: v.number(),
      cancelled: v.number(),
      noShow: v.number(),
    }),
  ),
};

export const DoctorAnalyticsSchema = v.object({
  doctorId: v.string(),
  name: v.string(),
  from: v.string(),
  to: v.string(),
  timezone: v.string(),
  ...FiguresEntries,
});
export type DoctorAnalytics = v.InferOutput<typeof DoctorAnalyticsSchema>;

export const ClinicAnalyticsSchema = v.object({
  clinicId: v.string(),
  name: v.string(),
  from: v.string(),
  to: v.string(),
  timezone: v.string(),
  ...FiguresEntries,
  doctors: v.array(DoctorAnalyticsSchema),
});
export type ClinicAnalytics = v.InferOutput<typeof ClinicAnalyticsSchema>;
