import type { Db } from '../infra/postgres.js';
import type { EntryStatus } from './waitlist.schemas.js';

/** The waitlist's entries in SQL (migrations/0040; offers are in offers.store.ts). Dates are local dates of the doctor's clinic, as text. */

export interface EntryRow {
  id: string;
  seq: string;
  patientId: string;
  doctorId: string;
  fromDate: string;
  toDate: string;
  timeStart: string | null;
  timeEnd: string | null;
  status: EntryStatus;
  createdAt: Date;
  doctorName: string;
  /** The doctor's clinic's zone: entry dates and offer times are local to it. */
  timezone: string;
}

/** The columns of an entry row, for selects and RETURNING (offers.store.ts reads entries too). */
export const ENTRY = (db: Db) => db`
  id, seq, patient_id, doctor_id, from_date::text as from_date, to_date::text as to_date,
  to_char(time_start, 'HH24:MI') as time_start,
  case when time_end = '24:00' then '24:00' else to_char(time_end, 'HH24:MI') end as time_end,
  status, created_at,
  (select u.name from doctors d join users u on u.id = d.user_id where d.id = doctor_id) as doctor_name,
  (select c.timezone from doctors d join clinics c on c.id = d.clinic_id where d.id = doctor_id) as timezone`;

/** Serializes one patient's joins, so the five-entry limit holds under concurrent joins. */
export async function lockPatientEntries(db: Db, patientId: string): Promise<void> {
  await db`select pg_advisory_xact_lock(hashtext('waitlist-patient'), hashtext(${patientId}))`;
}

export async function countActive(db: Db, patientId: string): Promise<number> {
  const [row] = await db<{ n: number }[]>`
    select count(*)::int as n from waitlist_entries
    where patient_id = ${patientId} and status in ('waiting', 'offered')`;
  return row!.n;
}

export async function insertEntry(
  db: Db,
  e: {
    patientId: string;
    doctorId: string;
    from: string;
    to: string;
    times?: { start: string; end: string } | undefined;
  },
): Promise<EntryRow> {
  const [row] = await db<EntryRow[]>`
    insert into waitlist_entries (patient_id, doctor_id, from_date, to_date, time_start, time_end)
    values (${e.patientId}, ${e.doctorId}, ${e.from}, ${e.to}, ${e.times?.start ?? null}, ${e.times?.end ?? null})
    returning ${ENTRY(db)}`;
  return row!;
}

export async function entriesOf(db: Db, patientId: string): Promise<EntryRow[]> {
  return db<EntryRow[]>`
    select ${ENTRY(db)} from waitlist_entries where patient_id = ${patientId}
    order by (status in ('waiting', 'offered')) desc, seq desc limit 50`;
}

export async function findEntry(db: Db, id: string): Promise<EntryRow | undefined> {
  const [row] = await db<EntryRow[]>`select ${ENTRY(db)} from waitlist_entries where id = ${id}`;
  return row;
}

/** Places in line (1 = next) of the given open entries among their doctors' open entries. */
export async function positions(db: Db, entryIds: readonly string[]): Promise<Map<string, number>> {
  if (entryIds.length === 0) return new Map();
  const rows = await db<{ id: string; position: number }[]>`
    select e.id, (select count(*)::int from waitlist_entries o
                  where o.doctor_id = e.doctor_id and o.status in ('waiting', 'offered') and o.seq <= e.seq) as position
    from waitlist_entries e where e.id = any(${entryIds as string[]}) and e.status in ('waiting', 'offered')`;
  return new Map(rows.map((r) => [r.id, r.position]));
}

export async function setEntryStatus(
  db: Db,
  id: string,
  from: readonly EntryStatus[],
  to: EntryStatus,
): Promise<EntryRow | undefined> {
  const [row] = await db<EntryRow[]>`
    update waitlist_entries set status = ${to}, updated_at = now()
    where id = ${id} and status = any(${from as EntryStatus[]}) returning ${ENTRY(db)}`;
  return row;
}

/** One statement: the entry's status, when it is still one of `from`. */
export function markEntry(db: Db, id: string, from: readonly EntryStatus[], to: EntryStatus) {
  return db`
    update waitlist_entries set status = ${to}, updated_at = now()
    where id = ${id} and status = any(${from as EntryStatus[]})`;
}

/** A waiting entry as a candidate for a free slot. */
export type Candidate = Pick<EntryRow, 'patientId' | 'fromDate' | 'toDate' | 'timeStart' | 'timeEnd'>;

