/**
 * Clinic webhooks: registered by the clinic's staff, signed, retried, disabled when the receiver stays
 * down, and refused when they point inside the network.
 *
 * How a clinic verifies a delivery (Node.js; `rawBody` is the request body exactly as received):
 *
 *   import { createHmac, timingSafeEqual } from 'node:crypto';
 *
 *   function verifyBookingHub(secret: string, header: string, rawBody: string): boolean {
 *     const { t, v1 } = Object.fromEntries(header.split(',').map((part) => part.split('=')));
 *     if (!t || !v1 || Math.abs(Date.now() / 1000 - Number(t)) > 300) return false; // stale: maybe a replay
 *     const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex');
 *     return v1.length === expected.length && timingSafeEqual(Buffer.from(v1), Buffer.from(expected));
 *   }
 *
 * The header is `X-BookingHub-Signature: t=<unix seconds>,v1=<hex>`; `X-BookingHub-Delivery` is the same
 * on every retry of one delivery, so a receiver that stores it can ignore a repeat.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { durationLabel } from '../../src/shared/durations.js';
import { verifySignature } from '../../src/webhooks/signature.js';
import { bookSlot } from '../helpers/booking.js';
import { recordEvents } from '../helpers/events.js';
import {
  client,
  createAccount,
  createClinic,
  type TestAccount,
  type TestHub,
  useTestHub,
} from '../helpers/harness.js';
import { waitUntil } from '../helpers/process.js';
import { patientNamed, plan, reminderStage } from '../helpers/reminders.js';
import { scene } from '../helpers/scene.js';

/** The snippet above, as a clinic would paste it. */
function verifyBookingHub(secret: string, header: string, rawBody: string): boolean {
  const { t, v1 } = Object.fromEntries(header.split(',').map((part) => part.split('=')));
  if (!t || !v1 || Math.abs(Date.now() / 1000 - Number(t)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex');
  return v1.length === expected.length && timingSafeEqual(Buffer.from(v1), Buffer.from(expected));
}

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A clinic's HTTP receiver on a loopback port; `answer` picks the status of the nth call to a path (1-based). */
async function startReceiver(answer: (path: string, nth: number) => number) {
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const answered = answer(path, received.filter((r) => r.path === path).length + 1);
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered });
      res.writeHead(answered).end();
      for (const w of waiters) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    at: (path: string) => received.filter((r) => r.path === path),
    /** Resolves once `count` requests reached `path`, or rejects after `ms`. */
    waitFor(path: string, count: number, ms = 15_000): Promise<Received[]> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hits = received.filter((r) => r.path === path);
          if (hits.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hits);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `${path}: ${received.filter((r) => r.path === path).length} of ${count} requests within ${ms} ms`,
            ),
          );
        }, ms);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Webhook retries here take well under a second; this bounds a wait that would otherwise hit the test timeout. */
const WAIT = { timeoutMs: 10_000 };

interface Endpoint {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  consecutiveFailures: number;
  secret?: string;
}
interface Delivery {
  id: string;
  eventType: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
}
interface Page<T> {
  items: T[];
}

/** A clinic with its front-desk account, one doctor open all week, and a patient. */
async function clinicWithDoctor(hub: TestHub) {
  const cast = await scene(hub, { daysAhead: 4 });
  const staff = await createAccount(hub, 'staff', { clinicId: cast.clinic.id });
  return { ...cast, staff };
}

/** The patient books the doctor's free slot number `index` (which must succeed); the appointment's id. */
const bookFirstFree = async (hub: TestHub, c: Awaited<ReturnType<typeof clinicWithDoctor>>, index = 0) =>
  (await bookSlot(hub, c.patient, c.doctorId, c.free[index]!.start)).id;

