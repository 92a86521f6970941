import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LiveEvent, message } from '../../src/events/event-types.js';
import { appendEvents, pruneEvents } from '../../src/events/outbox.js';
import { connectPostgres } from '../../src/infra/postgres.js';
import { transaction } from '../../src/infra/transaction.js';
import { HubClient } from '../../src/realtime/client.js';
import { describeOnEveryBackend } from '../helpers/backends.js';
import { bookSlot, dateIn, type SlotView, slotsOn } from '../helpers/booking.js';
import { databaseUrl } from '../helpers/env.js';
import { client, startTestHub, type TestAccount, type TestHub, useTestHub } from '../helpers/harness.js';
import { waitUntil } from '../helpers/process.js';
import { scene } from '../helpers/scene.js';
import { connectSocket, subscribe, type TestSocket, waitForEvent } from '../helpers/sockets.js';

const ascending = (x: number, y: number) => x - y;
const idsOf = (events: LiveEvent[]) => events.map((e) => Number(e.id));
const sameStart = (event: LiveEvent, start: string) =>
  Date.parse((event.data as { start: string }).start) === Date.parse(start);

/** A HubClient that records what it hands the application, reconnecting quickly (tests, not browsers). */
function recordingClient(url: string) {
  const received: LiveEvent[] = [];
  const hub = new HubClient({
    url,
    onEvent: (e) => received.push(e),
    socket: { forceNew: true, reconnectionDelay: 50, reconnectionDelayMax: 200 },
  });
  return { hub, received };
}

function connected(c: HubClient, ms = 5000): Promise<void> {
  if (c.socket.connected) return Promise.resolve();
  return waitUntil('the HubClient to connect', () => (c.socket.connected ? true : undefined), {
    timeoutMs: ms,
    intervalMs: 20,
  }).then(() => undefined);
}

/** Ids of a room's events that the relay has marked published, oldest first. */
async function publishedIds(
  hub: TestHub,
  room: string,
  type: LiveEvent['type'],
  count: number,
): Promise<number[]> {
  return waitUntil(
    `${count} published ${type} events in ${room}`,
    async () => {
      const rows = await hub.sql<{ id: string }[]>`
        select id from events where room = ${room} and type = ${type} and published_at is not null order by id`;
      return rows.length === count ? rows.map((r) => Number(r.id)) : undefined;
    },
    { timeoutMs: 5000, intervalMs: 20 },
  );
}

/** The patient books each of these slots, one after the other. */
async function book(hub: TestHub, patient: TestAccount, doctorId: string, slots: SlotView[]): Promise<void> {
  for (const slot of slots) await bookSlot(hub, patient, doctorId, slot.start);
}

interface WatchedRoom {
  doctorId: string;
  patient: TestAccount;
  /** The doctor's free slots two days from now. */
  free: SlotView[];
  /** The doctor's public slot room. */
  room: string;
  /** What the story opens, closed in afterAll. */
  sockets: TestSocket[];
  clients: HubClient[];
}

/**
 * What both stories watch, set up in beforeAll on the hub `hubOf()` gives: one doctor's room, a patient
 * and the doctor's free slots; the sockets and HubClients a story opens are closed in afterAll.
 */
function watchedRoom(hubOf: () => TestHub): WatchedRoom {
  const world = { sockets: [] as TestSocket[], clients: [] as HubClient[] } as WatchedRoom;
  beforeAll(async () => {
    const { doctorId, patient, free } = await scene(hubOf(), { daysAhead: 2 });
    Object.assign(world, { doctorId, patient, free, room: `slots:${doctorId}` });
  });
  afterAll(() => {
    for (const s of world.sockets) s.disconnect();
    for (const c of world.clients) c.close();
  });
  return world;
}

describe('the outbox delivers exactly once, even across an outage with no relay running', () => {
  let a: TestHub;
  let b: TestHub | undefined;
  beforeAll(async () => {
    a = await startTestHub({}, { keepDatabase: true });
  });
  afterAll(async () => {
    await a.close();
    await b?.close();
  });
  // Registered after the hubs' hooks: set up on `a` once it runs, and closed before the hubs are.
  const world = watchedRoom(() => a);

  it('events committed while the only hub is down reach a reconnecting HubClient once each', async () => {
    const { doctorId, patient, free, room, sockets, clients } = world;
    const watcher = await connectSocket(a.url);
    sockets.push(watcher);
    expect(await subscribe(watcher, room)).toMatchObject({ ok: true });
    const { hub: hubClient, received } = recordingClient(a.url);
    clients.push(hubClient);
    await connected(hubClient);
    expect(await hubClient.subscribe(room)).toMatchObject({ ok: true });

    // Normal case: several bookings, every event on the wire once.
    await book(a, patient, doctorId, free.slice(0, 3));
    const live = await publishedIds(a, room, 'slot.booked', 3);
    await waitUntil('3 live events at the HubClient', () => (received.length >= 3 ? true : undefined), {
      timeoutMs: 5000,
    });
    for (const slot of free.slice(0, 3))
      await waitForEvent(watcher, (e) => e.type === 'slot.booked' && sameStart(e, slot.start));
    expect(idsOf(watcher.events)).toEqual(live);
    expect(idsOf(received)).toEqual(live);

    // Outage: the only hub stops; three bookings' events are committed with no relay to send them.
    const port = new URL(a.url).port;
    await a.close();
    const sql = connectPostgres(databaseUrl(a.database), 2);
    try {
      await transaction(sql, async (tx) => {
        await appendEvents(
          tx,
          free
            .slice(3, 6)
            .map((slot) => message(room, 'slot.booked', { doctorId, start: slot.start, end: slot.end })),
        );
      });
      const pending = await sql<
        { id: string }[]
      >`select id from events where room = ${room} and published_at is null`;
      expect(pending).toHaveLength(3);
    } finally {
      await sql.end();
    }

    // The hub comes back on the same address, database and Redis prefix; the client finds it and resyncs.
    b = await startTestHub({ PORT: port, JWT_SECRET: a.config.jwt.secret }, { database: a.database });
    const outage = await publishedIds(b, room, 'slot.booked', 6).then((ids) => ids.slice(3));
    await waitUntil('6 events at the HubClient', () => (received.length >= 6 ? true : undefined), {
      timeoutMs: 10_000,
    });
    await connected(hubClient);
    // A round trip after recovery: anything still on its way would have arrived before this answer.
    expect(await hubClient.socket.timeout(5000).emitWithAck('subscribe', { room })).toMatchObject({
      ok: true,
    });

    expect(idsOf(received)).toEqual([...live, ...outage]);
    expect(received.slice(3).map((e) => e.type)).toEqual(['slot.booked', 'slot.booked', 'slot.booked']);
    expect(received.slice(3).map((e) => Date.parse((e.data as { start: string }).start))).toEqual(
      free.slice(3, 6).map((s) => Date.parse(s.start)),
    );
  });
});

