import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateRedis } from '../../src/infra/private-redis.js';
import { createRedis, redisAnswers } from '../../src/infra/redis.js';
import { planRedis } from '../../src/infra/redis-target.js';
import { DEMO_CLINICS, DEMO_DOCTORS, DEMO_PASSWORD, DEMO_PATIENTS } from '../../src/seed/demo-data.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { client } from '../helpers/harness.js';
import { freePort, inheritedEnv, type NodeProcess, spawnNode, waitUntil } from '../helpers/process.js';

type Session = {
  user: { id: string; email: string; role: string };
  accessToken: string;
  refreshToken: string;
};
type Page = { items: { id: string; name: string }[]; nextCursor: string | null };

const BANNER = /booking-hub is running\n\s+API\s+(http:\/\/127\.0\.0\.1:\d+)\/v1/;
const STARTUP_MS = 60_000;

/** A failure message with the answer and the hub's last error log lines, since its logs are not shown. */
const explain = (hub: NodeProcess, body: unknown) =>
  [
    JSON.stringify(body),
    ...hub
      .stdout()
      .split('\n')
      .filter((line) => /"level":(50|60)/.test(line))
      .slice(-5),
  ].join('\n');

/** Removes what the hubs left in the shared Redis (BullMQ metadata, rate-limit counters). */
async function deleteKeys(pattern: string): Promise<void> {
  const redis = createRedis({ url: TEST_REDIS_URL }, 'test-cleanup');
  try {
    for await (const keys of redis.scanStream({ match: pattern, count: 500 })) {
      if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
}

describe('`npm start` with no configuration: embedded Postgres in DATA_DIR that survives a restart', () => {
  const started: NodeProcess[] = [];
  const redisPrefix = `t-embedded-${randomBytes(4).toString('hex')}`;
  const demoPatient = { email: DEMO_PATIENTS[0]!.email, password: DEMO_PASSWORD };
  const newPatient = {
    email: `river.song-${randomBytes(3).toString('hex')}@example.com`,
    password: 'hello sweetie',
    name: 'River Song',
  };
  let dataDir: string;
  let registeredId: string | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'bh-embedded-'));
  });
  afterAll(async () => {
    await Promise.all(started.map((p) => p.kill()));
    await rm(dataDir, { recursive: true, force: true });
    await deleteKeys(`${redisPrefix}:*`);
  });

  /** `node --import tsx src/main.ts` as `npm start` runs it: no DATABASE_URL, a fresh DATA_DIR. */
  async function startHub(): Promise<{ hub: NodeProcess; url: string }> {
    // Never two hubs on one DATA_DIR, even when an earlier test failed before its SIGTERM.
    await Promise.all(started.map((p) => p.kill()));
    const env = Object.assign(inheritedEnv(), {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      LOG_LEVEL: 'info',
      REDIS_PREFIX: redisPrefix,
    });
    // Only where the test run itself was pointed at another Redis; otherwise the hub finds 127.0.0.1:6379.
    if (process.env.TEST_REDIS_URL) env.REDIS_URL = process.env.TEST_REDIS_URL;
    const hub = spawnNode(['--import', 'tsx', 'src/main.ts'], env);
    started.push(hub);
    const [, url] = await hub.waitForOutput(BANNER, STARTUP_MS);
    await waitUntil('GET /healthz', async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), {
      timeoutMs: 10_000,
    });
    return { hub, url: url! };
  }

  it('first start: seeds the demo, prints the logins, registers a patient and stops cleanly on SIGTERM', async () => {
    const { hub, url } = await startHub();
    expect(hub.stdout()).toContain('Demo logins (password: demo-password)');
    expect(hub.stdout()).toContain(demoPatient.email);
    const api = client({ url });

    const ready = await api.get('/readyz');
    expect(ready.body).toMatchObject({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });

    const doctors = await api.get<Page>('/v1/doctors');
    expect(doctors.status, explain(hub, doctors.body)).toBe(200);
    expect(doctors.body.items.map((d) => d.name).sort()).toEqual(DEMO_DOCTORS.map((d) => d.name).sort());

    const registered = await api.post<Session>('/v1/auth/register', newPatient);
    expect(registered.status).toBe(201);
    expect(registered.body.user.role).toBe('patient');
    registeredId = registered.body.user.id;

    const demo = await api.post<Session>('/v1/auth/login', demoPatient);
    expect(demo.status).toBe(200);
    const me = await api.get('/v1/me', demo.body.accessToken);
    expect(me.body).toMatchObject({
      email: demoPatient.email,
      role: 'patient',
      name: DEMO_PATIENTS[0]!.name,
    });

    expect(await hub.stop('SIGTERM'), `stderr:\n${hub.stderr().slice(-2000)}`).toBe(0);
    expect(hub.stdout()).toContain('"msg":"shutting down"');
  }, 120_000);

  it('keeps development secrets in DATA_DIR/secrets.json, readable by its owner only', async () => {
    const secrets = await stat(join(dataDir, 'secrets.json'));
    expect(secrets.mode & 0o777).toBe(0o600);
  });

  it('second start on the same DATA_DIR: the patient still signs in and the demo is not seeded twice', async () => {
    expect(registeredId, 'the first start must have registered the patient').toBeDefined();
    const { hub, url } = await startHub();
    expect(hub.stdout()).not.toContain('demo data seeded');
    const api = client({ url });

    const login = await api.post<Session>('/v1/auth/login', {
      email: newPatient.email,
      password: newPatient.password,
    });
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(registeredId);

    const doctors = await api.get<Page>('/v1/doctors?limit=50');
    expect(doctors.status, explain(hub, doctors.body)).toBe(200);
    expect(doctors.body.items).toHaveLength(DEMO_DOCTORS.length);
    const clinics = await api.get<Page>('/v1/clinics?limit=50');
    expect(clinics.status, explain(hub, clinics.body)).toBe(200);
    expect(clinics.body.items).toHaveLength(DEMO_CLINICS.length);

    const demo = await api.post<Session>('/v1/auth/login', demoPatient);
    expect(demo.status).toBe(200);

    // Issue 3's "done when", on the demo data: a month of slots, hold, book, see it, reschedule, cancel.
    const token = demo.body.accessToken;
    const doctorId = doctors.body.items[0]!.id;
    const from = new Date().toISOString().slice(0, 10);
    const to = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const board = await api.get<{ slots: { start: string; status: string }[] }>(
      `/v1/doctors/${doctorId}/slots?from=${from}&to=${to}`,
    );
    expect(board.status, explain(hub, board.body)).toBe(200);
    const free = board.body.slots.filter((slot) => slot.status === 'free');
    expect(free.length).toBeGreaterThan(100);
    const hold = await api.post<{ holdId: string }>('/v1/holds', { doctorId, start: free[0]!.start }, token);
    expect(hold.status, explain(hub, hold.body)).toBe(201);
    const booked = await api.post<{ id: string }>('/v1/appointments', { holdId: hold.body.holdId }, token);
    expect(booked.status, explain(hub, booked.body)).toBe(201);
    const mine = await api.get<{ items: { id: string }[] }>('/v1/appointments', token);
    expect(mine.body.items.map((a) => a.id)).toContain(booked.body.id);
    const moved = await api.post<{ start: string }>(
      `/v1/appointments/${booked.body.id}/reschedule`,
      { start: free[5]!.start },
      token,
    );
    expect(moved.status, explain(hub, moved.body)).toBe(200);
    expect(moved.body.start).toBe(free[5]!.start);
    const cancelled = await api.post<{ status: string }>(
      `/v1/appointments/${booked.body.id}/cancel`,
      {},
      token,
    );
    expect(cancelled.body.status).toBe('cancelled');

    expect(await hub.stop('SIGTERM'), `stderr:\n${hub.stderr().slice(-2000)}`).toBe(0);
  }, 120_000);
});

