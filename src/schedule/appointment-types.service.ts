import type { Principal } from '../auth/principal.js';
import { AppError, forbidden, notFound, validationFailed } from '../errors.js';
import { message } from '../events/event-types.js';
import { appendEvents } from '../events/outbox.js';
import { rooms } from '../events/rooms.js';
import type { Db, Sql } from '../infra/postgres.js';
import { transaction } from '../infra/transaction.js';
import type { AppointmentTypeInput, AppointmentTypePatchInput } from './appointment-types.schemas.js';
import * as store from './appointment-types.store.js';
import type { ScheduleService } from './schedule.service.js';

export type AppointmentTypeService = ReturnType<typeof createAppointmentTypeService>;

/** The fields the default type keeps open (it follows the weekly rules, buffer and profile fee). */
const FOLLOWED = ['durationMinutes', 'feeCents', 'currency', 'bufferMinutes'] as const;

/** A doctor's appointment types: listed for patients, managed by the doctor, clinic staff and admins. */
export function createAppointmentTypeService({ sql, schedule }: { sql: Sql; schedule: ScheduleService }) {
  /** True when the caller manages the doctor's types: the doctor, their clinic's staff, an admin. */
  async function manages(principal: Principal | undefined, doctorId: string): Promise<boolean> {
    const doctor = await schedule.scheduleOf(doctorId);
    if (!principal) return false;
    return (
      principal.role === 'admin' ||
      (principal.role === 'doctor' && doctor.userId === principal.userId) ||
      (principal.role === 'staff' && doctor.clinicId === principal.clinicId)
    );
  }

  async function mustManage(principal: Principal, doctorId: string): Promise<void> {
    if (!(await manages(principal, doctorId)))
      throw forbidden("Only the doctor, their clinic's staff or an admin manage appointment types");
  }

  /** Writes, tells the slot board's watchers, and drops the remembered schedule. */
  async function write<T>(doctorId: string, fn: (tx: Db) => Promise<T>): Promise<T> {
    const out = await transaction(sql, async (tx) => {
      const result = await fn(tx);
      await appendEvents(tx, [message(rooms.slots(doctorId), 'availability.changed', { doctorId })]);
      return result;
    });
    schedule.forget(doctorId);
    return out;
  }

  async function view(doctorId: string, typeId: string) {
    const found = await store.findType(sql, doctorId, typeId);
    if (!found || found.archived) throw notFound('Appointment type');
    const { archived: _, ...type } = found;
    return type;
  }

  return {
    /** Online-bookable types for anyone; every type for those who manage them. */
    async list(principal: Principal | undefined, doctorId: string) {
      const all = await manages(principal, doctorId);
      return store.listTypes(sql, doctorId, !all);
    },

    async create(principal: Principal, doctorId: string, input: AppointmentTypeInput) {
      await mustManage(principal, doctorId);
      const id = await write(doctorId, (tx) => store.insertType(tx, doctorId, input));
      return view(doctorId, id);
    },

    async update(principal: Principal, doctorId: string, typeId: string, input: AppointmentTypePatchInput) {
      await mustManage(principal, doctorId);
      const existing = await store.findType(sql, doctorId, typeId);
      if (!existing || existing.archived) throw notFound('Appointment type');
      if (existing.isDefault) {
        const set = FOLLOWED.filter((f) => input[f] !== undefined);
        if (set.length > 0) {
          throw validationFailed(
            set.map((f) => ({
              path: `body.${f}`,
              message: "the default type follows the doctor's weekly rules, buffer and fee: change those",
            })),
          );
        }
      }
      await write(doctorId, (tx) => store.updateType(tx, doctorId, typeId, input));
      return view(doctorId, typeId);
    },

    /** Deletes a type, or archives it when it has bookings (their history keeps its name and fee). */
    async remove(principal: Principal, doctorId: string, typeId: string) {
      await mustManage(principal, doctorId);
      const existing = await store.findType(sql, doctorId, typeId);
      if (!existing || existing.archived) throw notFound('Appointment type');
      if (existing.isDefault) throw new AppError('conflict', 'The default type cannot be removed');
      const outcome = await write(doctorId, (tx) => store.removeType(tx, doctorId, typeId));
      return { id: typeId, outcome };
    },
  };
}
