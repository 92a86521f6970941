import { describe, expect, it } from 'vitest';
import {
  type Action,
  canTransition,
  STATUSES,
  type Status,
  TRANSITIONS,
} from '../../src/booking/status-machine.js';

/**
 * The appointment lifecycle, written out cell by cell: for every action and every status, where the
 * appointment goes, or null when the action is refused (409 invalid_transition).
 */
const TABLE: Record<Action, Record<Status, Status | null>> = {
  check_in: {
    booked: 'checked_in',
    checked_in: null,
    in_consultation: null,
    completed: null,
    cancelled: null,
    no_show: null,
  },
  start: {
    // A doctor may call in a patient the front desk has not checked in yet.
    booked: 'in_consultation',
    checked_in: 'in_consultation',
    in_consultation: null,
    completed: null,
    cancelled: null,
    no_show: null,
  },
  complete: {
    booked: null,
    checked_in: null,
    in_consultation: 'completed',
    completed: null,
    cancelled: null,
    no_show: null,
  },
  no_show: {
    booked: 'no_show',
    checked_in: null,
    in_consultation: null,
    completed: null,
    cancelled: null,
    no_show: null,
  },
  cancel: {
    booked: 'cancelled',
    checked_in: 'cancelled',
    in_consultation: null,
    completed: null,
    cancelled: null,
    no_show: null,
  },
};

const ACTIONS = Object.keys(TABLE) as Action[];
const cells = ACTIONS.flatMap((action) =>
  STATUSES.map((from) => ({ action, from, to: TABLE[action][from] })),
);

/** What the front desk's button does: the next status, or null when the action is refused. */
function press(action: Action, from: Status): Status | null {
  return canTransition(action, from) ? TRANSITIONS[action].to : null;
}

describe('an appointment moves through its lifecycle only along the table', () => {
  it('knows exactly these statuses and actions', () => {
    expect([...STATUSES].sort()).toEqual(
      ['booked', 'cancelled', 'checked_in', 'completed', 'in_consultation', 'no_show'].sort(),
    );
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ACTIONS].sort());
  });

  it.each(cells)('$action on a $from appointment → $to', ({ action, from, to }) => {
    expect(canTransition(action, from)).toBe(to !== null);
    expect(press(action, from)).toBe(to);
  });

  it('a visit goes booked → checked_in → in_consultation → completed', () => {
    const visited: Status[] = ['booked'];
    for (const action of ['check_in', 'start', 'complete'] as const) {
      const next = press(action, visited.at(-1)!);
      expect(next, `${action} from ${visited.at(-1)}`).not.toBeNull();
      visited.push(next!);
    }
    expect(visited).toEqual(['booked', 'checked_in', 'in_consultation', 'completed']);
  });

  it('a patient who has checked in can still cancel, but not once the consultation has started', () => {
    expect(press('cancel', 'checked_in')).toBe('cancelled');
    expect(press('cancel', 'in_consultation')).toBeNull();
  });

  it('only a booked appointment can be marked no-show; a checked-in patient did show', () => {
    expect(STATUSES.filter((s) => canTransition('no_show', s))).toEqual(['booked']);
  });

  it.each(['completed', 'cancelled', 'no_show'] as const)('%s is final: no action moves it', (status) => {
    expect(ACTIONS.filter((action) => canTransition(action, status))).toEqual([]);
  });
});
