import { type Hold, type HoldStore, newHold } from './holds.store.js';

/**
 * Holds in this process's memory, for the single-process embedded mode: the same contract as the Redis
 * store (exclusive per slot, at most N live per patient, gone at their TTL). Every method runs without
 * awaiting in between, so each is atomic the way the Redis store's Lua is.
 */
export function createMemoryHoldStore(now: () => number = Date.now): HoldStore {
  const holds = new Map<string, Hold>();
  /** "<doctorId> <start>" → holdId: the lock on the slot. */
  const slots = new Map<string, string>();
  const slotKey = (doctorId: string, start: number) => `${doctorId} ${start}`;

  /** The hold if it is still live; a lapsed one is dropped with its lock. */
  const live = (holdId: string): Hold | undefined => {
    const hold = holds.get(holdId);
    if (hold && hold.expiresAt <= now()) {
      drop(hold);
      return undefined;
    }
    return hold;
  };
  const drop = (hold: Hold) => {
    holds.delete(hold.holdId);
    const key = slotKey(hold.doctorId, hold.start);
    if (slots.get(key) === hold.holdId) slots.delete(key);
  };
  const holderId = (doctorId: string, start: number) => {
    const id = slots.get(slotKey(doctorId, start));
    return id && live(id) ? id : undefined;
  };

  return {
    async place(p) {
      // live() first: the scan also drops every lapsed hold, so the map never grows past the live ones.
      const mine = [...holds.values()].filter((h) => live(h.holdId) && h.patientId === p.patientId);
      if (mine.length >= p.maxPerPatient) return { ok: false, reason: 'too_many_holds' };
      const taken = holderId(p.doctorId, p.start);
      if (taken) return { ok: false, reason: 'slot_held', holdId: taken };
      const hold = newHold(p, now());
      holds.set(hold.holdId, hold);
      slots.set(slotKey(p.doctorId, p.start), hold.holdId);
      return { ok: true, hold };
    },
    async get(holdId) {
      return live(holdId);
    },
    async holderOf(doctorId, start) {
      const id = holderId(doctorId, start);
      const hold = id ? holds.get(id) : undefined;
      return hold && { holdId: hold.holdId, patientId: hold.patientId };
    },
    async remove(hold) {
      const found = live(hold.holdId);
      if (found) drop(found);
      return found;
    },
    async listForDoctor(doctorId, from, to) {
      return [...holds.values()].filter(
        (h) => h.doctorId === doctorId && h.start >= from && h.start < to && live(h.holdId),
      );
    },
    async isLive(holdId) {
      return live(holdId) !== undefined;
    },
  };
}
