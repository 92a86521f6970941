import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { AppError, validationFailed } from '../../errors.js';
import type { ExpiringStore } from '../../infra/expiring-store.js';
import { clientIp } from '../client-ip.js';
import type { AppEnv } from '../context.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** How long answers are kept for replay: 24 h. */
const KEEP_SECONDS = 24 * 3600;
/** A claim left by a crashed request frees itself after this long. */
const IN_FLIGHT_SECONDS = 60;

type Entry =
  | { state: 'in_flight'; fingerprint: string }
  | { state: 'done'; fingerprint: string; status: number; contentType: string | null; body: string };

/**
 * Idempotency-Key on unsafe requests (docs/architecture.md, "A booking"): the first request claims the
 * key (claim, like SET NX); a repeat with the same method, path and body replays the stored answer; with another
 * body → 422; while the first is still running → 409. Keys are scoped to the caller (user id, or IP
 * when anonymous). 5xx answers are not kept, so a retry after a server fault runs again.
 */
export function idempotency(store: ExpiringStore, trustProxy: boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (key === undefined || !UNSAFE.has(c.req.method)) return next();
    if (!KEY_PATTERN.test(key)) {
      throw validationFailed([
        { path: 'header.idempotency-key', message: 'must be 1 to 255 visible ASCII characters' },
      ]);
    }
    const scope = c.get('principal')?.userId ?? `ip-${clientIp(c, trustProxy)}`;
    const storeKey = ['idem', scope, createHash('sha256').update(key).digest('base64url')].join(':');
    const body = await c.req.text();
    const fingerprint = createHash('sha256')
      .update(`${c.req.method} ${c.req.path}\n${body}`)
      .digest('base64url');

    const claim: Entry = { state: 'in_flight', fingerprint };
    const claimed = await store.claim(storeKey, JSON.stringify(claim), IN_FLIGHT_SECONDS);
    if (!claimed) {
      const raw = await store.get(storeKey);
      const existing = raw ? (JSON.parse(raw) as Entry) : undefined;
      if (!existing)
        throw new AppError(
          'idempotency_in_flight',
          'A request with this Idempotency-Key just finished; retry',
        );
      if (existing.fingerprint !== fingerprint) {
        throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used with another request');
      }
      if (existing.state === 'in_flight') {
        throw new AppError(
          'idempotency_in_flight',
          'A request with this Idempotency-Key is still being processed',
        );
      }
      const headers: Record<string, string> = { 'idempotent-replayed': 'true' };
      if (existing.contentType) headers['content-type'] = existing.contentType;
      return c.body(existing.body, existing.status as 200, headers);
    }

    await next();
    // Best effort from here: the answer is already decided, and a Redis gone meanwhile must not turn a
    // committed 201 into a 503. Unrecorded, the claim lapses after IN_FLIGHT_SECONDS.
    if (c.res.status >= 500) {
      await store.forget(storeKey).catch(() => {});
      return;
    }
    const done: Entry = {
      state: 'done',
      fingerprint,
      status: c.res.status,
      contentType: c.res.headers.get('content-type'),
      body: await c.res.clone().text(),
    };
    await store.put(storeKey, JSON.stringify(done), KEEP_SECONDS).catch(() => {});
  };
}
