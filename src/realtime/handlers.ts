import type { Socket } from 'socket.io';
import * as v from 'valibot';
import type { SessionGate } from '../auth/session-gate.js';
import type { TokenService } from '../auth/tokens.js';
import { AppError } from '../errors.js';
import { eventsAfter, lastEventId, prunedThrough } from '../events/outbox.js';
import { isDependencyDown } from '../infra/dependency-errors.js';
import type { Sql } from '../infra/postgres.js';
import type { Logger } from '../logger.js';
import { refusal, refusalFrom } from './acks.js';
import { isPublicRoom, isServerRoom, mayJoin } from './rooms.js';
import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from './socket-types.js';

type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

const Room = v.pipe(v.string(), v.maxLength(100));
const RoomPayload = v.strictObject({ room: Room });
const ResyncPayload = v.strictObject({ room: Room, afterId: v.pipe(v.number(), v.integer(), v.minValue(0)) });
const AuthPayload = v.strictObject({ token: v.pipe(v.string(), v.maxLength(4096)) });

/** At most this many events per resync answer; a longer gap answers `reset` (refetch). */
export const RESYNC_LIMIT = 500;

/** What an event's acknowledgement carries (socket-types.ts), so a handler answers nothing else. */
type AckOf<E extends keyof ClientToServerEvents> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

/**
 * Every incoming payload is parsed like an HTTP body (invariant 6). A client may send anything: a
 * missing ack, a non-object, extra arguments. Bad input gets `{ ok: false, code: 'validation_failed' }`
 * when an ack exists, and is otherwise dropped. Errors answer as over HTTP (onError): an AppError with
 * its code and detail, anything else is logged and answers `internal`, never a crash.
 */
function handle<E extends keyof ClientToServerEvents, S extends v.GenericSchema>(
  socket: HubSocket,
  event: E,
  schema: S,
  { sessions, logger }: Pick<HandlerDeps, 'sessions' | 'logger'>,
  fn: (payload: v.InferOutput<S>) => Promise<AckOf<E>>,
): void {
  socket.on(event as keyof ClientToServerEvents, async (...args: unknown[]) => {
    const ack =
      typeof args[args.length - 1] === 'function'
        ? (args[args.length - 1] as (res: AckOf<E>) => void)
        : undefined;
    const parsed = v.safeParse(schema, args[0]);
    if (!parsed.success) {
      const detail = parsed.issues.map((i) => `${v.getDotPath(i) ?? 'payload'}: ${i.message}`).join('; ');
      ack?.(refusalFrom(new AppError('validation_failed', detail)));
      return;
    }
    try {
      // A session revoked since the last event (and whose announcement this process missed) ends here.
      const principal = socket.data.principal;
      if (principal && (await sessions.revoked(principal.familyId)))
        await dropPrivateRooms(socket, 'revoked');
      const result = await fn(parsed.output);
      ack?.(result);
    } catch (err) {
      if (err instanceof AppError) {
        ack?.(refusalFrom(err));
        return;
      }
      if (isDependencyDown(err)) {
        ack?.(refusal('unavailable'));
        return;
      }
      logger.error({ err, event, socketId: socket.id }, 'socket handler failed');
      ack?.(refusal('internal'));
    }
  });
}

export interface HandlerDeps {
  sql: Sql;
  tokens: TokenService;
  sessions: SessionGate;
  logger: Logger;
}

export function registerHandlers(socket: HubSocket, deps: HandlerDeps): void {
  const { sql, tokens, sessions } = deps;
  handle(socket, 'subscribe', RoomPayload, deps, async ({ room }) => {
    const allowed = await mayJoin(sql, socket.data.principal, room, socket.data.display);
    if (allowed !== true) return refusal(allowed);
    await socket.join(room);
    return { ok: true as const, lastEventId: await lastEventId(sql, room) };
  });

  handle(socket, 'unsubscribe', RoomPayload, deps, async ({ room }) => {
    await socket.leave(room);
    return { ok: true as const };
  });

  handle(socket, 'resync', ResyncPayload, deps, async ({ room, afterId }) => {
    const allowed = await mayJoin(sql, socket.data.principal, room, socket.data.display);
    if (allowed !== true) return refusal(allowed);
    // Events up to the pruning watermark are gone: a client that missed some of them must refetch.
    if (afterId < (await prunedThrough(sql))) return { ok: true as const, reset: true as const };
    const events = await eventsAfter(sql, room, afterId, RESYNC_LIMIT + 1);
    if (events.length > RESYNC_LIMIT) return { ok: true as const, reset: true as const };
    return { ok: true as const, events };
  });

  handle(socket, 'auth', AuthPayload, deps, async ({ token }) => {
    // A waiting-room screen stays one: it never signs in as a person on the same connection.
    if (socket.data.display) return refusal('forbidden');
    try {
      const session = await tokens.verifySession(token);
      if (await sessions.revoked(session.principal.familyId)) return refusal('unauthorized');
      socket.data.principal = session.principal;
      socket.data.tokenExpiresAt = session.expiresAt;
      return { ok: true as const };
    } catch {
      return refusal('unauthorized');
    }
  });
}

/** Leaves every private room (the token expired or its family was revoked). */
export async function dropPrivateRooms(socket: HubSocket, reason: 'expired' | 'revoked'): Promise<void> {
  socket.data.principal = undefined;
  socket.data.tokenExpiresAt = undefined;
  for (const room of socket.rooms) {
    if (room !== socket.id && !isPublicRoom(room) && !isServerRoom(room)) await socket.leave(room);
  }
  socket.emit('session_expired', { reason });
}
