import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { Server } from 'socket.io';
import type { SessionGate } from '../auth/session-gate.js';
import type { TokenService } from '../auth/tokens.js';
import type { LiveEvent } from '../events/event-types.js';
import type { Metrics } from '../infra/metrics.js';
import { outageLog } from '../infra/outage-log.js';
import type { Sql } from '../infra/postgres.js';
import { createRedis, type RedisTarget } from '../infra/redis.js';
import type { Logger } from '../logger.js';
import { dropPrivateRooms, registerHandlers } from './handlers.js';
import { displayTokenRoom, sessionRoom } from './rooms.js';
import type {
  ClientToServerEvents,
  DisplaySession,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from './socket-types.js';

export type HubServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface RealtimeOptions {
  /** Absent for `--role worker`: the server then only emits, through the adapter, to other processes. */
  httpServer: HttpServer | undefined;
  /** Absent in the single-process embedded mode: Socket.IO's in-process adapter, no fan-out. */
  redisTarget: RedisTarget | undefined;
  redisPrefix: string;
  corsOrigins: readonly string[];
  sql: Sql;
  tokens: TokenService;
  /** Revoked sessions: checked at the handshake and on every event, announced ones dropped at once. */
  sessions: SessionGate;
  logger: Logger;
  metrics: Metrics;
  /** How often connected sessions are re-checked for expiry and revocation. */
  sessionCheckMs?: number;
  /** The clinic a live display token opens (handshake `auth: { displayToken }`); undefined if none. */
  displaySession: (token: string) => Promise<DisplaySession | undefined>;
}

export interface Realtime {
  io: HubServer;
  emit(event: LiveEvent): void;
  /** Tells every local socket why, then disconnects them (shutdown). */
  disconnectAll(): void;
  /** Disconnects every socket of a revoked display token, on every hub process (through the adapter). */
  endDisplaySessions(tokenId: string): void;
  /** Disconnects every socket of these revoked sessions, on every hub process. */
  endSessions(familyIds: readonly string[]): void;
  /** Closes the server and the adapter's Redis clients. */
  close(): Promise<void>;
}

/**
 * The Redis adapter joining hub processes (the sharded one on Redis 7: a channel per room, so a process
 * only hears rooms it has sockets in), and what closes its clients.
 */
async function redisAdapter(target: RedisTarget, prefix: string, logger: Logger) {
  // The publisher keeps auto-pipelining (a relay batch's SPUBLISHes leave in one write); a subscriber's
  // (S)SUBSCRIBE commands must not ride in a pipeline.
  const pub = createRedis(target, 'socketio-pub');
  const sub = createRedis(target, 'socketio-sub', { enableAutoPipelining: false });
  const outage = outageLog(logger, 'socket.io adapter');
  for (const client of [pub, sub]) {
    client.on('error', (err) => outage.failed(err));
    client.on('ready', () => outage.recovered());
  }
  const info = await pub.info('server');
  const major = Number(/redis_version:(\d+)/.exec(info)?.[1] ?? 0);
  const adapter =
    major >= 7
      ? createShardedAdapter(pub, sub, { channelPrefix: `${prefix}:socket.io`, subscriptionMode: 'dynamic' })
      : createAdapter(pub, sub, { key: `${prefix}:socket.io` });
  return { adapter, close: () => Promise.allSettled([pub.quit(), sub.quit()]) };
}

/**
 * Socket.IO on the HTTP server's port, joined across processes by the Redis adapter, or on its own
 * in-process adapter in the embedded mode (one process, so nothing to join).
 */
export async function startRealtime(o: RealtimeOptions): Promise<Realtime> {
  const fanOut = o.redisTarget && (await redisAdapter(o.redisTarget, o.redisPrefix, o.logger));

  const io: HubServer = new Server({
    ...(fanOut && { adapter: fanOut.adapter }),
    serveClient: false,
    cors: { origin: o.corsOrigins.includes('*') ? true : [...o.corsOrigins] },
    allowRequest: (req, callback) => callback(null, originAllowed(req, o.corsOrigins)),
  });
  if (o.httpServer) io.attach(o.httpServer);

  io.use(async (socket, next) => {
    const token: unknown = socket.handshake.auth?.token;
    const displayToken: unknown = socket.handshake.auth?.displayToken;
    socket.data.principal = undefined;
    socket.data.tokenExpiresAt = undefined;
    socket.data.display = undefined;
    if (displayToken !== undefined && displayToken !== null && displayToken !== '') {
      try {
        if (typeof displayToken !== 'string' || token)
          throw new Error('a display token comes alone, as a string');
        const display = await o.displaySession(displayToken);
        if (!display) throw new Error('unknown or revoked display token');
        socket.data.display = display;
        await socket.join(displayTokenRoom(display.tokenId));
        return next();
      } catch {
        return next(new Error('unauthorized'));
      }
    }
    if (token === undefined || token === null || token === '') return next();
    try {
      if (typeof token !== 'string') throw new Error('token must be a string');
      const session = await o.tokens.verifySession(token);
      if (await o.sessions.revoked(session.principal.familyId)) throw new Error('session revoked');
      socket.data.principal = session.principal;
      socket.data.tokenExpiresAt = session.expiresAt;
      await socket.join(sessionRoom(session.principal.familyId));
      next();
    } catch {
      next(new Error('unauthorized'));
    }
  });

  io.on('connection', (socket) => {
    o.metrics.socketsConnected.inc();
    socket.on('disconnect', () => o.metrics.socketsConnected.dec());
    registerHandlers(socket, { sql: o.sql, tokens: o.tokens, sessions: o.sessions, logger: o.logger });
  });
  // A session revoked on any process (logout, password change) loses its private rooms here at once.
  const stopDropping = o.sessions.onRevoked((familyId) => {
    for (const s of io.of('/').sockets.values())
      if (s.data.principal?.familyId === familyId) void dropPrivateRooms(s, 'revoked');
  });

  const sessionCheck = setInterval(() => void checkSessions(io, o.sql, o.logger), o.sessionCheckMs ?? 30_000);
  sessionCheck.unref();

  return {
    io,
    emit: (event) => {
      io.to(event.room).emit('event', event);
    },
    endDisplaySessions(tokenId) {
      io.in(displayTokenRoom(tokenId)).disconnectSockets(true);
    },
    endSessions(familyIds) {
      if (familyIds.length > 0) io.in(familyIds.map(sessionRoom)).disconnectSockets(true);
    },
    disconnectAll() {
      io.local.emit('server_closing', { reason: 'shutdown' });
      io.local.disconnectSockets(true);
    },
    async close() {
      clearInterval(sessionCheck);
      stopDropping();
      // Also closes the adapter; the HTTP server is already closed by then (its error is ignored).
      if (o.httpServer) await new Promise<void>((resolve) => io.close(() => resolve()));
      // Never attached (--role worker): io.close() would reach for an engine that does not exist and reject.
      else await io.of('/').adapter.close();
      await fanOut?.close();
    },
  };
}

/**
 * A token that expired while connected, or whose refresh family was revoked (logout, theft), loses its
 * private rooms. Runs on this process's own sockets only.
 */
async function checkSessions(io: HubServer, sql: Sql, logger: Logger): Promise<void> {
  try {
    const sockets = [...io.of('/').sockets.values()].filter((s) => s.data.principal);
    const now = Date.now();
    const families = [...new Set(sockets.map((s) => s.data.principal!.familyId))];
    const revoked = families.length
      ? new Set(
          (
            await sql<
              { id: string }[]
            >`select id from refresh_families where id = any(${families}::uuid[]) and revoked_at is not null`
          ).map((r) => r.id),
        )
      : new Set<string>();
    for (const s of sockets) {
      if (revoked.has(s.data.principal!.familyId)) await dropPrivateRooms(s, 'revoked');
      else if ((s.data.tokenExpiresAt ?? 0) <= now) await dropPrivateRooms(s, 'expired');
    }
    // Revocation disconnects a display at once (endDisplaySessions); this catches one that message missed.
    const displays = [...io.of('/').sockets.values()].filter((s) => s.data.display);
    const tokenIds = [...new Set(displays.map((s) => s.data.display!.tokenId))];
    if (tokenIds.length > 0) {
      const gone = new Set(
        (
          await sql<{ id: string }[]>`
            select id from display_tokens where id = any(${tokenIds}::uuid[]) and revoked_at is not null`
        ).map((r) => r.id),
      );
      for (const s of displays) if (gone.has(s.data.display!.tokenId)) s.disconnect(true);
    }
  } catch (err) {
    logger.warn({ err }, 'session check failed; will retry');
  }
}

/** Browsers send Origin: same-origin pages and CORS_ORIGINS are let in; clients without Origin too. */
function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (!origin || allowed.includes('*') || allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
