import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { formatInstant, localDateOf } from '../../src/schedule/zone-offsets.js';

const ZONES = [
  'America/New_York',
  'Europe/Berlin',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'UTC',
  'Pacific/Chatham',
  'America/St_Johns',
  'Asia/Kathmandu',
];
const temporal = (ms: number, tz: string) =>
  Temporal.Instant.fromEpochMilliseconds(ms)
    .toZonedDateTimeISO(tz)
    .toString({ timeZoneName: 'never', smallestUnit: 'second' });

/** Instants at, just before and just after every transition of 2026, per zone. */
function aroundTransitions(tz: string): number[] {
  const out: number[] = [];
  let z: Temporal.ZonedDateTime | null = Temporal.Instant.from('2026-01-01T00:00:00Z').toZonedDateTimeISO(tz);
  while (z && z.year <= 2026) {
    z = z.getTimeZoneTransition('next');
    if (z)
      out.push(
        z.epochMilliseconds - 60_000,
        z.epochMilliseconds - 1000,
        z.epochMilliseconds,
        z.epochMilliseconds + 1000,
      );
  }
  return out;
}

describe('fast offsets agree with Temporal whatever order instants are asked in', () => {
  it('at, before and after every 2026 transition, in random order, in every zone', () => {
    const cases = ZONES.flatMap((tz) => aroundTransitions(tz).map((ms) => ({ tz, ms })));
    fc.assert(
      fc.property(
        fc.shuffledSubarray(cases, { minLength: cases.length, maxLength: cases.length }),
        (order) => {
          for (const { tz, ms } of order) expect(formatInstant(ms, tz)).toBe(temporal(ms, tz));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('for random instants of 1990–2040', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.constantFrom(...ZONES),
        (ms, tz) => {
          expect(formatInstant(ms, tz)).toBe(temporal(ms, tz));
          expect(localDateOf(ms, tz)).toBe(temporal(ms, tz).slice(0, 10));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
