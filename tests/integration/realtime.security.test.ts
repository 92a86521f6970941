import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/principal.js';
import { dateIn, slotsOn } from '../helpers/booking.js';
import {
  client,
  createAccount,
  createClinic,
  createDoctor,
  type TestHub,
  useTestHub,
} from '../helpers/harness.js';
import { waitUntil, within } from '../helpers/process.js';
import { scene } from '../helpers/scene.js';
import { connectSocket, subscribe, type TestSocket, waitForEvent } from '../helpers/sockets.js';

/** Claims as src/auth/tokens.ts signs them; `exp` in epoch seconds, everything else overridable. */
interface Mint {
  sub: string;
  role: Role;
  fam: string;
  cid?: string;
  exp: number;
  secret: string;
  /** The secret whose id goes in `kid` (default: the signing secret). */
  kidOf?: string;
  iss?: string;
  aud?: string;
  typ?: string;
}

const keyId = (secret: string) => createHash('sha256').update(secret).digest('base64url').slice(0, 12);
const inSeconds = (s: number) => Math.floor(Date.now() / 1000) + s;

function mint(hub: TestHub, m: Mint): Promise<string> {
  return new SignJWT({ role: m.role, fam: m.fam, ...(m.cid ? { cid: m.cid } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: m.typ ?? 'at+jwt', kid: keyId(m.kidOf ?? m.secret) })
    .setSubject(m.sub)
    .setIssuer(m.iss ?? hub.config.jwt.issuer)
    .setAudience(m.aud ?? hub.config.jwt.audience)
    .setIssuedAt(inSeconds(-60))
    .setExpirationTime(m.exp)
    .sign(new TextEncoder().encode(m.secret));
}

async function newFamily(hub: TestHub, userId: string): Promise<string> {
  const [row] = await hub.sql<
    { id: string }[]
  >`insert into refresh_families (user_id) values (${userId}) returning id`;
  return row!.id;
}

/** The handshake's outcome for these `auth` values: 'connected' or the connect_error message. */
function handshake(url: string, auth: Record<string, unknown>): Promise<string> {
  const socket = io(url, { transports: ['websocket'], auth, reconnection: false, forceNew: true });
  return new Promise<string>((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (err) => resolve(err.message));
  }).finally(() => socket.disconnect());
}

/** Resolves with the next `session_expired` notice, or rejects after `ms`. */
const sessionExpired = (socket: TestSocket, ms = 6000) =>
  within<{ reason: string }>('session_expired', ms, (done) => socket.once('session_expired', done));

/** Sends anything at all, as a hostile client could (the typed socket would not let us). */
const untyped = (socket: TestSocket) => socket as unknown as Socket;

