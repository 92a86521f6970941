import { io, type Socket } from 'socket.io-client';
import type { LiveEvent } from '../../src/events/event-types.js';
import { monoMs } from '../lib/child-rpc.js';
import type { BenchHub } from '../lib/context.js';
import { type CommitClock, commitClock, slotStart } from '../lib/live-bookings.js';
import { p50p99, type Scenario } from '../lib/scenario.js';
import { seedClinic, seedDoctors, seedPatientRows, seedPatients } from '../lib/seed.js';
import { medianOf, Recorder, repeat } from '../lib/stats.js';

/**
 * Cancellation commit → the offered patient's socket receives `waitlist.offered`, with 1,000 entries
 * waiting on the doctor.
 *
 * Set-up: one doctor in a UTC clinic whose day tomorrow has exactly as many 15-minute slots as the run
 * cancels, every one booked (through the API); 1,000 waitlist entries for that day, in join order: first
 * the patients the run will offer to, each with a socket.io-client socket (websocket) in this process
 * subscribed to its `user:<id>` room, then the rest. The hub runs in its own process.
 *
 * Measure: cancellations one after another (POST /v1/appointments/:id/cancel by the booker); for each,
 * receipt of `waitlist.offered` on the socket of the next patient in line − the cancellation's commit.
 * Commit time is the outbox NOTIFY heard on the bench's own LISTEN connection (as in `push`); receipt is
 * the socket's `event` handler; both CLOCK_MONOTONIC in this process. The path measured: relay picks up
 * `slot.freed` → the waitlist chooses the entry in Postgres and places the hold in Redis → commits the
 * offer and its event → relay → Socket.IO. A receipt on anyone else's socket, or none, throws.
 *
 * Baseline (same run, same hub, same cancellations): commit → `slot.freed` on an anonymous socket in the
 * doctor's `slots:` room — one relay hop, the floor an offer (a second transaction and hop) builds on.
 * Ratio = floor p99 ÷ offer p99.
 */
