import { useEffect, useRef, useState } from 'preact/hooks';
import { HubClient, type LiveEvent } from '../../realtime/client.js';
import { accessToken } from './api.js';

export type { LiveEvent } from '../../realtime/client.js';

export interface LiveOptions {
  /** Rooms to join (`slots:<doctorId>`, `user:<id>` …). */
  rooms: readonly string[];
  onEvent: (event: LiveEvent) => void;
  /** The server could not replay what was missed: refetch the state. */
  onReset?: () => void;
  displayToken?: string;
}

/**
 * Live events through the project's HubClient: it resubscribes after a reconnect, resyncs what was
 * missed and drops duplicates, so a page's state stays what the server says. Returns whether the
 * socket is connected (pages show when they are offline).
 */
export function useLive({ rooms, onEvent, onReset, displayToken }: LiveOptions): boolean {
  const [online, setOnline] = useState(false);
  const handlers = useRef({ onEvent, onReset });
  handlers.current = { onEvent, onReset };
  const key = rooms.join(' ');
  useEffect(() => {
    if (rooms.length === 0) return;
    const client = new HubClient({
      url: location.origin,
      token: accessToken,
      ...(displayToken ? { displayToken } : {}),
      onEvent: (e) => handlers.current.onEvent(e),
      onReset: () => handlers.current.onReset?.(),
    });
    // Emits wait for the connection; after a reconnect HubClient rejoins and resyncs by itself.
    for (const room of rooms) void client.subscribe(room);
    client.socket.on('connect', () => setOnline(true));
    client.socket.on('disconnect', () => setOnline(false));
    client.socket.on('connect_error', () => setOnline(false));
    return () => client.close();
  }, [key, displayToken]);
  return online;
}
