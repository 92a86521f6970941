import { describe, expect, it } from 'vitest';
import { createAccount, TEST_PASSWORD, useTestApi } from '../helpers/harness.js';
import { expectProblem } from '../helpers/problems.js';
import { scene } from '../helpers/scene.js';

/**
 * Values at the edge of the calendar and of Unicode that Postgres refuses or stores as garbage: each is
 * a 400 naming the field before it reaches the database (they were 500s, and time off in year 9999 was
 * accepted). And a password guesser at /admin/queues meets the login's limits.
 */
describe('input at the edges is refused with a 400, never a 500', () => {
  const { hub, api } = useTestApi();

  it('dates and instants outside the years 1900–2200, in every place a client sends one', async () => {
    const { doctorId, doctor, patient } = await scene(hub);
    for (const year of ['0000', '0001', '1899', '2201', '9999']) {
      const date = `${year}-06-15`;
      const instant = `${year}-06-15T09:00:00Z`;
      for (const field of ['validFrom', 'validTo']) {
        const rule = { weekday: 1, start: '09:00', end: '12:00', slotMinutes: 30, [field]: date };
        expectProblem(
          await api.put(`/v1/doctors/${doctorId}/availability`, { rules: [rule] }, doctor.token),
          400,
          'validation_failed',
          `body.rules.0.${field}`,
        );
      }
      expectProblem(
        await api.post(
          `/v1/doctors/${doctorId}/time-off`,
          { start: instant, end: `${year}-06-16T09:00:00Z` },
          doctor.token,
        ),
        400,
        'validation_failed',
        'body.start',
      );
      expectProblem(
        await api.get(`/v1/doctors/${doctorId}/slots?from=${date}&to=${date}`),
        400,
        'validation_failed',
        'query.from',
      );
      expectProblem(
        await api.get(`/v1/doctors?availableOn=${date}`),
        400,
        'validation_failed',
        'query.availableOn',
      );
      expectProblem(
        await api.get(`/v1/appointments?date=${date}`, patient!.token),
        400,
        'validation_failed',
        'query.date',
      );
      expectProblem(
        await api.post('/v1/appointments', { doctorId, start: instant }, patient!.token),
        400,
        'validation_failed',
        'body.start',
      );
    }
    // The edges themselves are fine.
    const edge = await api.get(`/v1/doctors/${doctorId}/slots?from=2200-12-01&to=2200-12-31`);
    expect(edge.status, JSON.stringify(edge.body)).toBe(200);
    expect((await api.get('/v1/doctors?availableOn=1900-01-01')).status).toBe(200);
  });

  it('a lone UTF-16 surrogate in any text (a value, a key) is refused, and a real emoji is kept', async () => {
    const { doctorId, patient } = await scene(hub);
    const res = await api.call('POST', '/v1/auth/register', {
      raw: '{"email":"lone@example.com","password":"long enough pass","name":"A \\ud83d B"}',
    });
    expectProblem(res, 400, 'validation_failed', 'body.name');
    expect((res.body as { errors: { message: string }[] }).errors[0]!.message).toBe(
      'must be well-formed Unicode',
    );
    expectProblem(
      await api.call('POST', '/v1/appointments', {
        raw: `{"doctorId":"${doctorId}","start":"2030-01-01T09:00:00Z","reason":"x \\udc00"}`,
        token: patient!.token,
      }),
      400,
      'validation_failed',
      'body.reason',
    );
    // A key too (a strict object would call it unknown; the text check comes first and says why).
    const key = await api.call('POST', '/v1/auth/login', { raw: '{"email":"a@example.com","\\ud800":"x"}' });
    expectProblem(key, 400, 'validation_failed');
    expect((key.body as { errors: { message: string }[] }).errors[0]!.message).toBe(
      'must be well-formed Unicode',
    );
    const named = await api.post('/v1/auth/register', {
      email: 'emoji@example.com',
      password: 'long enough pass',
      name: 'Zoë 🙂',
    });
    expect(named.status).toBe(201);
    expect((named.body as { user: { name: string } }).user.name).toBe('Zoë 🙂');
  });
});

describe('/admin/queues: password guessing meets the login limits', () => {
  const { hub, api } = useTestApi({
    RATE_LIMITS: 'on',
    LOGIN_LIMIT_PER_ACCOUNT: '3',
    LOGIN_LIMIT_PER_IP: '50',
  });

  it('after 3 wrong Basic passwords the account is locked (429 with Retry-After), even with the right one', async () => {
    const admin = await createAccount(hub, 'admin');
    const basic = (password: string) => ({
      authorization: `Basic ${Buffer.from(`${admin.email}:${password}`).toString('base64')}`,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await api.call('GET', '/admin/queues', { headers: basic(`guess ${i}`) })).status);
    expect(statuses.slice(0, 2)).toEqual([401, 401]);
    const locked = await api.call('GET', '/admin/queues', { headers: basic(TEST_PASSWORD) });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('the right password opens the dashboard, and a Bearer token of a revoked session does not', async () => {
    const admin = await createAccount(hub, 'admin');
    const ok = await api.call('GET', '/admin/queues', {
      headers: {
        authorization: `Basic ${Buffer.from(`${admin.email}:${TEST_PASSWORD}`).toString('base64')}`,
      },
    });
    expect(ok.status).toBe(200);
    expect(
      (await api.call('GET', '/admin/queues', { headers: { authorization: `Bearer ${admin.token}` } }))
        .status,
    ).toBe(200);
    expect((await api.post('/v1/auth/logout', undefined, admin.token)).status).toBe(204);
    expect(
      (await api.call('GET', '/admin/queues', { headers: { authorization: `Bearer ${admin.token}` } }))
        .status,
    ).toBe(401);
  });
});
