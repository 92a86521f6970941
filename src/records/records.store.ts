import type { Principal } from '../auth/principal.js';
import type { Db } from '../infra/postgres.js';
import type { Relation } from './access-policy.js';

/** Statuses in which an appointment has taken place (or is taking place). */
const STARTED = ['checked_in', 'in_consultation', 'completed', 'no_show'];

/** A patient's name and contact details. */
export interface PatientContact {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
}

/** A patient's name and contact; undefined when no patient has this id. */
export async function findPatient(db: Db, id: string): Promise<PatientContact | undefined> {
  const [row] = await db<PatientContact[]>`
    select id, name, email, phone from users where id = ${id} and role = 'patient'`;
  return row;
}

/** How `principal` stands to patient `patientId` (see access-policy.ts for what each relation allows). */
export async function relationToPatient(
  db: Db,
  principal: Principal | undefined,
  patientId: string,
): Promise<Relation> {
  if (!principal) return 'anonymous';
  switch (principal.role) {
    case 'admin':
      return 'admin';
    case 'patient':
      return principal.userId === patientId ? 'self' : 'other-patient';
    case 'staff': {
      const [row] = await db`
        select 1 from appointments where patient_id = ${patientId} and clinic_id = ${principal.clinicId ?? null}
        limit 1`;
      return row ? 'staff-clinic' : 'staff-elsewhere';
    }
    case 'doctor': {
      const [row] = await db<{ past: boolean; upcoming: boolean; cancelled: boolean }[]>`
        select
          coalesce(bool_or(a.status <> 'cancelled' and (a.status in ${db(STARTED)} or lower(a.during) <= now())), false) as past,
          coalesce(bool_or(a.status = 'booked' and lower(a.during) > now()), false) as upcoming,
          coalesce(bool_or(a.status = 'cancelled'), false) as cancelled
        from appointments a join doctors d on d.id = a.doctor_id
        where a.patient_id = ${patientId} and d.user_id = ${principal.userId}`;
      if (row?.past) return 'doctor-past';
      if (row?.upcoming) return 'doctor-upcoming';
      return row?.cancelled ? 'doctor-cancelled' : 'doctor-none';
    }
  }
}

/** The appointment a note is written on, with how the caller stands to it. */
export interface NoteTarget {
  appointmentId: string;
  patientId: string;
  doctorId: string;
  relation: Relation;
}

/** The appointment and the caller's relation to it; undefined when there is no such appointment. */
export async function noteTarget(
  db: Db,
  principal: Principal | undefined,
  appointmentId: string,
): Promise<NoteTarget | undefined> {
  const [a] = await db<
    { patientId: string; doctorId: string; doctorUserId: string; status: string; started: boolean }[]
  >`
    select a.patient_id, a.doctor_id, d.user_id as doctor_user_id, a.status,
           (a.status in ${db(STARTED)} or lower(a.during) <= now()) as started
    from appointments a join doctors d on d.id = a.doctor_id where a.id = ${appointmentId}`;
  if (!a) return undefined;
  const own = principal?.role === 'doctor' && principal.userId === a.doctorUserId;
  const relation: Relation = own
    ? a.status === 'cancelled'
      ? 'doctor-cancelled'
      : a.started
        ? 'doctor-past'
        : 'doctor-upcoming'
    : principal?.role === 'doctor'
      ? 'doctor-none'
      : await relationToPatient(db, principal, a.patientId);
  return { appointmentId, patientId: a.patientId, doctorId: a.doctorId, relation };
}

/** The sealed record columns, as stored. */
export interface SealedRecord {
  dateOfBirth: Buffer | null;
  sex: Buffer | null;
  allergies: Buffer | null;
  conditions: Buffer | null;
  medications: Buffer | null;
  notes: Buffer | null;
  updatedAt: Date;
}
export type RecordColumn = Exclude<keyof SealedRecord, 'updatedAt'>;
export const RECORD_COLUMNS: Record<RecordColumn, string> = {
  dateOfBirth: 'date_of_birth',
  sex: 'sex',
  allergies: 'allergies',
  conditions: 'conditions',
  medications: 'medications',
  notes: 'notes',
};

export async function findRecord(db: Db, patientId: string): Promise<SealedRecord | undefined> {
  const [row] = await db<SealedRecord[]>`
    select date_of_birth, sex, allergies, conditions, medications, notes, updated_at
    from patient_records where patient_id = ${patientId}`;
  return row;
}

/** Creates the record or sets the given sealed columns (null clears one); others stay. */
export async function upsertRecord(
  db: Db,
  patientId: string,
  by: string,
  columns: Partial<Record<RecordColumn, Buffer | null>>,
): Promise<void> {
  const values: Record<string, Buffer | null | string> = { patient_id: patientId, updated_by: by };
  for (const [field, value] of Object.entries(columns)) values[RECORD_COLUMNS[field as RecordColumn]] = value;
  const names = Object.keys(values);
  const set = names.filter((n) => n !== 'patient_id');
  await db`
    insert into patient_records ${db(values, names)}
    on conflict (patient_id) do update set ${db(
      Object.fromEntries(set.map((n) => [n, values[n]])),
      set,
    )}, updated_at = now()`;
}

/** A note as stored. */
export interface NoteRow {
  id: string;
  appointmentId: string;
  patientId: string;
  doctorId: string;
  doctorName: string;
  correctsId: string | null;
  textCiphertext: Buffer;
  createdAt: Date;
}

export async function insertNote(db: Db, n: Omit<NoteRow, 'doctorName' | 'createdAt'>): Promise<void> {
  await db`
    insert into encounter_notes (id, appointment_id, patient_id, doctor_id, corrects_id, text_ciphertext)
    values (${n.id}, ${n.appointmentId}, ${n.patientId}, ${n.doctorId}, ${n.correctsId}, ${n.textCiphertext})`;
}

/** The patient a note belongs to (to check that a correction stays within one patient). */
export async function notePatient(db: Db, noteId: string): Promise<string | undefined> {
  const [row] = await db<
    { patientId: string }[]
  >`select patient_id from encounter_notes where id = ${noteId}`;
  return row?.patientId;
}

/** A patient's notes, oldest first. */
export async function listNotes(db: Db, patientId: string): Promise<NoteRow[]> {
  return db<NoteRow[]>`
    select n.id, n.appointment_id, n.patient_id, n.doctor_id, u.name as doctor_name, n.corrects_id,
           n.text_ciphertext, n.created_at
    from encounter_notes n join doctors d on d.id = n.doctor_id join users u on u.id = d.user_id
    where n.patient_id = ${patientId} order by n.created_at, n.id`;
}

export async function findNote(db: Db, id: string): Promise<NoteRow | undefined> {
  const [row] = await db<NoteRow[]>`
    select n.id, n.appointment_id, n.patient_id, n.doctor_id, u.name as doctor_name, n.corrects_id,
           n.text_ciphertext, n.created_at
    from encounter_notes n join doctors d on d.id = n.doctor_id join users u on u.id = d.user_id
    where n.id = ${id}`;
  return row;
}
