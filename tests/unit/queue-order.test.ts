import { describe, expect, it } from 'vitest';
import type { Status } from '../../src/booking/status-machine.js';
import { median, orderQueue, paceMs, type QueueEntry } from '../../src/queue/queue-order.js';

/** 2026-03-09 at hh:mm UTC, in epoch ms: the pure code only compares instants. */
const at = (hhmm: string, seconds = 0) => {
  const [h, m] = hhmm.split(':').map(Number);
  return Date.UTC(2026, 2, 9, h!, m!, seconds);
};
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

function entry(
  id: string,
  slot: string,
  status: Status,
  o: { arrived?: string; walkIn?: boolean; started?: string; completed?: string; slotMinutes?: number } = {},
): QueueEntry {
  return {
    appointmentId: id,
    slotStart: at(slot),
    slotEnd: at(slot) + (o.slotMinutes ?? 15) * 60_000,
    status,
    arrivedAt: o.arrived ? at(o.arrived) : null,
    walkIn: o.walkIn ?? false,
    startedAt: o.started ? at(o.started) : null,
    completedAt: o.completed ? at(o.completed) : null,
    ticket: null,
  };
}

/** The waiting line as [id, estimated start] in call order. */
const line = (q: ReturnType<typeof orderQueue>) =>
  q.waiting.map((w) => [w.entry.appointmentId, hhmm(w.estimatedStart)]);
const expectedLine = (q: ReturnType<typeof orderQueue>) =>
  q.expected.map((w) => [w.entry.appointmentId, hhmm(w.estimatedStart)]);

