import { notFound } from '../errors.js';
import type { Db } from '../infra/postgres.js';
import type { QueueEntry } from './queue-order.js';

/*
 * The queue area's SQL. Every function takes a `Db` (the pool or a transaction), so the caller decides
 * the transaction boundary. `day` is a clinic-local date "YYYY-MM-DD"; instants come back in epoch ms.
 * A check-in takes its ticket (the trigger of migrations/0013) before the day queue bumps the revision:
 * both are row locks on (clinic, day), and one order everywhere keeps two check-ins from deadlocking.
 */

/** One appointment of the clinic's day with who it is for. */
export interface QueueRow extends QueueEntry {
  doctorId: string;
  patientId: string;
  patientName: string;
  /** For estimate notices by email; null for a desk patient who gave none. */
  patientEmail: string | null;
}

/** A doctor of the clinic's day: name, room and the delay that counts on that day (0 when none). */
export interface QueueDoctorRow {
  doctorId: string;
  name: string;
  room: string | null;
  delayMinutes: number;
  delayNote: string | null;
  delayDeclaredAt: Date | null;
}

export interface ClinicDay {
  clinicId: string;
  timezone: string;
  doctors: QueueDoctorRow[];
  rows: QueueRow[];
}

/** An instant column as epoch ms (null stays null). */
const ms = (db: Db, column: ReturnType<Db>) => db`(extract(epoch from ${column}) * 1000)::float8`;

/** [start, end) of the clinic-local day as instants, right across DST changes. */
const dayStarts = (
  db: Db,
  day: string,
) => db`lower(a.during) >= (${day}::date::timestamp at time zone c.timezone)
  and lower(a.during) < ((${day}::date + 1)::timestamp at time zone c.timezone)`;

/** A delay declared on another local day is yesterday's news: it counts as 0. */
const delayOn = (db: Db, day: string) =>
  db`case when (s.delay_declared_at at time zone c.timezone)::date = ${day}::date then s.delay_minutes else 0 end`;

/**
 * The clinic's day: its doctors (those practising there, and any other doctor with an appointment there
 * that day) and the day's appointments that were not cancelled. Undefined when there is no such clinic.
 */
export async function readClinicDay(db: Db, clinicId: string, day: string): Promise<ClinicDay | undefined> {
  const [clinics, doctors, rows] = await Promise.all([
    db<
      { clinicId: string; timezone: string }[]
    >`select id as clinic_id, timezone from clinics where id = ${clinicId}`,
    db<QueueDoctorRow[]>`
      select d.id as doctor_id, u.name, s.room, ${delayOn(db, day)} as delay_minutes,
             s.delay_note, s.delay_declared_at
      from (
        -- Two index lookups, not an OR: the OR made Postgres scan every doctor and run the
        -- appointment subquery once per row, on every change to a queue.
        select id from doctors where clinic_id = ${clinicId}
        union
        select a.doctor_id from appointments a join clinics c on c.id = a.clinic_id
        where a.clinic_id = ${clinicId} and ${dayStarts(db, day)}
      ) here
      join doctors d on d.id = here.id join users u on u.id = d.user_id join clinics c on c.id = ${clinicId}
      left join doctor_queue_state s on s.doctor_id = d.id
      order by u.name, d.id`,
    db<QueueRow[]>`
      select a.id as appointment_id, a.doctor_id, a.patient_id, pu.name as patient_name, pu.email as patient_email,
             a.status,
             ${ms(db, db`lower(a.during)`)} as slot_start, ${ms(db, db`upper(a.during)`)} as slot_end,
             ${ms(db, db`a.arrived_at`)} as arrived_at, a.walk_in, ${ms(db, db`a.started_at`)} as started_at,
             ${ms(db, db`a.completed_at`)} as completed_at, a.ticket
      from appointments a join clinics c on c.id = a.clinic_id join users pu on pu.id = a.patient_id
      where a.clinic_id = ${clinicId} and a.status <> 'cancelled' and ${dayStarts(db, day)}
      order by lower(a.during), a.id`,
  ]);
  const clinic = clinics[0];
  return clinic && { ...clinic, doctors, rows };
}

