import { useEffect, useRef, useState } from 'preact/hooks';
import { HubClient, type LiveEvent } from '../../realtime/client.js';
import { accessToken, api, session } from './api.js';

/**
 * useLive (live.ts) for a signed-in person's private rooms (`doctor:<id>`, `user:<id>`), which also
 * keeps them across the access token's end. The hub drops a socket from its private rooms when the
 * token expires (`session_expired`, README "Live updates") and refuses a reconnect with an expired
 * token; a page left open all day would go quiet. Here either one refreshes the session through the
 * API and reconnects, and HubClient then rejoins the rooms and resyncs what was missed. When the
 * session is gone for good (signed out elsewhere), `onSignedOut` is called.
 */
export interface AccountLiveOptions {
  rooms: readonly string[];
  onEvent: (event: LiveEvent) => void;
  /** The server could not replay what was missed: refetch the state. */
  onReset?: () => void;
  onSignedOut?: () => void;
}

export function useAccountLive({ rooms, onEvent, onReset, onSignedOut }: AccountLiveOptions): boolean {
  const [online, setOnline] = useState(false);
  const handlers = useRef({ onEvent, onReset, onSignedOut });
  handlers.current = { onEvent, onReset, onSignedOut };
  const key = rooms.join(' ');
  useEffect(() => {
    if (rooms.length === 0) return;
    let closed = false;
    let renewing = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const client = new HubClient({
      url: location.origin,
      token: accessToken,
      onEvent: (e) => handlers.current.onEvent(e),
      onReset: () => handlers.current.onReset?.(),
    });
    // A fresh access token (api() refreshes once on a 401), then a new handshake that carries it.
    const renew = async () => {
      if (renewing || closed) return;
      renewing = true;
      try {
        await api('GET', '/v1/me');
      } catch {
        if (!session()) {
          handlers.current.onSignedOut?.();
          return;
        }
        retry = setTimeout(() => void renew(), 5000); // the hub is unreachable: try again shortly
        return;
      } finally {
        renewing = false;
      }
      if (closed) return;
      client.socket.disconnect();
      client.socket.connect();
    };
    // Join on connect (HubClient rejoins by itself after later reconnects, once a room was joined).
    // Online means receiving: connected, and every room joined.
    const joined = new Set<string>();
    const join = () => {
      if (rooms.every((room) => joined.has(room))) setOnline(true);
      for (const room of rooms) {
        if (joined.has(room)) continue;
        client.subscribe(room).then(
          (ack) => {
            if (ack.ok) joined.add(room);
            if (client.socket.connected && rooms.every((r) => joined.has(r))) setOnline(true);
          },
          () => {}, // timed out: the next connect tries again
        );
      }
    };
    client.socket.on('connect', join);
    client.socket.on('disconnect', () => setOnline(false));
    client.socket.on('session_expired', () => {
      setOnline(false);
      void renew();
    });
    client.socket.on('connect_error', () => {
      setOnline(false);
      // Refused by the server (a stale token): socket.io does not retry that by itself.
      if (!client.socket.active) void renew();
    });
    return () => {
      closed = true;
      clearTimeout(retry);
      client.close();
    };
  }, [key]);
  return online;
}
