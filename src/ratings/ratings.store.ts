import type { Db } from '../infra/postgres.js';

export interface RatingRow {
  appointmentId: string;
  doctorId: string;
  patientId: string;
  stars: number;
  comment: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface RatedAppointment {
  id: string;
  doctorId: string;
  doctorUserId: string;
  patientId: string;
  status: string;
}

/** The appointment a rating is about, locked against a concurrent first rating. */
export async function lockAppointment(db: Db, id: string): Promise<RatedAppointment | undefined> {
  const [row] = await db<RatedAppointment[]>`
    select a.id, a.doctor_id, d.user_id as doctor_user_id, a.patient_id, a.status
    from appointments a join doctors d on d.id = a.doctor_id where a.id = ${id} for update of a`;
  return row;
}

export async function findRating(db: Db, appointmentId: string): Promise<RatingRow | undefined> {
  const [row] = await db<RatingRow[]>`select * from ratings where appointment_id = ${appointmentId}`;
  return row;
}

export async function insertRating(
  db: Db,
  r: { appointmentId: string; doctorId: string; patientId: string; stars: number; comment: string | null },
): Promise<RatingRow> {
  const [row] = await db<RatingRow[]>`insert into ratings ${db(r)} returning *`;
  return row!;
}

export async function updateRating(
  db: Db,
  appointmentId: string,
  r: { stars: number; comment: string | null },
): Promise<RatingRow> {
  const [row] = await db<RatingRow[]>`
    update ratings set stars = ${r.stars}, comment = ${r.comment}, updated_at = now()
    where appointment_id = ${appointmentId} returning *`;
  return row!;
}

/** A doctor's ratings with their comments, newest first (for the doctor and admins). */
export async function listRatings(
  db: Db,
  doctorId: string,
  limit: number,
  offset: number,
): Promise<RatingRow[]> {
  return db<RatingRow[]>`
    select * from ratings where doctor_id = ${doctorId}
    order by created_at desc, appointment_id limit ${limit} offset ${offset}`;
}

export async function doctorUserId(db: Db, doctorId: string): Promise<string | undefined> {
  const [row] = await db<{ userId: string }[]>`select user_id from doctors where id = ${doctorId}`;
  return row?.userId;
}
