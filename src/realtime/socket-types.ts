import type { Principal } from '../auth/principal.js';
import type { ErrorCode } from '../errors.js';
import type { LiveEvent } from '../events/event-types.js';

/** The Socket.IO contract, shared by the server and the typed client (docs/architecture.md, "Rooms"). */

export interface RoomPayload {
  room: string;
}
export interface ResyncPayload {
  room: string;
  afterId: number;
}
export interface AuthPayload {
  token: string;
}

/**
 * A refused request. `code` comes from the same closed table as the HTTP API's problem documents
 * (src/errors.ts); `message`, when present, is the detail (e.g. which field of the payload is bad).
 */
export interface Refusal {
  ok: false;
  code: ErrorCode;
  message?: string;
}

export type Ack = { ok: true } | Refusal;
export type SubscribeAck = { ok: true; lastEventId: number } | Refusal;
export type ResyncAck = { ok: true; events: LiveEvent[] } | { ok: true; reset: true } | Refusal;

export interface ClientToServerEvents {
  subscribe: (payload: RoomPayload, ack: (res: SubscribeAck) => void) => void;
  unsubscribe: (payload: RoomPayload, ack: (res: Ack) => void) => void;
  resync: (payload: ResyncPayload, ack: (res: ResyncAck) => void) => void;
  /** Swap in a fresh access token without reconnecting (after a refresh). */
  auth: (payload: AuthPayload, ack: (res: Ack) => void) => void;
}

export interface ServerToClientEvents {
  event: (event: LiveEvent) => void;
  /** The token expired or its session was revoked: private rooms were left. Send `auth` to rejoin. */
  session_expired: (info: { reason: 'expired' | 'revoked' }) => void;
  /** Sent just before the server disconnects everyone on shutdown; reconnect and resync. */
  server_closing: (info: { reason: 'shutdown' }) => void;
}

// biome-ignore lint/suspicious/noEmptyInterface: Socket.IO's generic slot for server-to-server events; none are used.
export interface InterServerEvents {}

export interface DisplaySession {
  tokenId: string;
  clinicId: string;
}

export interface SocketData {
  principal: Principal | undefined;
  /** Access token expiry, epoch ms. */
  tokenExpiresAt: number | undefined;
  /** A waiting-room screen's display token: it opens its clinic's display room and nothing else. */
  display: DisplaySession | undefined;
}
