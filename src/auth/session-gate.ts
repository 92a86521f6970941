import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { AppError } from '../errors.js';
import type { Db } from '../infra/postgres.js';
import type { Logger } from '../logger.js';
import type { Principal } from './principal.js';

/** Families whose state is remembered per process (a few dozen bytes each). */
const CACHE_SIZE = 100_000;
/**
 * How long a remembered "not revoked" is trusted without a word from the channel: the bound on a
 * revocation whose message was lost (Redis away at that moment). The channel is what makes it instant.
 */
const TRUST_MS = 30_000;

export interface SessionGate {
  /** Throws 401 when the principal's session (its refresh family) was revoked; a map lookup when cached. */
  check(principal: Principal): Promise<void>;
  /** True when the family was revoked (logout, refresh-token reuse, password change). */
  revoked(familyId: string): Promise<boolean>;
  /** Tells every hub process (and this one at once) that these families were just revoked in Postgres. */
  announce(familyIds: readonly string[]): Promise<void>;
  /** Calls `fn` for each family revoked anywhere, as the announcement arrives (the sockets drop its rooms). */
  onRevoked(fn: (familyId: string) => void): () => void;
  close(): Promise<void>;
}

/**
 * Revocation that takes effect on the next request: each process caches every family it has seen as
 * revoked or not, and a Redis channel carries each revocation to every process, which marks it at
 * once. A lost message (Redis away) is bounded by TRUST_MS, and a subscriber that reconnects forgets
 * what it trusted, since announcements may have passed meanwhile.
 */
export function createSessionGate({
  db,
  announce: bus,
  logger,
}: {
  db: Db;
  /**
   * The Redis channel revocations travel on: the command connection publishes, a duplicate of it
   * subscribes. Absent in the embedded mode, where the one process is told directly.
   */
  announce: { redis: Redis; channel: string } | undefined;
  logger: Logger;
}): SessionGate {
  const known = new LRUCache<string, boolean>({ max: CACHE_SIZE, ttl: TRUST_MS, ttlAutopurge: false });
  const listeners = new Set<(familyId: string) => void>();
  const mark = (familyId: string) => {
    known.set(familyId, true, { ttl: 0 });
    for (const fn of listeners) fn(familyId);
  };

  const subscriber = bus?.redis.duplicate({ enableAutoPipelining: false, commandTimeout: undefined });
  if (bus && subscriber) {
    let subscribedOnce = false;
    subscriber.on('error', () => {}); // the command connection's outage log says it
    subscriber.on('ready', () => {
      if (subscribedOnce) known.clear();
      subscribedOnce = true;
    });
    subscriber.on('message', (_channel: string, familyId: string) => mark(familyId));
    subscriber
      .subscribe(bus.channel)
      .catch((err: unknown) => logger.warn({ err }, 'session channel unavailable'));
  }

  async function revoked(familyId: string): Promise<boolean> {
    const cached = known.get(familyId);
    if (cached !== undefined) return cached;
    const [row] = await db<{ revoked: boolean }[]>`
      select revoked_at is not null as revoked from refresh_families where id = ${familyId}`;
    const state = row?.revoked ?? true;
    known.set(familyId, state, state ? { ttl: 0 } : {});
    return state;
  }

  return {
    async check(principal) {
      if (await revoked(principal.familyId))
        throw new AppError('unauthorized', 'Missing or invalid access token');
    },
    revoked,
    async announce(familyIds) {
      for (const id of familyIds) mark(id);
      if (!bus) return;
      // Best effort: the other processes' TRUST_MS bounds a message lost to an outage.
      await Promise.all(familyIds.map((id) => bus.redis.publish(bus.channel, id))).catch((err: unknown) =>
        logger.warn({ err }, 'revocation not announced; other processes notice within 30 s'),
      );
    },
    onRevoked(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async close() {
      listeners.clear();
      subscriber?.disconnect();
    },
  };
}
