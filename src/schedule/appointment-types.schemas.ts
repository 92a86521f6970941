import * as v from 'valibot';
import { Currency, FeeCents } from '../shared/money.js';

const Minutes = (min: number, max: number) =>
  v.pipe(
    v.number(),
    v.integer(),
    v.minValue(min, `must be ${min} to ${max}`),
    v.maxValue(max, `must be ${min} to ${max}`),
  );

const typeFields = {
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(80)),
  durationMinutes: Minutes(5, 480),
  feeCents: v.optional(FeeCents),
  currency: v.optional(Currency),
  /** Whether patients may book it themselves (default true); staff book any type. */
  online: v.optional(v.boolean()),
  /** `new`: only before a first completed visit with this doctor; `returning`: only after one. */
  audience: v.optional(v.picklist(['any', 'new', 'returning'])),
  bufferMinutes: v.optional(Minutes(0, 240)),
};

const feeWithCurrency = (t: { feeCents?: number | undefined; currency?: string | undefined }) =>
  (t.feeCents === undefined) === (t.currency === undefined);
const TOGETHER = 'send feeCents and currency together';

export const AppointmentTypeBody = v.pipe(
  v.strictObject(typeFields),
  v.forward(
    v.check((t) => feeWithCurrency(t), TOGETHER),
    ['currency'],
  ),
);
export type AppointmentTypeInput = v.InferOutput<typeof AppointmentTypeBody>;

export const AppointmentTypePatch = v.pipe(
  v.strictObject({
    ...typeFields,
    name: v.optional(typeFields.name),
    durationMinutes: v.optional(typeFields.durationMinutes),
  }),
  v.forward(
    v.check((t) => feeWithCurrency(t), TOGETHER),
    ['currency'],
  ),
);
export type AppointmentTypePatchInput = v.InferOutput<typeof AppointmentTypePatch>;

export const AppointmentTypeSchema = v.object({
  id: v.string(),
  name: v.string(),
  durationMinutes: v.nullable(v.number()),
  feeCents: v.number(),
  currency: v.string(),
  online: v.boolean(),
  audience: v.picklist(['any', 'new', 'returning']),
  bufferMinutes: v.number(),
  isDefault: v.boolean(),
});
