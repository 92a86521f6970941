import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from '../../src/config.js';
import { durationLabel, parseDuration } from '../../src/shared/durations.js';

const UNITS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

describe('reminder offsets are written as short durations', () => {
  it('reads the documented forms', () => {
    expect(parseDuration('24h')).toBe(86_400);
    expect(parseDuration('90m')).toBe(5400);
    expect(parseDuration('30s')).toBe(30);
    expect(parseDuration('2d')).toBe(172_800);
    expect(parseDuration(' 2h ')).toBe(7200);
  });

  it.each(['', 'h', '2x', '0h', '0s', '-1h', '1.5h', '2 h', '2H', '1234567s', '24h,2h'])(
    'refuses %j',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );

  it('labels seconds with the largest exact unit', () => {
    expect([86_400, 5400, 7200, 90, 60, 3600, 172_800, 1].map(durationLabel)).toEqual([
      '1d',
      '90m',
      '2h',
      '90s',
      '1m',
      '1h',
      '2d',
      '1s',
    ]);
  });

  it('reads back every label it writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999 }), (seconds) => {
        expect(parseDuration(durationLabel(seconds))).toBe(seconds);
      }),
    );
  });

  it('labels every written duration with the same number of seconds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 999_999 }),
        fc.constantFrom(...(Object.keys(UNITS) as (keyof typeof UNITS)[])),
        (n, unit) => {
          const seconds = parseDuration(`${n}${unit}`);
          expect(seconds).toBe(n * UNITS[unit]);
          expect(parseDuration(durationLabel(seconds!))).toBe(seconds);
          expect(durationLabel(seconds!)).not.toContain(':'); // labels end up in BullMQ job ids
        },
      ),
    );
  });
});

describe('REMINDER_OFFSETS in the environment', () => {
  const problemsOf = (value: string): string[] => {
    try {
      parseEnv({ REMINDER_OFFSETS: value });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as ConfigError).problems;
    }
    throw new Error(`parseEnv accepted REMINDER_OFFSETS=${JSON.stringify(value)}`);
  };

  it('are seconds, longest first, without repeats', () => {
    expect(parseEnv({ REMINDER_OFFSETS: '24h,2h' }).REMINDER_OFFSETS).toEqual([86_400, 7200]);
    expect(parseEnv({ REMINDER_OFFSETS: '30m, 1d ,2h,120m' }).REMINDER_OFFSETS).toEqual([86_400, 7200, 1800]);
  });

  it('default to a day and two hours when unset or empty (an empty variable counts as unset)', () => {
    expect(parseEnv({}).REMINDER_OFFSETS).toEqual([86_400, 7200]);
    expect(parseEnv({ REMINDER_OFFSETS: '' }).REMINDER_OFFSETS).toEqual([86_400, 7200]);
  });

  it.each(['2x', '0h', '24h,', ',', ' ', '24h;2h'])('refuse %j, naming the variable', (value) => {
    const problems = problemsOf(value);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^REMINDER_OFFSETS: must be durations like 24h,2h/);
  });
});
