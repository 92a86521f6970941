import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DISPLAY_TOKEN_PATTERN, hashDisplayToken, newDisplayToken } from '../../src/queue/tickets.js';

describe('display tokens', () => {
  it('are 32 random bytes in base64url, stored only as their SHA-256', () => {
    const a = newDisplayToken();
    const b = newDisplayToken();
    expect(a.token).toMatch(DISPLAY_TOKEN_PATTERN);
    expect(Buffer.from(a.token, 'base64url')).toHaveLength(32);
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toEqual(createHash('sha256').update(a.token).digest());
    expect(hashDisplayToken(a.token)).toEqual(a.hash);
  });
});
