import { describe, expect, it } from 'vitest';
import { useTestApi } from '../helpers/harness.js';

type Session = {
  user: { id: string; role: string; email: string };
  accessToken: string;
  refreshToken: string;
};

describe('a patient signs up, signs in, refreshes and signs out', () => {
  const { api } = useTestApi();

  const account = { email: 'Ada.Lovelace@Example.com', password: 'analytical engine', name: 'Ada Lovelace' };
  const credentials = { email: account.email, password: account.password };

  it('registers as a patient and can read /v1/me', async () => {
    const reg = await api.post<Session>('/v1/auth/register', account);
    expect(reg.status).toBe(201);
    expect(reg.body.user).toMatchObject({ email: 'ada.lovelace@example.com', role: 'patient' });
    const me = await api.get('/v1/me', reg.body.accessToken);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: reg.body.user.id, name: 'Ada Lovelace' });
  });

  it('refuses a second account with the same email, whatever its case', async () => {
    const again = await api.post('/v1/auth/register', { ...account, email: 'ADA.LOVELACE@example.com' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('email_taken');
  });

  it('answers a wrong password and an unknown email with the same body', async () => {
    const wrong = await api.post('/v1/auth/login', {
      email: credentials.email,
      password: 'not the password',
    });
    const unknown = await api.post('/v1/auth/login', {
      email: 'nobody@example.com',
      password: 'not the password',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = ({ requestId: _r, ...rest }: Record<string, unknown>) => rest;
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
    expect(wrong.body.code).toBe('invalid_credentials');
  });

  it('rotates the refresh token on every use; reusing an old one revokes the family', async () => {
    const login = await api.post<Session>('/v1/auth/login', credentials);
    expect(login.status).toBe(200);
    const first = login.body.refreshToken;

    const second = await api.post<Session>('/v1/auth/refresh', { refreshToken: first });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first);

    const third = await api.post<Session>('/v1/auth/refresh', { refreshToken: second.body.refreshToken });
    expect(third.status).toBe(200);

    const replay = await api.post('/v1/auth/refresh', { refreshToken: first });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('invalid_refresh_token');

    // The newest token of the family is dead too.
    const newest = await api.post('/v1/auth/refresh', { refreshToken: third.body.refreshToken });
    expect(newest.status).toBe(401);
  });

  it('lets at most one of 20 concurrent refreshes of one token succeed', async () => {
    const login = await api.post<Session>('/v1/auth/login', credentials);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.post('/v1/auth/refresh', { refreshToken: login.body.refreshToken }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(1);
    expect(statuses.every((s) => s === 200 || s === 401)).toBe(true);
  });

  it('logout revokes the refresh family', async () => {
    const login = await api.post<Session>('/v1/auth/login', credentials);
    const out = await api.post('/v1/auth/logout', undefined, login.body.accessToken);
    expect(out.status).toBe(204);
    const refresh = await api.post('/v1/auth/refresh', { refreshToken: login.body.refreshToken });
    expect(refresh.status).toBe(401);
  });

  it('a signed-in route without a token is 401 problem+json', async () => {
    const me = await api.get('/v1/me');
    expect(me.status).toBe(401);
    expect(me.headers.get('content-type')).toContain('application/problem+json');
    expect(me.body).toMatchObject({ code: 'unauthorized', status: 401 });
    expect(typeof me.body.requestId).toBe('string');
  });
});
