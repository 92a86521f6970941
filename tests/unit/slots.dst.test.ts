import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
  generateSlots,
  type Slot,
  type SlotInput,
  type WeeklyRule,
} from '../../src/schedule/slot-generation.js';
import { formatInstant } from '../../src/schedule/zone-offsets.js';

/**
 * Named schedules on the days clocks change, with every expected instant worked out by hand from the
 * 2026 transitions. Slots are written as ISO intervals "start/end" in the clinic's zone, so each line
 * shows both the local wall time and the offset in force.
 */

const MINUTE = 60_000;

/** One rule on one local date. */
function day(
  timeZone: string,
  date: string,
  rule: Omit<WeeklyRule, 'weekday'>,
  extra: Partial<SlotInput> = {},
) {
  const weekday = Temporal.PlainDate.from(date).dayOfWeek;
  return generateSlots({ rules: [{ weekday, ...rule }], timeZone, from: date, to: date, ...extra });
}

const intervals = (slots: readonly Slot[], timeZone: string) =>
  slots.map((s) => `${formatInstant(s.start, timeZone)}/${formatInstant(s.end, timeZone)}`);
const minutesLong = (slots: readonly Slot[]) => slots.map((s) => (s.end - s.start) / MINUTE);
const at = (iso: string) => Temporal.Instant.from(iso).epochMilliseconds;

/** Each slot starts no earlier than the previous one ends; and no instant is offered twice. */
function expectDisjoint(slots: readonly Slot[]) {
  for (let i = 1; i < slots.length; i++) expect(slots[i]!.start).toBeGreaterThanOrEqual(slots[i - 1]!.end);
  expect(new Set(slots.map((s) => s.start)).size).toBe(slots.length);
}

describe('New York springs forward on Sunday 2026-03-08 (02:00 EST → 03:00 EDT)', () => {
  const NY = 'America/New_York';

  it('a night rule 00:00–05:00 of hour slots skips 02:00, which never happens, and every slot is a real hour', () => {
    const slots = day(NY, '2026-03-08', { start: '00:00', end: '05:00', slotMinutes: 60 });
    expect(intervals(slots, NY)).toEqual([
      '2026-03-08T00:00:00-05:00/2026-03-08T01:00:00-05:00',
      '2026-03-08T01:00:00-05:00/2026-03-08T03:00:00-04:00',
      '2026-03-08T03:00:00-04:00/2026-03-08T04:00:00-04:00',
      '2026-03-08T04:00:00-04:00/2026-03-08T05:00:00-04:00',
    ]);
    expect(minutesLong(slots)).toEqual([60, 60, 60, 60]);
  });

  it('the day shift 09:00–17:00 is untouched: eight hour slots, all at -04:00', () => {
    const slots = day(NY, '2026-03-08', { start: '09:00', end: '17:00', slotMinutes: 60 });
    expect(intervals(slots, NY)).toEqual(
      [9, 10, 11, 12, 13, 14, 15, 16].map((h) => {
        const hh = (n: number) => String(n).padStart(2, '0');
        return `2026-03-08T${hh(h)}:00:00-04:00/2026-03-08T${hh(h + 1)}:00:00-04:00`;
      }),
    );
  });

  it('a rule starting inside the skipped hour (02:30) opens when the clocks do, at 03:00 EDT', () => {
    const slots = day(NY, '2026-03-08', { start: '02:30', end: '04:00', slotMinutes: 30 });
    expect(intervals(slots, NY)).toEqual([
      '2026-03-08T03:00:00-04:00/2026-03-08T03:30:00-04:00',
      '2026-03-08T03:30:00-04:00/2026-03-08T04:00:00-04:00',
    ]);
  });
});

