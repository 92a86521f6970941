import { describe, expect, it } from 'vitest';
import { generateSlots, type WeeklyRule } from '../../src/schedule/slot-generation.js';
import { formatInstant } from '../../src/schedule/zone-offsets.js';

const MINUTE = 60_000;
const sunday = (start: string, end: string, slotMinutes = 30): WeeklyRule[] => [
  { weekday: 7, start, end, slotMinutes },
];
const local = (ms: number, zone: string) => formatInstant(ms, zone).slice(11, 16);

describe('slots of an appointment type on the days clocks change', () => {
  it('spring forward in New York: 45-minute slots skip the missing hour and last 45 real minutes', () => {
    const slots = generateSlots({
      rules: sunday('00:00', '05:00'),
      timeZone: 'America/New_York',
      from: '2026-03-08',
      to: '2026-03-08',
      slotMinutes: 45,
    });
    for (const s of slots) expect(s.end - s.start).toBe(45 * MINUTE);
    for (let i = 1; i < slots.length; i++) expect(slots[i]!.start).toBeGreaterThanOrEqual(slots[i - 1]!.end);
    // 02:15 does not exist that night; 01:30 + 45 real minutes ends at 03:15 local, so the grid's 03:00
    // would overlap it and is left out.
    expect(slots.map((s) => local(s.start, 'America/New_York'))).toEqual([
      '00:00',
      '00:45',
      '01:30',
      '03:45',
    ]);
    expect(local(slots[2]!.end, 'America/New_York')).toBe('03:15');
  });

  it('fall back in Berlin: the repeated hour yields both instants, none overlapping, buffers kept', () => {
    const slots = generateSlots({
      rules: sunday('01:00', '04:00'),
      timeZone: 'Europe/Berlin',
      from: '2026-10-25',
      to: '2026-10-25',
      slotMinutes: 40,
      bufferMinutes: 20,
    });
    for (const s of slots) expect(s.end - s.start).toBe(40 * MINUTE);
    for (let i = 1; i < slots.length; i++)
      expect(slots[i]!.start - slots[i - 1]!.end).toBeGreaterThanOrEqual(20 * MINUTE);
    const starts = slots.map((s) => formatInstant(s.start, 'Europe/Berlin'));
    expect(starts).toContain('2026-10-25T02:00:00+02:00');
    expect(starts).toContain('2026-10-25T02:00:00+01:00');
  });

  it('a booking of another type with its buffer marks every slot it or its buffer touches', () => {
    const zone = 'UTC';
    const at = (hhmm: string) => Date.parse(`2026-03-09T${hhmm}:00Z`);
    const slots = generateSlots({
      rules: [{ weekday: 1, start: '09:00', end: '11:00', slotMinutes: 15 }],
      timeZone: zone,
      from: '2026-03-09',
      to: '2026-03-09',
      slotMinutes: 30,
      trailingMinutes: 10,
      // 09:40–10:25 plus its 10-minute buffer.
      booked: [{ start: at('09:40'), end: at('10:35') }],
    });
    const status = Object.fromEntries(slots.map((s) => [local(s.start, zone), s.status]));
    // 09:00 ends 09:30 and its buffer 09:40: free. 09:30 overlaps. 10:30 overlaps the buffer.
    expect(status).toEqual({ '09:00': 'free', '09:30': 'booked', '10:00': 'booked', '10:30': 'booked' });
  });
});
