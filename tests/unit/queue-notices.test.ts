import { describe, expect, it } from 'vitest';
import { type CurrentEstimate, estimatesOf, noticesDue } from '../../src/queue/delay-notices.js';
import { orderQueue } from '../../src/queue/queue-order.js';

const at = (h: number, m: number) => Date.UTC(2026, 2, 9, h, m);
const estimate = (
  id: string,
  slot: number,
  est: number,
  status: CurrentEstimate['status'] = 'checked_in',
) => ({
  appointmentId: id,
  status,
  slotStart: slot,
  estimatedStart: est,
});

describe('noticesDue', () => {
  it('tells a patient never told before once the estimate is 10 minutes or more past their slot', () => {
    const notices = noticesDue(
      [estimate('nine', at(10, 0), at(10, 9)), estimate('ten', at(10, 0), at(10, 10))],
      new Map(),
    );
    expect(notices).toEqual([{ appointmentId: 'ten', estimatedStart: at(10, 10), previous: at(10, 0) }]);
  });

  it('compares with the last estimate told, so a drift of small steps sends one notice, not one per step', () => {
    const told = new Map<string, number>();
    const sent: number[] = [];
    // The estimate creeps later by 4 minutes at a time; each round records what was told.
    for (let step = 0; step <= 6; step++) {
      const current = at(10, 0) + step * 4 * 60_000;
      for (const n of noticesDue([estimate('p', at(10, 0), current)], told)) {
        sent.push(n.estimatedStart);
        told.set(n.appointmentId, n.estimatedStart);
      }
    }
    // 10:12 (first ≥ 10 from 10:00), then 10:24 (≥ 10 from 10:12).
    expect(sent).toEqual([at(10, 12), at(10, 24)]);
  });

  it('tells of an estimate moving earlier as well, and expected patients too', () => {
    const notices = noticesDue(
      [estimate('back', at(10, 0), at(10, 5), 'booked')],
      new Map([['back', at(10, 30)]]),
    );
    expect(notices).toEqual([{ appointmentId: 'back', estimatedStart: at(10, 5), previous: at(10, 30) }]);
  });

  it('tells nobody who is inside, done, cancelled or absent', () => {
    const far = at(12, 0);
    const notices = noticesDue(
      (['in_consultation', 'completed', 'cancelled', 'no_show'] as const).map((s) =>
        estimate(s, at(10, 0), far, s),
      ),
      new Map(),
    );
    expect(notices).toEqual([]);
  });

  it('takes a doctor queue’s waiting and expected patients (a declared delay of 20 minutes)', () => {
    const entry = (id: string, h: number, m: number, status: 'booked' | 'checked_in') => ({
      appointmentId: id,
      slotStart: at(h, m),
      slotEnd: at(h, m + 15),
      status,
      arrivedAt: status === 'checked_in' ? at(h, m - 5) : null,
      walkIn: false,
      startedAt: null,
      completedAt: null,
      ticket: null,
    });
    const queue = orderQueue([entry('w', 10, 0, 'checked_in'), entry('e', 11, 0, 'booked')], {
      now: at(10, 0),
      slotMinutes: 15,
      delayMinutes: 20,
    });
    const notices = noticesDue(estimatesOf(queue), new Map([['e', at(11, 15)]]));
    // w: 10:20 against its slot 10:00 → told; e: 11:20 against the 11:15 it was told → not yet.
    expect(notices.map((n) => n.appointmentId)).toEqual(['w']);
  });
});
