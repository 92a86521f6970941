import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateIn, everyDay, slotsOn } from '../helpers/booking.js';
import { client, startTestHub, type TestHub } from '../helpers/harness.js';
import { type PrivateServer, privatePostgres, privateRedis } from '../helpers/private-servers.js';
import { scene } from '../helpers/scene.js';

/** How long each dependency is away; CHAOS_OUTAGE_MS=10000 runs the ten-second form. */
const OUTAGE_MS = Number(process.env.CHAOS_OUTAGE_MS ?? 3000);
const DEADLINE_MS = 2000;
/** What a loaded machine's event loop may add to the deadline before an answer counts as late. */
const SLACK_MS = 1000;
/** Recovery: from the dependency answering again to the first booking acknowledged after it. */
const RECOVERY_MS = 2000;

type Answer = { sentAt: number; ms: number; status: number; id?: string; code?: string };

/**
 * Pulling the cables under a booking load: the hub runs on a Redis and a Postgres of the test's own,
 * patients keep booking (one new slot each time, every 60 ms), Redis is killed (-9) and restarted, then
 * Postgres is stopped (`-m immediate`) and restarted. Every answer is a 201 or a 503 `unavailable` with
 * Retry-After, none slower than the deadline; /readyz says 503 while either is away; bookings are
 * acknowledged again within 2 s of each return; every acknowledged booking exists exactly once.
 */
describe('a hub whose Redis and Postgres go away under a booking load', () => {
  let redis: PrivateServer;
  let pg: PrivateServer;
  let hub: TestHub;
  beforeAll(async () => {
    [redis, pg] = await Promise.all([privateRedis(), privatePostgres()]);
    await Promise.all([redis.start(), pg.start()]);
    hub = await startTestHub({
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      REQUEST_DEADLINE_MS: String(DEADLINE_MS),
      DATABASE_POOL_SIZE: '6',
    });
  }, 60_000);
  afterAll(async () => {
    await hub?.close();
    await Promise.all([redis?.remove(), pg?.remove()]);
  });

  it('answers 201 or 503 within the deadline, recovers within 2 s, and loses or doubles nothing', async () => {
    const { doctorId, patients } = await scene(hub, {
      // Around the clock in 5-minute slots: hundreds of distinct starts, so no booking waits for another.
      doctor: { hours: everyDay({ start: '00:00', end: '24:00', slotMinutes: 5 }) },
      patients: 8,
    });
    const free: string[] = [];
    for (const days of [1, 2]) {
      const board = await slotsOn(hub, doctorId, dateIn(days));
      free.push(...board.filter((s) => s.status === 'free').map((s) => s.start));
    }
    const api = client(hub);
    const answers: Answer[] = [];
    const inFlight = new Set<Promise<void>>();
    let next = 0;
    const book = () => {
      const start = free[next];
      const patient = patients[next % patients.length]!;
      next++;
      if (!start) return;
      const sentAt = Date.now();
      const p = api
        .post<{ id?: string; code?: string }>('/v1/appointments', { doctorId, start }, patient.token)
        .then((res) => {
          answers.push({
            sentAt,
            ms: Date.now() - sentAt,
            status: res.status,
            id: res.body.id,
            code: res.body.code,
          });
          if (res.status === 503) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    };
    const load = setInterval(book, 60);
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const readyz = async () => {
      const started = Date.now();
      const res = await api.get<{ checks: Record<string, string> }>('/readyz');
      return { status: res.status, ms: Date.now() - started, checks: res.body.checks };
    };
    const firstAckAfter = async (t: number) => {
      const limit = t + RECOVERY_MS + DEADLINE_MS + 1000;
      for (;;) {
        const ack = answers.find((a) => a.status === 201 && a.sentAt >= t);
        if (ack) return ack.sentAt + ack.ms - t;
        if (Date.now() > limit) return Number.POSITIVE_INFINITY;
        await pause(20);
      }
    };

    /** Takes `server` away for OUTAGE_MS under the load: what /readyz said meanwhile, and the recovery. */
    const outage = async (server: PrivateServer) => {
      await pause(1000);
      await server.stop();
      await pause(OUTAGE_MS / 2);
      const away = await readyz();
      await pause(OUTAGE_MS / 2);
      await server.start();
      return { away, recovery: await firstAckAfter(Date.now()) };
    };

    try {
      const { away: redisAway, recovery: redisRecovery } = await outage(redis);
      const { away: pgAway, recovery: pgRecovery } = await outage(pg);
      await pause(500);

      expect(redisAway).toMatchObject({ status: 503, checks: { redis: 'unavailable', postgres: 'ok' } });
      expect(pgAway).toMatchObject({ status: 503, checks: { postgres: 'unavailable' } });
      expect(Math.max(redisAway.ms, pgAway.ms), '/readyz answers at once').toBeLessThan(1000);
      expect(redisRecovery, 'ms from Redis back to a booking acknowledged').toBeLessThanOrEqual(RECOVERY_MS);
      expect(pgRecovery, 'ms from Postgres back to a booking acknowledged').toBeLessThanOrEqual(RECOVERY_MS);
    } finally {
      clearInterval(load);
      await Promise.all([...inFlight]);
    }

    const byStatus: Record<string, Answer[]> = {};
    for (const a of answers) {
      const list = byStatus[String(a.status)] ?? [];
      list.push(a);
      byStatus[String(a.status)] = list;
    }
    const summary = Object.fromEntries(Object.entries(byStatus).map(([s, list]) => [s, list.length]));
    expect(Object.keys(summary).sort(), JSON.stringify(summary)).toEqual(['201', '503']);
    expect(summary['503'], 'the outages were felt').toBeGreaterThan(5);
    for (const a of byStatus['503'] ?? []) expect(a.code).toBe('unavailable');
    const slowest = Math.max(...answers.map((a) => a.ms));
    expect(slowest, `slowest answer (ms), ${JSON.stringify(summary)}`).toBeLessThanOrEqual(
      DEADLINE_MS + SLACK_MS,
    );

    // Every acknowledged booking is there, once; nothing else was booked twice.
    const acknowledged = (byStatus['201'] ?? []).map((a) => a.id!);
    const rows = await hub.sql<{ id: string }[]>`
      select id from appointments where id = any(${acknowledged}::uuid[])`;
    expect(rows.length).toBe(acknowledged.length);
    expect(new Set(acknowledged).size).toBe(acknowledged.length);
    const [overlaps] = await hub.sql<{ n: number }[]>`
      select count(*)::int - count(distinct (doctor_id, lower(during)))::int as n from appointments
      where doctor_id = ${doctorId} and status <> 'cancelled'`;
    expect(overlaps?.n).toBe(0);
  }, 45_000);
});