describe('orderQueue: who is called in which order', () => {
  it('ranks those who came on time by slot, then a late arrival (more than 15 minutes after their slot)', () => {
    const q = orderQueue(
      [
        entry('late', '09:15', 'checked_in', { arrived: '09:31' }), // 16 minutes after the slot
        entry('c', '09:30', 'checked_in', { arrived: '09:29' }),
        entry('a', '09:00', 'checked_in', { arrived: '08:55' }),
        entry('edge', '09:45', 'checked_in', { arrived: '10:00' }), // exactly 15 minutes: still on time
      ],
      { now: at('10:00'), slotMinutes: 15, delayMinutes: 0 },
    );
    // Doctor free at 10:00, 15 minutes each.
    expect(line(q)).toEqual([
      ['a', '10:00'],
      ['c', '10:15'],
      ['edge', '10:30'],
      ['late', '10:45'],
    ]);
    expect(q.waiting.map((w) => [w.position, w.late])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
  });

  it('a late arrival goes after an on-time patient with a later slot, and honours the grace setting', () => {
    const entries = [
      entry('late', '09:00', 'checked_in', { arrived: '09:20' }),
      entry('onTime', '09:40', 'checked_in', { arrived: '09:25' }),
    ];
    const q = orderQueue(entries, { now: at('09:30'), slotMinutes: 15, delayMinutes: 0 });
    // onTime is first but not before its slot (09:40); late follows at 09:55.
    expect(line(q)).toEqual([
      ['onTime', '09:40'],
      ['late', '09:55'],
    ]);
    // With a 30-minute grace, 20 minutes after the slot is on time: slot order again.
    const lenient = orderQueue(entries, {
      now: at('09:30'),
      slotMinutes: 15,
      delayMinutes: 0,
      graceMinutes: 30,
    });
    expect(line(lenient)).toEqual([
      ['late', '09:30'],
      ['onTime', '09:45'],
    ]);
  });

  it('walk-ins go by arrival, each at the gap it was fitted into, among booked patients by slot', () => {
    const q = orderQueue(
      [
        entry('w1', '10:30', 'checked_in', { walkIn: true, arrived: '09:40' }),
        // Arrived after w1 but fitted into an earlier gap (a cancellation): still after w1.
        entry('w2', '10:00', 'checked_in', { walkIn: true, arrived: '09:50' }),
        entry('b', '10:15', 'checked_in', { arrived: '10:00' }),
      ],
      { now: at('10:00'), slotMinutes: 15, delayMinutes: 0 },
    );
    // In line w2 stays behind w1, but the gap it was fitted into (10:00, before b's slot) is free and it
    // is seen there without delaying anyone ahead: b at its slot 10:15, w1 at its gap 10:30.
    expect(line(q)).toEqual([
      ['w2', '10:00'],
      ['b', '10:15'],
      ['w1', '10:30'],
    ]);
    // Without that gap (the doctor busy until 10:10), w2 waits its turn behind w1.
    const busy = orderQueue(
      [
        entry('w1', '10:30', 'checked_in', { walkIn: true, arrived: '09:40' }),
        entry('w2', '10:00', 'checked_in', { walkIn: true, arrived: '09:50' }),
        entry('b', '10:15', 'checked_in', { arrived: '10:00' }),
        entry('in', '09:55', 'in_consultation', { arrived: '09:50', started: '09:55' }),
      ],
      { now: at('10:00'), slotMinutes: 15, delayMinutes: 0 },
    );
    expect(line(busy)).toEqual([
      ['b', '10:15'],
      ['w1', '10:30'],
      ['w2', '10:45'],
    ]);
  });

  it('a late arrival is seen before a booked patient who has not come yet, who keeps their slot', () => {
    const q = orderQueue(
      [
        entry('late', '09:00', 'checked_in', { arrived: '09:30' }),
        entry('onTime', '09:30', 'checked_in', { arrived: '09:25' }),
        entry('later', '10:00', 'booked'),
      ],
      { now: at('09:30'), slotMinutes: 15, delayMinutes: 0 },
    );
    expect(line(q)).toEqual([
      ['onTime', '09:30'],
      ['late', '09:45'],
    ]);
    expect(expectedLine(q)).toEqual([['later', '10:00']]);
    expect(q.expected[0]!.overdue).toBe(false);
  });

  it('a booked patient past the grace period counts as a late arrival turning up now', () => {
    const q = orderQueue(
      [entry('missing', '09:00', 'booked'), entry('w', '09:30', 'checked_in', { arrived: '09:20' })],
      { now: at('09:30'), slotMinutes: 15, delayMinutes: 0 },
    );
    expect(line(q)).toEqual([['w', '09:30']]);
    expect(expectedLine(q)).toEqual([['missing', '09:45']]);
    expect(q.expected[0]!.overdue).toBe(true);
  });

  it('takes the latest started consultation as the current one and counts completed ones as done', () => {
    const q = orderQueue(
      [
        entry('forgotten', '08:00', 'in_consultation', { started: '08:00' }),
        entry('inside', '08:15', 'in_consultation', { started: '08:20' }),
        entry('done', '07:45', 'completed', { started: '07:45', completed: '07:58' }),
        entry('gone', '07:30', 'no_show'),
        entry('off', '07:15', 'cancelled'),
      ],
      { now: at('08:25'), slotMinutes: 15, delayMinutes: 0 },
    );
    expect(q.current?.appointmentId).toBe('inside');
    expect(q.done).toBe(1);
    expect(q.waiting).toEqual([]);
    expect(q.expected).toEqual([]);
  });
});

describe('orderQueue: estimated starts', () => {
  // Ten-minute slots; the doctor is running behind.
  const morning = [
    entry('e1', '08:00', 'completed', { started: '08:00', completed: '08:12' }), // 12 min
    entry('e2', '08:10', 'completed', { started: '08:12', completed: '08:30' }), // 18 min
    entry('e4', '08:30', 'checked_in', { arrived: '08:25' }),
    entry('e5', '08:40', 'checked_in', { arrived: '08:33' }),
  ];

  it('uses the slot length as the pace until three consultations are completed', () => {
    const q = orderQueue([...morning, entry('e3', '08:20', 'in_consultation', { started: '08:30' })], {
      now: at('08:35'),
      slotMinutes: 10,
      delayMinutes: 0,
    });
    expect(q.paceMs).toBe(10 * 60_000);
    // e3 is expected to end at 08:30 + 10; then 10 minutes each.
    expect(line(q)).toEqual([
      ['e4', '08:40'],
      ['e5', '08:50'],
    ]);
  });

  it('switches to the median of completed consultations at the third', () => {
    const q = orderQueue(
      [...morning, entry('e3', '08:20', 'completed', { started: '08:30', completed: '08:44' })], // 14 min
      { now: at('08:45'), slotMinutes: 10, delayMinutes: 0 },
    );
    // Median of 12, 18, 14 = 14: e4 now, e5 fourteen minutes later.
    expect(q.paceMs).toBe(14 * 60_000);
    expect(line(q)).toEqual([
      ['e4', '08:45'],
      ['e5', '08:59'],
    ]);
  });

  it('a consultation running over its pace is presumed to end now', () => {
    const q = orderQueue(
      [
        entry('inside', '08:00', 'in_consultation', { started: '08:00' }),
        entry('next', '08:15', 'checked_in', { arrived: '08:10' }),
      ],
      { now: at('08:40'), slotMinutes: 15, delayMinutes: 0 },
    );
    expect(line(q)).toEqual([['next', '08:40']]);
  });

  it('adds the declared delay to every estimate, including later expected patients', () => {
    const q = orderQueue(
      [
        entry('x', '09:50', 'checked_in', { arrived: '09:45' }),
        entry('y', '10:10', 'booked'),
        entry('z', '12:00', 'booked'),
      ],
      { now: at('10:00'), slotMinutes: 15, delayMinutes: 20 },
    );
    // Schedule time: x 10:00, y 10:15 (arrives 10:10, doctor free 10:15), z at its slot 12:00; all + 20.
    expect(line(q)).toEqual([['x', '10:20']]);
    expect(expectedLine(q)).toEqual([
      ['y', '10:35'],
      ['z', '12:20'],
    ]);
  });

  it('never estimates a start earlier than the slot time', () => {
    const q = orderQueue(
      [
        entry('early', '09:30', 'checked_in', { arrived: '08:50' }),
        entry('earlier', '09:35', 'checked_in', { arrived: '08:55' }),
      ],
      { now: at('09:00'), slotMinutes: 15, delayMinutes: 0 },
    );
    // The doctor is idle from 09:00, but early waits for 09:30; earlier follows a pace later.
    expect(line(q)).toEqual([
      ['early', '09:30'],
      ['earlier', '09:45'],
    ]);
    for (const w of q.waiting) expect(w.estimatedStart).toBeGreaterThanOrEqual(w.entry.slotStart);
  });

  it('rounds estimates up to the whole minute', () => {
    const q = orderQueue([entry('p', '10:00', 'checked_in', { arrived: '09:55' })], {
      now: at('10:00', 30),
      slotMinutes: 15,
      delayMinutes: 0,
    });
    expect(q.waiting[0]!.estimatedStart).toBe(at('10:01'));
  });
});

describe('paceMs and median', () => {
  it('takes the mean of the middle two for an even count and skips consultations without stamps', () => {
    expect(median([])).toBeUndefined();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([12, 18, 14, 16])).toBe(15);
    const completed = [
      entry('a', '08:00', 'completed', { started: '08:00', completed: '08:12' }),
      entry('b', '08:15', 'completed', { started: '08:15', completed: '08:33' }),
      entry('c', '08:30', 'completed', { started: '08:33', completed: '08:47' }),
      entry('d', '08:45', 'completed', { started: '08:47', completed: '09:03' }),
      entry('legacy', '09:00', 'completed'),
    ];
    expect(paceMs(completed, 20)).toBe(15 * 60_000);
    expect(paceMs(completed.slice(0, 2), 20)).toBe(20 * 60_000);
  });
});
