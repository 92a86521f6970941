import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { type AppDeps, createApp } from './app.js';
import { answerParserErrors } from './client-error.js';

/** The Node HTTP server around the Hono app; Socket.IO attaches to the same server. */
export function createHttpServer(deps: AppDeps): Server {
  const { app } = createApp(deps);
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  answerParserErrors(server);
  return server;
}

/** Listens, and returns the URL actually bound (port 0 resolves to a free port). */
export async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
}

/**
 * Stop accepting, tell sockets why and disconnect them, let in-flight requests finish (up to 10 s),
 * then drop what is left.
 */
export async function closeHttp(server: Server, disconnectSockets: () => void): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  disconnectSockets();
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), 10_000);
  await closed;
  clearTimeout(timer);
}
