import type { Db } from '../infra/postgres.js';
import type { Audience } from './appointment-types.js';

/** A type as the API shows it: the default type's open fields filled in from the doctor. */
export interface AppointmentTypeView {
  id: string;
  name: string;
  /** The default type: the weekly rules' slot length when they all agree, else null. */
  durationMinutes: number | null;
  feeCents: number;
  currency: string;
  online: boolean;
  audience: Audience;
  bufferMinutes: number;
  isDefault: boolean;
}

const viewColumns = (db: Db) => db`
  t.id, t.name,
  coalesce(t.duration_minutes, (select case when count(distinct r.slot_minutes) = 1 then min(r.slot_minutes) end
                                from availability_rules r where r.doctor_id = t.doctor_id)) as duration_minutes,
  coalesce(t.fee_cents, d.fee_cents) as fee_cents, coalesce(t.currency, d.currency) as currency,
  t.online, t.audience, coalesce(t.buffer_minutes, d.buffer_minutes) as buffer_minutes, t.is_default`;

/** The doctor's types on offer, the default first; `onlineOnly` for the public. */
export async function listTypes(
  db: Db,
  doctorId: string,
  onlineOnly: boolean,
): Promise<AppointmentTypeView[]> {
  return db<AppointmentTypeView[]>`
    select ${viewColumns(db)} from appointment_types t join doctors d on d.id = t.doctor_id
    where t.doctor_id = ${doctorId} and t.archived_at is null ${onlineOnly ? db`and t.online` : db``}
    order by t.is_default desc, t.created_at, t.id`;
}

export async function findType(
  db: Db,
  doctorId: string,
  typeId: string,
): Promise<(AppointmentTypeView & { archived: boolean }) | undefined> {
  const [row] = await db<(AppointmentTypeView & { archived: boolean })[]>`
    select ${viewColumns(db)}, t.archived_at is not null as archived
    from appointment_types t join doctors d on d.id = t.doctor_id
    where t.doctor_id = ${doctorId} and t.id = ${typeId}`;
  return row;
}

export interface TypeFields {
  name?: string | undefined;
  durationMinutes?: number | undefined;
  feeCents?: number | undefined;
  currency?: string | undefined;
  online?: boolean | undefined;
  audience?: Audience | undefined;
  bufferMinutes?: number | undefined;
}

const columnsOf = (f: TypeFields) =>
  Object.fromEntries(
    Object.entries({
      name: f.name,
      durationMinutes: f.durationMinutes,
      feeCents: f.feeCents,
      currency: f.currency,
      online: f.online,
      audience: f.audience,
      bufferMinutes: f.bufferMinutes,
    }).filter(([, value]) => value !== undefined),
  );

export async function insertType(db: Db, doctorId: string, f: TypeFields): Promise<string> {
  const [row] = await db<{ id: string }[]>`
    insert into appointment_types ${db({ doctorId, ...columnsOf(f) })} returning id`;
  return row!.id;
}

export async function updateType(db: Db, doctorId: string, typeId: string, f: TypeFields): Promise<boolean> {
  const columns = columnsOf(f);
  if (Object.keys(columns).length === 0) return true;
  const rows = await db`
    update appointment_types set ${db(columns)}, updated_at = now()
    where id = ${typeId} and doctor_id = ${doctorId} and archived_at is null returning id`;
  return rows.length > 0;
}

/** Deletes a type nobody booked; archives one with bookings, so their history keeps it. */
export async function removeType(db: Db, doctorId: string, typeId: string): Promise<'deleted' | 'archived'> {
  const [used] = await db<{ used: boolean }[]>`
    select exists (select 1 from appointments where type_id = ${typeId}) as used`;
  if (used!.used) {
    await db`update appointment_types set archived_at = now(), updated_at = now()
             where id = ${typeId} and doctor_id = ${doctorId} and archived_at is null`;
    return 'archived';
  }
  await db`delete from appointment_types where id = ${typeId} and doctor_id = ${doctorId}`;
  return 'deleted';
}
