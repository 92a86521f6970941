import { useEffect, useRef, useState } from 'preact/hooks';
import { HubClient } from '../../realtime/client.js';
import { accessToken, api } from './api.js';
import type { LiveOptions } from './live.js';

/**
 * `useLive` for a person's private rooms (`user:<id>`, `doctor:<id>`) on a page kept open for long:
 * when the access token expires while connected, the server leaves those rooms and says
 * `session_expired`. Here the page then refreshes its token through the API and reconnects, and
 * HubClient rejoins and resyncs what was missed meanwhile. A session revoked for good (signed out
 * elsewhere) calls `onSessionLost`.
 */
export function useLiveSession({
  rooms,
  onEvent,
  onReset,
  onSessionLost,
}: Omit<LiveOptions, 'displayToken'> & { onSessionLost?: () => void }): boolean {
  const [online, setOnline] = useState(false);
  const handlers = useRef({ onEvent, onReset, onSessionLost });
  handlers.current = { onEvent, onReset, onSessionLost };
  const key = rooms.join(' ');
  useEffect(() => {
    if (rooms.length === 0) return;
    const client = new HubClient({
      url: location.origin,
      token: accessToken,
      onEvent: (e) => handlers.current.onEvent(e),
      onReset: () => handlers.current.onReset?.(),
    });
    for (const room of rooms) client.subscribe(room).catch(() => {});
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
    return () => client.close();
  }, [key]);
  return online;
}
