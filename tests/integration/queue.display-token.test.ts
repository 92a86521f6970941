import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DisplayView } from '../../src/events/queue-event-data.js';
import type { DocumentedEndpoint } from '../../src/http/endpoint.js';
import { AROUND_THE_CLOCK } from '../helpers/booking.js';
import {
  connectDisplay,
  createDisplayToken,
  deskBook,
  freeSlotsToday,
  handshake,
  morningClinic,
} from '../helpers/front-desk.js';
import { createAccount, type HttpResult, type TestAccount, useTestApi } from '../helpers/harness.js';
import { expectProblem } from '../helpers/problems.js';
import { within } from '../helpers/process.js';
import { routeTable } from '../helpers/routes.js';
import { doctorWithHours } from '../helpers/scene.js';
import { subscribe, type TestSocket, waitForEvent } from '../helpers/sockets.js';

type Clinic = Awaited<ReturnType<typeof morningClinic>>;
/** A made-up token of the same shape: what the hub answers when the token opens nothing. */
const fakeToken = () => randomBytes(32).toString('base64url');
/** The request options of a waiting-room screen sending its token as the header. */
const asScreen = (token: string) => ({ headers: { 'x-display-token': token } });
/** An answer without what differs from one request to the next. */
const comparable = (res: HttpResult) => {
  const body = res.body && typeof res.body === 'object' ? { ...res.body, requestId: undefined } : res.body;
  return { status: res.status, body };
};

