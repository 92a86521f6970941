import { io } from 'socket.io-client';
import { expect } from 'vitest';
import type { Hub } from '../../src/hub.js';
import { type Appointment, dateIn, type SlotView, slotsOn } from './booking.js';
import { client, createClinic } from './harness.js';
import type { TestSocket } from './sockets.js';

/*
 * The front desk's day: only appointments starting today in the clinic's zone are in its queue. A clinic
 * whose zone puts "now" at 08:xx local has a past part of the day (for a no-show) and fifteen hours ahead
 * (for bookings) at whatever hour the tests run, so no test depends on the wall clock.
 */

/** A fixed-offset zone (Etc/GMT±N) where it is 08:xx now; Etc/GMT-3 is UTC+3 (the IANA sign is inverted). */
export function morningZone(now = Date.now()): string {
  let offset = 8 - new Date(now).getUTCHours();
  if (offset < -12) offset += 24;
  if (offset === 0) return 'Etc/UTC';
  return `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

/** A clinic where it is morning now (morningZone). */
export async function morningClinic(hub: Hub, name?: string) {
  return createClinic(hub, { timezone: morningZone(), ...(name ? { name } : {}) });
}

/** Today's date in the clinic's zone. */
export const todayIn = (clinic: { timezone: string }) => dateIn(0, clinic.timezone);

/** The doctor's free slots later today in the clinic's zone. */
export async function freeSlotsToday(hub: Hub, doctorId: string, clinic: { timezone: string }) {
  const slots: SlotView[] = await slotsOn(hub, doctorId, todayIn(clinic));
  return slots.filter((s) => s.status === 'free' && Date.parse(s.start) > Date.now());
}

/** Who the desk books for: a patient on file, or one it registers now. */
export type DeskPatient =
  | { patientId: string }
  | { patient: { name: string; phone?: string; email?: string } };

/** The desk books `start` with the doctor for a patient (a phone caller); must answer 201. */
export async function deskBook(
  hub: { url: string },
  deskToken: string,
  booking: { doctorId: string; start: string; reason?: string } & DeskPatient,
): Promise<Appointment> {
  const res = await client(hub).post<Appointment>('/v1/appointments', booking, deskToken);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** An appointment that began an hour ago (still today in a morningClinic), set up directly in SQL. */
export async function appointmentAnHourAgo(
  hub: Hub,
  a: { clinicId: string; doctorId: string; patientId: string },
): Promise<string> {
  const start = new Date(Date.now() - 60 * 60_000);
  const [row] = await hub.sql<{ id: string }[]>`
    insert into appointments (doctor_id, patient_id, clinic_id, during, fee_cents, currency)
    values (${a.doctorId}, ${a.patientId}, ${a.clinicId},
            tstzrange(${start}::timestamptz, ${start}::timestamptz + interval '30 minutes'), 5000, 'EUR')
    returning id`;
  return row!.id;
}

/** A display token the clinic's desk creates: its id and the token itself (shown once). */
export async function createDisplayToken(
  hub: { url: string },
  deskToken: string,
  clinicId: string,
  label = 'Waiting room TV',
): Promise<{ id: string; token: string }> {
  const res = await client(hub).post<{ id: string; token: string; url: string }>(
    `/v1/clinics/${clinicId}/display-tokens`,
    { label },
    deskToken,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.url).toContain(`/display/${clinicId}?token=${res.body.token}`);
  return { id: res.body.id, token: res.body.token };
}

/** A waiting-room screen: a socket with handshake `auth: { displayToken }`, recording every event. */
export async function connectDisplay(url: string, displayToken: string): Promise<TestSocket> {
  const socket = io(url, {
    transports: ['websocket'],
    auth: { displayToken },
    reconnection: false,
    forceNew: true,
  }) as TestSocket;
  socket.events = [];
  socket.on('event', (e) => socket.events.push(e));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** The handshake's outcome for these `auth` values: 'connected' or the connect_error message. */
export function handshake(url: string, auth: Record<string, unknown>): Promise<string> {
  const socket = io(url, { transports: ['websocket'], auth, reconnection: false, forceNew: true });
  return new Promise<string>((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (err) => resolve(err.message));
  }).finally(() => socket.disconnect());
}
