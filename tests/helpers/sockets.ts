import { io, type Socket } from 'socket.io-client';
import type { LiveEvent } from '../../src/events/event-types.js';
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  SubscribeAck,
} from '../../src/realtime/socket-types.js';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents> & { events: LiveEvent[] };

/** A connected socket.io-client socket that records every `event` it receives (a person's token, or a display's). */
export async function connectSocket(
  url: string,
  token?: string | { displayToken: string },
): Promise<TestSocket> {
  const socket = io(url, {
    transports: ['websocket'],
    auth: typeof token === 'string' ? { token } : (token ?? {}),
    reconnection: false,
    forceNew: true,
  }) as TestSocket;
  socket.events = [];
  socket.on('event', (e) => socket.events.push(e));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

export async function subscribe(socket: TestSocket, room: string): Promise<SubscribeAck> {
  return socket.timeout(5000).emitWithAck('subscribe', { room });
}

/** Resolves with the first received (or already recorded) event matching, or rejects after `ms`. */
export function waitForEvent(
  socket: TestSocket,
  match: (e: LiveEvent) => boolean,
  ms = 5000,
): Promise<LiveEvent> {
  const seen = socket.events.find(match);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('event', listener);
      reject(
        new Error(
          `no matching event within ${ms} ms; got ${socket.events.map((e) => e.type).join(', ') || 'none'}`,
        ),
      );
    }, ms);
    const listener = (e: LiveEvent) => {
      if (!match(e)) return;
      clearTimeout(timer);
      socket.off('event', listener);
      resolve(e);
    };
    socket.on('event', listener);
  });
}
