import { PlainServer } from './plain-server.js';
import type { Swarm } from './socket-swarm.js';
import { type Latency, Recorder, repeat } from './stats.js';

export interface EchoBaselineOptions {
  /** Sockets, connected in batches of `concurrency` in flight. */
  count: number;
  concurrency: number;
  timeoutMs: number;
  /** What every socket emits: the event the hub's figure is about, so both sides pay for its size. */
  payload: unknown;
  warmup: number;
  repeats: number;
  perRun: number;
}

/**
 * The raw Socket.IO emit/ack round trip at a connection count, the baseline of the push-style scenarios:
 * a plain `new Server()` in its own process (in-memory adapter, no auth, no rooms) acknowledging `echo`,
 * the swarm's sockets (anonymous) connected to it. Each round every socket emits the payload at once and
 * times the ack: the same all-at-once burst shape a push to a room has. Warm-up rounds first, then
 * `repeats` runs of `perRun` rounds; one summary per run. The swarm must have no sockets connected, and
 * has none again after.
 */
export async function echoBaseline(
  swarm: Swarm,
  o: EchoBaselineOptions,
  tick: (detail: string) => void,
): Promise<Latency[]> {
  const plain = await PlainServer.start('sio-echo');
  try {
    await swarm.connect({
      kind: 'sio',
      url: plain.url,
      count: o.count,
      concurrency: o.concurrency,
      timeoutMs: o.timeoutMs,
    });
    tick(`${o.count} sockets on the plain server`);
    const round = async () => {
      const r = await swarm.echoRound(o.payload, 10_000);
      if (r.failed > 0) throw new Error(`${r.failed} echo acks did not come`);
      return r.rtt;
    };
    for (let i = 0; i < o.warmup; i++) {
      await round();
      tick('baseline warm-up');
    }
    const runs = await repeat(o.repeats, async () => {
      const rec = new Recorder();
      for (let b = 0; b < o.perRun; b++) {
        for (const v of await round()) rec.add(v);
        tick('baseline rounds');
      }
      return rec.summary();
    });
    await swarm.disconnect();
    return runs;
  } finally {
    await plain.stop();
  }
}
