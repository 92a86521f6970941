import * as v from 'valibot';
import { Phone, Uuid } from '../auth/auth.schemas.js';
import { IsoDate } from '../schedule/schedule.schemas.js';
import { Currency, FeeCents } from '../shared/money.js';
import { Pagination } from '../shared/pagination.js';

const isTimeZone = (tz: string) => {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const TimeZone = v.pipe(
  v.string(),
  v.check(isTimeZone, 'must be an IANA time zone such as Europe/Berlin'),
);
export const Latitude = v.pipe(
  v.number(),
  v.minValue(-90, 'must be between -90 and 90'),
  v.maxValue(90, 'must be between -90 and 90'),
);
export const Longitude = v.pipe(
  v.number(),
  v.minValue(-180, 'must be between -180 and 180'),
  v.maxValue(180, 'must be between -180 and 180'),
);
const Text = (max: number) =>
  v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(max));
const Language = v.pipe(
  v.string(),
  v.regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a language code such as en or pt-BR'),
);
const SpecialtySlug = v.pipe(v.string(), v.regex(/^[a-z0-9-]{1,60}$/, 'must be a specialty slug'));

export const ClinicBody = v.strictObject({
  name: Text(200),
  address: Text(500),
  city: Text(200),
  timezone: TimeZone,
  lat: Latitude,
  lon: Longitude,
  phone: v.optional(Phone),
});
export const ClinicPatch = v.partial(ClinicBody);
export type ClinicInput = v.InferOutput<typeof ClinicBody>;

export const ClinicSchema = v.object({
  id: Uuid,
  name: v.string(),
  address: v.string(),
  city: v.string(),
  timezone: v.string(),
  lat: v.number(),
  lon: v.number(),
  phone: v.nullable(v.string()),
});
export type Clinic = v.InferOutput<typeof ClinicSchema>;

export const ClinicQuery = v.strictObject({ city: v.optional(Text(200)), ...Pagination });

const doctorFields = {
  specialties: v.pipe(v.array(SpecialtySlug), v.minLength(1, 'name at least one specialty'), v.maxLength(10)),
  feeCents: FeeCents,
  currency: Currency,
  languages: v.optional(v.pipe(v.array(Language), v.maxLength(20)), []),
  bio: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(4000))),
  minNoticeMinutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(43_200)), 60),
  horizonDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(730)), 90),
};
export const DoctorBody = v.strictObject({ userId: Uuid, clinicId: Uuid, ...doctorFields });
export type DoctorInput = v.InferOutput<typeof DoctorBody>;
export const DoctorPatch = v.strictObject({
  clinicId: v.optional(Uuid),
  specialties: v.optional(doctorFields.specialties),
  feeCents: v.optional(FeeCents),
  currency: v.optional(Currency),
  languages: v.optional(v.pipe(v.array(Language), v.maxLength(20))),
  bio: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(4000)))),
  minNoticeMinutes: v.optional(doctorFields.minNoticeMinutes.wrapped),
  horizonDays: v.optional(doctorFields.horizonDays.wrapped),
});
export type DoctorPatchInput = v.InferOutput<typeof DoctorPatch>;

export const DoctorSchema = v.object({
  id: Uuid,
  userId: Uuid,
  name: v.string(),
  specialties: v.array(v.object({ slug: v.string(), name: v.string() })),
  feeCents: v.number(),
  currency: v.string(),
  languages: v.array(v.string()),
  bio: v.nullable(v.string()),
  minNoticeMinutes: v.number(),
  horizonDays: v.number(),
  clinic: v.object({ id: Uuid, name: v.string(), city: v.string(), timezone: v.string() }),
  /** Patients' ratings of completed visits; null below 5 ratings (ratings/ratings.service.ts). */
  rating: v.nullable(v.object({ average: v.number(), count: v.number() })),
  /** Present when the search had `near`: great-circle distance to the clinic. */
  distanceKm: v.optional(v.number()),
  /** Start of the first free slot in the next 62 days (clinic offset), null if none; on lists. */
  nextAvailable: v.optional(v.nullable(v.string())),
});
export type Doctor = v.InferOutput<typeof DoctorSchema>;

const Near = v.pipe(
  v.string(),
  v.regex(/^-?\d{1,3}(\.\d+)?,-?\d{1,3}(\.\d+)?$/, 'must be lat,lon such as 52.52,13.40'),
  v.transform((s) => {
    const [lat, lon] = s.split(',').map(Number) as [number, number];
    return { lat, lon };
  }),
  v.check(
    ({ lat, lon }) => Math.abs(lat) <= 90 && Math.abs(lon) <= 180,
    'lat must be within ±90 and lon within ±180',
  ),
);
const Decimal = (min: number, max: number, message: string) =>
  v.pipe(
    v.string(),
    v.regex(/^\d+(\.\d+)?$/, message),
    v.transform(Number),
    v.minValue(min, message),
    v.maxValue(max, message),
  );

export const DoctorQuery = v.strictObject({
  specialty: v.optional(SpecialtySlug),
  clinicId: v.optional(Uuid),
  language: v.optional(Language),
  maxFee: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,9}$/, 'must be a whole number of minor units, not negative'),
      v.transform(Number),
    ),
  ),
  q: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100))),
  near: v.optional(Near),
  radiusKm: v.optional(Decimal(0.1, 20_000, 'must be a number of km from 0.1 to 20000')),
  /** Only doctors with a free slot on this clinic-local date. */
  availableOn: v.optional(IsoDate),
  /**
   * `soonest`: by next free slot (ties by distance, none last); `distance` (needs near; the default with
   * it), `fee` (lowest first), `rating` (best first, fewer than 5 ratings last). Default: by name.
   */
  sort: v.optional(v.picklist(['soonest', 'distance', 'fee', 'rating'])),
  ...Pagination,
});
export type DoctorSearch = v.InferOutput<typeof DoctorQuery>;

export const SpecialtySchema = v.object({ slug: v.string(), name: v.string() });
