import { createHash, randomBytes } from 'node:crypto';

/** Display tokens carry 32 random bytes, base64url: 43 characters. */
export const DISPLAY_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Only this hash is stored: a leaked table opens no display. SHA-256 suffices for 256 random bits. */
export function hashDisplayToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** A fresh display token and the hash to store; the token itself is shown once and never kept. */
export function newDisplayToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashDisplayToken(token) };
}