async function register(hub: TestHub, clinicId: string, staff: TestAccount, url: string, events: string[]) {
  const res = await client(hub).post<Endpoint>(
    `/v1/clinics/${clinicId}/webhooks`,
    { url, events },
    staff.token,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Endpoint & { secret: string };
}

const deliveriesOf = async (hub: TestHub, clinicId: string, webhookId: string, staff: TestAccount) =>
  (
    await client(hub).get<Page<Delivery>>(
      `/v1/clinics/${clinicId}/webhooks/${webhookId}/deliveries`,
      staff.token,
    )
  ).body.items;

/** Waits (at most WAIT) until the endpoint's delivery log passes `ready`; the log then. */
const deliveriesWhen = (
  what: string,
  ready: (items: Delivery[]) => boolean,
  ...endpoint: Parameters<typeof deliveriesOf>
) =>
  waitUntil(
    what,
    async () => {
      const items = await deliveriesOf(...endpoint);
      return ready(items) ? items : undefined;
    },
    WAIT,
  );
/** The newest delivery has this status. */
const newestIs = (status: string) => (items: Delivery[]) => items[0]?.status === status;

describe('webhooks to a clinic receiver', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver((path, nth) =>
      path === '/ok' ? 200 : path === '/flaky' ? (nth <= 2 ? 500 : 204) : 500,
    );
  });
  afterAll(async () => {
    await receiver?.close();
  });
  const hub = useTestHub({
    ALLOW_PRIVATE_WEBHOOKS: 'on',
    WEBHOOK_BACKOFF_MS: '100',
    WEBHOOK_ATTEMPTS: '5',
    WEBHOOK_DISABLE_AFTER_FAILURES: '4',
  });

  it('shows the secret once, then delivers each subscribed event once, signed', async () => {
    const c = await clinicWithDoctor(hub);
    const created = await register(hub, c.clinic.id, c.staff, `${receiver.url}/ok`, [
      'appointment.booked',
      'appointment.cancelled',
    ]);
    expect(created.secret).toMatch(/^whsec_/);
    expect(created.active).toBe(true);
    const listed = await client(hub).get<Page<Endpoint>>(
      `/v1/clinics/${c.clinic.id}/webhooks`,
      c.staff.token,
    );
    expect(listed.body.items.map((e) => e.id)).toEqual([created.id]);
    expect(listed.body.items[0]).not.toHaveProperty('secret');
    expect(JSON.stringify(listed.body)).not.toContain(created.secret);

    const id = await bookFirstFree(hub, c);
    const [booked] = await receiver.waitFor('/ok', 1);
    expect(booked!.headers['x-bookinghub-event']).toBe('appointment.booked');
    const signature = String(booked!.headers['x-bookinghub-signature']);
    expect(verifySignature(created.secret, signature, booked!.body)).toBe(true);
    expect(verifyBookingHub(created.secret, signature, booked!.body)).toBe(true);
    expect(
      verifyBookingHub(
        created.secret,
        signature,
        booked!.body.replace('"appointment.booked"', '"appointment.cancelled"'),
      ),
    ).toBe(false);
    expect(verifyBookingHub('whsec_someone-else', signature, booked!.body)).toBe(false);
    const payload = JSON.parse(booked!.body) as {
      id: string;
      type: string;
      data: { appointment: { id: string; clinicId: string } };
    };
    expect(payload).toMatchObject({
      id: booked!.headers['x-bookinghub-delivery'],
      type: 'appointment.booked',
    });
    expect(payload.data.appointment).toMatchObject({ id, clinicId: c.clinic.id });

    // Not subscribed: the move is not sent; the cancellation is, after it.
    const api = client(hub);
    expect(
      (await api.post(`/v1/appointments/${id}/reschedule`, { start: c.free[2]!.start }, c.patient.token))
        .status,
    ).toBe(200);
    expect((await api.post(`/v1/appointments/${id}/cancel`, {}, c.patient.token)).status).toBe(200);
    const calls = await receiver.waitFor('/ok', 2);
    expect(calls.map((r) => r.headers['x-bookinghub-event'])).toEqual([
      'appointment.booked',
      'appointment.cancelled',
    ]);
    const log = await deliveriesWhen(
      'both deliveries logged as delivered',
      (items) => items.length === 2 && items.every((d) => d.status === 'delivered'),
      hub,
      c.clinic.id,
      created.id,
      c.staff,
    );
    expect(log.map((d) => [d.eventType, d.attempts, d.responseStatus])).toEqual([
      ['appointment.cancelled', 1, 200],
      ['appointment.booked', 1, 200],
    ]);
    expect(receiver.at('/ok')).toHaveLength(2);
  });

  it('retries a receiver that fails twice and delivers the event exactly once', async () => {
    const c = await clinicWithDoctor(hub);
    const endpoint = await register(hub, c.clinic.id, c.staff, `${receiver.url}/flaky`, [
      'appointment.booked',
    ]);
    await bookFirstFree(hub, c);

    const [delivery] = await deliveriesWhen(
      'the delivery logged as delivered',
      newestIs('delivered'),
      hub,
      c.clinic.id,
      endpoint.id,
      c.staff,
    );
    expect(delivery).toMatchObject({
      eventType: 'appointment.booked',
      status: 'delivered',
      attempts: 3,
      responseStatus: 204,
      lastError: null,
    });
    const calls = receiver.at('/flaky');
    expect(calls.map((r) => r.answered)).toEqual([500, 500, 204]);
    expect(new Set(calls.map((r) => r.headers['x-bookinghub-delivery']))).toEqual(new Set([delivery!.id]));
    const accepted = new Set(
      calls.filter((r) => r.answered < 300).map((r) => r.headers['x-bookinghub-delivery']),
    );
    expect(accepted.size).toBe(1);
    for (const call of calls)
      expect(
        verifySignature(endpoint.secret, String(call.headers['x-bookinghub-signature']), call.body),
      ).toBe(true);
    const [listed] = (
      await client(hub).get<Page<Endpoint>>(`/v1/clinics/${c.clinic.id}/webhooks`, c.staff.token)
    ).body.items;
    expect(listed).toMatchObject({ active: true, consecutiveFailures: 0 });
  });

  it('disables an endpoint that keeps failing and fails its delivery', async () => {
    const c = await clinicWithDoctor(hub);
    const endpoint = await register(hub, c.clinic.id, c.staff, `${receiver.url}/down`, [
      'appointment.booked',
    ]);
    await bookFirstFree(hub, c);

    const disabled = await waitUntil(
      'the endpoint disabled',
      async () => {
        const [e] = (
          await client(hub).get<Page<Endpoint>>(`/v1/clinics/${c.clinic.id}/webhooks`, c.staff.token)
        ).body.items;
        return e?.active === false ? e : undefined;
      },
      WAIT,
    );
    expect(disabled.consecutiveFailures).toBe(4);
    const [delivery] = await deliveriesWhen(
      'the delivery failed',
      newestIs('failed'),
      hub,
      c.clinic.id,
      endpoint.id,
      c.staff,
    );
    expect(delivery).toMatchObject({ status: 'failed', attempts: 4, responseStatus: 500 });
    expect(delivery!.lastError).toContain('disabled');
    expect(receiver.at('/down')).toHaveLength(4);

    // A disabled endpoint gets no new deliveries.
    const events = recordEvents(hub.services.publisher);
    try {
      const next = await bookFirstFree(hub, c, 2);
      await events.waitFor(
        (e) => e.type === 'appointment.booked' && JSON.stringify(e.data).includes(next),
        5000,
        'the second booking relayed',
      );
    } finally {
      events.stop();
    }
    expect(await deliveriesOf(hub, c.clinic.id, endpoint.id, c.staff)).toHaveLength(1);
  });

  it("lets only the clinic's own staff manage its webhooks", async () => {
    const c = await clinicWithDoctor(hub);
    const other = await createClinic(hub);
    const otherStaff = await createAccount(hub, 'staff', { clinicId: other.id });
    const body = { url: `${receiver.url}/ok`, events: ['appointment.booked'] };
    const api = client(hub);
    expect((await api.post(`/v1/clinics/${c.clinic.id}/webhooks`, body, otherStaff.token)).status).toBe(403);
    expect((await api.get(`/v1/clinics/${c.clinic.id}/webhooks`, otherStaff.token)).status).toBe(403);
    expect((await api.post(`/v1/clinics/${c.clinic.id}/webhooks`, body, c.patient.token)).status).toBe(403);
    expect((await api.get(`/v1/clinics/${c.clinic.id}/webhooks`, c.patient.token)).status).toBe(403);
    expect((await api.post(`/v1/clinics/${c.clinic.id}/webhooks`, body)).status).toBe(401);
    expect(
      (await api.get<Page<Endpoint>>(`/v1/clinics/${c.clinic.id}/webhooks`, c.staff.token)).body.items,
    ).toEqual([]);
  });
});

