import type { Db } from '../infra/postgres.js';

/** The delivery ledger (invariant 4): at most one delivery per (appointment, kind, channel, version). */
export interface LedgerKey {
  appointmentId: string;
  kind: string;
  channel: string;
  version: number;
}

export type Claim =
  | { claimed: true; id: string }
  /** `busy`: another attempt holds a fresh lease (it may be sending right now); try again later. */
  | { claimed: false; state: 'sent' | 'failed' | 'busy' };

/**
 * Claims the row before anything is sent: a new row, or a `sending` row whose lease lapsed (its sender
 * crashed or gave up this attempt). The UNIQUE constraint and the conditional UPDATE make concurrent
 * claimers lose cleanly.
 */
export async function claim(db: Db, k: LedgerKey, leaseSeconds: number): Promise<Claim> {
  const [fresh] = await db<{ id: string }[]>`
    insert into deliveries (appointment_id, kind, channel, version, status)
    values (${k.appointmentId}, ${k.kind}, ${k.channel}, ${k.version}, 'sending')
    on conflict (appointment_id, kind, channel, version) do nothing
    returning id`;
  if (fresh) return { claimed: true, id: fresh.id };
  const [resumed] = await db<{ id: string }[]>`
    update deliveries set claimed_at = now(), attempts = attempts + 1
    where appointment_id = ${k.appointmentId} and kind = ${k.kind} and channel = ${k.channel} and version = ${k.version}
      and status = 'sending' and claimed_at < now() - make_interval(secs => ${leaseSeconds})
    returning id`;
  if (resumed) return { claimed: true, id: resumed.id };
  const [row] = await db<{ status: 'sending' | 'sent' | 'failed' }[]>`
    select status from deliveries
    where appointment_id = ${k.appointmentId} and kind = ${k.kind} and channel = ${k.channel} and version = ${k.version}`;
  return { claimed: false, state: row?.status === 'sending' ? 'busy' : (row?.status ?? 'busy') };
}

export async function markSent(db: Db, id: string): Promise<void> {
  await db`update deliveries set status = 'sent', sent_at = now(), last_error = null where id = ${id}`;
}

/** Records a failed attempt and releases the lease; `final` ends it in the visible `failed` state. */
export async function markAttemptFailed(db: Db, id: string, error: string, final: boolean): Promise<void> {
  await db`update deliveries set last_error = ${error.slice(0, 500)}, status = ${final ? 'failed' : 'sending'},
           claimed_at = '-infinity' where id = ${id}`;
}
