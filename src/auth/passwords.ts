import { hash, verify } from '@node-rs/argon2';

/** OWASP's argon2id baseline: m = 19 MiB, t = 2, p = 1. */
const PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMS);
}

/** Constant-shape check: a malformed stored hash counts as a mismatch, never an error. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/**
 * A real hash of a random string, computed once: verifying against it when the email is unknown makes
 * a failed login take as long as a wrong password, so timing does not reveal which emails exist.
 */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(`dummy-${Math.random()}`);
  return dummy;
}
