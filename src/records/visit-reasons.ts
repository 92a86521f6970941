import type { Principal } from '../auth/principal.js';
import { currentRequestId } from '../shared/request-scope.js';
import type { AuditEntry } from './audit-chain.js';
import type { Cipher } from './cipher.js';
import type { Vault } from './vault.js';

/** The key id stored beside a reason sealed with its patient's data key (any other id: a master key). */
export const PATIENT_KEY = 'patient';

/** A sealed reason and the key id to store beside it. */
export interface SealedReason {
  ciphertext: Buffer;
  keyId: string;
}

/** An appointment's sealed reasons as stored. */
export interface ReasonRow {
  id: string;
  patientId: string;
  reasonCiphertext: Buffer | null;
  reasonKeyId: string | null;
}

export type ReasonColumn = 'reason' | 'cancel_reason';

/**
 * The visit reason and the cancel reason of appointments: sealed with the patient's data key (the
 * associated data names the appointment and the column). Reasons written before envelope encryption
 * carry a master key's id and were sealed with the bare master key and the appointment id; they still
 * open here, and `rotate-keys` re-seals them under the patient's key.
 */
export interface VisitReasons {
  seal(patientId: string, appointmentId: string, column: ReasonColumn, text: string): Promise<SealedReason>;
  /** Opens the visit reasons of `rows` for `principal` and audits each one read. */
  read(principal: Principal, rows: readonly ReasonRow[], action?: string): Promise<(string | undefined)[]>;
  /** Opens one stored reason (no audit: for tools that re-seal). */
  open(patientId: string, appointmentId: string, column: ReasonColumn, sealed: SealedReason): Promise<string>;
}

export function createVisitReasons(
  vault: Vault,
  cipher: Cipher,
  audit: (entries: readonly AuditEntry[]) => Promise<void>,
): VisitReasons {
  const place = (appointmentId: string, column: ReasonColumn) => ({
    table: 'appointments',
    column,
    rowId: appointmentId,
  });
  const open: VisitReasons['open'] = (patientId, appointmentId, column, s) =>
    s.keyId === PATIENT_KEY
      ? vault.open(patientId, place(appointmentId, column), s.ciphertext)
      : Promise.resolve(cipher.decrypt(s.ciphertext, s.keyId, appointmentId));
  return {
    async seal(patientId, appointmentId, column, text) {
      return {
        ciphertext: await vault.seal(patientId, place(appointmentId, column), text),
        keyId: PATIENT_KEY,
      };
    },
    open,
    async read(principal, rows, action = 'read-visit-reason') {
      const sealed = rows.filter((r) => r.reasonCiphertext && r.reasonKeyId);
      if (sealed.length === 0) return rows.map(() => undefined);
      // Audited before the text is handed out: no unaudited read, even if the answer is never sent.
      await audit(
        sealed.map((r) => ({
          actorId: principal.userId,
          actorRole: principal.role,
          patientId: r.patientId,
          action,
          resource: `appointment:${r.id}/reason`,
          outcome: 'allowed',
          requestId: currentRequestId() ?? null,
        })),
      );
      return Promise.all(
        rows.map((r) =>
          r.reasonCiphertext && r.reasonKeyId
            ? open(r.patientId, r.id, 'reason', { ciphertext: r.reasonCiphertext, keyId: r.reasonKeyId })
            : undefined,
        ),
      );
    },
  };
}
