import type { Candidate } from './waitlist.store.js';

/** A slot in its clinic's local terms: date YYYY-MM-DD, start and end HH:MM (an end at midnight is 24:00). */
export interface LocalSlot {
  date: string;
  start: string;
  end: string;
}

/** Does a waiting entry want this slot? Its dates include the slot's, and its time window (if any) holds it. */
export function wants(c: Candidate, s: LocalSlot): boolean {
  if (s.date < c.fromDate || s.date > c.toDate) return false;
  if (!c.timeStart || !c.timeEnd) return true;
  return c.timeStart <= s.start && s.end <= c.timeEnd;
}

/** The local terms of a slot from its instants rendered in the clinic's zone (2026-03-08T09:30:00+01:00). */
export function localSlot(startIso: string, endIso: string): LocalSlot {
  const date = startIso.slice(0, 10);
  const end = endIso.slice(0, 10) > date ? '24:00' : endIso.slice(11, 16);
  return { date, start: startIso.slice(11, 16), end };
}
