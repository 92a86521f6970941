import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Keys } from '../infra/redis.js';

/** A short, advisory claim on one slot (invariant 2): Redis keeps it, Postgres still decides. */
export interface Hold {
  holdId: string;
  doctorId: string;
  patientId: string;
  start: number;
  end: number;
  expiresAt: number;
  /** The appointment type held (migrations/0070); absent on holds placed before types. */
  typeId?: string;
}

export type PlaceResult =
  | { ok: true; hold: Hold }
  | { ok: false; reason: 'too_many_holds' }
  | { ok: false; reason: 'slot_held'; holdId: string };

/** Who holds a slot, as its lock says. */
export interface Holder {
  holdId: string;
  patientId: string;
}

/** What placing a hold needs. */
export interface PlaceHold {
  doctorId: string;
  patientId: string;
  start: number;
  end: number;
  ttlMs: number;
  maxPerPatient: number;
  /** The appointment type held (migrations/0070). */
  typeId?: string | undefined;
}

/**
 * Where holds live: Redis (createHoldStore, shared by every hub process) or this process's memory
 * (holds.memory-store.ts, the embedded mode). tests/integration/contract/holds.contract.test.ts holds
 * both to one contract.
 */
export interface HoldStore {
  /** Atomically: at most `maxPerPatient` live holds, and the slot not held by anyone. */
  place(p: PlaceHold): Promise<PlaceResult>;
  get(holdId: string): Promise<Hold | undefined>;
  /** Who holds a slot, if anyone: enough to refuse everyone but the holder. */
  holderOf(doctorId: string, start: number): Promise<Holder | undefined>;
  /** Removes a hold (released, used, or expired); returns it if it was still live. */
  remove(hold: Pick<Hold, 'holdId' | 'doctorId' | 'patientId' | 'start'>): Promise<Hold | undefined>;
  /** Live holds of a doctor starting in [from, to). */
  listForDoctor(doctorId: string, from: number, to: number): Promise<Hold[]>;
  /** True while the hold has not expired nor been removed. */
  isLive(holdId: string): Promise<boolean>;
}

/** A new hold's record, as both stores make it. */
export function newHold(p: PlaceHold, now: number): Hold {
  return {
    holdId: randomUUID(),
    doctorId: p.doctorId,
    patientId: p.patientId,
    start: p.start,
    end: p.end,
    expiresAt: now + p.ttlMs,
    ...(p.typeId ? { typeId: p.typeId } : {}),
  };
}

/** The slot lock's value: "<holdId> <patientId>". */
function parseHolder(value: string | null | undefined): Holder | undefined {
  if (!value) return undefined;
  const [holdId = '', patientId = ''] = value.split(' ');
  return { holdId, patientId };
}

/*
 * Keys (all under REDIS_PREFIX):
 *   hold:<holdId>                 JSON of the hold, PX ttl
 *   hold-slot:<doctorId>:<start>  "<holdId> <patientId>" — the lock on the slot, SET NX PX ttl; it names
 *                                 the holder so a refusal needs this one key
 *   holds-of-patient:<patientId>  ZSET holdId → expiresAt, to count live holds
 *   holds-of-doctor:<doctorId>    ZSET holdId → start, to list holds in a range
 */
const PLACE = `
local now = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[4]) then return {'too_many_holds'} end
if not redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. ARGV[7], 'NX', 'PX', ARGV[2]) then
  return {'slot_held', redis.call('GET', KEYS[1])}
end
redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[2])
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[3], ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[6], ARGV[1])
return {'ok'}
`;

/** Removes a hold and its slot lock (only if the lock is still this hold's). Returns the hold JSON or nil. */
const REMOVE = `
local json = redis.call('GET', KEYS[1])
local lock = redis.call('GET', KEYS[2])
if lock == ARGV[1] .. ' ' .. ARGV[2] then redis.call('DEL', KEYS[2]) end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
return json
`;

interface HoldCommands {
  bhPlaceHold(...args: (string | number)[]): Promise<string[]>;
  bhRemoveHold(...args: (string | number)[]): Promise<string | null>;
}

/** Holds in Redis: a lock key per slot (SET NX PX), moved together by Lua (invariant 2). */
export function createHoldStore(redis: Redis, keys: Keys): HoldStore {
  const commands = redis as unknown as Redis & HoldCommands;
  if (!('bhPlaceHold' in commands)) {
    redis.defineCommand('bhPlaceHold', { numberOfKeys: 4, lua: PLACE });
    redis.defineCommand('bhRemoveHold', { numberOfKeys: 4, lua: REMOVE });
  }
  const k = {
    hold: (id: string) => keys('hold', id),
    slot: (doctorId: string, start: number) => keys('hold-slot', doctorId, String(start)),
    ofPatient: (patientId: string) => keys('holds-of-patient', patientId),
    ofDoctor: (doctorId: string) => keys('holds-of-doctor', doctorId),
  };
  const parse = (json: string | null | undefined): Hold | undefined =>
    json ? (JSON.parse(json) as Hold) : undefined;

  return {
    async place(p) {
      const now = Date.now();
      const hold = newHold(p, now);
      const [outcome, holder] = await commands.bhPlaceHold(
        k.slot(p.doctorId, p.start),
        k.hold(hold.holdId),
        k.ofPatient(p.patientId),
        k.ofDoctor(p.doctorId),
        hold.holdId,
        p.ttlMs,
        now,
        p.maxPerPatient,
        JSON.stringify(hold),
        p.start,
        p.patientId,
      );
      if (outcome === 'ok') return { ok: true, hold };
      if (outcome === 'too_many_holds') return { ok: false, reason: 'too_many_holds' };
      return { ok: false, reason: 'slot_held', holdId: parseHolder(holder)?.holdId ?? '' };
    },

    async get(holdId) {
      return parse(await redis.get(k.hold(holdId)));
    },

    /** One GET. */
    async holderOf(doctorId, start) {
      return parseHolder(await redis.get(k.slot(doctorId, start)));
    },

    async remove(hold) {
      return parse(
        await commands.bhRemoveHold(
          k.hold(hold.holdId),
          k.slot(hold.doctorId, hold.start),
          k.ofPatient(hold.patientId),
          k.ofDoctor(hold.doctorId),
          hold.holdId,
          hold.patientId,
        ),
      );
    },

    /** Expired members are swept on the way. */
    async listForDoctor(doctorId, from, to) {
      const ids = await redis.zrangebyscore(k.ofDoctor(doctorId), from, `(${to}`);
      if (ids.length === 0) return [];
      const values = await redis.mget(ids.map(k.hold));
      const gone = ids.filter((_, i) => !values[i]);
      if (gone.length > 0) await redis.zrem(k.ofDoctor(doctorId), ...gone);
      return values.flatMap((json) => {
        const hold = parse(json);
        return hold ? [hold] : [];
      });
    },

    /** While the hold's key still exists (Redis expires it exactly at its TTL). */
    async isLive(holdId) {
      return (await redis.exists(k.hold(holdId))) === 1;
    },
  };
}
