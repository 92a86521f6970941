import { cipherOf } from '../records/cipher.js';
import { rotateKeys } from '../records/key-rotation.js';
import { createRecordsService } from '../records/records.service.js';
import { createVault } from '../records/vault.js';
import { createVisitReasons } from '../records/visit-reasons.js';
import { runWithDatabase } from './run-with-database.js';

/**
 * `npm run rotate-keys`: after setting the new ENCRYPTION_KEY (and ENCRYPTION_KEY_ID) and moving the old
 * key to ENCRYPTION_PREVIOUS_KEYS, re-wraps every patient's data key under the new key (and seals what
 * older versions left in the clear or under a bare master key). Resumable; safe while hubs serve.
 */
await runWithDatabase('rotate-keys', async (sql, logger, config) => {
  const cipher = cipherOf(config);
  const vault = createVault(sql, cipher);
  const reasons = createVisitReasons(vault, cipher, createRecordsService({ sql, vault }).audit);
  const report = await rotateKeys(sql, cipher, reasons, logger);
  logger.info({ ...report, currentKeyId: cipher.keyId }, 'keys rotated');
  const others = Object.keys(report.keysByMaster).filter((id) => id !== cipher.keyId);
  if (others.length > 0) {
    throw new Error(`data keys still wrapped by ${others.join(', ')}: run rotate-keys again`);
  }
});
