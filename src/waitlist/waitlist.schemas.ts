import * as v from 'valibot';
import { Uuid } from '../auth/auth.schemas.js';
import { IsoDate } from '../schedule/schedule.schemas.js';

/** The longest range one entry may cover: a waitlist is for "soon", not for next year. */
export const MAX_RANGE_DAYS = 92;

const Clock = v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM'));
const ClockOrMidnight = v.pipe(
  v.string(),
  v.regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time HH:MM (up to 24:00)'),
);

const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;
const realDates = (b: { from: string; to: string }) => !Number.isNaN(daysBetween(b.from, b.to));

/** POST /v1/waitlist: a doctor, local dates [from, to], and optionally a local time-of-day window. */
export const JoinBody = v.pipe(
  v.strictObject({
    doctorId: Uuid,
    from: IsoDate,
    to: IsoDate,
    times: v.optional(
      v.pipe(
        v.strictObject({ start: Clock, end: ClockOrMidnight }),
        v.forward(
          v.check((t) => t.end > t.start, 'must be after start'),
          ['end'],
        ),
      ),
    ),
  }),
  v.forward(
    v.check((b) => !realDates(b) || b.to >= b.from, 'must not be before from'),
    ['to'],
  ),
  v.forward(
    v.check(
      (b) => !realDates(b) || daysBetween(b.from, b.to) < MAX_RANGE_DAYS,
      `covers at most ${MAX_RANGE_DAYS} days`,
    ),
    ['to'],
  ),
);
export type JoinInput = v.InferOutput<typeof JoinBody>;

export const ENTRY_STATUSES = ['waiting', 'offered', 'booked', 'expired', 'cancelled'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];
export const OFFER_STATUSES = ['offered', 'accepted', 'lapsed', 'declined', 'withdrawn'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/** An offer's times carry the clinic's offset, like slots. */
export const OfferSchema = v.object({
  holdId: v.string(),
  start: v.string(),
  end: v.string(),
  expiresAt: v.string(),
});

export const EntrySchema = v.object({
  id: v.string(),
  doctorId: v.string(),
  doctor: v.object({ id: v.string(), name: v.string() }),
  from: v.string(),
  to: v.string(),
  times: v.optional(v.object({ start: v.string(), end: v.string() })),
  status: v.picklist(ENTRY_STATUSES),
  /** Place in the doctor's line among entries still waiting or offered (1 = next); absent once closed. */
  position: v.optional(v.number()),
  createdAt: v.string(),
  offer: v.optional(OfferSchema),
});
export type EntryView = v.InferOutput<typeof EntrySchema>;

export const WaitlistLengthSchema = v.object({
  doctorId: v.string(),
  waiting: v.number(),
  offered: v.number(),
});

export const OfferHistoryQuery = v.strictObject({
  doctorId: v.optional(Uuid),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, 'must be a whole number from 1 to 500'),
      v.transform(Number),
      v.minValue(1),
      v.maxValue(500),
    ),
  ),
});

export const OfferHistorySchema = v.object({
  items: v.array(
    v.object({
      id: v.string(),
      entryId: v.string(),
      doctorId: v.string(),
      patientId: v.string(),
      start: v.string(),
      end: v.string(),
      status: v.picklist(OFFER_STATUSES),
      joinedAt: v.string(),
      offeredAt: v.string(),
      expiresAt: v.string(),
      closedAt: v.nullable(v.string()),
    }),
  ),
});
