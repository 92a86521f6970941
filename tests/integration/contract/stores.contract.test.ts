import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryHoldStore } from '../../../src/booking/holds.memory-store.js';
import { createHoldStore, type HoldStore } from '../../../src/booking/holds.store.js';
import {
  type ExpiringStore,
  memoryExpiringStore,
  redisExpiringStore,
} from '../../../src/infra/expiring-store.js';
import { createRateLimiter, type RateLimiter } from '../../../src/infra/rate-limiter.js';
import { createRedis, keyBuilder } from '../../../src/infra/redis.js';
import { TEST_REDIS_URL } from '../../helpers/env.js';
import { waitUntil } from '../../helpers/process.js';

/**
 * The contract of each Redis duty, held against every backend directly (the hub-level suites in
 * holds/idempotency/auth.rate-limit/realtime/reminders tests run through HTTP on both too).
 */
const redis = createRedis({ url: TEST_REDIS_URL }, 'contract');
const keys = keyBuilder(`t-contract-${randomUUID().slice(0, 8)}`);
afterAll(async () => {
  const found = await redis.keys(keys('*'));
  if (found.length > 0) await redis.del(...found);
  redis.disconnect();
});

const holdStores: [string, () => HoldStore][] = [
  ['redis', () => createHoldStore(redis, keys)],
  ['memory', () => createMemoryHoldStore()],
];
const expiringStores: [string, () => ExpiringStore][] = [
  ['redis', () => redisExpiringStore(redis, keys)],
  ['memory', () => memoryExpiringStore()],
];
const limiters: [string, () => RateLimiter][] = [
  ['redis', () => createRateLimiter({ redis, keys }, true)],
  ['memory', () => createRateLimiter('memory', true)],
];

describe.each(holdStores)('holds [%s]: exclusive, expiring, limited per patient', (_, make) => {
  const store = make();
  const doctorId = randomUUID();
  const place = (patientId: string, start: number, ttlMs = 60_000) =>
    store.place({ doctorId, patientId, start, end: start + 900_000, ttlMs, maxPerPatient: 2 });

  it('one holder per slot; the refusal names the holder; the holder is who the lock says', async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    const first = await place(alice, 1_000);
    expect(first.ok).toBe(true);
    const second = await place(bob, 1_000);
    expect(second).toEqual({ ok: false, reason: 'slot_held', holdId: first.ok ? first.hold.holdId : '' });
    expect(await store.holderOf(doctorId, 1_000)).toEqual({
      holdId: first.ok ? first.hold.holdId : '',
      patientId: alice,
    });
    if (!first.ok) return;
    expect(await store.remove(first.hold)).toEqual(first.hold);
    expect(await store.remove(first.hold)).toBeUndefined();
    expect((await place(bob, 1_000)).ok).toBe(true);
  });

  it('at most two live holds per patient; a lapsed one no longer counts', async () => {
    const carol = randomUUID();
    expect((await place(carol, 10_000, 300)).ok).toBe(true);
    expect((await place(carol, 20_000)).ok).toBe(true);
    expect(await place(carol, 30_000)).toEqual({ ok: false, reason: 'too_many_holds' });
    await waitUntil(
      'the short hold to lapse',
      async () => ((await place(carol, 30_000)).ok ? true : undefined),
      {
        timeoutMs: 5_000,
        intervalMs: 50,
      },
    );
  });

  it('a hold expires at its TTL: gone from get, holderOf, listForDoctor and isLive', async () => {
    const dave = randomUUID();
    const placed = await place(dave, 40_000, 300);
    if (!placed.ok) throw new Error('not placed');
    const { holdId } = placed.hold;
    expect(await store.isLive(holdId)).toBe(true);
    expect((await store.listForDoctor(doctorId, 40_000, 40_001)).map((h) => h.holdId)).toEqual([holdId]);
    await waitUntil('the hold to lapse', async () => ((await store.isLive(holdId)) ? undefined : true), {
      timeoutMs: 5_000,
      intervalMs: 20,
    });
    expect(Date.now()).toBeGreaterThanOrEqual(placed.hold.expiresAt - 5);
    expect(await store.get(holdId)).toBeUndefined();
    expect(await store.holderOf(doctorId, 40_000)).toBeUndefined();
    expect(await store.listForDoctor(doctorId, 0, 100_000)).not.toContainEqual(placed.hold);
  });

  it('of 20 patients racing for one slot, exactly one holds it', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => place(randomUUID(), 50_000)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });
});

describe.each(expiringStores)('idempotency keys [%s]: claim once, replay, forget, expire', (_, make) => {
  const store = make();
  it('the first claim wins; the value can be replaced and read; forget frees the key', async () => {
    const key = randomUUID();
    expect(await store.claim(key, 'in-flight', 60)).toBe(true);
    expect(await store.claim(key, 'other', 60)).toBe(false);
    expect(await store.get(key)).toBe('in-flight');
    await store.put(key, 'done', 60);
    expect(await store.get(key)).toBe('done');
    await store.forget(key);
    expect(await store.get(key)).toBeUndefined();
    expect(await store.claim(key, 'again', 60)).toBe(true);
  });
  it('a claim expires after its TTL, and the key can be claimed again', async () => {
    const key = randomUUID();
    expect(await store.claim(key, 'crashed', 1)).toBe(true);
    await waitUntil(
      'the claim to expire',
      async () => ((await store.get(key)) === undefined ? true : undefined),
      {
        timeoutMs: 5_000,
        intervalMs: 50,
      },
    );
    expect(await store.claim(key, 'retry', 60)).toBe(true);
  });
});

describe.each(limiters)('rate limits [%s]: N points per window, check without spending, reset', (_, make) => {
  const limiter = make();
  const bucket = { name: `b-${randomUUID().slice(0, 8)}`, points: 3, durationSeconds: 60 };
  it('the 4th attempt is refused with a Retry-After; reset forgets the key; other keys are apart', async () => {
    for (let i = 0; i < 3; i++) await limiter.consume(bucket, 'ip-1');
    await expect(limiter.check(bucket, 'ip-1')).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(limiter.consume(bucket, 'ip-1')).rejects.toMatchObject({
      code: 'rate_limited',
      extra: { retryAfterSeconds: expect.any(Number) },
    });
    await limiter.check(bucket, 'ip-2');
    await limiter.reset(bucket, 'ip-1');
    await limiter.consume(bucket, 'ip-1');
  });
});