/** The doctor's waiting entries whose patients hold no offer: who a free slot could still go to. */
export async function candidates(db: Db, doctorId: string): Promise<Candidate[]> {
  return db<Candidate[]>`
    select patient_id, from_date::text as from_date, to_date::text as to_date,
      to_char(time_start, 'HH24:MI') as time_start,
      case when time_end = '24:00' then '24:00' else to_char(time_end, 'HH24:MI') end as time_end
    from waitlist_entries e where doctor_id = ${doctorId} and status = 'waiting'
      and not exists (select 1 from waitlist_offers o where o.patient_id = e.patient_id and o.status = 'offered')`;
}

/** Open entries of a patient with a doctor whose dates include `date`. */
export async function openEntriesCovering(
  db: Db,
  patientId: string,
  doctorId: string,
  date: string,
): Promise<EntryRow[]> {
  return db<EntryRow[]>`
    select ${ENTRY(db)} from waitlist_entries
    where patient_id = ${patientId} and doctor_id = ${doctorId} and status in ('waiting', 'offered')
      and from_date <= ${date}::date and to_date >= ${date}::date`;
}

/** Entries whose last date has passed in their clinic's zone. */
export async function expirePast(db: Db): Promise<EntryRow[]> {
  return db<EntryRow[]>`
    update waitlist_entries e set status = 'expired', updated_at = now()
    from doctors d join clinics c on c.id = d.clinic_id
    where d.id = e.doctor_id and e.status = 'waiting' and e.to_date < (now() at time zone c.timezone)::date
    returning e.id`;
}

/** Doctors with someone waiting, and the union of their waiting dates. */
export async function waitingDoctors(db: Db): Promise<{ doctorId: string; from: string; to: string }[]> {
  return db<{ doctorId: string; from: string; to: string }[]>`
    select doctor_id, min(from_date)::text as from, max(to_date)::text as to
    from waitlist_entries where status = 'waiting' group by doctor_id`;
}

export async function lineLength(db: Db, doctorId: string): Promise<{ waiting: number; offered: number }> {
  const [row] = await db<{ waiting: number; offered: number }[]>`
    select count(*) filter (where status = 'waiting')::int as waiting,
           count(*) filter (where status = 'offered')::int as offered
    from waitlist_entries where doctor_id = ${doctorId}`;
  return row!;
}

/** Where to email an offer. */
export async function contactOf(
  db: Db,
  userId: string,
): Promise<{ name: string; email: string | null } | undefined> {
  const [row] = await db<
    { name: string; email: string | null }[]
  >`select name, email from users where id = ${userId}`;
  return row;
}

/** Doctors whose lists the patient waits on. */
export async function doctorsAwaitedBy(db: Db, patientId: string): Promise<string[]> {
  const rows = await db<{ doctorId: string }[]>`
    select distinct doctor_id from waitlist_entries where patient_id = ${patientId} and status = 'waiting'`;
  return rows.map((r) => r.doctorId);
}

const ACTIVE_APPOINTMENT = (db: Db) => db`
  a.status in ('booked', 'checked_in', 'in_consultation')
  and (lower(a.during) at time zone (select c.timezone from clinics c where c.id = a.clinic_id))::date`;

/** True when the patient has an active appointment with the doctor on a local date in [from, to]. */
export async function hasAppointmentIn(
  db: Db,
  e: { patientId: string; doctorId: string; from: string; to: string },
): Promise<boolean> {
  const [row] = await db<{ yes: boolean }[]>`
    select exists (select 1 from appointments a where a.patient_id = ${e.patientId} and a.doctor_id = ${e.doctorId}
      and ${ACTIVE_APPOINTMENT(db)} between ${e.from}::date and ${e.to}::date) as yes`;
  return row!.yes;
}

/** Waiting entries whose patient has booked the doctor within their dates since: done (booked). */
export async function closeSatisfied(db: Db): Promise<EntryRow[]> {
  return db<EntryRow[]>`
    update waitlist_entries e set status = 'booked', updated_at = now()
    where e.status = 'waiting' and exists (select 1 from appointments a
      where a.patient_id = e.patient_id and a.doctor_id = e.doctor_id
        and ${ACTIVE_APPOINTMENT(db)} between e.from_date and e.to_date)
    returning e.id`;
}

/** True when anyone waits on the doctor's list: most doctors have no line, and most slots need no offer. */
export async function anyoneWaiting(db: Db, doctorId: string): Promise<boolean> {
  const [row] = await db<{ yes: boolean }[]>`
    select exists (select 1 from waitlist_entries where doctor_id = ${doctorId} and status = 'waiting') as yes`;
  return row!.yes;
}
