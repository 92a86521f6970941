import type { Sql } from '../infra/postgres.js';
import type { Logger } from '../logger.js';
import { type Cipher, open, seal } from './cipher.js';
import { keysByMaster, keysNotWrappedBy, rewrapKey } from './data-keys.store.js';
import * as legacy from './key-rotation.store.js';
import { wrapAad } from './vault.js';
import type { VisitReasons } from './visit-reasons.js';

/** What one run of `rotate-keys` did, and how many data keys each master key now wraps. */
export interface RotationReport {
  rewrapped: number;
  visitReasonsResealed: number;
  cancelReasonsSealed: number;
  webhookSecretsResealed: number;
  keysByMaster: Record<string, number>;
}

/**
 * Brings everything under the current master key, in batches, each row by compare-and-set:
 * 1. every patient's data key is unwrapped with the master key it names and re-wrapped with the current
 *    one (the data sealed with the data key is untouched, so this is cheap and the hub's cached keys stay
 *    valid);
 * 2. what older versions left behind is sealed properly: visit reasons sealed with a bare master key
 *    are re-sealed with their patient's data key, plain-text cancel reasons are sealed and cleared;
 * 3. webhook signing secrets (sealed with the master key itself) are re-sealed under the current one.
 * Stopping half-way loses nothing (each row is either old or new, and both open while the previous key
 * is configured); running again continues. Safe beside serving hubs: a row changed meanwhile is skipped
 * by the compare-and-set and picked up by the next batch.
 */
export async function rotateKeys(
  sql: Sql,
  cipher: Cipher,
  reasons: VisitReasons,
  logger: Logger,
  batch = 500,
): Promise<RotationReport> {
  const current = cipher.current;
  const report = { rewrapped: 0, visitReasonsResealed: 0, cancelReasonsSealed: 0, webhookSecretsResealed: 0 };

  for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
    const keys = await keysNotWrappedBy(sql, current.id, after, batch);
    for (const k of keys) {
      const dataKey = open(cipher.key(k.masterKeyId), k.wrappedKey, wrapAad(k.patientId));
      const wrapped = seal(current.key, dataKey, wrapAad(k.patientId));
      if (await rewrapKey(sql, k, wrapped, current.id)) report.rewrapped++;
    }
    if (keys.length < batch) break;
    after = keys[keys.length - 1]!.patientId;
    logger.info({ rewrapped: report.rewrapped }, 'rotating data keys');
  }

  for (;;) {
    const rows = await legacy.legacyVisitReasons(sql, batch);
    for (const r of rows) {
      const text = cipher.decrypt(r.reasonCiphertext, r.reasonKeyId, r.id);
      const sealed = await reasons.seal(r.patientId, r.id, 'reason', text);
      await legacy.resealVisitReason(sql, r, sealed.ciphertext);
      report.visitReasonsResealed++;
    }
    if (rows.length < batch) break;
  }

  for (;;) {
    const rows = await legacy.plainCancelReasons(sql, batch);
    for (const r of rows) {
      const sealed = await reasons.seal(r.patientId, r.id, 'cancel_reason', r.cancelReason);
      await legacy.sealCancelReason(sql, r.id, r.cancelReason, sealed);
      report.cancelReasonsSealed++;
    }
    if (rows.length < batch) break;
  }

  for (;;) {
    const rows = await legacy.webhookSecretsNotUnder(sql, current.id, batch);
    for (const r of rows) {
      const secret = cipher.decrypt(r.secretCiphertext, r.secretKeyId, r.id);
      await legacy.resealWebhookSecret(sql, r, cipher.encrypt(secret, r.id), current.id);
      report.webhookSecretsResealed++;
    }
    if (rows.length < batch) break;
  }

  return { ...report, keysByMaster: await keysByMaster(sql) };
}
