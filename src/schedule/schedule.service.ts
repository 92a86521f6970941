import { createHash } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import { forbidden, notFound } from '../errors.js';
import { message, type RoomMessage } from '../events/event-types.js';
import { appendEvents, lastEventId } from '../events/outbox.js';
import { rooms } from '../events/rooms.js';
import type { Sql } from '../infra/postgres.js';
import { type Tx, transaction } from '../infra/transaction.js';
import { chooseType, type SlotShape, shapeInput, slotShape } from './appointment-types.js';
import { type BookableSlot, bookableSlotCheck, bookableWindow } from './bookable-slot.js';
import type { HeldSlots } from './held-slots.js';
import type { AvailabilityInput } from './schedule.schemas.js';
import * as store from './schedule.store.js';
import { BoardCache, buildBoard, renderBoard } from './slot-board.js';
import { generateSlots, type HoldInterval, localDateRange } from './slot-generation.js';
import { loadFrom, SlotScheduleCache } from './slot-schedule-cache.js';
import { formatInstant } from './zone-offsets.js';

export type ScheduleService = ReturnType<typeof createScheduleService>;
export type { BookableSlot } from './bookable-slot.js';
export type { DoctorSchedule } from './schedule.store.js';

/** Availability, time off, and the slot board of a doctor. */
export function createScheduleService({ sql, holds }: { sql: Sql; holds: HeldSlots }) {
  const boards = new BoardCache();
  const slotSchedules = new SlotScheduleCache(loadFrom(sql));
  const checkSlot = bookableSlotCheck(slotSchedules);

  async function scheduleOf(doctorId: string): Promise<store.DoctorSchedule> {
    const schedule = await store.findSchedule(sql, doctorId);
    if (!schedule) throw notFound('Doctor');
    return schedule;
  }

  /** The doctor themself or an admin. */
  async function manageable(principal: Principal, doctorId: string): Promise<store.DoctorSchedule> {
    const schedule = await scheduleOf(doctorId);
    if (principal.role !== 'admin' && schedule.userId !== principal.userId) {
      throw forbidden("Only this doctor or an admin may change the doctor's schedule");
    }
    return schedule;
  }

  /**
   * The doctor's slots of one type (default: the default type) for local dates [from, to] with their
   * time off, bookings and the given holds.
   */
  async function slotsWithBookings(
    schedule: store.DoctorSchedule,
    from: string,
    to: string,
    holds: HoldInterval[],
    shape: SlotShape = slotShape(chooseType(schedule.types, undefined), schedule.bufferMinutes),
  ) {
    const range = localDateRange(from, to, schedule.timezone);
    const [timeOff, booked] = await Promise.all([
      store.timeOffIn(sql, schedule.doctorId, range),
      store.bookedIn(sql, schedule.doctorId, range),
    ]);
    const slots = generateSlots({
      rules: schedule.rules,
      timeZone: schedule.timezone,
      from,
      to,
      ...shapeInput(shape),
      timeOff,
      booked,
      holds,
    });
    return { slots, booked };
  }

  function availabilityView(s: store.DoctorSchedule) {
    return {
      doctorId: s.doctorId,
      timezone: s.timezone,
      bufferMinutes: s.bufferMinutes,
      rules: s.rules.map((r) => ({ ...r, validFrom: r.validFrom ?? null, validTo: r.validTo ?? null })),
    };
  }

  const changed = (doctorId: string) => message(rooms.slots(doctorId), 'availability.changed', { doctorId });

  return {
    scheduleOf,

    async getAvailability(doctorId: string) {
      return availabilityView(await scheduleOf(doctorId));
    },

    async putAvailability(principal: Principal, doctorId: string, input: AvailabilityInput) {
      await manageable(principal, doctorId);
      await transaction(sql, async (tx) => {
        await store.replaceRules(tx, doctorId, input.rules, input.bufferMinutes);
        await appendEvents(tx, [changed(doctorId)]);
      });
      slotSchedules.forget(doctorId);
      return availabilityView(await scheduleOf(doctorId));
    },

    /**
     * Adds time off. `overBookings` runs first in the same transaction (booking's rule for the appointments
     * inside it: refuse, or cancel them) and returns the messages that tell of what it did.
     */
    async addTimeOff(
      principal: Principal,
      doctorId: string,
      input: { start: number; end: number; reason?: string | undefined },
      overBookings?: (tx: Tx) => Promise<RoomMessage[]>,
    ) {
      const schedule = await manageable(principal, doctorId);
      const row = await transaction(sql, async (tx) => {
        const told = overBookings ? await overBookings(tx) : [];
        const inserted = await store.insertTimeOff(tx, {
          doctorId,
          start: input.start,
          end: input.end,
          reason: input.reason ?? null,
        });
        await appendEvents(tx, [...told, changed(doctorId)]);
        return inserted;
      });
      slotSchedules.forget(doctorId);
      return timeOffView(row, schedule.timezone);
    },

    async deleteTimeOff(principal: Principal, doctorId: string, timeOffId: string): Promise<void> {
      await manageable(principal, doctorId);
      const deleted = await transaction(sql, async (tx) => {
        const found = await store.deleteTimeOff(tx, doctorId, timeOffId);
        if (found) await appendEvents(tx, [changed(doctorId)]);
        return found;
      });
      slotSchedules.forget(doctorId);
      if (!deleted) throw notFound('Time off');
    },

    async listTimeOff(principal: Principal, doctorId: string) {
      const schedule = await manageable(principal, doctorId);
      const rows = await store.listTimeOff(sql, doctorId, Date.now());
      return rows.map((r) => timeOffView(r, schedule.timezone));
    },

    /**
     * The slot board for local dates [from, to]: every bookable slot with free/held/booked. The caller's
     * own holds carry their holdId. `revision` changes with any change to availability, appointments
     * (both reach the doctor's slots room in the outbox) or holds.
     */
    async slots(
      doctorId: string,
      query: { from: string; to: string; type?: string | undefined },
      viewer: Principal | undefined,
    ): Promise<string> {
      const { from, to } = query;
      const schedule = await scheduleOf(doctorId);
      const shape = slotShape(chooseType(schedule.types, query.type), schedule.bufferMinutes);
      const [live, lastId] = await Promise.all([
        holds.listForDoctor(doctorId, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY),
        lastEventId(sql, rooms.slots(doctorId)),
      ]);
      const holdIds = live.map((h) => h.holdId).sort();
      const revision = createHash('sha256')
        .update(`${lastId}|${holdIds.join(',')}`)
        .digest('base64url')
        .slice(0, 16);
      // Rules, type, buffer and zone are in the key too: a profile edit changes them without an event.
      const key = `${doctorId}|${from}|${to}|${revision}|${schedule.timezone}|${JSON.stringify(shape)}|${JSON.stringify(schedule.rules)}`;
      let board = boards.get(key);
      if (!board) {
        const holdsOn = live.map((h) => ({
          start: h.start,
          end: h.end,
          holdId: h.holdId,
          holderId: h.patientId,
        }));
        const { slots } = await slotsWithBookings(schedule, from, to, holdsOn, shape);
        board = buildBoard(slots, schedule.timezone);
        boards.set(key, board);
      }
      return renderBoard(board, { doctorId, revision }, bookableWindow(schedule, Date.now()), viewer?.userId);
    },

    /**
     * One local day of the doctor's schedule as the front desk sees it: every slot the rules offer outside
     * time off, free, held or booked, with no notice period (the desk places walk-ins into what is free
     * now, never into a slot a patient is holding), with the schedule version they were generated from.
     */
    async daySlots(doctorId: string, date: string) {
      const schedule = await scheduleOf(doctorId);
      const live = await holds.listForDoctor(doctorId, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
      const held = live.map((h) => ({ start: h.start, end: h.end, holdId: h.holdId, holderId: h.patientId }));
      return { schedule, ...(await slotsWithBookings(schedule, date, date, held)) };
    },

    /**
     * The slot starting exactly at `start`, if the doctor's rules offer it, it is inside the bookable
     * window and not in time off. Whether it is taken is not checked here: Postgres decides that. Throws
     * 404 for an unknown doctor, 400 naming `field` otherwise.
     *
     * The schedule comes from memory (SlotScheduleCache), so the answer carries the schedule version it
     * was checked against: a booking writes only while that version is current, and otherwise calls
     * `forget` and checks again. Callers checking the same slot at the same time share one check. The
     * check itself is in bookable-slot.ts.
     */
    slotAt(doctorId: string, start: number, field: string, typeId?: string): Promise<BookableSlot> {
      return checkSlot(doctorId, start, field, typeId);
    },

    /** Drops the remembered schedule of a doctor: it changed, or a booking found it out of date. */
    forget(doctorId: string): void {
      slotSchedules.forget(doctorId);
    },
  };
}

function timeOffView(r: store.TimeOffRow, timeZone: string) {
  return {
    id: r.id,
    doctorId: r.doctorId,
    start: formatInstant(r.start, timeZone),
    end: formatInstant(r.end, timeZone),
    reason: r.reason,
  };
}
