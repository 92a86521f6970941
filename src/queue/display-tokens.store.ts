import type { Db } from '../infra/postgres.js';
import { hashDisplayToken, newDisplayToken } from './tickets.js';

/** A display token as listed to the clinic's staff: never the token, which is shown once at creation. */
export interface DisplayTokenRow {
  id: string;
  clinicId: string;
  label: string;
  createdBy: string | null;
  createdAt: Date;
  lastSeenAt: Date | null;
  revokedAt: Date | null;
}

/**
 * last_seen_at is touched at most this often per token: a display polling every few seconds would
 * otherwise write a row per poll for an answer nobody needs to the second.
 */
export const LAST_SEEN_RESOLUTION_SECONDS = 60;

const columns = (db: Db) => db`id, clinic_id, label, created_by, created_at, last_seen_at, revoked_at`;

/** Creates a token for the clinic's display; returns the token (to show once) and the row. */
export async function createDisplayToken(
  db: Db,
  t: { clinicId: string; label: string; createdBy: string | null },
): Promise<{ token: string; row: DisplayTokenRow }> {
  const { token, hash } = newDisplayToken();
  const [row] = await db<DisplayTokenRow[]>`
    insert into display_tokens (clinic_id, label, token_hash, created_by)
    values (${t.clinicId}, ${t.label}, ${hash}, ${t.createdBy})
    returning ${columns(db)}`;
  return { token, row: row! };
}

/** The clinic's tokens, newest first, revoked ones included (with revokedAt) so the history stays visible. */
export async function listDisplayTokens(db: Db, clinicId: string): Promise<DisplayTokenRow[]> {
  return db<DisplayTokenRow[]>`
    select ${columns(db)} from display_tokens where clinic_id = ${clinicId} order by created_at desc, id`;
}

/**
 * Revokes one of the clinic's tokens (revoking twice keeps the first time). Undefined when the clinic
 * has no such token, so another clinic's token id answers 404 like a missing one.
 */
export async function revokeDisplayToken(
  db: Db,
  clinicId: string,
  tokenId: string,
): Promise<DisplayTokenRow | undefined> {
  const [row] = await db<DisplayTokenRow[]>`
    update display_tokens set revoked_at = coalesce(revoked_at, now())
    where id = ${tokenId} and clinic_id = ${clinicId}
    returning ${columns(db)}`;
  return row;
}

/**
 * The live (unrevoked) token with this value, touching its last_seen_at; undefined for an unknown or
 * revoked token. Looked up by hash: the token itself is never stored or compared.
 */
export async function useDisplayToken(db: Db, token: string): Promise<DisplayTokenRow | undefined> {
  const hash = hashDisplayToken(token);
  const [row] = await db<DisplayTokenRow[]>`
    with hit as (
      select ${columns(db)} from display_tokens where token_hash = ${hash} and revoked_at is null
    ), touched as (
      update display_tokens set last_seen_at = now()
      where id = (select id from hit)
        and (last_seen_at is null or last_seen_at < now() - make_interval(secs => ${LAST_SEEN_RESOLUTION_SECONDS}))
      returning last_seen_at
    )
    select hit.id, hit.clinic_id, hit.label, hit.created_by, hit.created_at,
           coalesce((select last_seen_at from touched), hit.last_seen_at) as last_seen_at, hit.revoked_at
    from hit`;
  return row;
}
