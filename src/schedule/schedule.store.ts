import type { Db } from '../infra/postgres.js';
import type { AppointmentType } from './appointment-types.js';
import type { Interval, WeeklyRule } from './slot-generation.js';

/** What slot generation needs to know about one doctor. */
export interface DoctorSchedule {
  doctorId: string;
  userId: string;
  clinicId: string;
  timezone: string;
  bufferMinutes: number;
  minNoticeMinutes: number;
  horizonDays: number;
  rules: (WeeklyRule & { validFrom: string | null; validTo: string | null })[];
  /** Bumped by trigger on every change that shapes the slots (migrations/0009). */
  scheduleVersion: number;
  /** The appointment types on offer (not archived), the default first (migrations/0070). */
  types: AppointmentType[];
}

export const ACTIVE_STATUSES = ['booked', 'checked_in', 'in_consultation'] as const;

export async function findSchedule(db: Db, doctorId: string): Promise<DoctorSchedule | undefined> {
  const [row] = await findSchedules(db, [doctorId]);
  return row;
}

/**
 * Schedules of many doctors in one query (directory pages). With `timeOffIn`, each also carries its time
 * off overlapping that range, so a booking checks a slot with one round trip.
 */
export async function findSchedules(db: Db, doctorIds: readonly string[]): Promise<DoctorSchedule[]>;
export async function findSchedules(
  db: Db,
  doctorIds: readonly string[],
  timeOffIn: Interval,
): Promise<(DoctorSchedule & { timeOff: Interval[] })[]>;
export async function findSchedules(
  db: Db,
  doctorIds: readonly string[],
  timeOffIn?: Interval,
): Promise<(DoctorSchedule & { timeOff: Interval[] })[]> {
  return db<(DoctorSchedule & { timeOff: Interval[] })[]>`
    select d.id as doctor_id, d.user_id, d.clinic_id, c.timezone, d.buffer_minutes, d.min_notice_minutes, d.horizon_days,
           d.schedule_version,
           coalesce((select json_agg(json_build_object(
                       'weekday', r.weekday, 'start', r.start_time, 'end', r.end_time, 'slotMinutes', r.slot_minutes,
                       'validFrom', r.valid_from, 'validTo', r.valid_to) order by r.weekday, r.start_time)
                     from availability_rules r where r.doctor_id = d.id), '[]') as rules,
           coalesce((select json_agg(json_build_object(
                       'id', t.id, 'name', t.name, 'durationMinutes', t.duration_minutes, 'feeCents', t.fee_cents,
                       'currency', t.currency, 'online', t.online, 'audience', t.audience,
                       'bufferMinutes', t.buffer_minutes, 'isDefault', t.is_default)
                       order by t.is_default desc, t.created_at, t.id)
                     from appointment_types t where t.doctor_id = d.id and t.archived_at is null), '[]') as types
           ${
             timeOffIn
               ? db`, coalesce((select json_agg(json_build_object(
                       'start', (extract(epoch from lower(t.during)) * 1000)::float8,
                       'end', (extract(epoch from upper(t.during)) * 1000)::float8))
                     from time_off t
                     where t.doctor_id = d.id
                       and t.during && tstzrange(${new Date(timeOffIn.start)}, ${new Date(timeOffIn.end)})), '[]') as time_off`
               : db``
           }
    from doctors d join clinics c on c.id = d.clinic_id
    where d.id = any(${doctorIds as string[]}::uuid[])`;
}

export async function replaceRules(
  db: Db,
  doctorId: string,
  rules: readonly WeeklyRule[],
  bufferMinutes: number,
): Promise<void> {
  await db`delete from availability_rules where doctor_id = ${doctorId}`;
  if (rules.length > 0) {
    await db`insert into availability_rules ${db(
      rules.map((r) => ({
        doctorId,
        weekday: r.weekday,
        startTime: r.start,
        endTime: r.end,
        slotMinutes: r.slotMinutes,
        validFrom: r.validFrom ?? null,
        validTo: r.validTo ?? null,
      })),
    )}`;
  }
  await db`update doctors set buffer_minutes = ${bufferMinutes}, updated_at = now() where id = ${doctorId}`;
}

const asInterval = (db: Db) => db`
  (extract(epoch from lower(during)) * 1000)::float8 as start,
  (extract(epoch from upper(during)) * 1000)::float8 as "end"`;

/** An appointment as the slots see it: its time and the buffer after it that it keeps clear. */
const occupied = (db: Db) => db`
  (extract(epoch from lower(during)) * 1000)::float8 as start,
  (extract(epoch from upper(during)) * 1000 + buffer_minutes * 60000)::float8 as "end"`;

type DoctorInterval = Interval & { doctorId: string };

export async function timeOffIn(db: Db, doctorId: string, range: Interval): Promise<Interval[]> {
  return (await timeOffOf(db, [doctorId], range)).get(doctorId) ?? [];
}

export async function bookedIn(db: Db, doctorId: string, range: Interval): Promise<Interval[]> {
  return (await bookedOf(db, [doctorId], range)).get(doctorId) ?? [];
}

/** Time off of many doctors overlapping a range, by doctor. */
export async function timeOffOf(
  db: Db,
  doctorIds: readonly string[],
  range: Interval,
): Promise<Map<string, Interval[]>> {
  const rows = await db<DoctorInterval[]>`
    select doctor_id, ${asInterval(db)} from time_off
    where doctor_id = any(${doctorIds as string[]}::uuid[]) and during && tstzrange(${new Date(range.start)}, ${new Date(range.end)})`;
  return byDoctor(rows);
}

/** Active appointments of many doctors overlapping a range, by doctor, each with its buffer after it. */
export async function bookedOf(
  db: Db,
  doctorIds: readonly string[],
  range: Interval,
): Promise<Map<string, Interval[]>> {
  const rows = await db<DoctorInterval[]>`
    select doctor_id, ${occupied(db)} from appointments
    where doctor_id = any(${doctorIds as string[]}::uuid[]) and status in ${db(ACTIVE_STATUSES)}
      and during && tstzrange(${new Date(range.start - 240 * 60_000)}, ${new Date(range.end)})`;
  return byDoctor(rows);
}

function byDoctor(rows: readonly DoctorInterval[]): Map<string, Interval[]> {
  const out = new Map<string, Interval[]>();
  for (const { doctorId, start, end } of rows) {
    const list = out.get(doctorId) ?? [];
    list.push({ start, end });
    out.set(doctorId, list);
  }
  return out;
}

export interface TimeOffRow {
  id: string;
  doctorId: string;
  start: number;
  end: number;
  reason: string | null;
}

export async function insertTimeOff(
  db: Db,
  t: { doctorId: string; start: number; end: number; reason: string | null },
): Promise<TimeOffRow> {
  const [row] = await db<TimeOffRow[]>`
    insert into time_off (doctor_id, during, reason)
    values (${t.doctorId}, tstzrange(${new Date(t.start)}, ${new Date(t.end)}), ${t.reason})
    returning id, doctor_id, ${asInterval(db)}, reason`;
  return row!;
}

export async function deleteTimeOff(db: Db, doctorId: string, id: string): Promise<boolean> {
  const rows = await db`delete from time_off where id = ${id} and doctor_id = ${doctorId} returning id`;
  return rows.length > 0;
}

export async function listTimeOff(db: Db, doctorId: string, fromMs: number): Promise<TimeOffRow[]> {
  return db<TimeOffRow[]>`
    select id, doctor_id, ${asInterval(db)}, reason from time_off
    where doctor_id = ${doctorId} and upper(during) > ${new Date(fromMs)}
    order by lower(during)`;
}
