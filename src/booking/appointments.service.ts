import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import { AppError } from '../errors.js';
import { message, type RoomMessage } from '../events/event-types.js';
import { appendEvents } from '../events/outbox.js';
import { rooms } from '../events/rooms.js';
import type { Sql } from '../infra/postgres.js';
import { PG, pgCode } from '../infra/postgres.js';
import { type Tx, transaction } from '../infra/transaction.js';
import type { Logger } from '../logger.js';
import { localWhen } from '../notifications/email.js';
import { type Notice, newNotification } from '../notifications/notifications.service.js';
import { insertNotification } from '../notifications/notifications.store.js';
import type { Cipher } from '../records/cipher.js';
import type { ScheduleService } from '../schedule/schedule.service.js';
import { formatInstant, localDateRange } from '../schedule/slots.js';
import { conflictFrom, type Relation, visibleAppointment } from './appointment-access.js';
import { toEventData, toView } from './appointment-view.js';
import type { AppointmentFilter, AppointmentView, BookInput, RescheduleInput } from './booking.schemas.js';
import * as store from './booking.store.js';
import type { Hold } from './holds.js';
import type { HoldService } from './holds.service.js';
import { retryOnScheduleChange, ScheduleChanged } from './schedule-guard.js';
import { type Action, canTransition, TRANSITIONS } from './status-machine.js';

export interface AppointmentDeps {
  sql: Sql;
  schedule: ScheduleService;
  holds: HoldService;
  cipher: Cipher;
  logger: Logger;
  /** Reminder jobs follow the appointment (see jobs/reminders.queue.ts). */
  reminders: {
    schedule(a: { id: string; start: number; version: number }): Promise<unknown>;
    cancel(a: { id: string; version: number }): Promise<unknown>;
  };
  /** Patients may cancel up to this many minutes before the start; doctors and staff any time. */
  cancelCutoffMinutes: number;
}

export type AppointmentService = ReturnType<typeof createAppointmentService>;

