import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Application-side encryption of health data (invariant 5): AES-256-GCM, a fresh 96-bit IV per value,
 * the row id as associated data (a ciphertext copied to another row does not decrypt), and the key id
 * stored beside the ciphertext so keys can be rotated.
 */
export interface Cipher {
  keyId: string;
  encrypt(plaintext: string, rowId: string): Buffer;
  decrypt(ciphertext: Buffer, keyId: string, rowId: string): string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function createCipher(key: Buffer, previousKeys: Buffer[] = []): Cipher {
  const idOf = (k: Buffer) => createHash('sha256').update(k).digest('hex').slice(0, 8);
  const keys = new Map([key, ...previousKeys].map((k) => [idOf(k), k]));
  const keyId = idOf(key);
  return {
    keyId,
    encrypt(plaintext, rowId) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(rowId));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(ciphertext, id, rowId) {
      const k = keys.get(id);
      if (!k) throw new Error(`no encryption key with id ${id}`);
      const decipher = createDecipheriv('aes-256-gcm', k, ciphertext.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(rowId));
      decipher.setAuthTag(ciphertext.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([
        decipher.update(ciphertext.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    },
  };
}
