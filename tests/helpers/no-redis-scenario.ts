/**
 * A patient's day on a hub with no Redis, run INSIDE a network namespace of its own (see
 * tests/integration/embedded-no-redis.test.ts): nothing answers on 127.0.0.1:6379 there and PATH has
 * no redis-server, so the hub started as `npm start` starts it must choose the embedded mode. This
 * script drives two hub runs on one DATA_DIR and prints one line, `RESULT <json>`, for the test to judge.
 */
import { DEMO_PASSWORD, DEMO_PATIENTS } from '../../src/seed/demo-data.js';
import { client } from './harness.js';
import { freePort, inheritedEnv, spawnNode } from './process.js';
import { connectSocket, subscribe, waitForEvent } from './sockets.js';

const BANNER = /booking-hub is running\n\s+API\s+(http:\/\/127\.0\.0\.1:\d+)\/v1/;
const dataDir = process.env.SCENARIO_DATA_DIR!;
const HOLD_TTL_SECONDS = 2;
const BOOKINGS = 10;

async function startHub(settings: Record<string, string>) {
  const env = Object.assign(inheritedEnv(), {
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    LOG_LEVEL: 'info',
    HOLD_TTL_SECONDS: String(HOLD_TTL_SECONDS),
    ...settings,
  });
  const hub = spawnNode(['--import', 'tsx', 'src/main.ts'], env);
  const [, url] = await hub.waitForOutput(BANNER, 90_000);
  return { hub, url: url!, api: client({ url: url! }) };
}

type Session = { accessToken: string; user: { id: string } };
const login = async (api: ReturnType<typeof client>, email: string) =>
  (await api.post<Session>('/v1/auth/login', { email, password: DEMO_PASSWORD })).body.accessToken;

/** Event data and the slots API may spell one instant differently (".000Z" or not). */
const sameInstant = (a: unknown, b: string) => typeof a === 'string' && Date.parse(a) === Date.parse(b);

const result: Record<string, unknown> = {};
const firstStarted = Date.now();
const first = await startHub({});
// A first start (it creates the database) outlasts a restart: the reminder's moment is set past it.
const startMs = Date.now() - firstStarted;
try {
  result.withoutRedisLine = first.hub.stdout().includes('running without Redis');
  result.bannerHasDemoLogins = first.hub.stdout().includes(DEMO_PATIENTS[0]!.email);
  const alex = await login(first.api, DEMO_PATIENTS[0]!.email);
  const sam = await login(first.api, DEMO_PATIENTS[1]!.email);
  const doctors = await first.api.get<{ items: { id: string }[] }>('/v1/doctors');
  const doctorId = doctors.body.items[0]!.id;
  const from = new Date().toISOString().slice(0, 10);
  const to = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const board = await first.api.get<{ slots: { start: string; status: string }[] }>(
    `/v1/doctors/${doctorId}/slots?from=${from}&to=${to}`,
  );
  const free = board.body.slots.filter((s) => s.status === 'free').map((s) => s.start);
  const watcher = await connectSocket(first.url);
  await subscribe(watcher, `slots:${doctorId}`);

  // A patient holds and books; the other is kept off the held slot; a watcher sees each booking live.
  const liveMs: number[] = [];
  const booked: string[] = [];
  for (let i = 0; i < BOOKINGS; i++) {
    const hold = await first.api.post<{ holdId: string }>('/v1/holds', { doctorId, start: free[i] }, alex);
    if (i === 0) {
      result.otherPatientOnHeldSlot = (
        await first.api.post('/v1/holds', { doctorId, start: free[i] }, sam)
      ).status;
    }
    const seen = waitForEvent(
      watcher,
      (e) => e.type === 'slot.booked' && sameInstant(e.data.start, free[i]!),
      5000,
    ).then(() => Date.now());
    const book = await first.api.post<{ id: string }>('/v1/appointments', { holdId: hold.body.holdId }, alex);
    const answeredAt = Date.now();
    if (book.status !== 201) throw new Error(`booking answered ${book.status}: ${JSON.stringify(book.body)}`);
    booked.push(book.body.id);
    liveMs.push((await seen) - answeredAt);
  }
  result.booked = booked.length;
  result.liveMs = liveMs;

  // A hold nobody books lapses on time, and the watcher hears it.
  const lapsing = free[BOOKINGS]!;
  const held = await first.api.post<{ expiresAt: string }>('/v1/holds', { doctorId, start: lapsing }, sam);
  await waitForEvent(
    watcher,
    (e) => e.type === 'slot.released' && sameInstant(e.data.start, lapsing),
    10_000,
  );
  result.releasedAfterExpiryMs = Date.now() - Date.parse(held.body.expiresAt);
  watcher.disconnect();
  result.firstExit = await first.hub.stop('SIGTERM');

  // A restart keeps the data; a reminder set to fall due once the restart and the booking are done
  // (longer on a loaded machine) fires once.
  const slot = free[BOOKINGS + 1]!;
  const dueInSeconds = Math.min(120, Math.ceil(startMs / 1000) + 8);
  const offset = Math.floor((Date.parse(slot) - Date.now()) / 1000) - dueInSeconds;
  const second = await startHub({ REMINDER_OFFSETS: `${offset}s` });
  try {
    result.secondStartSeeded = second.hub.stdout().includes('demo data seeded');
    const alexAgain = await login(second.api, DEMO_PATIENTS[0]!.email);
    const mine = await second.api.get<{ items: { id: string }[] }>('/v1/appointments?limit=100', alexAgain);
    result.keptAfterRestart = booked.filter((id) => mine.body.items.some((a) => a.id === id)).length;
    const hold = await second.api.post<{ holdId: string }>('/v1/holds', { doctorId, start: slot }, alexAgain);
    const reminded = await second.api.post<{ id: string }>(
      '/v1/appointments',
      { holdId: hold.body.holdId },
      alexAgain,
    );
    const bookedAt = Date.now();
    result.reminderBookedStatus = reminded.status;
    result.reminderDueInMs = Date.parse(slot) - offset * 1000 - bookedAt;
    const reminders = async () =>
      (
        await second.api.get<{ items: { kind: string; data: { appointmentId?: string } }[] }>(
          '/v1/notifications?limit=100',
          alexAgain,
        )
      ).body.items.filter(
        (n) => n.kind === 'appointment.reminder' && n.data.appointmentId === reminded.body.id,
      ).length;
    let count = 0;
    while (count === 0 && Date.now() - bookedAt < dueInSeconds * 1000 + 20_000) {
      await new Promise((r) => setTimeout(r, 100));
      count = await reminders();
    }
    result.reminderAfterMs = Date.now() - bookedAt;
    // Past its moment by a good margin: a second delivery would have come by now.
    await new Promise((r) => setTimeout(r, 2000));
    result.reminders = await reminders();
    result.secondHubProblems = second.hub
      .stdout()
      .split('\n')
      .filter((l) => /"level":(40|50|60)/.test(l) && !l.includes('development secrets'))
      .slice(0, 5);
    result.secondExit = await second.hub.stop('SIGTERM');
  } finally {
    await second.hub.kill();
  }
} catch (err) {
  result.error = String((err as Error).stack ?? err);
  result.stdout = first.hub.stdout().slice(-3000);
} finally {
  await first.hub.kill();
}
console.log(`RESULT ${JSON.stringify(result)}`);
process.exit(0);
