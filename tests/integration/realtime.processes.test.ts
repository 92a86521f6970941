import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/events/event-types.js';
import type { SlotView } from '../helpers/booking.js';
import { client, type TestAccount, type TestHub, useTestHub } from '../helpers/harness.js';
import {
  freePort,
  hubProcessEnv,
  type NodeProcess,
  spawnNode,
  waitUntil,
  within,
} from '../helpers/process.js';
import { scene } from '../helpers/scene.js';
import { connectSocket, subscribe, type TestSocket, waitForEvent } from '../helpers/sockets.js';

const STARTUP_MS = 20_000;

/** A second hub process on the same database, Redis prefix and secrets as `a`, as `npm start` runs it. */
const hubEnv = (a: TestHub, port: number, logLevel: string) =>
  hubProcessEnv(a, { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: logLevel });

const idsOf = (events: LiveEvent[], type: LiveEvent['type']) =>
  events.filter((e) => e.type === type).map((e) => Number(e.id));
const ascending = (x: number, y: number) => x - y;

describe('two hub processes on one database and one Redis prefix behave as one hub', () => {
  const a = useTestHub();
  let b: NodeProcess;
  let bUrl: string;
  let worker: NodeProcess;
  let workerPort: number;
  let portGuard: Server;
  let doctorId: string;
  let doctorToken: string;
  let patient: TestAccount;
  let free: SlotView[];
  const children: NodeProcess[] = [];
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    const port = await freePort();
    bUrl = `http://127.0.0.1:${port}`;
    b = spawnNode(['--import', 'tsx', 'src/main.ts'], hubEnv(a, port, 'warn'));
    // The worker boots alongside (it relays the outbox too, so three processes share that work here).
    workerPort = await freePort();
    // Held by the test while the worker runs: a worker that tried to listen would die of EADDRINUSE, and
    // no other test's hub can take the port meanwhile.
    portGuard = createServer();
    await new Promise<void>((resolve) => portGuard.listen(workerPort, '127.0.0.1', resolve));
    worker = spawnNode(['--import', 'tsx', 'src/main.ts', '--role', 'worker'], hubEnv(a, workerPort, 'info'));
    children.push(b, worker);

    const cast = await scene(a, {
      doctor: { name: 'Dr. Two Ports' },
      patients: ['Pat Process'],
      daysAhead: 2,
    });
    ({ doctorId, patient, free } = cast);
    doctorToken = cast.doctor.token;

    const exited = b.exited().then((code) => {
      throw new Error(`hub B exited (${code}) while starting:\n${b.stderr().slice(-2000)}`);
    });
    await Promise.race([
      exited,
      waitUntil('hub B /healthz', async () => ((await fetch(`${bUrl}/healthz`)).ok ? true : undefined), {
        timeoutMs: STARTUP_MS,
      }),
    ]);
    exited.catch(() => {});
  });

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await Promise.all(children.map((p) => p.kill()));
    portGuard?.close();
  });

  it('bookings made through A reach a doctor socket on B, each event exactly once', async () => {
    const onB = await connectSocket(bUrl, doctorToken);
    sockets.push(onB);
    expect(await subscribe(onB, `slots:${doctorId}`)).toMatchObject({ ok: true });
    expect(await subscribe(onB, `doctor:${doctorId}`)).toMatchObject({ ok: true });

    const api = client(a);
    const booked: string[] = [];
    for (const slot of free.slice(0, 3)) {
      const res = await api.post<{ id: string }>(
        '/v1/appointments',
        { doctorId, start: slot.start },
        patient.token,
      );
      expect(res.status).toBe(201);
      booked.push(res.body.id);
    }
    for (const id of booked) {
      const forDoctor = await waitForEvent(
        onB,
        (e) => e.type === 'appointment.booked' && JSON.stringify(e.data).includes(id),
      );
      expect(forDoctor.data).toMatchObject({ appointment: { id }, patient: { name: 'Pat Process' } });
    }
    for (const slot of free.slice(0, 3)) {
      await waitForEvent(
        onB,
        (e) =>
          e.type === 'slot.booked' &&
          Date.parse((e.data as { start: string }).start) === Date.parse(slot.start),
      );
    }

    // Every process relays the outbox; SKIP LOCKED must hand each event to exactly one of them.
    // The relay emits inside its claiming transaction and marks the rows published as it commits.
    const published = await waitUntil(
      'three published slot.booked events',
      async () => {
        const rows = await a.sql<{ id: string }[]>`
          select id from events where room = ${`slots:${doctorId}`} and type = 'slot.booked' and published_at is not null`;
        return rows.length === 3 ? rows : undefined;
      },
      { timeoutMs: 5000, intervalMs: 20 },
    );
    const slotIds = idsOf(onB.events, 'slot.booked');
    expect(slotIds.sort(ascending)).toEqual(published.map((r) => Number(r.id)).sort(ascending));
    expect(new Set(idsOf(onB.events, 'appointment.booked')).size).toBe(
      idsOf(onB.events, 'appointment.booked').length,
    );
  });

  it('a hold placed through B reaches an anonymous watcher on A', async () => {
    const onA = await connectSocket(a.url);
    sockets.push(onA);
    expect(await subscribe(onA, `slots:${doctorId}`)).toMatchObject({ ok: true });

    const slot = free[5]!;
    const hold = await client({ url: bUrl }).post<{ holdId: string }>(
      '/v1/holds',
      { doctorId, start: slot.start },
      patient.token,
    );
    expect(hold.status).toBe(201);
    const held = await waitForEvent(onA, (e) => e.type === 'slot.held');
    expect(held).toMatchObject({ id: null, room: `slots:${doctorId}` });
    expect(Date.parse((held.data as { start: string }).start)).toBe(Date.parse(slot.start));
  });

  it('`--role worker` starts without an HTTP port and stops cleanly on SIGTERM', async () => {
    const [line] = await worker.waitForOutput(/^.*"msg":"hub started".*$/m, STARTUP_MS);
    // Started although its PORT is taken by the test: it never listened.
    expect(JSON.parse(line)).toMatchObject({ role: 'worker', url: '' });
    expect(worker.stderr()).not.toMatch(/EADDRINUSE/);
    const code = await worker.stop('SIGTERM', 5000);
    expect(code, `worker output:\n${worker.stdout().slice(-1500)}\n${worker.stderr().slice(-1500)}`).toBe(0);
  });

  it('SIGTERM to B tells its sockets `server_closing`, disconnects them, and exits 0', async () => {
    const onB = await connectSocket(bUrl);
    sockets.push(onB);
    expect(await subscribe(onB, `slots:${doctorId}`)).toMatchObject({ ok: true });

    const closing = within<{ reason: string }>('server_closing', 5000, (done) =>
      onB.once('server_closing', done),
    );
    const disconnected = within<string>('disconnect', 5000, (done) => onB.once('disconnect', done));
    const exit = b.stop('SIGTERM', 5000).then((code) => {
      expect(code, `hub B stderr:\n${b.stderr().slice(-1500)}`).toBe(0);
    });
    expect(await closing).toEqual({ reason: 'shutdown' });
    expect(await disconnected).toBe('io server disconnect');
    await exit;
    // A keeps serving on its own.
    expect((await fetch(`${a.url}/healthz`)).ok).toBe(true);
  });
});
