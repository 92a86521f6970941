import type { Db } from '../infra/postgres.js';
import { PATIENT_KEY } from './visit-reasons.js';

/** An appointment whose visit reason was sealed before envelope encryption (with a bare master key). */
export interface LegacyReason {
  id: string;
  patientId: string;
  reasonCiphertext: Buffer;
  reasonKeyId: string;
}

export async function legacyVisitReasons(db: Db, limit: number): Promise<LegacyReason[]> {
  return db<LegacyReason[]>`
    select id, patient_id, reason_ciphertext, reason_key_id from appointments
    where reason_key_id <> ${PATIENT_KEY} and reason_ciphertext is not null limit ${limit}`;
}

/** Re-seals a visit reason only if it is still the legacy one read (compare-and-set). */
export async function resealVisitReason(db: Db, before: LegacyReason, ciphertext: Buffer): Promise<void> {
  await db`
    update appointments set reason_ciphertext = ${ciphertext}, reason_key_id = ${PATIENT_KEY}
    where id = ${before.id} and reason_key_id = ${before.reasonKeyId}
      and reason_ciphertext = ${before.reasonCiphertext}`;
}

/** A cancel reason stored in plain text before migration 0020. */
export async function plainCancelReasons(db: Db, limit: number) {
  return db<{ id: string; patientId: string; cancelReason: string }[]>`
    select id, patient_id, cancel_reason from appointments where cancel_reason is not null limit ${limit}`;
}

export async function sealCancelReason(
  db: Db,
  id: string,
  plain: string,
  sealed: { ciphertext: Buffer; keyId: string },
): Promise<void> {
  await db`
    update appointments set cancel_reason_ciphertext = ${sealed.ciphertext},
      cancel_reason_key_id = ${sealed.keyId}, cancel_reason = null
    where id = ${id} and cancel_reason = ${plain}`;
}

/** Webhook signing secrets sealed under another master key than `currentId`. */
export async function webhookSecretsNotUnder(db: Db, currentId: string, limit: number) {
  return db<{ id: string; secretCiphertext: Buffer; secretKeyId: string }[]>`
    select id, secret_ciphertext, secret_key_id from webhook_endpoints
    where secret_key_id <> ${currentId} limit ${limit}`;
}

export async function resealWebhookSecret(
  db: Db,
  before: { id: string; secretKeyId: string },
  ciphertext: Buffer,
  keyId: string,
): Promise<void> {
  await db`
    update webhook_endpoints set secret_ciphertext = ${ciphertext}, secret_key_id = ${keyId}
    where id = ${before.id} and secret_key_id = ${before.secretKeyId}`;
}
