import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { useTestHub } from '../helpers/harness.js';

/** Connects with a browser-like Origin header; resolves 'connected' or the connect_error message. */
function connectFrom(url: string, origin: string | undefined): Promise<string> {
  const socket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(origin ? { extraHeaders: { origin } } : {}),
  });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.disconnect();
      resolve('connected');
    });
    socket.once('connect_error', (err) => {
      socket.disconnect();
      resolve(err.message);
    });
  });
}

describe('sockets are accepted from the hub’s own origin and CORS_ORIGINS only', () => {
  const hub = useTestHub({ CORS_ORIGINS: 'https://app.clinic.example' });

  it('lets in an allowed origin, the same origin, and clients that send none', async () => {
    expect(await connectFrom(hub.url, 'https://app.clinic.example')).toBe('connected');
    expect(await connectFrom(hub.url, hub.url)).toBe('connected');
    expect(await connectFrom(hub.url, undefined)).toBe('connected');
  });

  it('refuses any other origin', async () => {
    expect(await connectFrom(hub.url, 'https://evil.example')).not.toBe('connected');
  });
});