describeOnEveryBackend(
  'a client that was away resyncs exactly what it missed; lapsed holds are announced',
  (backend) => {
    const hub = useTestHub({ ...backend, HOLD_TTL_SECONDS: '1' });
    const world = watchedRoom(() => hub);

    it('after a disconnect, the three bookings made meanwhile arrive once each, in id order, and nothing else', async () => {
      const { doctorId, patient, free, room, clients } = world;
      const { hub: hubClient, received } = recordingClient(hub.url);
      clients.push(hubClient);
      await connected(hubClient);
      expect(await hubClient.subscribe(room)).toMatchObject({ ok: true });
      const onWire: LiveEvent[] = [];
      hubClient.socket.on('event', (e) => onWire.push(e));

      hubClient.socket.disconnect();
      await book(hub, patient, doctorId, free.slice(0, 3));
      const missed = await publishedIds(hub, room, 'slot.booked', 3);

      hubClient.socket.connect();
      await waitUntil('3 resynced events', () => (received.length >= 3 ? true : undefined), {
        timeoutMs: 5000,
      });
      expect(await hubClient.socket.timeout(5000).emitWithAck('subscribe', { room })).toMatchObject({
        ok: true,
      });

      expect(idsOf(received)).toEqual(missed);
      expect(idsOf(received)).toEqual([...idsOf(received)].sort(ascending));
      expect(received.every((e) => e.type === 'slot.booked' && e.room === room)).toBe(true);
      expect(onWire).toEqual([]); // they came through resync, not live
      expect(hubClient.lastEventId(room)).toBe(missed[2]);
    });

    it('after pruning, a resync from before the watermark answers reset; from the watermark on, the events', async () => {
      const { doctorId, patient, free, room, sockets } = world;
      const socket = await connectSocket(hub.url);
      sockets.push(socket);
      await book(hub, patient, doctorId, free.slice(3, 5));
      const ids = await publishedIds(hub, room, 'slot.booked', 5);
      // Age everything below the fourth booking's event past the retention, then prune for real.
      await hub.sql`update events set occurred_at = now() - interval '10 days' where id < ${ids[3]!}`;
      expect(await pruneEvents(hub.sql, new Date(Date.now() - 86_400_000))).toBeGreaterThan(0);
      const [{ oldest } = { oldest: '0' }] = await hub.sql<
        { oldest: string }[]
      >`select min(id) as oldest from events`;
      expect(Number(oldest)).toBe(ids[3]);

      const resync = (afterId: number) => socket.timeout(5000).emitWithAck('resync', { room, afterId });
      expect(await resync(0)).toEqual({ ok: true, reset: true });
      expect(await resync(ids[3]! - 2)).toEqual({ ok: true, reset: true });
      const kept = await resync(ids[3]! - 1);
      expect(kept).toMatchObject({ ok: true });
      expect('events' in kept && idsOf(kept.events)).toEqual([ids[3], ids[4]]);
    });

    it('a hold that lapses is announced to watchers as slot.released', async () => {
      const { doctorId, patient, free, room, sockets } = world;
      const watcher = await connectSocket(hub.url);
      sockets.push(watcher);
      expect(await subscribe(watcher, room)).toMatchObject({ ok: true });
      const slot = free[10]!;
      const hold = await client(hub).post('/v1/holds', { doctorId, start: slot.start }, patient.token);
      expect(hold.status).toBe(201);

      await waitForEvent(watcher, (e) => e.type === 'slot.held' && sameStart(e, slot.start));
      const released = await waitForEvent(
        watcher,
        (e) => e.type === 'slot.released' && sameStart(e, slot.start),
        8000,
      );
      expect(released).toMatchObject({ id: null, room });
      const board = await slotsOn(hub, doctorId, dateIn(2));
      expect(board.find((s) => Date.parse(s.start) === Date.parse(slot.start))?.status).toBe('free');
    });
  },
);
