import { AppError } from '../errors.js';

/** Appointment states: booked → checked_in → in_consultation → completed; cancelled; no_show. */
export const STATUSES = [
  'booked',
  'checked_in',
  'in_consultation',
  'completed',
  'cancelled',
  'no_show',
] as const;
export type Status = (typeof STATUSES)[number];

/** Each action, the states it may start from, and where it leads. Everything else is 409 invalid_transition. */
export const TRANSITIONS = {
  check_in: { from: ['booked'], to: 'checked_in' },
  start: { from: ['booked', 'checked_in'], to: 'in_consultation' },
  complete: { from: ['in_consultation'], to: 'completed' },
  no_show: { from: ['booked'], to: 'no_show' },
  cancel: { from: ['booked', 'checked_in'], to: 'cancelled' },
} as const satisfies Record<string, { from: readonly Status[]; to: Status }>;

export type Action = keyof typeof TRANSITIONS;

export function canTransition(action: Action, from: Status): boolean {
  return (TRANSITIONS[action].from as readonly Status[]).includes(from);
}

/** 409 invalid_transition, saying what was tried from which state. */
export function invalidTransition(action: string, status: string): AppError {
  return new AppError(
    'invalid_transition',
    `Cannot ${action.replace('_', '-')} an appointment that is ${status.replace('_', ' ')}`,
  );
}