describe('who may join which room, and what the socket layer does with bad tokens and bad payloads', () => {
  const hub = useTestHub();
  let rooms: { doctor: string; user: string; queue: string; display: string };
  const tokens = new Map<string, string | undefined>();
  const sockets = new Map<string, TestSocket>();
  const extra: TestSocket[] = [];

  beforeAll(async () => {
    const [clinic, otherClinic] = [await createClinic(hub), await createClinic(hub)];
    const { doctor, account: doctorAccount } = await createDoctor(hub, clinic.id);
    const colleague = await createDoctor(hub, clinic.id);
    const otherDoctor = await createDoctor(hub, otherClinic.id);
    const patient = await createAccount(hub, 'patient');
    rooms = {
      doctor: `doctor:${doctor.id}`,
      user: `user:${patient.id}`,
      queue: `queue:${clinic.id}`,
      display: `display:${clinic.id}`,
    };
    tokens.set('anonymous', undefined);
    tokens.set('another patient', (await createAccount(hub, 'patient')).token);
    tokens.set('another doctor', otherDoctor.account.token);
    tokens.set('a colleague doctor at the same clinic', colleague.account.token);
    tokens.set(
      "another clinic's staff",
      (await createAccount(hub, 'staff', { clinicId: otherClinic.id })).token,
    );
    tokens.set('that doctor', doctorAccount.token);
    tokens.set('that user', patient.token);
    tokens.set("that clinic's staff", (await createAccount(hub, 'staff', { clinicId: clinic.id })).token);
    tokens.set('an admin', (await createAccount(hub, 'admin')).token);
    for (const [who, token] of tokens) sockets.set(who, await connectSocket(hub.url, token));
  });
  afterAll(async () => {
    for (const s of [...sockets.values(), ...extra]) s.disconnect();
  });

  const kinds = ['doctor', 'user', 'queue', 'display'] as const;

  it.each([
    ['anonymous', 'unauthorized'],
    ['another patient', 'forbidden'],
    ['another doctor', 'forbidden'],
    ['a colleague doctor at the same clinic', 'forbidden'],
    ["another clinic's staff", 'forbidden'],
  ])('%s is refused every private room (%s)', async (who, code) => {
    const socket = sockets.get(who)!;
    for (const kind of kinds) {
      expect(await subscribe(socket, rooms[kind]), `${who} → ${rooms[kind]}`).toEqual({ ok: false, code });
      const resync = await socket.timeout(5000).emitWithAck('resync', { room: rooms[kind], afterId: 0 });
      expect(resync, `${who} resync ${kind}`).toEqual({ ok: false, code });
    }
  });

  it.each([
    ['that doctor', ['doctor']],
    ['that user', ['user']],
    ["that clinic's staff", ['queue', 'display']],
    ['an admin', ['doctor', 'queue', 'display']],
  ] as const)('%s may join %j', async (who, allowed) => {
    const socket = sockets.get(who)!;
    for (const kind of allowed) {
      expect(await subscribe(socket, rooms[kind]), `${who} → ${rooms[kind]}`).toMatchObject({
        ok: true,
        lastEventId: 0,
      });
    }
  });

  it("a user's own room is closed even to admins", async () => {
    expect(await subscribe(sockets.get('an admin')!, rooms.user)).toEqual({ ok: false, code: 'forbidden' });
  });

  it("the legitimate member's room is still closed to the others it was not made for", async () => {
    const notFor: Record<string, (typeof kinds)[number][]> = {
      'that doctor': ['queue'],
      'that user': ['doctor'],
      "that clinic's staff": ['doctor', 'user'],
    };
    for (const [who, kinds] of Object.entries(notFor)) {
      for (const kind of kinds) {
        const answer = await subscribe(sockets.get(who)!, rooms[kind]);
        expect(answer, `${who} → ${rooms[kind]}`).toEqual({ ok: false, code: 'forbidden' });
      }
    }
  });

  it('names that are not rooms are unknown_room, including another socket’s own id room', async () => {
    const socket = sockets.get('an admin')!;
    const victim = sockets.get('that user')!;
    const uuid = randomUUID();
    const names = [
      'foo:bar',
      'slots:not-a-uuid',
      'slots:',
      'slots',
      '',
      `slots:${uuid}:x`,
      ` slots:${uuid}`,
      `slots:${uuid}\n`,
      `rooms:${uuid}`,
      `slots:${'a'.repeat(94)}`, // 100 characters: long, but within the payload limit
      victim.id!,
    ];
    for (const room of names) {
      expect(await subscribe(socket, room), JSON.stringify(room)).toEqual({
        ok: false,
        code: 'unknown_room',
      });
    }
    // Longer than any room name can be: refused as bad input before it is looked at.
    expect(await subscribe(socket, `slots:${'a'.repeat(10_000)}`)).toMatchObject({
      ok: false,
      code: 'validation_failed',
    });
  });

  it('bad tokens cannot connect: garbage, expired, wrong secret, forged kid, wrong iss/aud/typ, alg none', async () => {
    const secret = hub.config.jwt.secret;
    const user = await createAccount(hub, 'patient');
    const fam = await newFamily(hub, user.id);
    const base = { sub: user.id, role: 'patient' as const, fam, exp: inSeconds(600), secret };
    const wrongSecret = randomBytes(32).toString('base64url');
    const bad: Record<string, string> = {
      garbage: 'not-a-token',
      expired: await mint(hub, { ...base, exp: inSeconds(-5) }),
      'wrong secret': await mint(hub, { ...base, secret: wrongSecret }),
      'wrong secret under the real kid': await mint(hub, { ...base, secret: wrongSecret, kidOf: secret }),
      'wrong issuer': await mint(hub, { ...base, iss: 'someone-else' }),
      'wrong audience': await mint(hub, { ...base, aud: 'another-api' }),
      'a plain JWT, not an access token': await mint(hub, { ...base, typ: 'JWT' }),
      'alg none': new UnsecuredJWT({ role: 'admin', fam })
        .setSubject(user.id)
        .setIssuer(hub.config.jwt.issuer)
        .setAudience(hub.config.jwt.audience)
        .setIssuedAt()
        .setExpirationTime(inSeconds(600))
        .encode(),
    };
    // The control: the same claims, properly signed, connect.
    expect(await handshake(hub.url, { token: await mint(hub, base) })).toBe('connected');
    for (const [what, token] of Object.entries(bad)) {
      expect(await handshake(hub.url, { token }), what).toBe('unauthorized');
    }
    expect(await handshake(hub.url, { token: 12345 }), 'a number').toBe('unauthorized');
    expect(await handshake(hub.url, { token: { sub: user.id } }), 'an object').toBe('unauthorized');
    expect(await handshake(hub.url, {}), 'no token at all').toBe('connected');
  });

  it('malformed payloads get validation_failed and the socket keeps being served', async () => {
    const socket = await connectSocket(hub.url);
    extra.push(socket);
    const raw = untyped(socket);
    const slots = `slots:${randomUUID()}`;
    const ask = (event: string, payload: unknown) => raw.timeout(5000).emitWithAck(event, payload);

    const badSubscribes: unknown[] = [
      5,
      slots,
      null,
      [],
      [{ room: slots }],
      {},
      { room: 5 },
      { room: null },
      { room: [slots] },
      { room: slots, extra: 1 },
      { room: slots, junk: 'x'.repeat(500_000) },
      Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i])),
    ];
    for (const payload of badSubscribes) {
      const label = JSON.stringify(payload)?.slice(0, 60);
      expect(await ask('subscribe', payload), `subscribe ${label}`).toMatchObject({
        ok: false,
        code: 'validation_failed',
      });
    }
    for (const afterId of [-1, 'x', 1.5, null, Number.MAX_VALUE * 10]) {
      expect(await ask('resync', { room: slots, afterId }), `resync afterId ${afterId}`).toMatchObject({
        ok: false,
        code: 'validation_failed',
      });
    }
    expect(await ask('resync', { room: slots }), 'resync without afterId').toMatchObject({
      code: 'validation_failed',
    });
    expect(await ask('resync', { room: slots, afterId: 0, x: 1 }), 'resync extra key').toMatchObject({
      code: 'validation_failed',
    });
    expect(await ask('unsubscribe', 7), 'unsubscribe 7').toMatchObject({
      ok: false,
      code: 'validation_failed',
    });
    expect(await ask('auth', { token: 7 }), 'auth { token: 7 }').toMatchObject({
      ok: false,
      code: 'validation_failed',
    });

    // No ack at all, bad and good: nothing to answer, nothing breaks.
    raw.emit('subscribe', 5);
    raw.emit('subscribe', { room: slots });
    raw.emit('resync', { room: slots, afterId: -1 });
    // An unknown event name is ignored too.
    raw.emit('rm -rf', { room: slots });

    expect(socket.connected).toBe(true);
    expect(await subscribe(socket, slots)).toEqual({ ok: true, lastEventId: 0 });
    expect(await socket.timeout(5000).emitWithAck('resync', { room: slots, afterId: 0 })).toEqual({
      ok: true,
      events: [],
    });
  });

  it('a frame over the size limit closes only that connection; the hub serves the next one', async () => {
    const socket = await connectSocket(hub.url);
    extra.push(socket);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    untyped(socket).emit('subscribe', { room: 'x'.repeat(2_000_000) });
    expect(await closed).toBe('transport close');
    const next = await connectSocket(hub.url);
    extra.push(next);
    expect(await subscribe(next, `slots:${randomUUID()}`)).toMatchObject({ ok: true });
  });
});

