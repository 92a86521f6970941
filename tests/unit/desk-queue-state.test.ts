import { describe, expect, it } from 'vitest';
import type { DoctorQueueView, QueueView } from '../../src/events/queue-event-data.js';
import { withEvent, withFetched } from '../../src/web/desk/queue-state.js';

const row = (doctorId: string, done: number): DoctorQueueView => ({
  doctorId,
  name: `Dr. ${doctorId}`,
  delayMinutes: 0,
  paceMinutes: 15,
  current: null,
  waiting: [],
  expected: [],
  done,
});

const view = (revision: number, doctors: DoctorQueueView[], date = '2030-01-07'): QueueView => ({
  clinicId: 'c',
  date,
  timezone: 'Etc/GMT-3',
  revision,
  doctors,
});

const event = (revision: number, doctor: DoctorQueueView, date = '2030-01-07') => ({
  clinicId: 'c',
  date,
  revision,
  doctor,
});

/** The desk's copy of the day: rows replaced only by something newer, whatever order things arrive in. */
describe('the desk queue state', () => {
  it('an event replaces only its doctor, and only when newer than that row', () => {
    const s = withFetched(undefined, view(5, [row('a', 0), row('b', 0)]));
    const s1 = withEvent(s, event(6, row('a', 1)));
    expect(s1).not.toBe('reload');
    const q = s1 as Exclude<typeof s1, 'reload' | undefined>;
    expect(q.doctors.map((d) => d.done)).toEqual([1, 0]);
    expect(withEvent(q, event(6, row('a', 9)))).toBe(q); // a duplicate
    expect(withEvent(q, event(4, row('b', 9)))).toBe(q); // older than the GET
  });

  it('a late GET does not undo a newer event; an equal or newer GET refreshes', () => {
    const s = withFetched(undefined, view(5, [row('a', 0), row('b', 0)]));
    const q = withEvent(s, event(7, row('a', 2))) as NonNullable<ReturnType<typeof withFetched>>;
    const late = withFetched(q, view(6, [row('a', 1), row('b', 1)]));
    expect(late.doctors.map((d) => d.done)).toEqual([2, 1]);
    const fresh = withFetched(late, view(7, [row('a', 2), row('b', 1), row('c', 0)]));
    expect(fresh.doctors.map((d) => d.doctorId)).toEqual(['a', 'b', 'c']);
    expect(fresh.revisions).toEqual({ a: 7, b: 7, c: 7 });
  });

  it('a doctor seen first in an event is added; another day means load again', () => {
    const s = withFetched(undefined, view(1, [row('a', 0)]));
    const added = withEvent(s, event(2, row('b', 0)));
    expect(added !== 'reload' && added?.doctors.map((d) => d.doctorId)).toEqual(['a', 'b']);
    expect(withEvent(s, event(1, row('a', 0), '2030-01-08'))).toBe('reload');
    expect(withEvent(s, event(9, row('a', 3), '2030-01-06'))).toBe(s);
    expect(withFetched(s, view(9, [row('a', 3)], '2030-01-06'))).toBe(s);
    expect(withFetched(s, view(0, [row('a', 3)], '2030-01-08')).date).toBe('2030-01-08');
    expect(withEvent(undefined, event(1, row('a', 0)))).toBeUndefined();
  });
});
