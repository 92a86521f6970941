import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { WebSocketServer } from 'ws';
import { monoMs, serveRpc } from './child-rpc.js';
import type { BroadcastResult, PlainServerKind } from './plain-server.js';

/**
 * The baselines' servers, each the plainest way to do the job (see plain-server.ts):
 * - `sio-echo`: `new Server()` from socket.io, default in-memory adapter, acknowledging `echo`.
 * - `ws-broadcast`: a `ws` WebSocketServer that sends one JSON text frame to every client.
 * - `http-ok`: a bare node:http server answering every request with a small JSON body (no framework).
 */
const OK = '{"status":"ok"}';
let wss: WebSocketServer | undefined;
let io: Server | undefined;

serveRpc({
  async listen({ kind }: { kind: PlainServerKind }): Promise<number> {
    const http = createServer();
    if (kind === 'http-ok') {
      http.on('request', (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': OK.length });
        res.end(OK);
      });
    } else if (kind === 'sio-echo') {
      io = new Server(http, { serveClient: false });
      io.on('connection', (socket) => {
        socket.on('echo', (payload: unknown, ack: unknown) => {
          if (typeof ack === 'function') ack(payload);
        });
      });
    } else {
      wss = new WebSocketServer({ server: http, perMessageDeflate: false });
    }
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return (http.address() as AddressInfo).port;
  },

  /** ws-broadcast: t0 is taken just before the payload is serialized and the send loop starts. */
  broadcast({ payload }: { payload: unknown }): BroadcastResult {
    if (!wss) throw new Error('not a ws-broadcast server');
    const t0 = monoMs();
    const data = JSON.stringify(payload);
    let sent = 0;
    for (const client of wss.clients) {
      if (client.readyState !== client.OPEN) continue;
      client.send(data);
      sent++;
    }
    return { t0, sent, loopMs: monoMs() - t0 };
  },

  clients(): number {
    return wss ? wss.clients.size : (io?.engine.clientsCount ?? 0);
  },
});
