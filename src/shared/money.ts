import * as v from 'valibot';

const currencies = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 currency code. */
export const Currency = v.pipe(
  v.string(),
  v.check((c) => currencies.has(c), 'must be an ISO 4217 code such as EUR'),
);
/** Money in integer minor units (cents). */
export const FeeCents = v.pipe(
  v.number(),
  v.integer('must be a whole number of minor units'),
  v.minValue(0, 'must not be negative'),
  v.maxValue(100_000_000),
);
