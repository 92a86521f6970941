import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  client,
  createAccount,
  createClinic,
  startTestHub,
  TEST_PASSWORD,
  type TestHub,
} from '../helpers/harness.js';
import type { Problem } from '../helpers/problems.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { connectSocket, subscribe } from '../helpers/sockets.js';

interface Session {
  user: {
    id: string;
    role: string;
    active: boolean;
    name: string;
    phone: string | null;
    language: string | null;
  };
  accessToken: string;
  refreshToken: string;
}
interface User {
  id: string;
  email: string;
  role: string;
  clinicId: string | null;
  active: boolean;
}

describe("the admin's account work and a user's own profile, with SMTP for reset links", () => {
  let hub: TestHub;
  let smtp: TestSmtp;
  let api: ReturnType<typeof client>;
  let adminToken: string;

  beforeAll(async () => {
    smtp = await startSmtp();
    hub = await startTestHub({ SMTP_URL: smtp.url, PUBLIC_URL: 'http://hub.test' });
    api = client(hub);
    adminToken = (await createAccount(hub, 'admin')).token;
  });
  afterAll(async () => {
    await hub?.close();
    await smtp?.close();
  });

  async function register(name: string) {
    const email = `${name.toLowerCase()}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.com`;
    const res = await api.post<Session>('/v1/auth/register', { email, password: TEST_PASSWORD, name });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { email, ...res.body };
  }

  it('deactivation cuts an open socket at once and refuses the old tokens and the password; reactivation lets them sign in again', async () => {
    const pat = await register('Dora');
    const socket = await connectSocket(hub.url, pat.accessToken);
    expect((await subscribe(socket, `user:${pat.user.id}`)).ok).toBe(true);
    const cut = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

    const off = await api.patch<User>(`/v1/users/${pat.user.id}`, { active: false }, adminToken);
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(off.body.active).toBe(false);
    expect(await cut).toBe('io server disconnect');
    expect((await api.get('/v1/me', pat.accessToken)).status).toBe(401);
    expect((await api.post('/v1/auth/refresh', { refreshToken: pat.refreshToken })).status).toBe(401);
    const login = await api.post<Problem>('/v1/auth/login', { email: pat.email, password: TEST_PASSWORD });
    expect(login.body.code).toBe('account_inactive');

    expect((await api.patch<User>(`/v1/users/${pat.user.id}`, { active: true }, adminToken)).status).toBe(
      200,
    );
    expect((await api.post('/v1/auth/login', { email: pat.email, password: TEST_PASSWORD })).status).toBe(
      200,
    );
  });

  it('lists and searches accounts, changes a role and clinic, and refuses what does not fit', async () => {
    const clinic = await createClinic(hub);
    const pat = await register('Quentin');
    const found = await api.get<{ items: User[] }>('/v1/users?q=quentin&role=patient', adminToken);
    expect(found.body.items.map((u) => u.id)).toEqual([pat.user.id]);
    expect(
      (await api.get<{ items: User[] }>('/v1/users?active=false&q=quentin', adminToken)).body.items,
    ).toEqual([]);

    const noClinic = await api.patch<Problem>(`/v1/users/${pat.user.id}`, { role: 'staff' }, adminToken);
    expect(noClinic.body.code).toBe('validation_failed');
    const staff = await api.patch<User>(
      `/v1/users/${pat.user.id}`,
      { role: 'staff', clinicId: clinic.id },
      adminToken,
    );
    expect(staff.body).toMatchObject({ role: 'staff', clinicId: clinic.id });
    // Their old session carried the patient role: it is over.
    expect((await api.post('/v1/auth/refresh', { refreshToken: pat.refreshToken })).status).toBe(401);
    const byClinic = await api.get<{ items: User[] }>(`/v1/users?clinicId=${clinic.id}`, adminToken);
    expect(byClinic.body.items.map((u) => u.id)).toContain(pat.user.id);

    const page = await api.get<{ items: User[]; nextCursor: string | null }>('/v1/users?limit=1', adminToken);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.nextCursor).not.toBeNull();
  });

  it('who may use the account routes: admins only for /v1/users; anyone signed in for /v1/me', async () => {
    const pat = await register('Ivy');
    const staff = await createAccount(hub, 'staff', { clinicId: (await createClinic(hub)).id });
    const doctor = await createAccount(hub, 'doctor');
    for (const token of [pat.accessToken, staff.token, doctor.token]) {
      expect((await api.get('/v1/users', token)).status).toBe(403);
      expect((await api.patch(`/v1/users/${pat.user.id}`, { active: false }, token)).status).toBe(403);
      expect((await api.post(`/v1/users/${pat.user.id}/password-reset`, undefined, token)).status).toBe(403);
    }
    expect((await api.get('/v1/users')).status).toBe(401);
    expect((await api.patch('/v1/me', { name: 'x' })).status).toBe(401);
    const me = await api.patch<Session['user']>(
      '/v1/me',
      { name: 'Ivy Lane', phone: '+49 30 1234567', language: 'de' },
      pat.accessToken,
    );
    expect(me.body).toMatchObject({ name: 'Ivy Lane', phone: '+49 30 1234567', language: 'de' });
    expect((await api.patch<Problem>('/v1/me', { role: 'admin' }, pat.accessToken)).body.code).toBe(
      'validation_failed',
    );
  });

  it('a password change keeps this session and ends the others', async () => {
    const pat = await register('Olga');
    const other = await api.post<Session>('/v1/auth/login', { email: pat.email, password: TEST_PASSWORD });
    const wrong = await api.post<Problem>(
      '/v1/me/password',
      { currentPassword: 'nope', newPassword: 'a new long password' },
      pat.accessToken,
    );
    expect(wrong.body.code).toBe('invalid_credentials');
    const ok = await api.post(
      '/v1/me/password',
      { currentPassword: TEST_PASSWORD, newPassword: 'a new long password' },
      pat.accessToken,
    );
    expect(ok.status).toBe(204);
    expect((await api.get('/v1/me', other.body.accessToken)).status).toBe(401);
    expect((await api.get('/v1/me', pat.accessToken)).status).toBe(200);
    expect((await api.post('/v1/auth/refresh', { refreshToken: other.body.refreshToken })).status).toBe(401);
    expect((await api.post('/v1/auth/refresh', { refreshToken: pat.refreshToken })).status).toBe(200);
    expect(
      (await api.post('/v1/auth/login', { email: pat.email, password: 'a new long password' })).status,
    ).toBe(200);
  });

  it('a reset link by email, sent by an admin or asked for by the user, works once and ends every session', async () => {
    const pat = await register('Rosa');
    const before = smtp.messages.length;
    expect(
      (await api.post<{ emailed: boolean }>(`/v1/users/${pat.user.id}/password-reset`, undefined, adminToken))
        .body,
    ).toEqual({
      emailed: true,
    });
    expect((await api.post('/v1/auth/password-reset', { email: pat.email })).status).toBe(202);
    expect((await api.post('/v1/auth/password-reset', { email: 'nobody@example.com' })).status).toBe(202);
    const mails = (await smtp.waitFor(before + 2)).slice(before);
    expect(mails.map((m) => (m.to && 'text' in m.to ? m.to.text : ''))).toEqual([pat.email, pat.email]);
    const token = /reset=([^\s"&]+)/.exec(mails[1]!.text ?? '')![1]!;
    expect(mails[1]!.text).toContain('http://hub.test/?reset=');

    const set = await api.post('/v1/auth/password-reset/confirm', {
      token: decodeURIComponent(token),
      password: 'reset password 123',
    });
    expect(set.status).toBe(204);
    const again = await api.post<Problem>('/v1/auth/password-reset/confirm', {
      token: decodeURIComponent(token),
      password: 'other password 123',
    });
    expect(again.body.code).toBe('invalid_reset_token');
    expect((await api.post('/v1/auth/refresh', { refreshToken: pat.refreshToken })).status).toBe(401);
    expect(
      (await api.post('/v1/auth/login', { email: pat.email, password: 'reset password 123' })).status,
    ).toBe(200);
  });
});
