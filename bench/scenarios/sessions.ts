import type { Principal } from '../../src/auth/principal.js';
import { createSessionGate } from '../../src/auth/session-gate.js';
import { keyBuilder } from '../../src/infra/redis.js';
import { createLogger } from '../../src/logger.js';
import { fig, type Scenario } from '../lib/scenario.js';
import { seedPatientRows } from '../lib/seed.js';
import { median } from '../lib/stats.js';

const FAMILIES = 10_000;
const BATCH = 1_000;

/**
 * The session check every authenticated request and socket event now makes (revocation at once,
 * session-gate.ts): its cost per call on a warm cache of 10,000 sessions, against the floor of an
 * awaited Map lookup in the same run; and how long a revocation announced by one process takes to
 * reach another through Redis.
 */
export const sessions: Scenario = {
  name: 'sessions',
  title: 'Session check (revocation at once)',
  async run(ctx, progress) {
    const env = await ctx.freshEnv('sessions');
    const users = await seedPatientRows(env.sql, FAMILIES);
    const families = await env.sql<{ id: string; userId: string }[]>`
      insert into refresh_families ${env.sql(users.map((userId) => ({ userId })))} returning id, user_id`;
    const principals: Principal[] = families.map((f) => ({
      userId: f.userId,
      role: 'patient',
      clinicId: undefined,
      familyId: f.id,
    }));
    const channel = keyBuilder(env.prefix)('sessions', 'revoked');
    const logger = createLogger('silent');
    const gate = createSessionGate({ db: env.sql, announce: { redis: ctx.redis, channel }, logger });
    const other = createSessionGate({ db: env.sql, announce: { redis: ctx.redis, channel }, logger });
    try {
      // Warm: each family read from Postgres once, as a process's first request of each session does.
      for (let i = 0; i < principals.length; i += 500)
        await Promise.all(principals.slice(i, i + 500).map((p) => gate.check(p)));

      const floorMap = new Map(principals.map((p) => [p.familyId, false]));
      const floor = async (p: Principal) => floorMap.get(p.familyId);
      const rounds = ctx.quick ? 20 : 400;
      const perCall = async (fn: (p: Principal) => Promise<unknown>) => {
        const samples: number[] = [];
        for (let r = 0; r < rounds; r++) {
          const start = performance.now();
          for (let i = 0; i < BATCH; i++) await fn(principals[(r * BATCH + i) % principals.length]!);
          samples.push(((performance.now() - start) * 1000) / BATCH); // µs per call
        }
        return samples;
      };
      await perCall((p) => gate.check(p)); // JIT warm-up
      progress(1, 3, 'measuring');
      const measured = await perCall((p) => gate.check(p));
      const base = await perCall(floor);
      progress(2, 3, 'revocation across processes');

      // Revocation reaching another process: announce on one gate, heard by the other.
      const delays: number[] = [];
      for (const p of principals.slice(0, ctx.quick ? 5 : 50)) {
        await other.check(p);
        const heard = new Promise<number>((resolve) => {
          const stop = other.onRevoked((id) => {
            if (id === p.familyId) {
              stop();
              resolve(performance.now());
            }
          });
        });
        await env.sql`update refresh_families set revoked_at = now() where id = ${p.familyId}`;
        const sent = performance.now();
        await gate.announce([p.familyId]);
        delays.push((await heard) - sent);
        if (!(await other.revoked(p.familyId))) throw new Error('a revoked session still passes the check');
      }
      progress(3, 3);

      // Each sample is the mean of 1,000 calls: the median sample, and the slowest (GC pauses land there).
      const typical = median(measured);
      const worst = Math.max(...measured);
      const floorTypical = median(base);
      return {
        measure: [
          fig('check per call, median sample', typical, 'µs'),
          fig('check per call, slowest sample', worst, 'µs'),
          fig('revocation heard by another process, median', median(delays), 'ms'),
          fig('revocation heard by another process, max', Math.max(...delays), 'ms'),
        ],
        baseline: [fig('awaited Map lookup per call, median sample', floorTypical, 'µs')],
        ratio: floorTypical / typical,
        target: 'the session check costs well under a millisecond: under 50 µs per call in every sample',
        met: worst < 50,
        details: { families: FAMILIES, callsPerSample: BATCH, samples: measured.length },
      };
    } finally {
      await Promise.all([gate.close(), other.close()]);
    }
  },
};
