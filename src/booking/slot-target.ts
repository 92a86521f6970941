import type { Principal } from '../auth/principal.js';
import { AppError, validationFailed } from '../errors.js';
import type { BookingDeps } from './appointment-writes.js';
import type { Hold } from './holds.store.js';
import { assertTypeAllowed } from './type-rules.js';

/**
 * Resolves `{holdId}` or `{start}` for a doctor to a bookable slot, and the caller's hold on it if any.
 * Someone else's hold is refused from Redis alone, before any Postgres work; the slot itself is checked
 * against the doctor's schedule (schedule.slotAt).
 */
export async function slotTarget(
  { sql, holds, schedule }: Pick<BookingDeps, 'sql' | 'holds' | 'schedule'>,
  principal: Principal,
  doctorId: string | undefined,
  input: { holdId: string } | { start: number; typeId?: string | undefined },
  /** The type the slot must be of (a reschedule keeps its appointment's type). */
  fixedTypeId?: string,
) {
  let hold: Hold | undefined;
  let start: number;
  if ('holdId' in input) {
    hold = await holds.own(principal, input.holdId);
    if (doctorId && hold.doctorId !== doctorId)
      throw new AppError('hold_expired', 'This hold is for another doctor');
    start = hold.start;
  } else {
    start = input.start;
    hold = await holds.ownOnSlot(principal, doctorId!, start);
  }
  const field = 'holdId' in input ? 'body.holdId' : 'body.start';
  const forDoctor = doctorId ?? hold!.doctorId;
  const typeId = fixedTypeId ?? (hold ? hold.typeId : 'typeId' in input ? input.typeId : undefined);
  if (fixedTypeId && hold?.typeId && hold.typeId !== fixedTypeId)
    throw validationFailed([{ path: field, message: 'holds a slot of another appointment type' }]);
  const slot = await schedule.slotAt(forDoctor, start, field, typeId);
  await assertTypeAllowed(sql, principal, forDoctor, slot.type);
  return { doctorId: forDoctor, slot, hold };
}
