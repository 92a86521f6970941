import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import { monoMs, reportProgress, serveRpc } from './child-rpc.js';
import type { CollectResult, ConnectOptions, ConnectResult, EchoResult, EventLog } from './socket-swarm.js';

/**
 * The client swarm process (see socket-swarm.ts for the parent side). Holds up to several thousand
 * client sockets: socket.io-client sockets (websocket transport, one connection each) or plain `ws`
 * clients, and timestamps, per socket, the first `slot.booked` event after `arm`; or, after `watch`,
 * every event of the watched types (a stream, each socket hearing only its own room's).
 */

type Conn = { kind: 'sio'; socket: Socket } | { kind: 'ws'; socket: WebSocket };

let conns: Conn[] = [];
let closing = false;
let lost = 0;
let armed = false;
let received = new Float64Array(0);
let eventIds = new Float64Array(0);
let got = 0;
let allIn: (() => void) | undefined;
let watched = new Set<string>();
let log = { socket: [] as number[], id: [] as number[], t: [] as number[] };

interface LiveEventLike {
  id?: number | null;
  type?: string;
}

function onEvent(i: number, event: LiveEventLike): void {
  const t = monoMs();
  const id = typeof event?.id === 'number' ? event.id : -1;
  if (watched.has(event?.type ?? '')) {
    log.socket.push(i);
    log.id.push(id);
    log.t.push(t);
  }
  if (!armed || event?.type !== 'slot.booked' || !Number.isNaN(received[i]!)) return;
  received[i] = t;
  eventIds[i] = id;
  got++;
  if (got === conns.length) allIn?.();
}

function openSio(i: number, o: ConnectOptions): Promise<Conn> {
  const socket = io(o.url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: o.timeoutMs,
    auth: { ...o.sockets?.[i]?.auth },
  });
  const room = o.sockets ? o.sockets[i]?.room : o.room;
  return new Promise<Conn>((resolve, reject) => {
    const fail = (err: Error) => {
      socket.disconnect();
      reject(err);
    };
    socket.once('connect_error', fail);
    socket.once('connect', () => {
      socket.off('connect_error', fail);
      socket.on('event', (e: LiveEventLike) => onEvent(i, e));
      socket.on('disconnect', () => {
        if (!closing) lost++;
      });
      if (!room) return resolve({ kind: 'sio', socket });
      socket
        .timeout(o.timeoutMs)
        .emitWithAck('subscribe', { room })
        .then(
          (ack: { ok: boolean; code?: string }) =>
            ack?.ok
              ? resolve({ kind: 'sio', socket })
              : fail(new Error(`subscribe refused: ${ack?.code ?? 'no ack'}`)),
          (err: Error) => fail(new Error(`subscribe: ${err.message}`)),
        );
    });
  });
}

function openWs(i: number, o: ConnectOptions): Promise<Conn> {
  const socket = new WebSocket(o.url, { handshakeTimeout: o.timeoutMs, perMessageDeflate: false });
  return new Promise<Conn>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => {
      socket.off('error', reject);
      socket.on('error', () => {});
      // Parsed like an application would, so both sides of the comparison pay for decoding.
      socket.on('message', (data) => onEvent(i, JSON.parse(String(data)) as LiveEventLike));
      socket.on('close', () => {
        if (!closing) lost++;
      });
      resolve({ kind: 'ws', socket });
    });
  });
}

async function connect(o: ConnectOptions): Promise<ConnectResult> {
  if (conns.length > 0) throw new Error('already connected; disconnect first');
  if (o.sockets && o.sockets.length !== o.count)
    throw new Error(`${o.sockets.length} socket specs for ${o.count} sockets`);
  closing = false;
  lost = 0;
  const started = monoMs();
  const opened: (Conn | undefined)[] = new Array(o.count);
  const errors = new Map<string, number>();
  let next = 0;
  let done = 0;
  const open = o.kind === 'sio' ? openSio : openWs;
  const worker = async () => {
    while (next < o.count) {
      const i = next++;
      try {
        opened[i] = await open(i, o);
      } catch (err) {
        const msg = (err as Error).message;
        errors.set(msg, (errors.get(msg) ?? 0) + 1);
      }
      if (++done % 250 === 0) reportProgress(done, `${done}/${o.count} connected`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, o.count) }, worker));
  const failed = opened.filter((c) => !c).length;
  if (failed > 0) {
    for (const c of opened) c && close(c);
    throw new Error(
      `${failed} of ${o.count} connects failed: ${[...errors].map(([m, n]) => `${n}× ${m}`).join('; ')}`,
    );
  }
  conns = opened as Conn[];
  received = new Float64Array(conns.length).fill(Number.NaN);
  eventIds = new Float64Array(conns.length).fill(Number.NaN);
  return { connected: conns.length, ms: monoMs() - started };
}

function close(c: Conn): void {
  if (c.kind === 'sio') c.socket.disconnect();
  else c.socket.terminate();
}

serveRpc({
  connect,

  /** Forget earlier receipts; the next `slot.booked` on each socket is timed. */
  arm() {
    received.fill(Number.NaN);
    eventIds.fill(Number.NaN);
    got = 0;
    armed = true;
    return lost;
  },

  /** Waits until every socket has its receipt (or `timeoutMs`), then hands the receipt times over. */
  async collect({ timeoutMs }: { timeoutMs: number }): Promise<CollectResult> {
    if (got < conns.length) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        allIn = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      allIn = undefined;
    }
    armed = false;
    const ids = new Set<number>();
    for (const id of eventIds) if (!Number.isNaN(id)) ids.add(id);
    return { received: received.slice(), missing: conns.length - got, eventIds: [...ids], lost };
  },

  watch({ types }: { types: string[] }) {
    watched = new Set(types);
    log = { socket: [], id: [], t: [] };
    return true;
  },

  takeLog(): EventLog {
    const out = {
      socket: Int32Array.from(log.socket),
      id: Float64Array.from(log.id),
      t: Float64Array.from(log.t),
      lost,
    };
    log = { socket: [], id: [], t: [] };
    return out;
  },

  /**
   * Every socket emits `echo` with the payload at once and times the acknowledgement (socket.io only):
   * the plain request/response round trip at this connection count.
   */
  async echoRound({ payload, timeoutMs }: { payload: unknown; timeoutMs: number }): Promise<EchoResult> {
    const rtt = new Float64Array(conns.length).fill(Number.NaN);
    let failed = 0;
    await Promise.all(
      conns.map((c, i) => {
        if (c.kind !== 'sio') throw new Error('echoRound needs socket.io connections');
        const t = monoMs();
        return c.socket
          .timeout(timeoutMs)
          .emitWithAck('echo', payload)
          .then(
            () => {
              rtt[i] = monoMs() - t;
            },
            () => {
              failed++;
            },
          );
      }),
    );
    return { rtt, failed };
  },

  async disconnect() {
    closing = true;
    armed = false;
    watched = new Set();
    for (const c of conns) close(c);
    conns = [];
    // Let the close frames go out before the next phase starts timing anything.
    await new Promise((r) => setTimeout(r, 200));
    return true;
  },
});