describe('webhook URLs that point inside the network', () => {
  const hub = useTestHub(); // ALLOW_PRIVATE_WEBHOOKS is off by default
  let clinicId: string;
  let staff: TestAccount;

  beforeAll(async () => {
    clinicId = (await createClinic(hub)).id;
    staff = await createAccount(hub, 'staff', { clinicId });
  });

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost:8080/hook',
    'http://[::1]:8080/hook',
    'http://2130706433/hook',
    'http://[::ffff:7f00:1]/hook',
    'http://[fe80::1]/hook',
    'http://10.1.2.3/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[::ffff:127.0.0.1]/hook',
    'ftp://example.com/hook',
    'https://user:pass@example.com/hook',
  ])('refuses %s with a 400 naming body.url', async (url) => {
    const res = await client(hub).post<{ code: string; errors: { path: string; message: string }[] }>(
      `/v1/clinics/${clinicId}/webhooks`,
      { url, events: ['appointment.booked'] },
      staff.token,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.errors.map((e) => e.path)).toContain('body.url');
    expect(
      (await client(hub).get<Page<Endpoint>>(`/v1/clinics/${clinicId}/webhooks`, staff.token)).body.items,
    ).toEqual([]);
  });
});

describe('reminder webhooks', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver(() => 200);
  });
  afterAll(async () => {
    await receiver?.close();
  });
  const ctx = reminderStage(() => plan([5]), {
    env: { ALLOW_PRIVATE_WEBHOOKS: 'on', WEBHOOK_BACKOFF_MS: '100' },
  });

  it('sends appointment.reminder to a subscribed endpoint when the reminder falls due', async () => {
    const { hub, p, doctorId, clinicId } = ctx;
    const staff = await createAccount(hub, 'staff', { clinicId });
    const endpoint = await register(hub, clinicId, staff, `${receiver.url}/reminders`, [
      'appointment.reminder',
    ]);
    const patient = await patientNamed(hub, 'Gus Webhooked');
    const booked = await bookSlot(hub, patient, doctorId, p.startMs);

    const [call] = await receiver.waitFor('/reminders', 1, 20_000);
    expect(call!.headers['x-bookinghub-event']).toBe('appointment.reminder');
    expect(
      verifySignature(endpoint.secret, String(call!.headers['x-bookinghub-signature']), call!.body),
    ).toBe(true);
    const payload = JSON.parse(call!.body) as { type: string; data: Record<string, unknown> };
    expect(payload.type).toBe('appointment.reminder');
    expect(payload.data).toMatchObject({
      appointmentId: booked.id,
      doctorId,
      patientId: patient.id,
      clinicId,
      start: new Date(p.startMs).toISOString(),
      offset: durationLabel(p.offsets[0]!),
    });
    const log = await deliveriesWhen(
      'the reminder delivery logged',
      newestIs('delivered'),
      hub,
      clinicId,
      endpoint.id,
      staff,
    );
    expect(log.map((d) => d.eventType)).toEqual(['appointment.reminder']);
    expect(receiver.at('/reminders')).toHaveLength(1);
  });
});
