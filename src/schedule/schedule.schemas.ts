import { Temporal } from 'temporal-polyfill';
import * as v from 'valibot';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * True when "YYYY-MM-DD" names a day that exists (no 2026-02-30). Plain arithmetic: it runs on every
 * instant a request carries, where a Temporal call cost more than the rest of the validation.
 */
export function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/**
 * The calendar a client may name: years 1900 to 2200. Postgres refuses dates near year 0 and 9999 in
 * the arithmetic the hub does with them (a 500 otherwise), and no clinic schedules outside this.
 */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2200;
const YEAR_MESSAGE = `must be in the years ${MIN_YEAR} to ${MAX_YEAR}`;
/** True when the text starts with a year within MIN_YEAR..MAX_YEAR. */
export const inYearRange = (s: string) => {
  const year = Number(s.slice(0, 4));
  return year >= MIN_YEAR && year <= MAX_YEAR;
};

/** A calendar date "YYYY-MM-DD" that exists, in the years 1900 to 2200. */
export const IsoDate = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'),
  v.check(isDate, 'must be a real date'),
  v.check(inYearRange, YEAR_MESSAGE),
);
/** An instant with an explicit offset or Z, in the years 1900 to 2200, as epoch ms. */
export const Instant = v.pipe(
  v.string(),
  v.isoTimestamp('must be an ISO 8601 instant with offset, e.g. 2026-03-08T09:30:00-05:00'),
  // Date.parse rolls 2026-02-30 over to March 2; refuse a day that does not exist instead.
  v.check((s) => isDate(s.slice(0, 10)), 'must be a real date'),
  v.check(inYearRange, YEAR_MESSAGE),
  v.transform((s) => Date.parse(s)),
  v.check((ms) => Number.isFinite(ms), 'must be a real instant'),
);
const Clock = v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM'));
const EndClock = v.pipe(
  v.string(),
  v.regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time HH:MM (up to 24:00)'),
);

export const RuleSchema = v.pipe(
  v.strictObject({
    weekday: v.pipe(
      v.number(),
      v.integer(),
      v.minValue(1, 'must be 1 (Monday) to 7 (Sunday)'),
      v.maxValue(7, 'must be 1 (Monday) to 7 (Sunday)'),
    ),
    start: Clock,
    end: EndClock,
    slotMinutes: v.pipe(
      v.number(),
      v.integer(),
      v.minValue(5, 'must be 5 to 240'),
      v.maxValue(240, 'must be 5 to 240'),
    ),
    validFrom: v.optional(IsoDate),
    validTo: v.optional(IsoDate),
  }),
  v.forward(
    v.check((r) => r.end > r.start, 'must be after start'),
    ['end'],
  ),
  v.forward(
    v.check((r) => !r.validFrom || !r.validTo || r.validTo >= r.validFrom, 'must not be before validFrom'),
    ['validTo'],
  ),
);
export type RuleInput = v.InferOutput<typeof RuleSchema>;

/** Two rules of one weekday whose hours and validity both overlap. */
function firstOverlap(rules: RuleInput[]): number | undefined {
  for (let i = 0; i < rules.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = rules[i]!;
      const b = rules[j]!;
      const sameDay = a.weekday === b.weekday;
      const hours = a.start < b.end && b.start < a.end;
      const validity =
        (a.validFrom ?? '') <= (b.validTo ?? '9999') && (b.validFrom ?? '') <= (a.validTo ?? '9999');
      if (sameDay && hours && validity) return i;
    }
  }
  return undefined;
}

export const AvailabilityBody = v.pipe(
  v.strictObject({
    rules: v.pipe(v.array(RuleSchema), v.maxLength(100)),
    bufferMinutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(240)), 0),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const i = firstOverlap(dataset.value.rules);
    if (i !== undefined) {
      addIssue({
        message: 'overlaps another rule of the same weekday',
        path: [
          { type: 'object', origin: 'value', input: dataset.value, key: 'rules', value: dataset.value.rules },
          {
            type: 'array',
            origin: 'value',
            input: dataset.value.rules,
            key: i,
            value: dataset.value.rules[i],
          },
        ],
      });
    }
  }),
);
export type AvailabilityInput = v.InferOutput<typeof AvailabilityBody>;

export const AvailabilitySchema = v.object({
  doctorId: v.string(),
  timezone: v.string(),
  bufferMinutes: v.number(),
  rules: v.array(
    v.object({
      weekday: v.number(),
      start: v.string(),
      end: v.string(),
      slotMinutes: v.number(),
      validFrom: v.nullable(v.string()),
      validTo: v.nullable(v.string()),
    }),
  ),
});

const MAX_TIME_OFF_MS = 366 * 86_400_000;
export const TimeOffBody = v.pipe(
  v.strictObject({
    start: Instant,
    end: Instant,
    reason: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(500))),
    /** Cancel the appointments inside it (each patient is told); without it they refuse the time off (409). */
    cancelAppointments: v.optional(v.boolean()),
  }),
  v.forward(
    v.check((t) => t.end > t.start, 'must be after start'),
    ['end'],
  ),
  v.forward(
    v.check((t) => t.end - t.start <= MAX_TIME_OFF_MS, 'time off spans at most 366 days'),
    ['end'],
  ),
);
export const TimeOffSchema = v.object({
  id: v.string(),
  doctorId: v.string(),
  start: v.string(),
  end: v.string(),
  reason: v.nullable(v.string()),
});

export const MAX_SLOT_RANGE_DAYS = 62;
// A failed IsoDate check still leaves the object "typed", so these run on unreal dates too: let them
// pass such dates (already refused on their own) rather than throw in Temporal (a 500).
const bothReal = (q: { from: string; to: string }) =>
  isDate(q.from) && isDate(q.to) && inYearRange(q.from) && inYearRange(q.to);
export const SlotsQuery = v.pipe(
  v.strictObject({
    from: IsoDate,
    to: IsoDate,
    /** An appointment type id; the doctor's default type when left out. */
    type: v.optional(v.pipe(v.string(), v.uuid('must be an appointment type id'))),
  }),
  v.forward(
    v.check((q) => !bothReal(q) || q.to >= q.from, 'must not be before from'),
    ['to'],
  ),
  v.forward(
    v.check(
      (q) =>
        !bothReal(q) ||
        Temporal.PlainDate.from(q.from).until(Temporal.PlainDate.from(q.to)).days < MAX_SLOT_RANGE_DAYS,
      `the range spans at most ${MAX_SLOT_RANGE_DAYS} days`,
    ),
    ['to'],
  ),
);

export const SlotsSchema = v.object({
  doctorId: v.string(),
  timezone: v.string(),
  revision: v.string(),
  slots: v.array(
    v.object({
      start: v.string(),
      end: v.string(),
      status: v.picklist(['free', 'held', 'booked']),
      /** Present on a slot the caller holds. */
      holdId: v.optional(v.string()),
    }),
  ),
});
