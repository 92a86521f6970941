import { describe, expect, it } from 'vitest';
import { type Appointment, bookSlot, everyDay, slotsOn } from '../helpers/booking.js';
import { recordEvents } from '../helpers/events.js';
import { createAccount, useTestApi } from '../helpers/harness.js';
import type { Problem } from '../helpers/problems.js';
import { scene } from '../helpers/scene.js';
import { connectSocket, subscribe, waitForEvent } from '../helpers/sockets.js';
import { entriesOf, joinWaitlist } from '../helpers/waitlist.js';

describe('a freed slot goes to the waitlist, one patient at a time', () => {
  // Offers last two seconds here, so a lapse happens within the test.
  const { hub, api } = useTestApi({ OFFER_TTL_SECONDS: '2' });

  it('A books the last slot; B and C wait; A cancels → only B is offered; B lets it lapse → C; C books', async () => {
    const cast = await scene(hub, {
      patients: ['Ann', 'Ben', 'Cas'],
      doctor: { hours: everyDay({ start: '10:00', end: '10:30' }) },
      daysAhead: 3,
    });
    const { doctorId, date, doctor } = cast;
    const [a, b, c] = cast.patients;
    const slot = cast.free[0]!;
    expect(cast.free).toHaveLength(1);
    const booked: Appointment = await bookSlot(hub, a, doctorId, slot.start);

    const bEntry = await joinWaitlist(hub, b, doctorId, date);
    const cEntry = await joinWaitlist(hub, c, doctorId, date);
    expect([bEntry.status, bEntry.position, cEntry.status, cEntry.position]).toEqual([
      'waiting',
      1,
      'waiting',
      2,
    ]);
    const length = await api.get(`/v1/doctors/${doctorId}/waitlist`, doctor.token);
    expect(length.body).toEqual({ doctorId, waiting: 2, offered: 0 });

    const bSocket = await connectSocket(hub.url, b.token);
    const cSocket = await connectSocket(hub.url, c.token);
    const events = recordEvents(hub.services.publisher);
    try {
      await subscribe(bSocket, `user:${b.id}`);
      await subscribe(cSocket, `user:${c.id}`);

      expect((await api.post(`/v1/appointments/${booked.id}/cancel`, {}, a.token)).status).toBe(200);
      const offered = await waitForEvent(bSocket, (e) => e.type === 'waitlist.offered');
      if (offered.type !== 'waitlist.offered') throw new Error('narrowing');
      expect(Date.parse(offered.data.start)).toBe(Date.parse(slot.start));
      expect(offered.data.entryId).toBe(bEntry.id);
      // Everyone else sees the slot held, and cannot take it.
      expect((await slotsOn(hub, doctorId, date, c.token))[0]!.status).toBe('held');
      const grab = await api.post<Problem>('/v1/holds', { doctorId, start: slot.start }, c.token);
      expect(grab.body.code).toBe('slot_held');
      expect(cSocket.events.some((e) => e.type === 'waitlist.offered')).toBe(false);
      const bNow = (await entriesOf(hub, b)).find((e) => e.id === bEntry.id)!;
      expect(bNow).toMatchObject({ status: 'offered', offer: { holdId: offered.data.holdId } });
      // An in-app notification came with it.
      await waitForEvent(bSocket, (e) => e.type === 'notification.created');

      // B lets it lapse: the slot goes to C at once, and B keeps their place for other slots.
      const cOffer = await waitForEvent(cSocket, (e) => e.type === 'waitlist.offered', 8000);
      if (cOffer.type !== 'waitlist.offered') throw new Error('narrowing');
      await waitForEvent(bSocket, (e) => e.type === 'waitlist.closed');
      expect((await entriesOf(hub, b)).find((e) => e.id === bEntry.id)!.status).toBe('waiting');
      const late = await api.post<Problem>('/v1/appointments', { holdId: offered.data.holdId }, b.token);
      expect(late.status).toBe(410);

      const cBooks = await api.post<Appointment>('/v1/appointments', { holdId: cOffer.data.holdId }, c.token);
      expect(cBooks.status).toBe(201);
      expect(cBooks.body.patientId).toBe(c.id);
      await events.waitFor(
        (e) => e.type === 'waitlist.closed' && e.room === `user:${c.id}` && e.data.status === 'accepted',
      );
      expect((await entriesOf(hub, c)).find((e) => e.id === cEntry.id)!.status).toBe('booked');

      const admin = await createAccount(hub, 'admin');
      const history = await api.get<{ items: { patientId: string; status: string }[] }>(
        `/v1/waitlist/offers?doctorId=${doctorId}`,
        admin.token,
      );
      expect(history.body.items.map((o) => [o.patientId, o.status])).toEqual([
        [c.id, 'accepted'],
        [b.id, 'lapsed'],
      ]);
      expect((await api.get(`/v1/waitlist/offers`, b.token)).status).toBe(403);
    } finally {
      events.stop();
      bSocket.close();
      cSocket.close();
    }
  });
});
