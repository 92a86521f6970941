import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenService } from '../../src/auth/tokens.js';

const jwt = {
  secret: 'a-test-secret-that-is-long-enough-for-hs256-000',
  previousSecrets: [],
  issuer: 'booking-hub',
  audience: 'booking-hub-api',
  accessTtlSeconds: 60,
};
const principal = {
  userId: '00000000-0000-4000-8000-000000000001',
  role: 'patient' as const,
  clinicId: undefined,
  familyId: '00000000-0000-4000-8000-000000000002',
};

describe('access tokens verified once are remembered, never past their expiry', () => {
  afterEach(() => vi.useRealTimers());

  it('answers the same principal again, frozen so no request can change it for the next', async () => {
    const tokens = createTokenService(jwt);
    const { token } = await tokens.signAccess(principal);
    const first = await tokens.verifyAccess(token);
    const again = await tokens.verifyAccess(token);
    expect(again).toEqual(principal);
    expect(again).toBe(first);
    expect(Object.isFrozen(again)).toBe(true);
  });

  it('refuses a remembered token once it has expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T10:00:00Z'));
    const tokens = createTokenService(jwt);
    const { token } = await tokens.signAccess(principal);
    await expect(tokens.verifyAccess(token)).resolves.toMatchObject({ userId: principal.userId });
    vi.setSystemTime(new Date('2026-12-01T10:01:01Z'));
    await expect(tokens.verifyAccess(token)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('does not remember a token that failed, nor a tampered copy of a good one', async () => {
    const tokens = createTokenService(jwt);
    const { token } = await tokens.signAccess(principal);
    await tokens.verifyAccess(token);
    const [h, p, s] = token.split('.');
    const tampered = `${h}.${p}.${s!.slice(0, -2)}${s!.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(tokens.verifyAccess(tampered)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(tokens.verifyAccess(tampered)).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
