import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { describeOnEveryBackend } from '../helpers/backends.js';
import { client, createAccount, TEST_PASSWORD, type TestAccount, useTestHub } from '../helpers/harness.js';
import type { Problem } from '../helpers/problems.js';
import { patients } from '../helpers/scene.js';

/** Retry-After as whole seconds; the login window is 15 minutes. */
function retryAfterSeconds(headers: Headers): number {
  const value = headers.get('retry-after');
  expect(value).toMatch(/^\d+$/);
  return Number(value);
}

describeOnEveryBackend('someone guesses passwords for one account', (backend) => {
  const hub = useTestHub({
    ...backend,
    RATE_LIMITS: 'on',
    LOGIN_LIMIT_PER_ACCOUNT: '3',
    LOGIN_LIMIT_PER_IP: '1000',
  });
  const api = client(hub);
  const login = (email: string, password: string) => api.post<Problem>('/v1/auth/login', { email, password });

  it('after 3 wrong passwords even the right one is refused with 429 and Retry-After', async () => {
    const victim = await createAccount(hub, 'patient');
    // The email's case does not give the guesser fresh attempts.
    for (const email of [victim.email, victim.email.toUpperCase(), ` ${victim.email}`]) {
      const wrong = await login(email, 'wrong password!');
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe('invalid_credentials');
    }
    const right = await login(victim.email, TEST_PASSWORD);
    expect(right.status).toBe(429);
    expect(right.body.code).toBe('rate_limited');
    expect(right.headers.get('content-type')).toContain('application/problem+json');
    const seconds = retryAfterSeconds(right.headers);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(15 * 60);

    expect((await login(victim.email, 'wrong password!')).status).toBe(429);
  });

  it('another account is unaffected', async () => {
    const other = await createAccount(hub, 'patient');
    const res = await login(other.email, TEST_PASSWORD);
    expect(res.status).toBe(200);
  });

  it('a successful login forgets earlier failures', async () => {
    const forgetful = await createAccount(hub, 'patient');
    for (let round = 0; round < 3; round++) {
      expect((await login(forgetful.email, 'wrong password!')).status).toBe(401);
      expect((await login(forgetful.email, 'wrong password!')).status).toBe(401);
      expect((await login(forgetful.email, TEST_PASSWORD)).status).toBe(200);
    }
  });

  it('guessing against an email nobody has is limited just the same', async () => {
    const email = `ghost-${randomUUID()}@example.com`;
    for (let i = 0; i < 3; i++) expect((await login(email, 'wrong password!')).status).toBe(401);
    expect((await login(email, 'wrong password!')).status).toBe(429);
  });
});

describeOnEveryBackend('one address tries many accounts', (backend) => {
  const hub = useTestHub({
    ...backend,
    RATE_LIMITS: 'on',
    LOGIN_LIMIT_PER_ACCOUNT: '1000',
    LOGIN_LIMIT_PER_IP: '3',
    REGISTER_LIMIT_PER_IP: '2',
  });
  const api = client(hub);
  let accounts: TestAccount[];

  beforeAll(async () => {
    accounts = await patients(hub, 4);
  });

  it('the 4th login from the address is 429, even with the right password for a fresh account', async () => {
    for (const account of accounts.slice(0, 3)) {
      expect(
        (await api.post('/v1/auth/login', { email: account.email, password: 'wrong password!' })).status,
      ).toBe(401);
    }
    const res = await api.post<Problem>('/v1/auth/login', {
      email: accounts[3]!.email,
      password: TEST_PASSWORD,
    });
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('rate_limited');
    expect(retryAfterSeconds(res.headers)).toBeGreaterThanOrEqual(1);
  });

  it('registrations from the address are limited too', async () => {
    const register = () =>
      api.post<Problem>('/v1/auth/register', {
        email: `new-${randomUUID()}@example.com`,
        password: 'a long enough password',
        name: 'New Patient',
      });
    expect((await register()).status).toBe(201);
    expect((await register()).status).toBe(201);
    const third = await register();
    expect(third.status).toBe(429);
    expect(third.body.code).toBe('rate_limited');
    expect(retryAfterSeconds(third.headers)).toBeGreaterThanOrEqual(1);
  });
});
