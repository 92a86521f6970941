import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { Instant, IsoDate, isDate } from '../../src/schedule/schedule.schemas.js';

/** What Temporal, the calendar the slot generator uses, says about a "YYYY-MM-DD" string. */
function temporalSays(s: string): boolean {
  try {
    return Temporal.PlainDate.from(s).toString() === s;
  } catch {
    return false;
  }
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

describe('isDate', () => {
  it('accepts days that exist and refuses those that do not', () => {
    expect(isDate('2026-02-28')).toBe(true);
    expect(isDate('2028-02-29')).toBe(true); // leap year
    expect(isDate('2000-02-29')).toBe(true); // divisible by 400
    expect(isDate('1900-02-29')).toBe(false); // divisible by 100, not 400
    expect(isDate('2026-02-29')).toBe(false);
    expect(isDate('2026-04-31')).toBe(false);
    expect(isDate('2026-13-01')).toBe(false);
    expect(isDate('2026-00-10')).toBe(false);
    expect(isDate('2026-01-00')).toBe(false);
    expect(isDate('2026-1-01')).toBe(false);
    expect(isDate('2026-01-01T00:00')).toBe(false);
  });

  it('agrees with Temporal on every year, month and day in range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const s = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
          expect(isDate(s)).toBe(temporalSays(s));
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe('the calendar a client may name: the years 1900 to 2200', () => {
  it('dates and instants at and beyond the edges', () => {
    for (const ok of ['1900-01-01', '2026-12-03', '2200-12-31']) expect(v.is(IsoDate, ok), ok).toBe(true);
    for (const bad of ['0000-01-01', '0001-01-01', '1899-12-31', '2201-01-01', '9999-12-31'])
      expect(v.is(IsoDate, bad), bad).toBe(false);
    expect(v.is(Instant, '2200-12-31T23:59:59Z')).toBe(true);
    expect(v.is(Instant, '1900-01-01T00:00:00+14:00')).toBe(true);
    for (const bad of ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2201-01-01T00:00:00Z'])
      expect(v.is(Instant, bad), bad).toBe(false);
  });
});
