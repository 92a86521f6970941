import { type RpcChild, spawnRpcChild } from './child-rpc.js';

export type PlainServerKind = 'sio-echo' | 'ws-broadcast' | 'http-ok';

export interface BroadcastResult {
  /** Monotonic ms just before the send loop. */
  t0: number;
  sent: number;
  /** How long the send loop itself took. */
  loopMs: number;
}

/**
 * A baseline server in its own process (bench/lib/plain-server.child.ts): no auth, no rooms, no adapter,
 * no database; what the hub's figure is compared with in the same run.
 */
export class PlainServer {
  private constructor(
    private readonly child: RpcChild,
    readonly url: string,
  ) {}

  static async start(kind: PlainServerKind): Promise<PlainServer> {
    const child = await spawnRpcChild('bench/lib/plain-server.child.ts', `${kind} server`);
    try {
      const port = await child.call<number>('listen', { kind });
      return new PlainServer(child, `${kind === 'ws-broadcast' ? 'ws' : 'http'}://127.0.0.1:${port}`);
    } catch (err) {
      await child.stop();
      throw err;
    }
  }

  get pid(): number {
    return this.child.pid;
  }

  rss(): number {
    return this.child.rss();
  }

  clients(): Promise<number> {
    return this.child.call<number>('clients');
  }

  broadcast(payload: unknown): Promise<BroadcastResult> {
    return this.child.call<BroadcastResult>('broadcast', { payload });
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}
