import type { Db } from '../infra/postgres.js';

/** A patient's data key as stored: wrapped by the master key `masterKeyId`. */
export interface WrappedKey {
  patientId: string;
  wrappedKey: Buffer;
  masterKeyId: string;
}

export async function findWrappedKey(db: Db, patientId: string): Promise<WrappedKey | undefined> {
  const [row] = await db<WrappedKey[]>`
    select patient_id, wrapped_key, master_key_id from patient_keys where patient_id = ${patientId}`;
  return row;
}

/** Stores a new wrapped key unless the patient already has one (two first writes at once: one wins). */
export async function insertWrappedKey(db: Db, k: WrappedKey): Promise<void> {
  await db`
    insert into patient_keys (patient_id, wrapped_key, master_key_id)
    values (${k.patientId}, ${k.wrappedKey}, ${k.masterKeyId})
    on conflict (patient_id) do nothing`;
}

/** The next `limit` keys not wrapped by `currentId`, in patient order after `after` (rotation's cursor). */
export async function keysNotWrappedBy(db: Db, currentId: string, after: string, limit: number) {
  return db<WrappedKey[]>`
    select patient_id, wrapped_key, master_key_id from patient_keys
    where master_key_id <> ${currentId} and patient_id > ${after}
    order by patient_id limit ${limit}`;
}

/**
 * Replaces a wrapped key only if it is still the one read (compare-and-set), so a rotation running
 * beside the hub (or a second rotation) never overwrites a newer wrapping.
 */
export async function rewrapKey(db: Db, before: WrappedKey, wrappedKey: Buffer, masterKeyId: string) {
  const rows = await db`
    update patient_keys set wrapped_key = ${wrappedKey}, master_key_id = ${masterKeyId}, rewrapped_at = now()
    where patient_id = ${before.patientId} and master_key_id = ${before.masterKeyId}
      and wrapped_key = ${before.wrappedKey}`;
  return rows.count === 1;
}

/** How many data keys each master key wraps (rotation's report, and the test that key 1 is unused). */
export async function keysByMaster(db: Db): Promise<Record<string, number>> {
  const rows = await db<{ masterKeyId: string; n: number }[]>`
    select master_key_id, count(*)::int as n from patient_keys group by master_key_id`;
  return Object.fromEntries(rows.map((r) => [r.masterKeyId, r.n]));
}
