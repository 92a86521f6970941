import { AppError } from '../errors.js';
import type { ScheduleService } from '../schedule/schedule.service.js';

/**
 * Thrown inside a booking's or move's transaction when its write found the doctor's schedule at another
 * version than the one its slot was checked against (migrations/0009); the transaction rolls back.
 */
export class ScheduleChanged extends Error {
  constructor(readonly doctorId: string) {
    super(`the schedule of doctor ${doctorId} changed while booking`);
  }
}

/** How many times a booking is checked and written again when the schedule keeps changing under it. */
const TRIES = 3;

/**
 * Runs a booking or a move whose slot was checked against the doctor's schedule as this process
 * remembers it. When the write finds the schedule changed since (ScheduleChanged), the remembered one is
 * dropped and the whole attempt (check and write) runs again against the current schedule.
 */
export async function retryOnScheduleChange<T>(
  schedule: Pick<ScheduleService, 'forget'>,
  attempt: () => Promise<T>,
): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof ScheduleChanged)) throw err;
      schedule.forget(err.doctorId);
      if (tries === TRIES)
        throw new AppError('conflict', "The doctor's schedule is being changed right now; try again");
    }
  }
}
