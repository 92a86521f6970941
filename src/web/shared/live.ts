import { useEffect, useRef, useState } from 'preact/hooks';
import { HubClient, type LiveEvent } from '../../realtime/client.js';
import { accessToken, api, refresh, session } from './api.js';

export type { LiveEvent } from '../../realtime/client.js';

export interface LiveOptions {
  /** Rooms to join (`slots:<doctorId>`, `user:<id>` …). */
  rooms: readonly string[];
  onEvent: (event: LiveEvent) => void;
  /**
   * Fetches the state the events change: at once, again once every room is joined (an event published
   * between the first fetch and the join would otherwise be lost: live delivery starts at the join), and
   * whenever the server cannot replay what was missed.
   */
  load?: () => void;
  /** The server could not replay what was missed (when there is no `load`). */
  onReset?: () => void;
  /** A waiting-room screen connects with its display token instead of a person's token. */
  displayToken?: string;
  /** The person's session ended for good (signed out elsewhere): their private rooms are closed. */
  onSessionLost?: () => void;
}

/** How long to wait before asking the hub for a fresh token again when it could not be reached. */
const RENEW_RETRY_MS = 5000;

/**
 * Live events through the project's HubClient: it rejoins after a reconnect, resyncs what was missed and
 * drops duplicates, so a page's state stays what the server says. A room whose join timed out or was
 * refused is tried again at the next (re)connect.
 *
 * A person's page stays open past the access token's end. The server then closes the private rooms
 * (`session_expired`) and refuses a reconnect that carries the expired token (socket.io does not retry
 * that by itself). Either way the token is refreshed through the API and the socket reconnects,
 * rejoining and resyncing; while the hub cannot be reached this is tried again every few seconds, and
 * when the session is gone for good `onSessionLost` is called.
 *
 * Returns whether the page is receiving: connected, and in every room (pages show when they are offline).
 */
export function useLive({
  rooms,
  onEvent,
  load,
  onReset,
  displayToken,
  onSessionLost,
}: LiveOptions): boolean {
  const [online, setOnline] = useState(false);
  const handlers = useRef({ onEvent, load, onReset, onSessionLost });
  handlers.current = { onEvent, load, onReset, onSessionLost };
  const key = rooms.join(' ');
  useEffect(() => {
    handlers.current.load?.();
    if (rooms.length === 0) return;
    let closed = false;
    let renewing = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let loadedOnceJoined = false;
    const client = new HubClient({
      url: location.origin,
      token: accessToken,
      ...(displayToken ? { displayToken } : {}),
      onEvent: (e) => handlers.current.onEvent(e),
      onReset: () => (handlers.current.load ?? handlers.current.onReset)?.(),
    });
    const socket = client.socket;

    // Rooms joined once; HubClient rejoins those by itself after a reconnect.
    const joined = new Set<string>();
    const join = () => {
      const tries = rooms
        .filter((room) => !joined.has(room))
        .map((room) =>
          client.subscribe(room).then((ack) => {
            if (ack.ok) joined.add(room);
          }),
        );
      // A join that timed out stays out of `joined`: the next connect tries again.
      void Promise.allSettled(tries).then(() => {
        if (closed) return;
        if (socket.connected && rooms.every((room) => joined.has(room))) setOnline(true);
        if (!loadedOnceJoined) {
          loadedOnceJoined = true;
          handlers.current.load?.();
        }
      });
    };

    // A fresh access token (api() refreshes an expired one), then a new handshake that carries it.
    const renew = async () => {
      if (renewing || closed || displayToken) return;
      renewing = true;
      const refused = accessToken();
      try {
        await api('GET', '/v1/me');
        // HTTP took the token the socket was refused with (HTTP checks expiry, the socket also revocation):
        // only a refresh tells whether the session still stands.
        if (accessToken() === refused && !(await refresh())) throw new Error('session ended');
      } catch {
        if (!session()) {
          handlers.current.onSessionLost?.();
          return;
        }
        retry = setTimeout(() => void renew(), RENEW_RETRY_MS); // the hub is unreachable: try again shortly
        return;
      } finally {
        renewing = false;
      }
      if (!closed) socket.disconnect().connect();
    };

    socket.on('connect', join);
    socket.on('disconnect', () => setOnline(false));
    socket.on('session_expired', () => {
      setOnline(false);
      void renew();
    });
    socket.on('connect_error', () => {
      setOnline(false);
      // Refused by the server (a stale token): socket.io does not retry that by itself.
      if (!socket.active) void renew();
    });
    return () => {
      closed = true;
      clearTimeout(retry);
      client.close();
    };
  }, [key, displayToken]);
  return online;
}
