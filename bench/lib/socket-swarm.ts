import { type RpcChild, spawnRpcChild } from './child-rpc.js';

/**
 * Client sockets in child processes (bench/lib/socket-swarm.child.ts), so that neither the hub nor the
 * bench process shares file descriptors or an event loop with them. One swarm holds a few thousand
 * sockets; fan-out across several swarms with `swarms()`.
 *
 * Receipt times are CLOCK_MONOTONIC milliseconds (`monoMs`), comparable with times taken in the bench
 * process and in the baseline servers.
 */

export interface ConnectOptions {
  /** socket.io-client (websocket transport, one connection per socket) or a plain `ws` client. */
  kind: 'sio' | 'ws';
  url: string;
  count: number;
  /** socket.io only: `subscribe` to this room after connecting (and fail unless the ack says ok). */
  room?: string;
  /**
   * socket.io only: socket i's own handshake auth and room (`sockets[i]`, its room instead of `room`),
   * when the sockets are not all alike (a clinic's displays and desks); `count` must equal its length.
   */
  sockets?: SocketSpec[];
  /** Connects in flight at once: batches, so the listener's backlog never overflows. */
  concurrency: number;
  timeoutMs: number;
}

export interface SocketSpec {
  /** The handshake's `auth`, e.g. `{ token }` or `{ displayToken }`; anonymous when absent. */
  auth?: Record<string, string>;
  room?: string;
}

export interface ConnectResult {
  connected: number;
  ms: number;
}

export interface CollectResult {
  /** Per socket, when the armed `slot.booked` arrived (monotonic ms); NaN if it did not. */
  received: Float64Array;
  missing: number;
  /** The different event ids the sockets timed (one, when they all got the same event). */
  eventIds: number[];
  /** Sockets that disconnected on their own since connecting. */
  lost: number;
}

/** Every watched event the sockets received since the last `takeLog`, one entry per socket and event. */
export interface EventLog {
  socket: Int32Array;
  /** The event's outbox id (-1 if it had none). */
  id: Float64Array;
  /** Receipt, monotonic ms. */
  t: Float64Array;
  /** Sockets that disconnected on their own since connecting. */
  lost: number;
}

export interface EchoResult {
  /** Per socket round trip, ms; NaN where the ack did not come. */
  rtt: Float64Array;
  failed: number;
}

export class Swarm {
  private constructor(private readonly child: RpcChild) {}

  static async start(label = 'socket swarm'): Promise<Swarm> {
    return new Swarm(await spawnRpcChild('bench/lib/socket-swarm.child.ts', label));
  }

  get pid(): number {
    return this.child.pid;
  }

  async connect(o: ConnectOptions, onProgress?: (done: number) => void): Promise<ConnectResult> {
    this.child.onProgress(onProgress && ((done) => onProgress(done)));
    try {
      return await this.child.call<ConnectResult>('connect', o, 110_000);
    } finally {
      this.child.onProgress(undefined);
    }
  }

  /** Resolves once the swarm times the next `slot.booked` on every socket. */
  arm(): Promise<number> {
    return this.child.call<number>('arm');
  }

  collect(timeoutMs: number): Promise<CollectResult> {
    return this.child.call<CollectResult>('collect', { timeoutMs }, timeoutMs + 30_000);
  }

  /**
   * From now on logs every event of these types on every socket (an empty list stops it): for a stream
   * of events, where `arm`/`collect` time one event that every socket gets.
   */
  watch(types: string[]): Promise<boolean> {
    return this.child.call<boolean>('watch', { types });
  }

  /** Hands over the log since the last call and starts a new one. */
  takeLog(): Promise<EventLog> {
    return this.child.call<EventLog>('takeLog');
  }

  echoRound(payload: unknown, timeoutMs: number): Promise<EchoResult> {
    return this.child.call<EchoResult>('echoRound', { payload, timeoutMs }, timeoutMs + 30_000);
  }

  disconnect(): Promise<boolean> {
    return this.child.call<boolean>('disconnect');
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}

/** Splits `total` sockets over `n` swarms as evenly as possible. */
export function split(total: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
}
