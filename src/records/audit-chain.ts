import { createHash } from 'node:crypto';

/** What the application says happened: who did what to whose record data, and whether it was allowed. */
export interface AuditEntry {
  actorId: string | null;
  /** patient, doctor, staff, admin, anonymous, or a tool's name (e.g. `research-export`). */
  actorRole: string;
  patientId: string | null;
  /** read, write, … */
  action: string;
  /** What was touched: `record`, `notes`, `note:<id>`, `appointment:<id>/reason`, `audit`, … */
  resource: string;
  /** The stated reason (an admin's X-Access-Reason, an export's purpose). */
  reason?: string | null;
  outcome: 'allowed' | 'denied';
  requestId: string | null;
  /** An admin's reasoned read outside any care relation. */
  breakGlass?: boolean;
}

/** A row of the log: the entry, where it sits in the chain, and the hashes that chain it. */
export interface AuditRow extends Required<AuditEntry> {
  id: bigint;
  at: Date;
  prevHash: Buffer;
  hash: Buffer;
}

/** The previous hash of the first row. */
export const GENESIS = Buffer.alloc(32);

/**
 * sha256(previous hash ‖ the row's content in a fixed order). The id and time are inside, so a row
 * cannot be moved, re-dated or dropped (ids have no gaps) without breaking the chain from there on.
 */
export function chainHash(prevHash: Buffer, row: Omit<AuditRow, 'prevHash' | 'hash'>): Buffer {
  const content = JSON.stringify([
    row.id.toString(),
    row.at.toISOString(),
    row.actorId,
    row.actorRole,
    row.patientId,
    row.action,
    row.resource,
    row.reason,
    row.outcome,
    row.requestId,
    row.breakGlass,
  ]);
  return createHash('sha256').update(prevHash).update(content).digest();
}

/** Fills in the optional fields as stored. */
export const normalized = (e: AuditEntry): Required<AuditEntry> => ({
  ...e,
  reason: e.reason ?? null,
  breakGlass: e.breakGlass ?? false,
});

/** Why a row breaks the chain, if it does: checked against the row before it (undefined for the first). */
export function chainProblem(row: AuditRow, previous: AuditRow | undefined): string | undefined {
  const expectedId = previous ? previous.id + 1n : 1n;
  if (row.id !== expectedId) return `expected row ${expectedId} next, found ${row.id} (rows missing)`;
  const prevHash = previous ? previous.hash : GENESIS;
  if (!row.prevHash.equals(prevHash)) return "its previous hash is not the previous row's hash";
  if (!row.hash.equals(chainHash(prevHash, row))) return 'its content does not match its hash';
  return undefined;
}