describe('a socket loses its private rooms when its session ends', () => {
  const hub = useTestHub({ SESSION_CHECK_SECONDS: '1' });
  let doctorId: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    ({ doctorId } = await scene(hub, { patients: 0 }));
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
  });

  it('logout revokes the session: session_expired(revoked), no more private events, and no way back in with that token', async () => {
    const patient = await createAccount(hub, 'patient');
    const userRoom = `user:${patient.id}`;
    const slotsRoom = `slots:${doctorId}`;
    const socket = await connectSocket(hub.url, patient.token);
    sockets.push(socket);
    expect(await subscribe(socket, userRoom)).toMatchObject({ ok: true });
    expect(await subscribe(socket, slotsRoom)).toMatchObject({ ok: true });

    const expired = sessionExpired(socket);
    expect((await client(hub).post('/v1/auth/logout', undefined, patient.token)).status).toBe(204);
    expect(await expired).toEqual({ reason: 'revoked' });
    expect(await subscribe(socket, userRoom)).toEqual({ ok: false, code: 'unauthorized' });

    // The same patient, signed in again elsewhere, books: the public room still hears it, the old socket's
    // private room does not.
    const fresh = await hub.services.tokens.signAccess({
      userId: patient.id,
      role: 'patient',
      clinicId: undefined,
      familyId: await newFamily(hub, patient.id),
    });
    const [slot] = (await slotsOn(hub, doctorId, dateIn(2))).filter((s) => s.status === 'free');
    const booked = await client(hub).post('/v1/appointments', { doctorId, start: slot!.start }, fresh.token);
    expect(booked.status).toBe(201);
    await waitForEvent(socket, (e) => e.type === 'slot.booked');
    await waitUntil(
      'the booking events to be published',
      async () => {
        const [row] = await hub.sql<
          { n: number }[]
        >`select count(*)::int as n from events where published_at is null`;
        return row?.n === 0 ? true : undefined;
      },
      { timeoutMs: 5000, intervalMs: 20 },
    );
    // A round trip: anything emitted to this socket before the rows were marked published has arrived.
    expect(await subscribe(socket, slotsRoom)).toMatchObject({ ok: true });
    expect(socket.events.filter((e) => e.room === userRoom)).toEqual([]);

    // The revoked token does not get the room back, neither by `auth` nor by a new connection.
    expect(await socket.timeout(5000).emitWithAck('auth', { token: patient.token })).toEqual({
      ok: false,
      code: 'unauthorized',
    });
    expect(await subscribe(socket, userRoom)).toEqual({ ok: false, code: 'unauthorized' });
    expect(await handshake(hub.url, { token: patient.token })).toBe('unauthorized');
    // A fresh session does.
    expect(await socket.timeout(5000).emitWithAck('auth', { token: fresh.token })).toEqual({ ok: true });
    expect(await subscribe(socket, userRoom)).toMatchObject({ ok: true });
  });

  it('a token that expires while connected: session_expired(expired), then auth with a new one rejoins', async () => {
    const patient = await createAccount(hub, 'patient');
    const userRoom = `user:${patient.id}`;
    const fam = await newFamily(hub, patient.id);
    const claims = { sub: patient.id, role: 'patient' as const, fam, secret: hub.config.jwt.secret };
    const shortLived = await mint(hub, { ...claims, exp: inSeconds(3) });
    const socket = await connectSocket(hub.url, shortLived);
    sockets.push(socket);
    const expired = sessionExpired(socket, 8000);
    expect(await subscribe(socket, userRoom)).toMatchObject({ ok: true });

    expect(await expired).toEqual({ reason: 'expired' });
    expect(await subscribe(socket, userRoom)).toEqual({ ok: false, code: 'unauthorized' });
    expect(await socket.timeout(5000).emitWithAck('auth', { token: shortLived })).toEqual({
      ok: false,
      code: 'unauthorized',
    });
    const renewed = await mint(hub, { ...claims, exp: inSeconds(600) });
    expect(await socket.timeout(5000).emitWithAck('auth', { token: renewed })).toEqual({ ok: true });
    expect(await subscribe(socket, userRoom)).toMatchObject({ ok: true });
  });
});
