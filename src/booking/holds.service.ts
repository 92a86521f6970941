import type { Principal } from '../auth/principal.js';
import { AppError, notFound } from '../errors.js';
import type { Publisher } from '../events/publisher.js';
import type { Sql } from '../infra/postgres.js';
import { singleFlight } from '../infra/single-flight.js';
import type { ScheduleService } from '../schedule/schedule.service.js';
import { slotTaken } from './booking.store.js';
import { publishSlotHeld, publishSlotReleased } from './hold-events.js';
import type { Hold, HoldStore } from './holds.store.js';
import { assertTypeAllowed } from './type-rules.js';

/** A patient holds at most this many slots at once. */
export const MAX_HOLDS_PER_PATIENT = 2;

/** The timer that tells the slot's watchers when a hold lapses (jobs/hold-expiry.queue.ts implements it). */
export interface HoldExpiry {
  schedule(hold: Hold): Promise<unknown>;
  cancel(holdId: string): Promise<unknown>;
}

export interface HoldDeps {
  sql: Sql;
  holds: HoldStore;
  schedule: ScheduleService;
  expiry: HoldExpiry;
  publisher: Publisher;
  holdTtlSeconds: number;
}

export type HoldService = ReturnType<typeof createHoldService>;

const slotHeld = () =>
  new AppError('slot_held', 'Someone is holding this slot; try another or check back in a few minutes');

export function holdView(h: Hold) {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    holdId: h.holdId,
    doctorId: h.doctorId,
    start: iso(h.start),
    end: iso(h.end),
    expiresAt: iso(h.expiresAt),
    ...(h.typeId ? { typeId: h.typeId } : {}),
  };
}

export function createHoldService({ sql, holds, schedule, expiry, publisher, holdTtlSeconds }: HoldDeps) {
  /** Concurrent holds on one slot share one "is it booked?" read. */
  const sharedTakenRead = singleFlight<string, boolean>();
  return {
    /** Holds a slot for HOLD_TTL_SECONDS. Holding a slot you already hold returns that hold. */
    async place(
      principal: Principal,
      input: { doctorId: string; start: number; typeId?: string | undefined },
    ): Promise<Hold> {
      // A slot someone else holds was validated when it was held: refuse from Redis alone, before any
      // Postgres work (a crowd on one popular slot is mostly this case).
      const own = await this.ownOnSlot(principal, input.doctorId, input.start);
      if (own) return own;
      const slot = await schedule.slotAt(input.doctorId, input.start, 'body.start', input.typeId);
      await assertTypeAllowed(sql, principal, input.doctorId, slot.type);
      const taken = await sharedTakenRead(`${input.doctorId} ${slot.start} ${slot.end}`, () =>
        slotTaken(sql, input.doctorId, slot.start, slot.end),
      );
      if (taken) throw new AppError('slot_taken', 'This slot is already booked');
      const result = await holds.place({
        doctorId: input.doctorId,
        patientId: principal.userId,
        start: slot.start,
        end: slot.end,
        ttlMs: holdTtlSeconds * 1000,
        maxPerPatient: MAX_HOLDS_PER_PATIENT,
        typeId: slot.type.id,
      });
      if (!result.ok) {
        if (result.reason === 'too_many_holds') {
          throw new AppError(
            'too_many_holds',
            `You can hold at most ${MAX_HOLDS_PER_PATIENT} slots at once; release one first`,
          );
        }
        const existing = await holds.get(result.holdId);
        if (existing?.patientId === principal.userId) return existing;
        throw slotHeld();
      }
      await expiry.schedule(result.hold);
      publishSlotHeld(publisher, result.hold);
      return result.hold;
    },

    /** The caller's live hold, or 410 hold_expired (someone else's hold looks the same: gone). */
    async own(principal: Principal, holdId: string): Promise<Hold> {
      const hold = await holds.get(holdId);
      if (!hold || hold.patientId !== principal.userId)
        throw new AppError('hold_expired', 'This hold has expired or is not yours');
      return hold;
    },

    async release(principal: Principal, holdId: string): Promise<void> {
      const hold = await holds.get(holdId);
      if (!hold || hold.patientId !== principal.userId) throw notFound('Hold');
      await this.consume(hold);
      publishSlotReleased(publisher, hold);
    },

    /** Removes a hold and its expiry job (after a booking used it, or on release). */
    async consume(hold: Hold): Promise<void> {
      await holds.remove(hold);
      await expiry.cancel(hold.holdId);
    },

    /**
     * The caller's own live hold on a slot, if any; 409 slot_held when someone else holds it. One GET
     * decides the refusal, so a crowd on a held slot never reaches Postgres.
     */
    async ownOnSlot(principal: Principal, doctorId: string, start: number): Promise<Hold | undefined> {
      const holder = await holds.holderOf(doctorId, start);
      if (!holder) return undefined;
      if (holder.patientId !== principal.userId) throw slotHeld();
      // Ours; the hold itself may just have lapsed with its lock.
      return holds.get(holder.holdId);
    },
  };
}
