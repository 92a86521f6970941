import type { Db } from '../infra/postgres.js';
import type { Status } from './status-machine.js';

/** An appointment with what its views need (names, the clinic's zone); instants in epoch ms. */
export interface AppointmentRow {
  id: string;
  doctorId: string;
  doctorUserId: string;
  doctorName: string;
  patientId: string;
  patientName: string;
  clinicId: string;
  timezone: string;
  start: number;
  end: number;
  status: Status;
  feeCents: number;
  currency: string;
  reasonCiphertext: Buffer | null;
  reasonKeyId: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  /** The desk's ticket (`A-014`), handed out by the arrival (migrations/0013). */
  ticket: string | null;
  arrivedAt: number | null;
  walkIn: boolean;
  /** The appointment type (migrations/0070); null only on rows older than types. */
  typeId: string | null;
  typeName: string | null;
}

const columns = (db: Db) => db`
  a.id, a.doctor_id, d.user_id as doctor_user_id, du.name as doctor_name, a.patient_id, pu.name as patient_name,
  a.clinic_id, c.timezone, (extract(epoch from lower(a.during)) * 1000)::float8 as start,
  (extract(epoch from upper(a.during)) * 1000)::float8 as "end", a.status, a.fee_cents, a.currency,
  a.reason_ciphertext, a.reason_key_id, a.version, a.created_at, a.updated_at, a.ticket,
  (extract(epoch from a.arrived_at) * 1000)::float8 as arrived_at, a.walk_in, a.type_id,
  (select t.name from appointment_types t where t.id = a.type_id) as type_name`;

/** The appointment rows (`source`: the table, or a CTE of rows just written) with their names and zone. */
const joined = (db: Db, source = db`appointments`) => db`
  ${source} a
  join doctors d on d.id = a.doctor_id
  join users du on du.id = d.user_id
  join users pu on pu.id = a.patient_id
  join clinics c on c.id = a.clinic_id`;

const range = (start: number, end: number) => [new Date(start), new Date(end)] as const;

/**
 * Inserts with the type's fee and currency (the default type's: the doctor's) and its buffer copied at
 * booking time, and returns the row as written;
 * undefined, writing nothing, when the doctor's schedule is no longer at `scheduleVersion` (the slot was
 * checked against an older one). 23P01 if the slot or patient is taken.
 */
export async function insertAppointment(
  db: Db,
  a: {
    id: string;
    doctorId: string;
    patientId: string;
    start: number;
    end: number;
    scheduleVersion: number;
    reasonCiphertext: Buffer | null;
    reasonKeyId: string | null;
    /** A walk-in: inserted already checked in, so the same statement hands out its ticket. */
    walkIn?: boolean;
    /** The appointment type; the doctor's default type when undefined. */
    typeId?: string | undefined;
  },
): Promise<AppointmentRow | undefined> {
  const [from, to] = range(a.start, a.end);
  const [row] = await db<AppointmentRow[]>`
    with inserted as (
      insert into appointments (id, doctor_id, patient_id, clinic_id, during, fee_cents, currency, reason_ciphertext,
                                reason_key_id, status, walk_in, type_id, buffer_minutes)
      select ${a.id}, d.id, ${a.patientId}, d.clinic_id, tstzrange(${from}, ${to}),
             coalesce(t.fee_cents, d.fee_cents), coalesce(t.currency, d.currency),
             ${a.reasonCiphertext}, ${a.reasonKeyId}, ${a.walkIn ? 'checked_in' : 'booked'}, ${a.walkIn ?? false},
             t.id, coalesce(t.buffer_minutes, d.buffer_minutes)
      from doctors d join appointment_types t on t.doctor_id = d.id and t.archived_at is null
        and ${a.typeId ? db`t.id = ${a.typeId}` : db`t.is_default`}
      where d.id = ${a.doctorId} and d.schedule_version = ${a.scheduleVersion}
      returning *)
    select ${columns(db)} from ${joined(db, db`inserted`)}`;
  return row;
}

export async function findAppointment(db: Db, id: string): Promise<AppointmentRow | undefined> {
  const [row] = await db<AppointmentRow[]>`select ${columns(db)} from ${joined(db)} where a.id = ${id}`;
  return row;
}

/** Locks the row for the rest of the transaction, so a decision and its write see the same state. */
export async function lockAppointment(db: Db, id: string): Promise<AppointmentRow | undefined> {
  const [row] = await db<
    AppointmentRow[]
  >`select ${columns(db)} from ${joined(db)} where a.id = ${id} for update of a`;
  return row;
}

/** The row as an update left it, with its names and zone (undefined when the update matched nothing). */
async function updatedRow(db: Db, update: ReturnType<typeof joined>): Promise<AppointmentRow | undefined> {
  const [row] = await db<AppointmentRow[]>`
    with updated as (${update} returning *)
    select ${columns(db)} from ${joined(db, db`updated`)}`;
  return row;
}

/**
 * Starts a consultation: only from `from`, and only while none of the doctor's other appointments is in
 * consultation (a doctor sees one patient at a time). Undefined when either does not hold. Run after
 * lockDoctorConsultations in the same transaction, so a concurrent start is seen once it commits.
 */
export function startConsultation(
  db: Db,
  id: string,
  from: readonly Status[],
): Promise<AppointmentRow | undefined> {
  return updatedRow(
    db,
    db`update appointments set status = 'in_consultation', updated_at = now()
    where id = ${id} and status in ${db(from)}
      and not exists (select 1 from appointments b
        where b.doctor_id = appointments.doctor_id and b.status = 'in_consultation' and b.id <> appointments.id)`,
  );
}

