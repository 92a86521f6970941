import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCipher } from '../../src/records/cipher.js';

/** Clinical text is sealed with AES-256-GCM: IV (12 bytes) ‖ tag (16 bytes) ‖ body; the row id is bound in. */
const IV_BYTES = 12;
const TAG_BYTES = 16;
const NOTE = 'Patient reports chest pain since Tuesday; ECG normal. Allergic to penicillin — ü, 漢字, 🩺';
const ROW = '6f1f7a2e-4b2c-4e8e-9d55-0c4f3a9b1e01';
const OTHER_ROW = '6f1f7a2e-4b2c-4e8e-9d55-0c4f3a9b1e02';

function flipped(buf: Buffer, index: number): Buffer {
  const copy = Buffer.from(buf);
  copy[index] = copy[index]! ^ 0x01;
  return copy;
}

describe('a clinical note is encrypted before it reaches the database', () => {
  const key = randomBytes(32);

  it('decrypts back to the same text, including an empty note and non-ASCII text', () => {
    const cipher = createCipher(key);
    for (const text of [NOTE, '', 'x'.repeat(10_000)]) {
      const sealed = cipher.encrypt(text, ROW);
      expect(cipher.decrypt(sealed, cipher.keyId, ROW)).toBe(text);
    }
  });

  it('the stored bytes do not contain the plaintext and are IV + tag + one byte per UTF-8 byte', () => {
    const cipher = createCipher(key);
    const sealed = cipher.encrypt(NOTE, ROW);
    expect(sealed.includes(Buffer.from('penicillin'))).toBe(false);
    expect(sealed.length).toBe(IV_BYTES + TAG_BYTES + Buffer.byteLength(NOTE));
  });

  it('encrypting the same note twice gives different bytes, with a fresh IV each time', () => {
    const cipher = createCipher(key);
    const first = cipher.encrypt(NOTE, ROW);
    const second = cipher.encrypt(NOTE, ROW);
    expect(first.equals(second)).toBe(false);
    expect(first.subarray(0, IV_BYTES).equals(second.subarray(0, IV_BYTES))).toBe(false);
    expect(cipher.decrypt(second, cipher.keyId, ROW)).toBe(NOTE);
  });

  it('a ciphertext copied to another row does not decrypt (the row id is associated data)', () => {
    const cipher = createCipher(key);
    const sealed = cipher.encrypt(NOTE, ROW);
    expect(() => cipher.decrypt(sealed, cipher.keyId, OTHER_ROW)).toThrow();
  });

  it.each([
    ['IV', 0],
    ['auth tag', IV_BYTES + 3],
    ['first body byte', IV_BYTES + TAG_BYTES],
    ['last body byte', -1],
  ])('one flipped bit in the %s is detected', (_, at) => {
    const cipher = createCipher(key);
    const sealed = cipher.encrypt(NOTE, ROW);
    const index = at < 0 ? sealed.length + at : at;
    expect(cipher.decrypt(sealed, cipher.keyId, ROW)).toBe(NOTE);
    expect(() => cipher.decrypt(flipped(sealed, index), cipher.keyId, ROW)).toThrow();
  });

  it('a truncated ciphertext is refused', () => {
    const cipher = createCipher(key);
    const sealed = cipher.encrypt(NOTE, ROW);
    expect(() => cipher.decrypt(sealed.subarray(0, sealed.length - 1), cipher.keyId, ROW)).toThrow();
  });
});

describe('keys rotate without losing old notes', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  it('the key id is derived from the key: stable for one key, different for another', () => {
    expect(createCipher(oldKey).keyId).toBe(createCipher(Buffer.from(oldKey)).keyId);
    expect(createCipher(oldKey).keyId).not.toBe(createCipher(newKey).keyId);
    expect(createCipher(oldKey).keyId).toMatch(/^[0-9a-f]{8}$/);
  });

  it('after rotation a note sealed under the old key still opens, and new notes use the new key', () => {
    const before = createCipher(oldKey);
    const oldNote = before.encrypt(NOTE, ROW);

    const after = createCipher(newKey, [oldKey]);
    expect(after.keyId).toBe(createCipher(newKey).keyId);
    expect(after.decrypt(oldNote, before.keyId, ROW)).toBe(NOTE);

    const newNote = after.encrypt('follow-up in two weeks', ROW);
    expect(after.decrypt(newNote, after.keyId, ROW)).toBe('follow-up in two weeks');
    // The stored key id matters: the new note does not open under the old key.
    expect(() => after.decrypt(newNote, before.keyId, ROW)).toThrow();
    expect(() => after.decrypt(oldNote, after.keyId, ROW)).toThrow();
  });

  it('a key id the cipher does not hold is refused before any decryption is tried', () => {
    const before = createCipher(oldKey);
    const oldNote = before.encrypt(NOTE, ROW);
    const withoutOldKey = createCipher(newKey);
    expect(() => withoutOldKey.decrypt(oldNote, before.keyId, ROW)).toThrow(
      `no encryption key with id ${before.keyId}`,
    );
    expect(() => withoutOldKey.decrypt(oldNote, 'deadbeef', ROW)).toThrow(
      'no encryption key with id deadbeef',
    );
  });
});
