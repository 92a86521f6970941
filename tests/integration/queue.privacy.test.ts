import * as v from 'valibot';
import { afterAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/events/event-types.js';
import { type DisplayView, DisplayViewSchema } from '../../src/events/queue-event-data.js';
import { type Appointment, AROUND_THE_CLOCK, bookSlot } from '../helpers/booking.js';
import {
  connectDisplay,
  createDisplayToken,
  deskBook,
  freeSlotsToday,
  MINUTE,
  morningClinic,
  pastAppointment,
} from '../helpers/front-desk.js';
import { createAccount, useTestApi } from '../helpers/harness.js';
import { doctorWithHours } from '../helpers/scene.js';
import { connectSocket, subscribe, type TestSocket, waitForEvent } from '../helpers/sockets.js';

type Visit = Appointment & { ticket?: string };

/** Everything that identifies a patient, as the desk knows them. */
interface Person {
  name: string;
  id: string;
  email: string;
  phone?: string;
  reason?: string;
  appointmentId: string;
}

describe('the waiting-room display over a whole day', () => {
  const { hub, api } = useTestApi();
  const sockets: TestSocket[] = [];
  afterAll(() => {
    for (const s of sockets) s.disconnect();
  });

  it("every display: event and display answer, scanned for every patient's name, id, email, phone and reason → none found", async () => {
    // The cast: a clinic where it is morning, its desk, two doctors open around the clock.
    const clinic = await morningClinic(hub, 'Lindenhof Family Practice');
    const desk = await createAccount(hub, 'staff', { clinicId: clinic.id });
    const hours = { hours: AROUND_THE_CLOCK, minNoticeMinutes: 0 };
    const drOne = await doctorWithHours(hub, clinic.id, { ...hours, name: 'Dr. Amara Okafor' });
    const drTwo = await doctorWithHours(hub, clinic.id, { ...hours, name: 'Dr. Jonas Brandt' });
    const [freeOne, freeTwo] = await Promise.all([
      freeSlotsToday(hub, drOne.id, clinic),
      freeSlotsToday(hub, drTwo.id, clinic),
    ]);

    // Two patients with accounts (and phones on file) who booked themselves, with their reasons.
    const zelda = await createAccount(hub, 'patient', { name: 'Zelda Quibblesworth' });
    const bart = await createAccount(hub, 'patient', { name: 'Bartholomew Fenwick-Oyelaran' });
    await hub.sql`update users set phone = '+49 151 555 0142' where id = ${zelda.id}`;
    await hub.sql`update users set phone = '+49 152 555 0177' where id = ${bart.id}`;
    // One who was due an hour ago and never came (set up directly: a slot in the past cannot be booked).
    const nora = await createAccount(hub, 'patient', { name: 'Nora Absent-Lindqvist' });
    const noraVisit = await pastAppointment(hub, drOne.id, nora.id, Date.now() - 60 * MINUTE);

    // The screens: the waiting room's display, and the desk's own screen.
    const display = await createDisplayToken(hub, desk.token, clinic.id);
    const screen = await connectDisplay(hub.url, display.token);
    const deskScreen = await connectSocket(hub.url, desk.token);
    sockets.push(screen, deskScreen);
    expect(await subscribe(screen, `display:${clinic.id}`)).toMatchObject({ ok: true });
    expect(await subscribe(deskScreen, `queue:${clinic.id}`)).toMatchObject({ ok: true });

    /** After each step: what the board answers now, and the display event of that revision (no sleeps). */
    const boards: DisplayView[] = [];
    const step = async (what: string, act: () => Promise<unknown>) => {
      await act();
      const res = await api.call<DisplayView>('GET', `/v1/clinics/${clinic.id}/display`, {
        headers: { 'x-display-token': display.token },
      });
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(200);
      boards.push(res.body);
      const revision = res.body.revision;
      await waitForEvent(screen, (e) => (e.data as { revision?: number }).revision! >= revision);
    };
    const ok = async (res: Promise<{ status: number; body: unknown }>, status = 200) => {
      const r = await res;
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      return r.body as Visit;
    };

    // The day.
    const visits: Record<string, Visit> = {};
    await step('Zelda books', async () => {
      visits.zelda = await bookSlot(
        hub,
        zelda,
        drOne.id,
        freeOne[0]!.start,
        'recurring migraine since the fall',
      );
    });
    await step('Bartholomew books', async () => {
      visits.bart = await bookSlot(hub, bart, drTwo.id, freeTwo[0]!.start, 'HIV test results to discuss');
    });
    const caller = {
      name: 'Philippa Ringwald',
      phone: '+49 171 555 0199',
      email: 'philippa.ringwald@example.org',
    };
    await step('a phone caller is booked by the desk', async () => {
      visits.caller = await deskBook(hub, desk.token, {
        doctorId: drOne.id,
        start: freeOne[1]!.start,
        patient: caller,
        reason: 'chest pain on the stairs',
      });
    });
    const walker = {
      name: 'Walter Stroller-Kim',
      phone: '+49 160 555 0123',
      email: 'w.stroller@example.net',
    };
    await step('a walk-in is registered at the desk', async () => {
      visits.walker = await ok(
        api.post(
          `/v1/clinics/${clinic.id}/walk-ins`,
          { doctorId: drTwo.id, patient: walker, reason: 'sprained left ankle' },
          desk.token,
        ),
        201,
      );
    });
    const tickets: Record<string, string> = { walker: visits.walker!.ticket! };
    for (const who of ['zelda', 'bart', 'caller'] as const) {
      await step(`${who} checks in`, async () => {
        tickets[who] = (
          await ok(api.post(`/v1/appointments/${visits[who]!.id}/check-in`, undefined, desk.token))
        ).ticket!;
      });
    }
    expect(Object.values(tickets).sort()).toEqual(['A-001', 'A-002', 'A-003', 'A-004']);
    await step('Dr. Okafor calls the next patient', () =>
      ok(api.post(`/v1/doctors/${drOne.id}/call-next`, undefined, desk.token)),
    );
    await step('Dr. Okafor is in Room 3', () =>
      ok(api.put(`/v1/doctors/${drOne.id}/room`, { room: 'Room 3' }, desk.token)),
    );
    const note = 'resuscitation next door, family informed';
    await step('Dr. Brandt runs 20 minutes late', () =>
      ok(api.post(`/v1/doctors/${drTwo.id}/delay`, { minutes: 20, note }, desk.token)),
    );
    await step('Dr. Okafor completes', () =>
      ok(api.post(`/v1/appointments/${visits.zelda!.id}/complete`, undefined, drOne.account.token)),
    );
    await step('Dr. Okafor calls the next patient again', () =>
      ok(api.post(`/v1/doctors/${drOne.id}/call-next`, undefined, drOne.account.token)),
    );
    await step('Nora never came', () =>
      ok(api.post(`/v1/appointments/${noraVisit}/no-show`, undefined, desk.token)),
    );
    await step('Dr. Brandt calls the next patient', () =>
      ok(api.post(`/v1/doctors/${drTwo.id}/call-next`, undefined, desk.token)),
    );

    // Everything the display room ever carried, as a screen that reconnects would fetch it.
    const resync = await screen
      .timeout(5000)
      .emitWithAck('resync', { room: `display:${clinic.id}`, afterId: 0 });
    expect(resync).toMatchObject({ ok: true, events: expect.any(Array) });
    const replayed = (resync as { events: LiveEvent[] }).events;
    const events = [...screen.events, ...replayed];
    expect(screen.events.length).toBeGreaterThanOrEqual(14);

    // The display only ever got its own room's board, in its own strict schema.
    for (const e of events) {
      expect(e).toMatchObject({ room: `display:${clinic.id}`, type: 'queue.updated' });
      expect(Object.keys(e.data as object).sort()).toEqual(['clinicId', 'date', 'display', 'revision']);
      v.parse(DisplayViewSchema, (e.data as { display: unknown }).display);
    }
    for (const board of boards) v.parse(DisplayViewSchema, board);

    // The scan: no name (nor any part of one), id, email, phone (as typed or as digits), reason or the note.
    const people: Person[] = [
      { ...zelda, name: 'Zelda Quibblesworth', phone: '+49 151 555 0142', appointmentId: visits.zelda!.id },
      {
        ...bart,
        name: 'Bartholomew Fenwick-Oyelaran',
        phone: '+49 152 555 0177',
        appointmentId: visits.bart!.id,
      },
      { ...nora, name: 'Nora Absent-Lindqvist', appointmentId: noraVisit },
      { ...caller, id: visits.caller!.patientId, appointmentId: visits.caller!.id },
      { ...walker, id: visits.walker!.patientId, appointmentId: visits.walker!.id },
    ];
    const reasons = [
      'recurring migraine since the fall',
      'HIV test results',
      'chest pain',
      'sprained left ankle',
    ];
    const secrets = people.flatMap((p) => [
      p.name,
      ...p.name.split(/[\s-]+/),
      p.id,
      p.email,
      p.email.split('@')[0]!,
      p.appointmentId,
      ...(p.phone ? [p.phone, p.phone.replace(/\D/g, ''), p.phone.replace(/\D/g, '').slice(-7)] : []),
    ]);
    const everything = JSON.stringify({ events, boards }).toLowerCase();
    const found = [...secrets, ...reasons, note, 'resuscitation'].filter((s) =>
      everything.includes(s.toLowerCase()),
    );
    expect(found).toEqual([]);

    // Not vacuous: the display did show tickets, the room, the delay and the doctors' names …
    for (const ticket of Object.values(tickets))
      expect(everything).toContain(`"ticket":"${ticket.toLowerCase()}"`);
    const last = boards.at(-1)!;
    expect(last.now).toContainEqual({
      ticket: tickets.caller,
      room: 'Room 3',
      doctorName: 'Dr. Amara Okafor',
    });
    expect(last.delays).toEqual([{ doctorName: 'Dr. Jonas Brandt', delayMinutes: 20 }]);
    expect(boards.some((b) => b.next.length >= 3)).toBe(true);
    // … and the desk's own screen, on queue:<clinicId>, did get every one of these names.
    await waitForEvent(deskScreen, (e) => JSON.stringify(e).includes(walker.name));
    const deskSaw = JSON.stringify(deskScreen.events);
    for (const p of people) expect(deskSaw, p.name).toContain(p.name);
  });
});
