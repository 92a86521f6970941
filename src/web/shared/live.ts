import { useEffect, useRef, useState } from 'preact/hooks';
import { HubClient, type LiveEvent } from '../../realtime/client.js';
import { accessToken, api } from './api.js';

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

/**
 * Live events through the project's HubClient: it rejoins after a reconnect, resyncs what was missed and
 * drops duplicates, so a page's state stays what the server says. When the access token expires while
 * connected, the server closes the private rooms (`session_expired`): the token is refreshed through the
 * API and the socket reconnects, rejoining and resyncing. Returns whether the socket is connected (pages
 * show when they are offline).
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
    const client = new HubClient({
      url: location.origin,
      token: accessToken,
      ...(displayToken ? { displayToken } : {}),
      onEvent: (e) => handlers.current.onEvent(e),
      onReset: () => (handlers.current.load ?? handlers.current.onReset)?.(),
    });
    const socket = client.socket;
    socket.on('connect', () => setOnline(true));
    socket.on('disconnect', () => setOnline(false));
    socket.on('connect_error', () => setOnline(false));
    socket.on('session_expired', async () => {
      // Any API call refreshes an expired access token once (or finds the session gone).
      await api('GET', '/v1/me').catch(() => {});
      if (!accessToken()) return handlers.current.onSessionLost?.();
      // The handshake reads the fresh token; HubClient rejoins every room and resyncs on connect.
      socket.disconnect().connect();
    });
    // Emits wait for the connection; a join that times out is retried by HubClient's next reconnect.
    void Promise.allSettled(rooms.map((room) => client.subscribe(room))).then(() => {
      if (!closed) handlers.current.load?.();
    });
    return () => {
      closed = true;
      client.close();
    };
  }, [key, displayToken]);
  return online;
}