describe('Redis when REDIS_URL is not set', () => {
  it('a private redis-server listens on a unix socket, answers PING and is gone after close()', async () => {
    const priv = await startPrivateRedis();
    try {
      expect(existsSync(priv.path)).toBe(true);
      const redis = createRedis({ path: priv.path }, 'test');
      try {
        expect(await redis.ping()).toBe('PONG');
      } finally {
        redis.disconnect();
      }
    } finally {
      await priv.close();
    }
    expect(existsSync(priv.path)).toBe(false);
    expect(await redisAnswers({ path: priv.path })).toBe(false);
  });

  it('planRedis picks 127.0.0.1:6379 when something answers there', async (ctx) => {
    const local = 'redis://127.0.0.1:6379';
    if (!(await redisAnswers({ url: local }))) ctx.skip('nothing answers on 127.0.0.1:6379 here');
    expect(await planRedis(undefined, 'all')).toEqual({ kind: 'url', url: local, describe: local });
  });

  it('a REDIS_URL that does not answer is refused, naming the URL without its password', async () => {
    const url = 'redis://user:s3cret@127.0.0.1:1/0';
    const refused = planRedis(url, 'all');
    await expect(refused).rejects.toThrow('nothing answers at REDIS_URL=redis://user:***@127.0.0.1:1/0');
    await expect(refused).rejects.not.toThrow('s3cret');
  });

  it('a start that cannot have its REDIS_URL fails before creating the database, naming the URL', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'bh-no-start-'));
    try {
      const env = Object.assign(inheritedEnv(), {
        DATA_DIR: dataDir,
        PORT: String(await freePort()),
        REDIS_URL: 'redis://127.0.0.1:1',
      });
      const hub = spawnNode(['--import', 'tsx', 'src/main.ts'], env);
      expect(await hub.exited()).toBe(1);
      expect(hub.stderr()).toContain('No Redis: nothing answers at REDIS_URL=redis://127.0.0.1:1');
      expect(existsSync(join(dataDir, 'pgdata'))).toBe(false);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('REDIS_URL=none runs one process without Redis; --role api or worker refuses it', async () => {
    expect(await planRedis('none', 'all')).toMatchObject({ kind: 'none' });
    await expect(planRedis('none', 'api')).rejects.toThrow(/--role api runs beside other processes/);
    await expect(planRedis('none', 'worker')).rejects.toThrow(/--role worker/);
  });
});
