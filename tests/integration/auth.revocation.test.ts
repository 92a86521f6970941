import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createAccount, startTestHub, TEST_PASSWORD, type TestHub } from '../helpers/harness.js';
import { expectCode } from '../helpers/problems.js';
import { connectSocket, subscribe } from '../helpers/sockets.js';

type Session = { accessToken: string; refreshToken: string; user: { id: string } };

/**
 * A session ends on its very next use, wherever it is used: two hub processes share a database and a
 * Redis prefix, and what one revokes the other refuses at once (no 15-minute wait for the token to
 * expire, no 30-second session sweep).
 */
describe('a revoked session is refused on its next request, on every hub process', () => {
  let first: TestHub;
  let second: TestHub;
  beforeAll(async () => {
    // One secret for both, as processes behind one load balancer share it.
    const env = { JWT_SECRET: randomBytes(32).toString('base64url') };
    first = await startTestHub(env, { keepDatabase: true });
    second = await startTestHub(env, { database: first.database });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  const login = async (hub: TestHub, email: string) => {
    const res = await client(hub).post<Session>('/v1/auth/login', { email, password: TEST_PASSWORD });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  it('logout on one process: the same access token is 401 on the next request there and on the other', async () => {
    const patient = await createAccount(first, 'patient');
    const session = await login(first, patient.email);
    const onSecond = client(second);
    // Both processes have seen the session alive (and remember it).
    expect((await client(first).get('/v1/me', session.accessToken)).status).toBe(200);
    expect((await onSecond.get('/v1/me', session.accessToken)).status).toBe(200);

    expect((await client(first).post('/v1/auth/logout', undefined, session.accessToken)).status).toBe(204);
    expectCode(await client(first).get('/v1/me', session.accessToken), 401, 'unauthorized');
    // The announcement travels through Redis; the other process has it within moments, not minutes.
    const deadline = Date.now() + 1000;
    let status = 200;
    while (status === 200 && Date.now() < deadline)
      status = (await onSecond.get('/v1/me', session.accessToken)).status;
    expect(status).toBe(401);
  });

  it('a refresh token presented twice ends the whole family: its access token stops at once', async () => {
    const patient = await createAccount(first, 'patient');
    const session = await login(first, patient.email);
    const api = client(first);
    expect((await api.post('/v1/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(200);
    expectCode(
      await api.post('/v1/auth/refresh', { refreshToken: session.refreshToken }),
      401,
      'invalid_refresh_token',
    );
    expectCode(await api.get('/v1/me', session.accessToken), 401, 'unauthorized');
  });

  it('a password change ends every other session (HTTP and socket) and keeps the one that changed it', async () => {
    const patient = await createAccount(first, 'patient');
    const phone = await login(first, patient.email);
    const laptop = await login(second, patient.email);
    const socket = await connectSocket(second.url, laptop.accessToken);
    try {
      expect((await subscribe(socket, `user:${patient.id}`)).ok).toBe(true);
      const ended = new Promise<{ reason: string }>((resolve) => socket.once('session_expired', resolve));

      const api = client(first);
      expectCode(
        await api.post(
          '/v1/me/password',
          { currentPassword: 'not it at all', newPassword: 'a new long password' },
          phone.accessToken,
        ),
        401,
        'invalid_credentials',
      );
      const changed = await api.post(
        '/v1/me/password',
        { currentPassword: TEST_PASSWORD, newPassword: 'a new long password' },
        phone.accessToken,
      );
      expect(changed.status, JSON.stringify(changed.body)).toBe(204);

      expect(await ended).toEqual({ reason: 'revoked' });
      expectCode(await client(second).get('/v1/me', laptop.accessToken), 401, 'unauthorized');
      expect((await api.get('/v1/me', phone.accessToken)).status).toBe(200);
      // The socket's next event finds it signed out: the private room is refused.
      expect((await subscribe(socket, `user:${patient.id}`)).ok).toBe(false);
      // The old password no longer opens a session; the new one does.
      expectCode(
        await api.post('/v1/auth/login', { email: patient.email, password: TEST_PASSWORD }),
        401,
        'invalid_credentials',
      );
      expect(
        (await api.post('/v1/auth/login', { email: patient.email, password: 'a new long password' })).status,
      ).toBe(200);
    } finally {
      socket.disconnect();
    }
  });

  it('what a signed-in caller reads is never stored by a cache', async () => {
    const patient = await createAccount(first, 'patient');
    const api = client(first);
    for (const path of ['/v1/me', '/v1/appointments', '/v1/notifications']) {
      const res = await api.get(path, patient.token);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
    // A refusal to a signed-in caller too; public answers without a token are left to their routes.
    expect((await api.get('/v1/no-such-thing', patient.token)).headers.get('cache-control')).toBe('no-store');
  });
});
