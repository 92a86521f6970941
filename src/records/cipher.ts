import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';

/**
 * Application-side encryption (invariant 5): AES-256-GCM, a fresh 96-bit IV per value, and associated
 * data that binds the ciphertext to where it is stored (a row id, or "<table>.<column>:<row id>"), so a
 * ciphertext copied elsewhere does not open. Stored as IV ‖ tag ‖ body. A value that does not open (a
 * flipped byte, the wrong place, the wrong key) is refused with `decryption_failed`, never read as text.
 */

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A master key and its id (the id is stored beside everything it wraps or seals). */
export interface MasterKey {
  id: string;
  key: Buffer;
}

/** The id a key gets when none is configured: the first 8 hex digits of its SHA-256. */
export const derivedKeyId = (key: Buffer): string =>
  createHash('sha256').update(key).digest('hex').slice(0, 8);

const asMasterKey = (k: Buffer | MasterKey): MasterKey =>
  Buffer.isBuffer(k) ? { id: derivedKeyId(k), key: k } : k;

/** Seals `plaintext` under a 32-byte key, bound to `aad`. */
export function seal(key: Buffer, plaintext: string | Buffer, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([
    typeof plaintext === 'string' ? cipher.update(plaintext, 'utf8') : cipher.update(plaintext),
    cipher.final(),
  ]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Opens what `seal` produced with the same key and `aad`; anything else throws `decryption_failed`. */
export function open(key: Buffer, sealed: Buffer, aad: string): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw undecryptable(`${aad}: ciphertext is truncated`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    // The detail names where, never what: the plaintext is unknown, and the ciphertext says nothing.
    throw undecryptable(`${aad}: ciphertext failed authentication`);
  }
}

export const undecryptable = (detail: string) =>
  new AppError('decryption_failed', `Cannot decrypt ${detail}`);

/** The master keys: the current one (seals and wraps) and the previous ones (still open what they sealed). */
export interface Cipher {
  keyId: string;
  /** The current master key. */
  current: MasterKey;
  /** A master key by id, current or previous. */
  key(id: string): Buffer;
  encrypt(plaintext: string, rowId: string): Buffer;
  decrypt(ciphertext: Buffer, keyId: string, rowId: string): string;
}

export function createCipher(key: Buffer | MasterKey, previousKeys: (Buffer | MasterKey)[] = []): Cipher {
  const current = asMasterKey(key);
  const all = [current, ...previousKeys.map(asMasterKey)];
  // A key is also known by its derived id: what was sealed before ENCRYPTION_KEY_ID was set names it so.
  const keys = new Map([
    ...all.map((k) => [derivedKeyId(k.key), k.key] as const),
    ...all.map((k) => [k.id, k.key] as const),
  ]);
  const byId = (id: string) => {
    const k = keys.get(id);
    if (!k) throw undecryptable(`with key ${id}: no encryption key with id ${id} (ENCRYPTION_PREVIOUS_KEYS)`);
    return k;
  };
  return {
    keyId: current.id,
    current,
    key: byId,
    encrypt: (plaintext, rowId) => seal(current.key, plaintext, rowId),
    decrypt: (ciphertext, id, rowId) => open(byId(id), ciphertext, rowId).toString('utf8'),
  };
}

/** The hub's master keys from its settings (ENCRYPTION_KEY[_ID], ENCRYPTION_PREVIOUS_KEYS). */
export function cipherOf(config: {
  encryptionKey: Buffer;
  encryptionKeyId: string | undefined;
  previousEncryptionKeys: { id: string | undefined; key: Buffer }[];
}): Cipher {
  const named = (k: { id: string | undefined; key: Buffer }) => (k.id ? { id: k.id, key: k.key } : k.key);
  return createCipher(
    named({ id: config.encryptionKeyId, key: config.encryptionKey }),
    config.previousEncryptionKeys.map(named),
  );
}
