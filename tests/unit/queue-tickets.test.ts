import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DISPLAY_TOKEN_PATTERN,
  hashDisplayToken,
  newDisplayToken,
  ticketLabel,
} from '../../src/queue/tickets.js';

describe('ticketLabel', () => {
  it('pads to three digits and grows past 999', () => {
    expect(ticketLabel(1)).toBe('A-001');
    expect(ticketLabel(14)).toBe('A-014');
    expect(ticketLabel(999)).toBe('A-999');
    expect(ticketLabel(1000)).toBe('A-1000');
  });

  it('refuses what is not a ticket number', () => {
    for (const n of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => ticketLabel(n)).toThrow(RangeError);
  });
});

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
