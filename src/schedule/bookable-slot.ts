import { AppError, notFound, validationFailed } from '../errors.js';
import { singleFlight } from '../infra/single-flight.js';
import { type AppointmentType, chooseType, shapeInput, slotShape } from './appointment-types.js';
import type { DoctorSchedule } from './schedule.store.js';
import { generateSlots, type Interval } from './slot-generation.js';
import type { SlotSchedule, SlotScheduleCache } from './slot-schedule-cache.js';
import { localDateOf } from './zone-offsets.js';

/**
 * "Is this slot bookable?", asked by every hold and booking through ScheduleService.slotAt: the doctor's
 * rules offer a slot starting exactly there, inside the bookable window and not in time off. Whether it
 * is taken is not checked here: Postgres decides that.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A slot a doctor offers, its type, and the schedule version it was found in (see migrations/0009). */
export interface BookableSlot extends Interval {
  scheduleVersion: number;
  type: AppointmentType;
}

/** The bookable window: from now + minimum notice to the horizon. */
export function bookableWindow(s: DoctorSchedule, now: number) {
  return { notBefore: now + s.minNoticeMinutes * MINUTE, notAfter: now + s.horizonDays * DAY };
}

/** The slot of `schedule` starting exactly at `start`, or why there is none. */
function slotIn(
  { timeOff, ...schedule }: SlotSchedule,
  start: number,
  now: number,
  type: AppointmentType,
): BookableSlot | string {
  const { notBefore, notAfter } = bookableWindow(schedule, now);
  const shape = slotShape(type, schedule.bufferMinutes);
  if (start < notBefore) return `must be at least ${schedule.minNoticeMinutes} minutes from now`;
  if (start >= notAfter) return `is beyond the booking horizon of ${schedule.horizonDays} days`;
  const date = localDateOf(start, schedule.timezone);
  const slot = generateSlots({
    rules: schedule.rules,
    timeZone: schedule.timezone,
    from: date,
    to: date,
    ...shapeInput(shape),
    timeOff,
  }).find((s) => s.start === start);
  if (!slot) return `is not the start of a slot of this doctor for "${type.name}"`;
  return { start: slot.start, end: slot.end, scheduleVersion: schedule.scheduleVersion, type };
}

/**
 * The check slotAt runs, against schedules remembered in `schedules`: the bookable slot, or 404 for an
 * unknown doctor and 400 naming `field` otherwise.
 */
export function bookableSlotCheck(schedules: SlotScheduleCache) {
  /** Concurrent checks of one slot (a crowd holding or booking it) share one generation. */
  const sharedSlotCheck = singleFlight<string, BookableSlot>();

  /**
   * The check, unshared. A refusal found in a remembered schedule is confirmed against a fresh one: the
   * slot may have opened since (a new rule, time off removed, here or in another hub process).
   */
  async function findSlot(
    doctorId: string,
    start: number,
    field: string,
    typeId: string | undefined,
  ): Promise<BookableSlot> {
    const fail = (msg: string) =>
      validationFailed([{ path: field, message: msg }], `This slot cannot be booked: ${msg}`);
    if (start < Date.now()) throw fail('is in the past');
    // A type the remembered schedule does not know may have just been added: it is looked for again.
    const check = (schedule: SlotSchedule): BookableSlot | AppError => {
      if (typeId && !schedule.types.some((t) => t.id === typeId)) return notFound('Appointment type');
      const found = slotIn(schedule, start, Date.now(), chooseType(schedule.types, typeId));
      return typeof found === 'string' ? fail(found) : found;
    };
    const remembered = await schedules.get(doctorId);
    const found = check(remembered.schedule);
    if (!(found instanceof AppError)) return found;
    if (!remembered.fromMemory) throw found;
    schedules.forget(doctorId);
    const again = check((await schedules.get(doctorId)).schedule);
    if (again instanceof AppError) throw again;
    return again;
  }

  return (doctorId: string, start: number, field: string, typeId?: string): Promise<BookableSlot> =>
    sharedSlotCheck(`${doctorId} ${start} ${field} ${typeId ?? ''}`, () =>
      findSlot(doctorId, start, field, typeId),
    );
}
