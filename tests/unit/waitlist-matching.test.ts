import { describe, expect, it } from 'vitest';
import { localSlot, wants } from '../../src/waitlist/matching.js';

const entry = (timeStart: string | null = null, timeEnd: string | null = null) => ({
  patientId: 'p',
  fromDate: '2026-03-02',
  toDate: '2026-03-04',
  timeStart,
  timeEnd,
});

describe('which waiting entry wants a slot', () => {
  it('takes slots on the dates of the entry, inclusive, and none outside', () => {
    const at = (date: string) => ({ date, start: '10:00', end: '10:30' });
    expect(
      ['2026-03-01', '2026-03-02', '2026-03-04', '2026-03-05'].map((d) => wants(entry(), at(d))),
    ).toEqual([false, true, true, false]);
  });

  it('takes a slot only wholly inside its time window', () => {
    const morning = entry('08:00', '12:00');
    const slot = (start: string, end: string) => ({ date: '2026-03-03', start, end });
    expect(wants(morning, slot('08:00', '08:30'))).toBe(true);
    expect(wants(morning, slot('11:30', '12:00'))).toBe(true);
    expect(wants(morning, slot('11:45', '12:15'))).toBe(false);
    expect(wants(morning, slot('07:30', '08:00'))).toBe(false);
    expect(wants(entry('22:00', '24:00'), slot('23:30', '24:00'))).toBe(true);
  });

  it('reads local terms from instants rendered in the clinic zone, a midnight end as 24:00', () => {
    expect(localSlot('2026-03-08T09:30:00-05:00', '2026-03-08T10:00:00-05:00')).toEqual({
      date: '2026-03-08',
      start: '09:30',
      end: '10:00',
    });
    expect(localSlot('2026-03-08T23:30:00+01:00', '2026-03-09T00:00:00+01:00')).toEqual({
      date: '2026-03-08',
      start: '23:30',
      end: '24:00',
    });
  });
});