describe('New York falls back on Sunday 2026-11-01 (02:00 EDT → 01:00 EST)', () => {
  const NY = 'America/New_York';

  it('a night rule 00:00–03:00 of hour slots offers 01:00 twice, once per offset, and covers four real hours', () => {
    const slots = day(NY, '2026-11-01', { start: '00:00', end: '03:00', slotMinutes: 60 });
    expect(intervals(slots, NY)).toEqual([
      '2026-11-01T00:00:00-04:00/2026-11-01T01:00:00-04:00',
      '2026-11-01T01:00:00-04:00/2026-11-01T01:00:00-05:00',
      '2026-11-01T01:00:00-05:00/2026-11-01T02:00:00-05:00',
      '2026-11-01T02:00:00-05:00/2026-11-01T03:00:00-05:00',
    ]);
    expect(minutesLong(slots)).toEqual([60, 60, 60, 60]);
    expectDisjoint(slots);
  });

  it('with half-hour slots the repeated hour gives four slots, back to back, eight in all', () => {
    const slots = day(NY, '2026-11-01', { start: '00:00', end: '03:00', slotMinutes: 30 });
    expect(intervals(slots, NY)).toEqual([
      '2026-11-01T00:00:00-04:00/2026-11-01T00:30:00-04:00',
      '2026-11-01T00:30:00-04:00/2026-11-01T01:00:00-04:00',
      '2026-11-01T01:00:00-04:00/2026-11-01T01:30:00-04:00',
      '2026-11-01T01:30:00-04:00/2026-11-01T01:00:00-05:00',
      '2026-11-01T01:00:00-05:00/2026-11-01T01:30:00-05:00',
      '2026-11-01T01:30:00-05:00/2026-11-01T02:00:00-05:00',
      '2026-11-01T02:00:00-05:00/2026-11-01T02:30:00-05:00',
      '2026-11-01T02:30:00-05:00/2026-11-01T03:00:00-05:00',
    ]);
    for (let i = 1; i < slots.length; i++) expect(slots[i]!.start).toBe(slots[i - 1]!.end);
  });

  it('a 90-minute slot at the second 01:30 would overlap the first one, so only the first is offered', () => {
    // Local grid 00:00, 01:30, 03:00. 01:30 EDT runs to 02:00 EST; 01:30 EST would start inside it;
    // 03:00 EST + 90 min ends after 04:00 EST.
    const slots = day(NY, '2026-11-01', { start: '00:00', end: '04:00', slotMinutes: 90 });
    expect(intervals(slots, NY)).toEqual([
      '2026-11-01T00:00:00-04:00/2026-11-01T01:30:00-04:00',
      '2026-11-01T01:30:00-04:00/2026-11-01T02:00:00-05:00',
    ]);
  });

  it('a rule ending at 01:30 keeps both 01:00 slots but not 01:30 EDT, whose wall time is past closing', () => {
    // The clock reads 00:00–01:29 twice over: 04:00–05:30Z and again 06:00–06:30Z.
    const slots = day(NY, '2026-11-01', { start: '00:00', end: '01:30', slotMinutes: 30 });
    expect(intervals(slots, NY)).toEqual([
      '2026-11-01T00:00:00-04:00/2026-11-01T00:30:00-04:00',
      '2026-11-01T00:30:00-04:00/2026-11-01T01:00:00-04:00',
      '2026-11-01T01:00:00-04:00/2026-11-01T01:30:00-04:00',
      '2026-11-01T01:00:00-05:00/2026-11-01T01:30:00-05:00',
    ]);
  });

  it('time off during the first 01:00 hour (05:00–06:00Z) leaves the second one bookable', () => {
    const slots = day(
      NY,
      '2026-11-01',
      { start: '00:00', end: '03:00', slotMinutes: 60 },
      { timeOff: [{ start: at('2026-11-01T05:00:00Z'), end: at('2026-11-01T06:00:00Z') }] },
    );
    expect(intervals(slots, NY)).toEqual([
      '2026-11-01T00:00:00-04:00/2026-11-01T01:00:00-04:00',
      '2026-11-01T01:00:00-05:00/2026-11-01T02:00:00-05:00',
      '2026-11-01T02:00:00-05:00/2026-11-01T03:00:00-05:00',
    ]);
  });

  it('a buffer keeps its real length across the change: 45-minute slots every hour', () => {
    const slots = day(
      NY,
      '2026-11-01',
      { start: '00:00', end: '03:00', slotMinutes: 45 },
      { bufferMinutes: 15 },
    );
    expect(intervals(slots, NY)).toEqual([
      '2026-11-01T00:00:00-04:00/2026-11-01T00:45:00-04:00',
      '2026-11-01T01:00:00-04:00/2026-11-01T01:45:00-04:00',
      '2026-11-01T01:00:00-05:00/2026-11-01T01:45:00-05:00',
      '2026-11-01T02:00:00-05:00/2026-11-01T02:45:00-05:00',
    ]);
  });
});

