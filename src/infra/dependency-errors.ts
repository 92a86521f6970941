import postgres from 'postgres';
import { AppError } from '../errors.js';

/**
 * Errors that say a dependency (Postgres, Redis) is away rather than that a request or the code is
 * wrong: the answer is 503 `unavailable` with Retry-After, never a 500. One place decides, by error
 * code where the libraries give one.
 */

/** Socket-level codes (Node) and postgres.js's own connection codes. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
]);

/**
 * SQLSTATEs of a server going away or refusing connections: class 08 (connection exception), 53300
 * (too many connections), 57P01–57P03 (admin or crash shutdown, cannot connect now).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|53300|57P0[123])$/;

/**
 * ioredis rejects commands during an outage with plain Errors that carry no code (the command timed
 * out; the connection closed with the command queued), or with a MaxRetriesPerRequestError (an
 * AbortError). Their messages are the only thing that tells them apart; they are matched here only.
 */
const REDIS_OUTAGE_MESSAGES = [
  'Command timed out',
  'Connection is closed.',
  "Stream isn't writeable",
  'Reached the max retries per request limit',
];

/** The Postgres connection went away under a statement: the connection itself is gone, not just the query. */
export function isConnectionLost(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (err instanceof postgres.PostgresError) return UNAVAILABLE_SQLSTATE.test(err.code);
  return typeof code === 'string' && CONNECTION_CODES.has(code);
}

/** True when `err` means Postgres or Redis is unreachable, slow past the deadline, or shutting down. */
export function isDependencyDown(err: unknown): boolean {
  if (err instanceof AppError) return err.code === 'unavailable';
  if (!(err instanceof Error)) return false;
  if (isConnectionLost(err)) return true;
  return REDIS_OUTAGE_MESSAGES.some((m) => err.message.startsWith(m));
}

/** Seconds a client should wait before retrying while a dependency is away. */
export const RETRY_AFTER_SECONDS = 2;

/** The 503 for a dependency that is away. */
export const unavailable = (detail = 'A service the hub depends on is unavailable; retry shortly') =>
  new AppError('unavailable', detail, { retryAfterSeconds: RETRY_AFTER_SECONDS });