describe('a display token opens its clinic’s board and nothing else', () => {
  const { hub, api } = useTestApi();
  let clinic: Clinic;
  let other: Clinic;
  let desk: TestAccount;
  let otherDesk: TestAccount;
  let doctorId: string;
  let otherDoctorName: string;
  let ids: { patient: string; appointment: string };
  let display: { id: string; token: string };
  let otherDisplay: { id: string; token: string };
  const sockets: TestSocket[] = [];

  /** A clinic where one patient has checked in today, so its board shows a ticket. */
  async function dayWithOneArrival(c: Clinic, deskToken: string, doctor: string, name: string) {
    const [slot] = await freeSlotsToday(hub, doctor, c);
    const booked = await deskBook(hub, deskToken, {
      doctorId: doctor,
      start: slot!.start,
      patient: { name },
    });
    expect((await api.post(`/v1/appointments/${booked.id}/check-in`, undefined, deskToken)).status).toBe(200);
    return booked;
  }

  beforeAll(async () => {
    [clinic, other] = [await morningClinic(hub), await morningClinic(hub)];
    desk = await createAccount(hub, 'staff', { clinicId: clinic.id });
    otherDesk = await createAccount(hub, 'staff', { clinicId: other.id });
    doctorId = (await doctorWithHours(hub, clinic.id, { hours: AROUND_THE_CLOCK, minNoticeMinutes: 0 })).id;
    otherDoctorName = `Dr. Elsewhere ${randomUUID().slice(0, 6)}`;
    const otherDoctor = await doctorWithHours(hub, other.id, {
      hours: AROUND_THE_CLOCK,
      minNoticeMinutes: 0,
      name: otherDoctorName,
    });
    const booked = await dayWithOneArrival(clinic, desk.token, doctorId, 'Pia Present');
    ids = { patient: booked.patientId, appointment: booked.id };
    await dayWithOneArrival(other, otherDesk.token, otherDoctor.id, 'Otto Otherclinic');
    display = await createDisplayToken(hub, desk.token, clinic.id);
    otherDisplay = await createDisplayToken(hub, otherDesk.token, other.id);
  });
  afterAll(() => {
    for (const s of sockets) s.disconnect();
  });

  it('opens GET /v1/clinics/:id/display by X-Display-Token header and by ?token=', async () => {
    const byHeader = await api.call<DisplayView>(
      'GET',
      `/v1/clinics/${clinic.id}/display`,
      asScreen(display.token),
    );
    const byQuery = await api.get<DisplayView>(`/v1/clinics/${clinic.id}/display?token=${display.token}`);
    for (const res of [byHeader, byQuery]) {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ clinicId: clinic.id, now: [], next: [{ ticket: 'A-001' }] });
    }
  });

  it('is refused on every other route of the route table, as X-Display-Token, ?token= and Bearer', async () => {
    const table = routeTable(hub);
    const endpoints = table.filter((e) => !(e.method === 'get' && e.path === '/v1/clinics/:id/display'));
    expect(endpoints.length).toBe(table.length - 1);
    expect(endpoints.length).toBeGreaterThan(40);

    // Each path twice: with the ids the token's own clinic has (its clinic, doctor, appointment, the token's
    // own id), and with random ones.
    const own: Record<string, string> = {
      clinics: clinic.id,
      doctors: doctorId,
      appointments: ids.appointment,
    };
    const ownIds = (path: string) => {
      const id = own[/^\/v1\/(\w+)\/:id/.exec(path)?.[1] ?? ''];
      return (id ? path.replace(':id', id) : path).replace(':tokenId', display.id);
    };
    const paths = (e: DocumentedEndpoint) =>
      [ownIds(e.path), e.path].map((path) => path.replace(/:\w+/g, () => randomUUID()));
    const failures: string[] = [];
    const send = (e: DocumentedEndpoint, path: string, headers: Record<string, string> = {}) =>
      api.call(e.method.toUpperCase(), path, {
        headers,
        ...(e.method === 'get' || e.method === 'delete' ? {} : { body: {} }),
      });
    let checked = 0;
    for (const e of endpoints) {
      for (const path of paths(e)) {
        const what = `${e.method.toUpperCase()} ${path}`;
        const withQuery = (token: string) => `${path}${path.includes('?') ? '&' : '?'}token=${token}`;
        const fake = fakeToken();
        const [anonymous, header, fakeHeader, query, fakeQuery, bearer] = await Promise.all([
          send(e, path),
          send(e, path, { 'x-display-token': display.token }),
          send(e, path, { 'x-display-token': fake }),
          send(e, withQuery(display.token)),
          send(e, withQuery(fake)),
          send(e, path, { authorization: `Bearer ${display.token}` }),
        ]);
        checked++;
        const expectSame = (label: string, a: HttpResult, b: HttpResult) => {
          if (JSON.stringify(comparable(a)) !== JSON.stringify(comparable(b)))
            failures.push(`${what} ${label}: ${a.status} ${JSON.stringify(a.body)} vs ${b.status}`);
        };
        // The real token changes nothing: the same answer as no credentials, and as a token that opens nothing.
        expectSame('header vs anonymous', header, anonymous);
        expectSame('header vs a made-up token', header, fakeHeader);
        expectSame('?token= vs a made-up token', query, fakeQuery);
        if (e.access !== 'public' && (header.status !== 401 || query.status !== 401))
          failures.push(`${what}: ${header.status} by header, ${query.status} by ?token=, expected 401`);
        // As a Bearer token it is no access token: refused everywhere, public routes included.
        if (bearer.status !== 401 || bearer.body.code !== 'unauthorized')
          failures.push(`${what} Bearer: ${bearer.status} ${JSON.stringify(bearer.body)}`);
        // Whatever answers 2xx with the token answers the same to anyone.
        for (const res of [header, query, bearer]) {
          if (res.status < 300 && anonymous.status >= 300)
            failures.push(`${what}: ${res.status} with the token`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBe(endpoints.length * 2);

    // Outside the route table: the admin's job board.
    const ways: Record<string, string>[] = [
      { 'x-display-token': display.token },
      { authorization: `Bearer ${display.token}` },
    ];
    for (const headers of ways) {
      expect((await fetch(`${hub.url}/admin/queues`, { headers })).status).toBe(401);
    }
  });

  it('is refused another clinic’s board (403), whichever way it comes, and learns nothing of it', async () => {
    const attempts = [
      api.call('GET', `/v1/clinics/${other.id}/display`, asScreen(display.token)),
      api.get(`/v1/clinics/${other.id}/display?token=${display.token}`),
      api.call('GET', `/v1/clinics/${clinic.id}/display`, asScreen(otherDisplay.token)),
      // A clinic that does not exist answers the same: no probing for clinics.
      api.call('GET', `/v1/clinics/${randomUUID()}/display`, asScreen(display.token)),
    ];
    for (const res of await Promise.all(attempts)) {
      expectProblem(res, 403, 'forbidden');
      expect(JSON.stringify(res.body)).not.toContain(otherDoctorName);
      expect(JSON.stringify(res.body)).not.toContain('A-001');
    }
    // A made-up or malformed token is no token at all.
    for (const token of [fakeToken(), 'short', `${display.token}x`]) {
      const res = await api.call('GET', `/v1/clinics/${clinic.id}/display`, asScreen(token));
      expectProblem(res, 401, 'unauthorized');
    }
  });

  it('joins its own display room and no other room; it cannot sign in as a person on that socket', async () => {
    const screen = await connectDisplay(hub.url, display.token);
    sockets.push(screen);
    const refused = [
      `slots:${doctorId}`,
      `slots:${randomUUID()}`,
      `doctor:${doctorId}`,
      `doctor:${randomUUID()}`,
      `user:${ids.patient}`,
      `user:${randomUUID()}`,
      `queue:${clinic.id}`,
      `queue:${other.id}`,
      `display:${other.id}`,
      `display:${randomUUID()}`,
    ];
    for (const room of refused) {
      expect(await subscribe(screen, room), room).toEqual({ ok: false, code: 'forbidden' });
      const resync = await screen.timeout(5000).emitWithAck('resync', { room, afterId: 0 });
      expect(resync, `resync ${room}`).toEqual({ ok: false, code: 'forbidden' });
    }
    expect(await subscribe(screen, `display:${clinic.id}`)).toMatchObject({ ok: true });
    expect(
      await screen.timeout(5000).emitWithAck('resync', { room: `display:${clinic.id}`, afterId: 0 }),
    ).toMatchObject({ ok: true });

    // A staff login on the same connection is refused, and opens nothing afterwards.
    expect(await screen.timeout(5000).emitWithAck('auth', { token: desk.token })).toEqual({
      ok: false,
      code: 'forbidden',
    });
    expect(await subscribe(screen, `queue:${clinic.id}`)).toEqual({ ok: false, code: 'forbidden' });

    // It hears its own board change, and only that room.
    expect((await api.put(`/v1/doctors/${doctorId}/room`, { room: 'Room 7' }, desk.token)).status).toBe(200);
    await waitForEvent(screen, (e) => e.room === `display:${clinic.id}` && e.type === 'queue.updated');
    expect(new Set(screen.events.map((e) => e.room))).toEqual(new Set([`display:${clinic.id}`]));

    // Handshakes that are not one display token alone are refused.
    expect(await handshake(hub.url, { displayToken: display.token, token: desk.token })).toBe('unauthorized');
    expect(await handshake(hub.url, { displayToken: fakeToken() })).toBe('unauthorized');
    expect(await handshake(hub.url, { displayToken: 12345 })).toBe('unauthorized');
    expect(await handshake(hub.url, { token: display.token })).toBe('unauthorized');
  });

  it('is cut off within one second of revocation: sockets dropped, HTTP 401, no new handshake', async () => {
    const lobby = await createDisplayToken(hub, desk.token, clinic.id, 'Lobby TV');
    const reception = await createDisplayToken(hub, desk.token, clinic.id, 'Reception TV');
    const lobbyScreens = [
      await connectDisplay(hub.url, lobby.token),
      await connectDisplay(hub.url, lobby.token),
    ];
    const receptionScreen = await connectDisplay(hub.url, reception.token);
    sockets.push(...lobbyScreens, receptionScreen);
    for (const s of [...lobbyScreens, receptionScreen])
      expect(await subscribe(s, `display:${clinic.id}`)).toMatchObject({ ok: true });
    const board = `/v1/clinics/${clinic.id}/display`;
    expect((await api.call('GET', board, asScreen(lobby.token))).status).toBe(200);

    // Another clinic's desk can neither revoke it through its own clinic nor through this one.
    const revoke = (clinicId: string, token: string) =>
      api.delete(`/v1/clinics/${clinicId}/display-tokens/${lobby.id}`, token);
    expectProblem(await revoke(other.id, otherDesk.token), 404);
    expectProblem(await revoke(clinic.id, otherDesk.token), 403);
    expect(lobbyScreens.every((s) => s.connected)).toBe(true);

    const started = performance.now();
    const cut = lobbyScreens.map((s) =>
      within<{ reason: string; ms: number }>('the lobby screen disconnected', 1000, (done) =>
        s.once('disconnect', (reason) => done({ reason, ms: performance.now() - started })),
      ),
    );
    expect((await revoke(clinic.id, desk.token)).status).toBe(204);
    for (const { reason, ms } of await Promise.all(cut)) {
      expect(reason).toBe('io server disconnect');
      expect(ms).toBeLessThan(1000);
    }

    // Its next request is refused, however it is sent, and it cannot connect again.
    expectProblem(await api.call('GET', board, asScreen(lobby.token)), 401, 'unauthorized');
    expectProblem(await api.get(`${board}?token=${lobby.token}`), 401, 'unauthorized');
    expect(await handshake(hub.url, { displayToken: lobby.token })).toBe('unauthorized');

    // The other screen was not touched: still connected, and it hears the next change.
    expect(receptionScreen.connected).toBe(true);
    const before = new Set(receptionScreen.events);
    expect((await api.put(`/v1/doctors/${doctorId}/room`, { room: 'Room 8' }, desk.token)).status).toBe(200);
    await waitForEvent(receptionScreen, (e) => !before.has(e) && e.type === 'queue.updated');

    // The list keeps the history: when the lobby screen was last seen, and when it was revoked.
    type Listed = { id: string; lastSeenAt: string | null; revokedAt: string | null };
    const list = await api.get<{ items: Listed[] }>(`/v1/clinics/${clinic.id}/display-tokens`, desk.token);
    expect(list.status).toBe(200);
    const byId = new Map(list.body.items.map((t) => [t.id, t]));
    const revoked = byId.get(lobby.id)!;
    expect(revoked).toMatchObject({ lastSeenAt: expect.any(String), revokedAt: expect.any(String) });
    expect(Date.parse(revoked.revokedAt!)).toBeGreaterThanOrEqual(Date.parse(revoked.lastSeenAt!));
    expect(byId.get(reception.id)).toMatchObject({ lastSeenAt: expect.any(String), revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(lobby.token);
  });
});