/** Queues transactions that start consultations of one doctor (the desk's call-next, the doctor's start). */
export async function lockDoctorConsultations(db: Db, doctorId: string): Promise<void> {
  await db`select pg_advisory_xact_lock(hashtextextended(${`consultation:${doctorId}`}, 0))`;
}

/**
 * Moves the state only if it is still one of `from` and returns the row as written; undefined when
 * another request got there first.
 */
export function transition(
  db: Db,
  id: string,
  from: readonly Status[],
  to: Status,
  cancel?: { by: string; reason: { ciphertext: Buffer; keyId: string } | null },
): Promise<AppointmentRow | undefined> {
  return updatedRow(
    db,
    db`update appointments set status = ${to}, updated_at = now()
      ${
        cancel
          ? db`, cancelled_by = ${cancel.by}, cancel_reason_ciphertext = ${cancel.reason?.ciphertext ?? null},
               cancel_reason_key_id = ${cancel.reason?.keyId ?? null}`
          : db``
      }
    where id = ${id} and status in ${db(from)}`,
  );
}

/**
 * Queues transactions that would write overlapping appointments of the same doctor or patient. Without
 * it, two concurrent inserts of conflicting rows each wait for the other while checking the exclusion
 * constraint and Postgres breaks the cycle only after deadlock_timeout (40P01). The constraint is still
 * the guard; this only orders the contenders. Taken first in the transaction, in sorted order.
 */
export async function lockBookingKeys(db: Db, doctorId: string, patientId: string): Promise<void> {
  const keys = [`appt-doctor:${doctorId}`, `appt-patient:${patientId}`].sort();
  // One statement; unnest yields the keys in array order, so the locks are taken in sorted order.
  await db`select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(${keys}::text[]) k`;
}

/**
 * One statement, so the move is atomic: the exclusion constraint checks the new range as it is written.
 * Returns the moved row; undefined when it is no longer booked, or the doctor's schedule is no longer at
 * `scheduleVersion` (as insertAppointment).
 */
export function move(
  db: Db,
  id: string,
  to: { start: number; end: number; scheduleVersion: number },
): Promise<AppointmentRow | undefined> {
  const [from, until] = range(to.start, to.end);
  return updatedRow(
    db,
    db`update appointments set during = tstzrange(${from}, ${until}), version = version + 1, updated_at = now()
    where id = ${id} and status = 'booked'
      and (select schedule_version from doctors where id = appointments.doctor_id) = ${to.scheduleVersion}`,
  );
}

export interface ListFilter {
  patientId?: string | undefined;
  doctorId?: string | undefined;
  clinicId?: string | undefined;
  status?: Status | undefined;
  /** [start, end) in epoch ms: appointments starting inside it. */
  startsIn?: { start: number; end: number } | undefined;
  limit: number;
  offset: number;
}

export async function listAppointments(db: Db, f: ListFilter): Promise<AppointmentRow[]> {
  return db<AppointmentRow[]>`
    select ${columns(db)} from ${joined(db)}
    where true
      ${f.patientId ? db`and a.patient_id = ${f.patientId}` : db``}
      ${f.doctorId ? db`and a.doctor_id = ${f.doctorId}` : db``}
      ${f.clinicId ? db`and a.clinic_id = ${f.clinicId}` : db``}
      ${f.status ? db`and a.status = ${f.status}` : db``}
      ${f.startsIn ? db`and lower(a.during) >= ${new Date(f.startsIn.start)} and lower(a.during) < ${new Date(f.startsIn.end)}` : db``}
    order by lower(a.during), a.id
    limit ${f.limit} offset ${f.offset}`;
}

export async function doctorIdOfUser(db: Db, userId: string): Promise<string | undefined> {
  const [row] = await db<{ id: string }[]>`select id from doctors where user_id = ${userId}`;
  return row?.id;
}

/** True when an active appointment of the doctor overlaps the interval (for a friendlier early answer only). */
export async function slotTaken(db: Db, doctorId: string, start: number, end: number): Promise<boolean> {
  const [from, to] = range(start, end);
  const [row] = await db<{ taken: boolean }[]>`
    select exists (select 1 from appointments where doctor_id = ${doctorId}
      and status in ('booked', 'checked_in', 'in_consultation') and during && tstzrange(${from}, ${to})) as taken`;
  return row!.taken;
}

export async function isPatient(db: Db, userId: string): Promise<boolean> {
  const [row] = await db<{ ok: boolean }[]>`
    select exists (select 1 from users where id = ${userId} and role = 'patient') as ok`;
  return row?.ok ?? false;
}

/** True when the patient has completed a visit with the doctor: a returning patient (appointment types). */
export async function hasCompletedVisit(db: Db, doctorId: string, patientId: string): Promise<boolean> {
  const [row] = await db<{ ok: boolean }[]>`
    select exists (select 1 from appointments
      where doctor_id = ${doctorId} and patient_id = ${patientId} and status = 'completed') as ok`;
  return row?.ok ?? false;
}

/** Active appointments of a doctor overlapping [start, end), in order (time off over bookings). */
export async function activeIn(
  db: Db,
  doctorId: string,
  start: number,
  end: number,
): Promise<AppointmentRow[]> {
  const [from, to] = range(start, end);
  return db<AppointmentRow[]>`
    select ${columns(db)} from ${joined(db)}
    where a.doctor_id = ${doctorId} and a.status in ('booked', 'checked_in', 'in_consultation')
      and a.during && tstzrange(${from}, ${to})
    order by lower(a.during)`;
}

/** The email of each patient, by id (those the desk registered without one are left out). */
export async function emailsOf(db: Db, userIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await db<{ id: string; email: string }[]>`
    select id, email from users where id = any(${userIds as string[]}::uuid[]) and email is not null`;
  return new Map(rows.map((r) => [r.id, r.email]));
}
