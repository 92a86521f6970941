import type { Db } from '../infra/postgres.js';

/** An appointment as a reminder needs it: who, where, when, and which version. */
export interface ReminderTarget {
  id: string;
  status: string;
  version: number;
  start: number;
  end: number;
  patientId: string;
  patientName: string;
  patientEmail: string;
  doctorId: string;
  doctorName: string;
  clinicId: string;
  clinicName: string;
  clinicAddress: string;
  timezone: string;
}

const columns = (db: Db) => db`
  a.id, a.status, a.version,
  (extract(epoch from lower(a.during)) * 1000)::float8 as start, (extract(epoch from upper(a.during)) * 1000)::float8 as "end",
  a.patient_id, pu.name as patient_name, pu.email as patient_email, a.doctor_id, du.name as doctor_name,
  a.clinic_id, c.name as clinic_name, c.address as clinic_address, c.timezone`;

const joined = (db: Db) => db`
  appointments a join users pu on pu.id = a.patient_id join doctors d on d.id = a.doctor_id
  join users du on du.id = d.user_id join clinics c on c.id = a.clinic_id`;

export async function findReminderTarget(db: Db, appointmentId: string): Promise<ReminderTarget | undefined> {
  const [row] = await db<
    ReminderTarget[]
  >`select ${columns(db)} from ${joined(db)} where a.id = ${appointmentId}`;
  return row;
}

/** Booked appointments starting within the window (the reconciler's working set). */
export async function upcoming(
  db: Db,
  from: Date,
  to: Date,
): Promise<{ id: string; start: number; version: number }[]> {
  return db<{ id: string; start: number; version: number }[]>`
    select a.id, (extract(epoch from lower(a.during)) * 1000)::float8 as start, a.version from appointments a
    where a.status = 'booked' and lower(a.during) >= ${from} and lower(a.during) < ${to}`;
}
