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
  /** Connects in flight at once: batches, so the listener's backlog never overflows. */
  concurrency: number;
  timeoutMs: number;
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