describe('Berlin changes at 02:00/03:00 local, on 2026-03-29 and 2026-10-25', () => {
  const BERLIN = 'Europe/Berlin';

  it('in spring 02:00 does not exist: a 00:00–05:00 rule gives 00:00, 01:00, 03:00 and 04:00', () => {
    const slots = day(BERLIN, '2026-03-29', { start: '00:00', end: '05:00', slotMinutes: 60 });
    expect(intervals(slots, BERLIN)).toEqual([
      '2026-03-29T00:00:00+01:00/2026-03-29T01:00:00+01:00',
      '2026-03-29T01:00:00+01:00/2026-03-29T03:00:00+02:00',
      '2026-03-29T03:00:00+02:00/2026-03-29T04:00:00+02:00',
      '2026-03-29T04:00:00+02:00/2026-03-29T05:00:00+02:00',
    ]);
  });

  it('in autumn 02:00 happens twice: a 01:00–04:00 rule gives four hour slots', () => {
    const slots = day(BERLIN, '2026-10-25', { start: '01:00', end: '04:00', slotMinutes: 60 });
    expect(intervals(slots, BERLIN)).toEqual([
      '2026-10-25T01:00:00+02:00/2026-10-25T02:00:00+02:00',
      '2026-10-25T02:00:00+02:00/2026-10-25T02:00:00+01:00',
      '2026-10-25T02:00:00+01:00/2026-10-25T03:00:00+01:00',
      '2026-10-25T03:00:00+01:00/2026-10-25T04:00:00+01:00',
    ]);
    expectDisjoint(slots);
  });
});

describe('Lord Howe Island shifts by half an hour', () => {
  const LORD_HOWE = 'Australia/Lord_Howe';
  const rule = { start: '01:00', end: '03:30', slotMinutes: 30 };

  it('when DST ends on 2026-04-05 (02:00 +11:00 → 01:30 +10:30), 01:30 is offered twice: six slots over three real hours', () => {
    const slots = day(LORD_HOWE, '2026-04-05', rule);
    expect(intervals(slots, LORD_HOWE)).toEqual([
      '2026-04-05T01:00:00+11:00/2026-04-05T01:30:00+11:00',
      '2026-04-05T01:30:00+11:00/2026-04-05T01:30:00+10:30',
      '2026-04-05T01:30:00+10:30/2026-04-05T02:00:00+10:30',
      '2026-04-05T02:00:00+10:30/2026-04-05T02:30:00+10:30',
      '2026-04-05T02:30:00+10:30/2026-04-05T03:00:00+10:30',
      '2026-04-05T03:00:00+10:30/2026-04-05T03:30:00+10:30',
    ]);
    expect(slots[0]!.start).toBe(at('2026-04-04T14:00:00Z'));
    expect(slots.at(-1)!.end).toBe(at('2026-04-04T17:00:00Z'));
    expectDisjoint(slots);
  });

  it('when DST starts on 2026-10-04 (02:00 +10:30 → 02:30 +11:00), 02:00 local is skipped: four slots over two real hours', () => {
    const slots = day(LORD_HOWE, '2026-10-04', rule);
    expect(intervals(slots, LORD_HOWE)).toEqual([
      '2026-10-04T01:00:00+10:30/2026-10-04T01:30:00+10:30',
      '2026-10-04T01:30:00+10:30/2026-10-04T02:30:00+11:00',
      '2026-10-04T02:30:00+11:00/2026-10-04T03:00:00+11:00',
      '2026-10-04T03:00:00+11:00/2026-10-04T03:30:00+11:00',
    ]);
    expect(slots.map((s) => formatInstant(s.start, LORD_HOWE))).not.toContain('2026-10-04T02:00:00+11:00');
    expect(slots[0]!.start).toBe(at('2026-10-03T14:30:00Z'));
    expect(slots.at(-1)!.end).toBe(at('2026-10-03T16:30:00Z'));
  });
});

describe('Kolkata keeps +05:30 all year', () => {
  const KOLKATA = 'Asia/Kolkata';
  const weekdays = [1, 2, 3, 4, 5];

  it('a week of Monday–Friday rules (09:00–13:00 and 14:00–17:00, half-hour slots) gives 5 × 14 slots', () => {
    const rules: WeeklyRule[] = weekdays.flatMap((weekday) => [
      { weekday, start: '09:00', end: '13:00', slotMinutes: 30 },
      { weekday, start: '14:00', end: '17:00', slotMinutes: 30 },
    ]);
    const slots = generateSlots({ rules, timeZone: KOLKATA, from: '2026-03-09', to: '2026-03-15' });
    expect(slots).toHaveLength(70);
    expect(slots.every((s) => formatInstant(s.start, KOLKATA).endsWith('+05:30'))).toBe(true);
    expect(formatInstant(slots[0]!.start, KOLKATA)).toBe('2026-03-09T09:00:00+05:30');
    expect(formatInstant(slots[0]!.start, 'UTC')).toBe('2026-03-09T03:30:00+00:00');
    expect(formatInstant(slots.at(-1)!.start, KOLKATA)).toBe('2026-03-13T16:30:00+05:30');
  });

  it('a 15-minute buffer after each 45-minute slot starts one every hour', () => {
    const slots = day(
      KOLKATA,
      '2026-03-09',
      { start: '09:00', end: '12:00', slotMinutes: 45 },
      { bufferMinutes: 15 },
    );
    expect(intervals(slots, KOLKATA)).toEqual([
      '2026-03-09T09:00:00+05:30/2026-03-09T09:45:00+05:30',
      '2026-03-09T10:00:00+05:30/2026-03-09T10:45:00+05:30',
      '2026-03-09T11:00:00+05:30/2026-03-09T11:45:00+05:30',
    ]);
  });
});