export const waitlist: Scenario = {
  name: 'waitlist',
  title: 'cancel commit → waitlist.offered, 1,000 waiting',
  async run(ctx, progress) {
    const warmup = ctx.quick ? 1 : 5;
    const repeats = ctx.quick ? 1 : 3;
    const perRun = ctx.quick ? 4 : 15;
    const cancels = warmup + repeats * perRun;
    const waiting = 1000;
    const steps = 3 + cancels;
    let step = 0;
    const tick = (detail: string) => progress(++step, steps, detail);

    const env = await ctx.freshEnv('waitlist');
    const clinic = await seedClinic(env.sql);
    const minutes = cancels * 15;
    const end = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    const rules = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end, slotMinutes: 15 }));
    const [doctor] = await seedDoctors(env.sql, [clinic], 1, { rules });
    const doctorId = doctor!.id;
    const bookers = await seedPatients(ctx, env.sql, cancels);
    const offered = await seedPatients(ctx, env.sql, cancels);
    const rest = await seedPatientRows(env.sql, waiting - cancels);
    const day = new Date(slotStart(0)).toISOString().slice(0, 10);

    let hub: BenchHub | undefined;
    let clock: CommitClock | undefined;
    const sockets: Socket[] = [];
    try {
      hub = await ctx.startHub(env, { CANCEL_CUTOFF_MINUTES: '0', OFFER_TTL_SECONDS: '3600' });
      const appointments: string[] = [];
      for (let k = 0; k < cancels; k++)
        appointments.push(await book(hub.url, bookers[k]!.token, doctorId, slotStart(k)));
      // Join order is insertion order (seq): the patients with sockets first, then the rest.
      const entries = [...offered.map((p) => p.id), ...rest].map((patientId) => ({
        patientId,
        doctorId,
        fromDate: day,
        toDate: day,
      }));
      for (let i = 0; i < entries.length; i += 500)
        await env.sql`insert into waitlist_entries ${env.sql(entries.slice(i, i + 500))}`;
      tick(`${cancels} slots booked, ${waiting} waiting`);

      const received = new Map<string, number>();
      let wake = () => {};
      const listen = (key: string) => (e: LiveEvent) => {
        if (e.type !== 'waitlist.offered' && e.type !== 'slot.freed') return;
        received.set(e.type === 'slot.freed' ? `freed ${Date.parse(e.data.start)}` : key, monoMs());
        wake();
      };
      for (const p of offered) sockets.push(await connect(hub.url, p.token, `user:${p.id}`, listen(p.id)));
      sockets.push(await connect(hub.url, undefined, `slots:${doctorId}`, listen('slots')));
      tick(`${sockets.length} sockets`);
      clock = await commitClock(env.sql);

      const waitFor = (key: string) =>
        new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no ${key} within 10 s`)), 10_000);
          wake = () => {
            const t = received.get(key);
            if (t === undefined) return;
            clearTimeout(timer);
            resolve(t);
          };
          wake();
        });
      let k = 0;
      const cancelOne = async () => {
        const i = k++;
        const tSend = monoMs();
        const res = await fetch(`${hub!.url}/v1/appointments/${appointments[i]}/cancel`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${bookers[i]!.token}` },
          body: '{}',
        });
        if (res.status !== 200) throw new Error(`cancel answered ${res.status}: ${await res.text()}`);
        const tCommit = await clock!.after(tSend);
        const tOffer = await waitFor(offered[i]!.id);
        const tFreed = await waitFor(`freed ${slotStart(i)}`);
        const early = offered.slice(i + 1).find((p) => received.has(p.id));
        if (early) throw new Error(`patient ${offered.indexOf(early)} was offered before patient ${i}`);
        return { offer: tOffer - tCommit, freed: tFreed - tCommit };
      };

      for (let i = 0; i < warmup; i++) {
        await cancelOne();
        tick('warm-up');
      }
      const runs = await repeat(repeats, async () => {
        const offer = new Recorder();
        const freed = new Recorder();
        for (let c = 0; c < perRun; c++) {
          const t = await cancelOne();
          offer.add(t.offer);
          freed.add(t.freed);
          tick('cancellations');
        }
        return { offer: offer.summary(), freed: freed.summary() };
      });
      const [open] = await env.sql<{ n: number }[]>`
        select count(*)::int as n from waitlist_offers where status = 'offered'`;
      if (open!.n !== cancels) throw new Error(`${open!.n} open offers after ${cancels} cancellations`);

      const offers = runs.map((r) => r.offer);
      const floors = runs.map((r) => r.freed);
      const p99 = medianOf(offers, (l) => l.p99);
      const floorP99 = medianOf(floors, (l) => l.p99);
      return {
        measure: p50p99('commit→offer', offers),
        baseline: p50p99('commit→slot.freed', floors),
        ratio: floorP99 / Math.max(p99, 0.001),
        target: 'p99 ≤ 50 ms with 1,000 waiting',
        met: p99 <= 50,
        details: { waiting, warmupCancellations: warmup, repeats, cancellationsPerRepeat: perRun, runs },
      };
    } finally {
      for (const s of sockets) s.close();
      await clock?.close().catch(() => {});
      await hub?.stop();
    }
  },
};

async function book(url: string, token: string, doctorId: string, start: number): Promise<string> {
  const res = await fetch(`${url}/v1/appointments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ doctorId, start: new Date(start).toISOString() }),
  });
  const body = (await res.json()) as { id: string };
  if (res.status !== 201) throw new Error(`booking answered ${res.status}: ${JSON.stringify(body)}`);
  return body.id;
}

/** A socket in one room, handing every event to `onEvent`. */
async function connect(
  url: string,
  token: string | undefined,
  room: string,
  onEvent: (e: LiveEvent) => void,
): Promise<Socket> {
  const socket = io(url, {
    transports: ['websocket'],
    auth: token ? { token } : {},
    reconnection: false,
    forceNew: true,
  });
  socket.on('event', onEvent);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const ack = (await socket.timeout(5000).emitWithAck('subscribe', { room })) as { ok: boolean };
  if (!ack.ok) throw new Error(`subscribe ${room} refused`);
  return socket;
}
