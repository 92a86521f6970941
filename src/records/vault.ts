import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Sql } from '../infra/postgres.js';
import { type Cipher, open, seal, undecryptable } from './cipher.js';
import { findWrappedKey, insertWrappedKey, type WrappedKey } from './data-keys.store.js';

/** Where a sealed value lives: its associated data is `<table>.<column>:<rowId>`. */
export interface Place {
  table: string;
  column: string;
  rowId: string;
}

export const aadOf = (p: Place) => `${p.table}.${p.column}:${p.rowId}`;
/** The associated data of a wrapped data key: bound to its patient. */
export const wrapAad = (patientId: string) => `patient_keys.wrapped_key:${patientId}`;

/**
 * Envelope encryption: every patient has a random 256-bit data key, stored only wrapped by the master
 * key (patient_keys); their clinical values are sealed with it. Rotating the master key re-wraps the
 * data keys (key-rotation.ts) and never touches the data. Unwrapped keys are kept in memory (an LRU),
 * so a value costs one AES-GCM operation once its patient's key has been read.
 */
export interface Vault {
  seal(patientId: string, place: Place, plaintext: string): Promise<Buffer>;
  open(patientId: string, place: Place, sealed: Buffer): Promise<string>;
}

export function createVault(sql: Sql, cipher: Cipher, cacheSize = 10_000): Vault {
  const cache = new LRUCache<string, Buffer>({ max: cacheSize });

  const unwrap = (k: WrappedKey) => open(cipher.key(k.masterKeyId), k.wrappedKey, wrapAad(k.patientId));

  async function dataKey(patientId: string, create: boolean): Promise<Buffer | undefined> {
    const cached = cache.get(patientId);
    if (cached) return cached;
    let stored = await findWrappedKey(sql, patientId);
    if (!stored && create) {
      const fresh = randomBytes(32);
      const { id, key } = cipher.current;
      await insertWrappedKey(sql, {
        patientId,
        wrappedKey: seal(key, fresh, wrapAad(patientId)),
        masterKeyId: id,
      });
      stored = await findWrappedKey(sql, patientId);
    }
    if (!stored) return undefined;
    const key = unwrap(stored);
    cache.set(patientId, key);
    return key;
  }

  return {
    async seal(patientId, place, plaintext) {
      return seal((await dataKey(patientId, true))!, plaintext, aadOf(place));
    },
    async open(patientId, place, sealed) {
      const key = await dataKey(patientId, false);
      if (!key) throw undecryptable(`${aadOf(place)}: the patient has no data key`);
      return open(key, sealed, aadOf(place)).toString('utf8');
    },
  };
}
