import { useEffect, useRef, useState } from 'preact/hooks';
import { HubClient, type LiveEvent } from '../../realtime/client.js';
import { accessToken } from './api.js';

export interface SyncedLiveOptions {
  /** Rooms to join (`queue:<clinicId>` …). */
  rooms: readonly string[];
  onEvent: (event: LiveEvent) => void;
  /** Fetches the state the events change: at once, again once every room is joined, and after a reset. */
  load: () => void;
}

/**
 * Live events for a page that holds server state (a list the events update). Unlike `useLive`, it loads
 * the state again once the rooms are joined: an event published between the first GET and the join
 * would otherwise be lost (live delivery starts at the join), while a load after the join sees it. After a
 * reconnect HubClient resyncs by itself; when the gap is too old (`reset`) the state is loaded again.
 * Returns whether the socket is connected (pages show when they are offline).
 */
export function useSyncedLive({ rooms, onEvent, load }: SyncedLiveOptions): boolean {
  const [online, setOnline] = useState(false);
  const handlers = useRef({ onEvent, load });
  handlers.current = { onEvent, load };
  const key = rooms.join(' ');
  useEffect(() => {
    handlers.current.load();
    if (rooms.length === 0) return;
    let closed = false;
    const client = new HubClient({
      url: location.origin,
      token: accessToken,
      onEvent: (e) => handlers.current.onEvent(e),
      onReset: () => handlers.current.load(),
    });
    client.socket.on('connect', () => setOnline(true));
    client.socket.on('disconnect', () => setOnline(false));
    client.socket.on('connect_error', () => setOnline(false));
    void Promise.allSettled(rooms.map((room) => client.subscribe(room))).then(() => {
      if (!closed) handlers.current.load();
    });
    return () => {
      closed = true;
      client.close();
    };
  }, [key]);
  return online;
}
