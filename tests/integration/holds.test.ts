import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeOnEveryBackend } from '../helpers/backends.js';
import { type Appointment, type SlotView, slotsOn } from '../helpers/booking.js';
import { recordEvents, slotEvent } from '../helpers/events.js';
import { client, type TestAccount, type TestHub, useTestApi, useTestHub } from '../helpers/harness.js';
import type { Problem } from '../helpers/problems.js';
import { scene } from '../helpers/scene.js';

type Hold = { holdId: string; doctorId: string; start: string; end: string; expiresAt: string };

/** A doctor open all week with a fresh day of free slots `days` from today, and two patients. */
async function freshDay(hub: TestHub, days: number) {
  const cast = await scene(hub, { patients: 2, daysAhead: days });
  const [alice, bob] = cast.patients;
  return { ...cast, alice, bob };
}

describeOnEveryBackend('a patient holds a slot for a few minutes while deciding', (backend) => {
  const { hub, api } = useTestApi(backend);

  const hold = (who: TestAccount, doctorId: string, slot: SlotView) =>
    api.post<Hold & Problem>('/v1/holds', { doctorId, start: slot.start }, who.token);

  it('keeps others off the held slot, and lets the holder book it with the holdId', async () => {
    const { doctorId, date, slots, alice, bob } = await freshDay(hub, 3);
    const slot = slots[2]!;
    const mine = await hold(alice, doctorId, slot);
    expect(mine.status).toBe(201);
    expect(mine.body).toMatchObject({
      doctorId,
      start: new Date(slot.start).toISOString(),
      end: new Date(slot.end).toISOString(),
    });
    expect(Date.parse(mine.body.expiresAt)).toBeGreaterThan(Date.now());
    // Asking again (a double click, a retry) hands back the same hold instead of refusing the holder.
    const repeat = await hold(alice, doctorId, slot);
    expect(repeat.status).toBe(201);
    expect(repeat.body.holdId).toBe(mine.body.holdId);

    const theirHold = await hold(bob, doctorId, slot);
    expect(theirHold.status).toBe(409);
    expect(theirHold.body.code).toBe('slot_held');
    const theirBooking = await api.post<Problem>(
      '/v1/appointments',
      { doctorId, start: slot.start },
      bob.token,
    );
    expect(theirBooking.status).toBe(409);
    expect(theirBooking.body.code).toBe('slot_held');
    // Someone else's holdId is as good as an expired one.
    const stolen = await api.post<Problem>('/v1/appointments', { holdId: mine.body.holdId }, bob.token);
    expect(stolen.status).toBe(410);
    expect(stolen.body.code).toBe('hold_expired');

    const booked = await api.post<Appointment>('/v1/appointments', { holdId: mine.body.holdId }, alice.token);
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ start: slot.start, status: 'booked', patientId: alice.id });
    expect((await slotsOn(hub, doctorId, date)).find((s) => s.start === slot.start)!.status).toBe('booked');
    // The hold was used up: holding the booked slot again is refused for being taken.
    const again = await hold(bob, doctorId, slot);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('slot_taken');
  });

  it('lets a patient hold at most two slots at once', async () => {
    const { doctorId, slots, alice } = await freshDay(hub, 4);
    expect((await hold(alice, doctorId, slots[0]!)).status).toBe(201);
    expect((await hold(alice, doctorId, slots[1]!)).status).toBe(201);

    const third = await hold(alice, doctorId, slots[2]!);
    expect(third.status).toBe(409);
    expect(third.body.code).toBe('too_many_holds');
  });

  it('frees the slot when the holder releases it, for the next patient to hold', async () => {
    const { doctorId, date, slots, alice, bob } = await freshDay(hub, 5);
    const slot = slots[0]!;
    const events = recordEvents(hub.services.publisher);
    try {
      const mine = await hold(alice, doctorId, slot);
      expect(mine.status).toBe(201);

      const byOther = await api.delete<Problem>(`/v1/holds/${mine.body.holdId}`, bob.token);
      expect(byOther.status).toBe(404);
      expect(byOther.body.code).toBe('not_found');
      expect(await api.delete<Problem>(`/v1/holds/${randomUUID()}`, alice.token)).toMatchObject({
        status: 404,
      });

      expect((await api.delete(`/v1/holds/${mine.body.holdId}`, alice.token)).status).toBe(204);
      await events.waitFor(
        slotEvent('slot.released', doctorId, slot.start),
        2000,
        'slot.released on release',
      );
      expect((await slotsOn(hub, doctorId, date)).find((s) => s.start === slot.start)!.status).toBe('free');
      // Released twice is gone: 404, not 204.
      expect((await api.delete(`/v1/holds/${mine.body.holdId}`, alice.token)).status).toBe(404);

      const next = await hold(bob, doctorId, slot);
      expect(next.status).toBe(201);
      expect(next.body.holdId).not.toBe(mine.body.holdId);
    } finally {
      events.stop();
    }
  });

  it('announces a new hold to the slot room without saying who holds it', async () => {
    const { doctorId, slots, alice } = await freshDay(hub, 6);
    const slot = slots[4]!;
    const events = recordEvents(hub.services.publisher);
    try {
      const mine = await hold(alice, doctorId, slot);
      expect(mine.status).toBe(201);
      const held = await events.waitFor(slotEvent('slot.held', doctorId, slot.start), 2000, 'slot.held');
      expect(held.room).toBe(`slots:${doctorId}`);
      expect(held.data).toMatchObject({ doctorId, end: mine.body.end, expiresAt: mine.body.expiresAt });
      const text = JSON.stringify(held);
      expect(text).not.toContain(alice.id);
      expect(text).not.toContain(alice.email);
      expect(text).not.toContain(mine.body.holdId);
    } finally {
      events.stop();
    }
  });

  describe('when nobody books a held slot in time', () => {
    const shortHub = useTestHub({ ...backend, HOLD_TTL_SECONDS: '1' });
    const shortApi = client(shortHub);

    it('the expiry job releases it, watchers hear slot.released, and the holdId answers 410', async () => {
      const { doctorId, date, slots, alice, bob } = await freshDay(shortHub, 3);
      const slot = slots[1]!;
      const events = recordEvents(shortHub.services.publisher);
      try {
        const mine = await shortApi.post<Hold>('/v1/holds', { doctorId, start: slot.start }, alice.token);
        expect(mine.status).toBe(201);
        expect((await slotsOn(shortHub, doctorId, date)).find((s) => s.start === slot.start)!.status).toBe(
          'held',
        );

        const released = await events.waitFor(
          slotEvent('slot.released', doctorId, slot.start),
          10_000,
          'slot.released from the expiry job',
        );
        expect(released.data).toMatchObject({ doctorId, end: mine.body.end });
        expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(mine.body.expiresAt));

        expect((await slotsOn(shortHub, doctorId, date)).find((s) => s.start === slot.start)!.status).toBe(
          'free',
        );
        const late = await shortApi.post<Problem>(
          '/v1/appointments',
          { holdId: mine.body.holdId },
          alice.token,
        );
        expect(late.status).toBe(410);
        expect(late.body.code).toBe('hold_expired');
        // The slot is anyone's again.
        expect(
          (await shortApi.post('/v1/appointments', { doctorId, start: slot.start }, bob.token)).status,
        ).toBe(201);
      } finally {
        events.stop();
      }
    });
  });
});