describe('rule validity, midnight ends and slot status', () => {
  it('a Monday rule valid from 2026-03-16 offers nothing on Monday 2026-03-09, and runs until its validTo', () => {
    const rule: WeeklyRule = {
      weekday: 1,
      start: '09:00',
      end: '10:00',
      slotMinutes: 30,
      validFrom: '2026-03-16',
      validTo: '2026-03-23',
    };
    const slots = generateSlots({ rules: [rule], timeZone: 'UTC', from: '2026-03-02', to: '2026-03-31' });
    expect(slots.map((s) => formatInstant(s.start, 'UTC'))).toEqual([
      '2026-03-16T09:00:00+00:00',
      '2026-03-16T09:30:00+00:00',
      '2026-03-23T09:00:00+00:00',
      '2026-03-23T09:30:00+00:00',
    ]);
  });

  it('an evening rule ending at "24:00" runs to midnight; its last slot ends at 00:00 the next day', () => {
    const slots = day('Europe/Berlin', '2026-06-12', { start: '22:00', end: '24:00', slotMinutes: 30 });
    expect(intervals(slots, 'Europe/Berlin')).toEqual([
      '2026-06-12T22:00:00+02:00/2026-06-12T22:30:00+02:00',
      '2026-06-12T22:30:00+02:00/2026-06-12T23:00:00+02:00',
      '2026-06-12T23:00:00+02:00/2026-06-12T23:30:00+02:00',
      '2026-06-12T23:30:00+02:00/2026-06-13T00:00:00+02:00',
    ]);
  });

  it('a "24:00" end on the night before New York falls back still ends at that midnight, -04:00', () => {
    const slots = day('America/New_York', '2026-10-31', { start: '22:00', end: '24:00', slotMinutes: 60 });
    expect(intervals(slots, 'America/New_York')).toEqual([
      '2026-10-31T22:00:00-04:00/2026-10-31T23:00:00-04:00',
      '2026-10-31T23:00:00-04:00/2026-11-01T00:00:00-04:00',
    ]);
  });

  it('a held slot names its hold; a slot both booked and held is booked; the rest are free', () => {
    const input: SlotInput = {
      rules: [{ weekday: 1, start: '09:00', end: '11:00', slotMinutes: 30 }],
      timeZone: 'Asia/Kolkata',
      from: '2026-03-09',
      to: '2026-03-09',
      holds: [
        {
          start: at('2026-03-09T03:30:00Z'),
          end: at('2026-03-09T04:00:00Z'),
          holdId: 'hold-1',
          holderId: 'patient-a',
        },
        {
          start: at('2026-03-09T04:00:00Z'),
          end: at('2026-03-09T04:30:00Z'),
          holdId: 'hold-2',
          holderId: 'patient-b',
        },
      ],
      // 09:30–10:00 local is held by patient-b and also booked; 10:30–11:00 is booked only.
      booked: [
        { start: at('2026-03-09T04:00:00Z'), end: at('2026-03-09T04:30:00Z') },
        { start: at('2026-03-09T05:00:00Z'), end: at('2026-03-09T05:30:00Z') },
      ],
    };
    expect(
      generateSlots(input).map((s) => ({
        start: formatInstant(s.start, 'Asia/Kolkata'),
        status: s.status,
        hold: s.hold,
      })),
    ).toEqual([
      {
        start: '2026-03-09T09:00:00+05:30',
        status: 'held',
        hold: { holdId: 'hold-1', holderId: 'patient-a' },
      },
      { start: '2026-03-09T09:30:00+05:30', status: 'booked', hold: undefined },
      { start: '2026-03-09T10:00:00+05:30', status: 'free', hold: undefined },
      { start: '2026-03-09T10:30:00+05:30', status: 'booked', hold: undefined },
    ]);
  });

  it('an appointment that ends exactly when a slot starts leaves that slot free (intervals are half-open)', () => {
    const slots = day(
      'UTC',
      '2026-03-09',
      { start: '09:00', end: '10:00', slotMinutes: 30 },
      { booked: [{ start: at('2026-03-09T08:30:00Z'), end: at('2026-03-09T09:00:00Z') }] },
    );
    expect(slots.map((s) => s.status)).toEqual(['free', 'free']);
  });
});