/** Bumps the clinic's day revision and returns the new value (1 for the first change). */
export async function bumpRevision(db: Db, clinicId: string, day: string): Promise<number> {
  const [row] = await db<{ revision: number }[]>`
    insert into queue_revisions (clinic_id, day, revision) values (${clinicId}, ${day}, 1)
    on conflict (clinic_id, day) do update set revision = queue_revisions.revision + 1
    returning revision`;
  return row!.revision;
}

/** The clinic's day revision; 0 before the first change. */
export async function readRevision(db: Db, clinicId: string, day: string): Promise<number> {
  const [row] = await db<{ revision: number }[]>`
    select revision from queue_revisions where clinic_id = ${clinicId} and day = ${day}`;
  return row?.revision ?? 0;
}

export interface DoctorQueueState {
  room: string | null;
  delayMinutes: number;
  delayNote: string | null;
  delayDeclaredAt: Date | null;
}

const stateColumns = (db: Db) => db`room, delay_minutes, delay_note, delay_declared_at`;

/** Declares the doctor's delay from now (0 clears it); 23503 when there is no such doctor. */
export async function setDelay(
  db: Db,
  doctorId: string,
  delay: { minutes: number; note: string | null },
): Promise<DoctorQueueState> {
  const note = delay.minutes === 0 ? null : delay.note;
  const [row] = await db<DoctorQueueState[]>`
    insert into doctor_queue_state (doctor_id, delay_minutes, delay_note, delay_declared_at)
    values (${doctorId}, ${delay.minutes}, ${note}, now())
    on conflict (doctor_id) do update set delay_minutes = excluded.delay_minutes,
      delay_note = excluded.delay_note, delay_declared_at = excluded.delay_declared_at, updated_at = now()
    returning ${stateColumns(db)}`;
  return row!;
}

/** Sets the doctor's room label (null clears it); 23503 when there is no such doctor. */
export async function setRoom(db: Db, doctorId: string, room: string | null): Promise<DoctorQueueState> {
  const [row] = await db<DoctorQueueState[]>`
    insert into doctor_queue_state (doctor_id, room) values (${doctorId}, ${room})
    on conflict (doctor_id) do update set room = excluded.room, updated_at = now()
    returning ${stateColumns(db)}`;
  return row!;
}

/**
 * The doctor's room and the delay that counts on `day` in their clinic's zone (0 when declared on
 * another day). Undefined when there is no such doctor.
 */
export async function readDoctorQueueState(
  db: Db,
  doctorId: string,
  day: string,
): Promise<DoctorQueueState | undefined> {
  const [row] = await db<DoctorQueueState[]>`
    select s.room, coalesce(${delayOn(db, day)}, 0) as delay_minutes, s.delay_note, s.delay_declared_at
    from doctors d join clinics c on c.id = d.clinic_id left join doctor_queue_state s on s.doctor_id = d.id
    where d.id = ${doctorId}`;
  return row;
}

/** The estimate each appointment was last told, by appointment id (absent: never told one). */
export async function readToldEstimates(
  db: Db,
  appointmentIds: readonly string[],
): Promise<Map<string, number>> {
  if (appointmentIds.length === 0) return new Map();
  const rows = await db<{ appointmentId: string; told: number }[]>`
    select appointment_id, ${ms(db, db`told_estimate`)} as told from queue_told_estimates
    where appointment_id = any(${appointmentIds as string[]}::uuid[])`;
  return new Map(rows.map((r) => [r.appointmentId, r.told]));
}

/** Records what each patient has now been told, in the transaction that sends the notices. */
export async function recordToldEstimates(
  db: Db,
  told: readonly { appointmentId: string; estimatedStart: number }[],
): Promise<void> {
  if (told.length === 0) return;
  const ids = told.map((t) => t.appointmentId);
  const times = told.map((t) => new Date(t.estimatedStart).toISOString());
  await db`
    insert into queue_told_estimates (appointment_id, told_estimate)
    select * from unnest(${ids}::uuid[], ${times}::timestamptz[])
    on conflict (appointment_id) do update set told_estimate = excluded.told_estimate, told_at = now()`;
}

/** The clinic's IANA time zone; 404 when there is no such clinic. */
export async function clinicTimezone(db: Db, clinicId: string): Promise<string> {
  const [row] = await db<{ timezone: string }[]>`select timezone from clinics where id = ${clinicId}`;
  if (!row) throw notFound('Clinic');
  return row.timezone;
}