export function createAppointmentService({
  sql,
  schedule,
  holds,
  cipher,
  logger,
  reminders,
  cancelCutoffMinutes,
}: AppointmentDeps) {
  const visible = (principal: Principal, id: string) => visibleAppointment(sql, principal, id);

  const people = (row: store.AppointmentRow) => [rooms.doctor(row.doctorId), rooms.user(row.patientId)];
  const slotData = (row: Pick<store.AppointmentRow, 'doctorId' | 'start' | 'end' | 'timezone'>) => ({
    doctorId: row.doctorId,
    start: formatInstant(row.start, row.timezone),
    end: formatInstant(row.end, row.timezone),
  });

  /**
   * Runs a write, its outbox messages and the doctor's notice in one transaction. The write returns the
   * row as it read it after writing (inside the transaction, so the answer shows this write, not a later
   * one). The notice, the messages and COMMIT go to Postgres in one write.
   */
  async function commit(
    write: (tx: Tx) => Promise<{ row: store.AppointmentRow; messages: RoomMessage[]; notice?: Notice }>,
  ): Promise<store.AppointmentRow> {
    // A deadlock or serialization failure aborts the whole transaction, so it is safe to run it again.
    for (let attempt = 1; ; attempt++) {
      try {
        return await transaction(sql, async (tx, done) => {
          const { row, messages, notice } = await write(tx);
          await Promise.all([
            notice && insertNotification(tx, notice.row),
            appendEvents(tx, notice ? [...messages, notice.message] : messages),
            done(),
          ]);
          return row;
        });
      } catch (err) {
        const code = pgCode(err);
        if (attempt < 3 && (code === PG.deadlock || code === PG.serializationFailure)) continue;
        throw conflictFrom(err);
      }
    }
  }

  /** The doctor's in-app notice of a change, for `commit` to write in the change's transaction. */
  const tellDoctor = (row: store.AppointmentRow, kind: string, title: string) =>
    newNotification({
      userId: row.doctorUserId,
      kind,
      title,
      body: `${row.patientName}, ${localWhen(row.start, row.timezone)}`,
      data: { appointmentId: row.id },
    });

  /** Reminder jobs are repaired by the reconciler if this fails (e.g. Redis briefly away): log, go on. */
  const followUp = (what: string, work: Promise<unknown>) =>
    work.catch((err) => logger.error({ err }, `${what} failed; the reconciler will repair it`));

  /** Resolves `{holdId}` or `{start}` for the doctor to a bookable interval, and the hold used if any. */
  async function target(
    principal: Principal,
    doctorId: string | undefined,
    input: { holdId: string } | { start: number },
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
      // Someone else's hold is refused from Redis alone, before any Postgres work.
      hold = await holds.ownOnSlot(principal, doctorId!, start);
    }
    const field = 'holdId' in input ? 'body.holdId' : 'body.start';
    const slot = await schedule.slotAt(doctorId ?? hold!.doctorId, start, field);
    return { doctorId: doctorId ?? hold!.doctorId, slot, hold };
  }

  return {
    async book(principal: Principal, input: BookInput): Promise<AppointmentView> {
      const id = randomUUID();
      const { view, hold, doctorId } = await retryOnScheduleChange(schedule, async () => {
        const { doctorId, slot, hold } = await target(
          principal,
          'doctorId' in input ? input.doctorId : undefined,
          input,
        );
        const view = await commit(async (tx) => {
          // Sent together with BEGIN: the lock is still taken before the insert, in the same write.
          const [, row] = await Promise.all([
            store.lockBookingKeys(tx, doctorId, principal.userId),
            store.insertAppointment(tx, {
              id,
              doctorId,
              patientId: principal.userId,
              start: slot.start,
              end: slot.end,
              scheduleVersion: slot.scheduleVersion,
              reasonCiphertext: input.reason ? cipher.encrypt(input.reason, id) : null,
              reasonKeyId: input.reason ? cipher.keyId : null,
            }),
          ]);
          if (!row) throw new ScheduleChanged(doctorId);
          return {
            row,
            messages: [
              message(rooms.slots(doctorId), 'slot.booked', slotData(row)),
              ...people(row).map((room) => message(room, 'appointment.booked', toEventData(row))),
            ],
            notice: tellDoctor(row, 'appointment.booked', 'New booking'),
          };
        });
        return { view, hold, doctorId };
      });
      if (hold) await holds.consume(hold);
      await followUp('scheduling reminders', reminders.schedule(view));
      logger.info({ appointmentId: id, doctorId }, 'appointment booked');
      return toView(view, cipher);
    },

    async get(principal: Principal, id: string): Promise<AppointmentView> {
      return toView((await visible(principal, id)).row, cipher);
    },

    /** A patient's own; a doctor's own; staff: their clinic's; admin: all. Filters by clinic-local date. */
    async list(principal: Principal, f: AppointmentFilter, offset: number) {
      const scope: store.ListFilter = { limit: f.limit + 1, offset, status: f.status, doctorId: f.doctorId };
      if (principal.role === 'patient') scope.patientId = principal.userId;
      if (principal.role === 'staff') scope.clinicId = principal.clinicId;
      if (principal.role === 'doctor') {
        const own = await store.doctorIdOfUser(sql, principal.userId);
        if (!own || (f.doctorId && f.doctorId !== own)) return { items: [], more: false };
        scope.doctorId = own;
      }
      if (f.date) {
        const tz =
          f.doctorId || scope.doctorId
            ? (await schedule.scheduleOf((f.doctorId ?? scope.doctorId)!)).timezone
            : undefined;
        // Without one doctor the day is taken in each appointment's clinic zone: widen by a day, then filter.
        const wide = localDateRange(f.date, f.date, tz ?? 'UTC');
        scope.startsIn = tz ? wide : { start: wide.start - 86_400_000, end: wide.end + 86_400_000 };
      }
      const rows = await store.listAppointments(sql, scope);
      const views = rows.map((r) => toView(r, cipher));
      const items = f.date ? views.filter((v) => v.start.slice(0, 10) === f.date) : views;
      return { items: items.slice(0, f.limit), more: rows.length > f.limit };
    },

    async cancel(principal: Principal, id: string, reason: string | undefined): Promise<AppointmentView> {
      const { row, relation } = await visible(principal, id);
      if (relation === 'patient' && row.start - Date.now() < cancelCutoffMinutes * 60_000) {
        throw new AppError(
          'too_late_to_cancel',
          `Appointments can be cancelled up to ${cancelCutoffMinutes} minutes before they start; call the clinic`,
        );
      }
      // Once checked in at the desk, the patient is in the clinic's hands: only staff or the doctor cancel then.
      const from = relation === 'patient' ? (['booked'] as const) : TRANSITIONS.cancel.from;
      const after = await commit(async (tx) => {
        const now = await store.transition(tx, id, from, 'cancelled', {
          by: principal.userId,
          reason: reason ?? null,
        });
        if (!now) throw invalidTransition('cancel', (await store.findAppointment(tx, id))!.status);
        return {
          row: now,
          messages: [
            message(rooms.slots(row.doctorId), 'slot.freed', slotData(row)),
            ...people(row).map((room) =>
              message(room, 'appointment.cancelled', { ...toEventData(now), cancelledBy: relation }),
            ),
          ],
          notice: tellDoctor(row, 'appointment.cancelled', 'Appointment cancelled'),
        };
      });
      await followUp('removing reminders', reminders.cancel(after));
      return toView(after, cipher);
    },

    /** Moves a booked appointment to another slot of the same doctor in one statement: all or nothing. */
    async reschedule(principal: Principal, id: string, input: RescheduleInput): Promise<AppointmentView> {
      const { row, relation } = await visible(principal, id);
      if (relation !== 'patient' && relation !== 'staff' && relation !== 'admin') {
        throw new AppError('forbidden', 'Only the patient or the clinic staff may reschedule');
      }
      if (row.status !== 'booked') throw invalidTransition('reschedule', row.status);
      // Staff act for the patient: a hold must be the patient's own, so staff reschedule by start.
      const actor = relation === 'patient' ? principal : { ...principal, userId: row.patientId };
      const previous = slotData(row);
      const { moved, hold } = await retryOnScheduleChange(schedule, async () => {
        const { slot, hold } = await target(actor, row.doctorId, input);
        const moved = await commit(async (tx) => {
          const [, after] = await Promise.all([
            store.lockBookingKeys(tx, row.doctorId, row.patientId),
            store.move(tx, id, slot),
          ]);
          if (!after) {
            const status = (await store.findAppointment(tx, id))!.status;
            if (status === 'booked') throw new ScheduleChanged(row.doctorId);
            throw invalidTransition('reschedule', status);
          }
          return {
            row: after,
            messages: [
              message(rooms.slots(row.doctorId), 'slot.freed', previous),
              message(rooms.slots(row.doctorId), 'slot.booked', slotData(after)),
              ...people(row).map((room) =>
                message(room, 'appointment.rescheduled', {
                  ...toEventData(after),
                  previous: { start: previous.start, end: previous.end },
                }),
              ),
            ],
            notice: tellDoctor(after, 'appointment.rescheduled', 'Appointment moved'),
          };
        });
        return { moved, hold };
      });
      if (hold) await holds.consume(hold);
      await followUp('moving reminders', Promise.all([reminders.cancel(row), reminders.schedule(moved)]));
      return toView(moved, cipher);
    },

    /** check_in, no_show: clinic staff; start, complete: staff or the doctor. */
    async transition(
      principal: Principal,
      id: string,
      action: Exclude<Action, 'cancel'>,
    ): Promise<AppointmentView> {
      const { row, relation } = await visible(principal, id);
      const allowed: Relation[] =
        action === 'start' || action === 'complete' ? ['staff', 'admin', 'doctor'] : ['staff', 'admin'];
      if (!allowed.includes(relation))
        throw new AppError('forbidden', `Only ${allowed.join(' or ')} may ${action.replace('_', '-')}`);
      if (!canTransition(action, row.status)) throw invalidTransition(action, row.status);
      if (action === 'no_show' && Date.now() < row.start) {
        throw new AppError(
          'invalid_transition',
          'A no-show can only be recorded once the appointment has started',
        );
      }
      const to = TRANSITIONS[action].to;
      const after = await commit(async (tx) => {
        const after = await store.transition(tx, id, TRANSITIONS[action].from, to);
        if (!after) throw invalidTransition(action, (await store.findAppointment(tx, id))!.status);
        const freed =
          to === 'no_show' ? [message(rooms.slots(row.doctorId), 'slot.freed', slotData(row))] : [];
        return {
          row: after,
          messages: [
            ...freed,
            ...people(row).map((room) =>
              message(room, 'appointment.status_changed', { ...toEventData(after), from: row.status, to }),
            ),
          ],
        };
      });
      return toView(after, cipher);
    },
  };
}

function invalidTransition(action: string, status: string): AppError {
  return new AppError(
    'invalid_transition',
    `Cannot ${action.replace('_', '-')} an appointment that is ${status.replace('_', ' ')}`,
  );
}
