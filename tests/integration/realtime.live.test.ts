import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnEveryBackend } from '../helpers/backends.js';
import { dateIn, slotsOn } from '../helpers/booking.js';
import { client, type TestAccount, useTestHub } from '../helpers/harness.js';
import { scene } from '../helpers/scene.js';
import { connectSocket, subscribe, type TestSocket, waitForEvent } from '../helpers/sockets.js';

describeOnEveryBackend(
  'watchers see holds and bookings live; the doctor hears of the booking at once',
  (backend) => {
    const hub = useTestHub({ ...backend, METRICS_TOKEN: 'scraper-token-of-this-test' });
    let doctorId: string;
    let doctorToken: string;
    let alice: TestAccount;
    let bob: TestAccount;
    const sockets: TestSocket[] = [];

    beforeAll(async () => {
      const cast = await scene(hub, { patients: ['Alice Liddell', 'Bob Builder'] });
      [alice, bob] = cast.patients;
      doctorId = cast.doctorId;
      doctorToken = cast.doctor.token;
    });
    afterAll(async () => {
      for (const s of sockets) s.disconnect();
    });

    it('an anonymous watcher sees slot.held then slot.booked; the doctor gets appointment.booked with the name', async () => {
      const watcher = await connectSocket(hub.url);
      const doctor = await connectSocket(hub.url, doctorToken);
      sockets.push(watcher, doctor);
      expect(await subscribe(watcher, `slots:${doctorId}`)).toMatchObject({ ok: true });
      expect(await subscribe(doctor, `doctor:${doctorId}`)).toMatchObject({ ok: true });

      const [slot] = await slotsOn(hub, doctorId, dateIn(2));
      const api = client(hub);
      const hold = await api.post<{ holdId: string }>(
        '/v1/holds',
        { doctorId, start: slot!.start },
        alice.token,
      );
      expect(hold.status).toBe(201);
      const held = await waitForEvent(watcher, (e) => e.type === 'slot.held');
      expect(Date.parse((held.data as { start: string }).start)).toBe(Date.parse(slot!.start));

      const booked = await api.post<{ id: string }>(
        '/v1/appointments',
        { holdId: hold.body.holdId },
        alice.token,
      );
      expect(booked.status).toBe(201);
      const slotBooked = await waitForEvent(watcher, (e) => e.type === 'slot.booked');
      expect(typeof slotBooked.id).toBe('number');
      const forDoctor = await waitForEvent(doctor, (e) => e.type === 'appointment.booked');
      expect(forDoctor.data).toMatchObject({
        appointment: { id: booked.body.id },
        patient: { name: 'Alice Liddell' },
      });

      // The process counts what it relays and who is connected (GET /metrics, Prometheus).
      const metrics = await (
        await fetch(`${hub.url}/metrics`, { headers: { authorization: 'Bearer scraper-token-of-this-test' } })
      ).text();
      expect(Number(/^outbox_events_relayed_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
      expect(Number(/^socketio_connected_sockets (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
      expect(metrics).toMatch(/^outbox_relay_lag_seconds_count [1-9]/m);

      // The public room never carries who booked.
      const publicPayloads = JSON.stringify(watcher.events);
      expect(publicPayloads).not.toContain(alice.id);
      expect(publicPayloads).not.toContain('Alice');
    });

    it('refuses private rooms to others and a bad token at the handshake', async () => {
      const anonymous = await connectSocket(hub.url);
      const other = await connectSocket(hub.url, bob.token);
      sockets.push(anonymous, other);
      expect(await subscribe(anonymous, `doctor:${doctorId}`)).toEqual({ ok: false, code: 'unauthorized' });
      expect(await subscribe(other, `doctor:${doctorId}`)).toEqual({ ok: false, code: 'forbidden' });
      expect(await subscribe(other, `user:${alice.id}`)).toEqual({ ok: false, code: 'forbidden' });
      expect(await subscribe(other, `user:${bob.id}`)).toMatchObject({ ok: true });
      await expect(connectSocket(hub.url, 'not-a-token')).rejects.toThrow('unauthorized');
    });
  },
);
