import { io } from 'socket.io-client';
import { expect } from 'vitest';
import type { Hub } from '../../src/hub.js';
import { type Appointment, AROUND_THE_CLOCK, dateIn, type SlotView, slotsOn } from './booking.js';
import { client, createAccount, createClinic, type TestAccount } from './harness.js';
import { type Scene, scene } from './scene.js';
import { connectSocket } from './sockets.js';

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
export const connectDisplay = (url: string, displayToken: string) => connectSocket(url, { displayToken });

/** The handshake's outcome for these `auth` values: 'connected' or the connect_error message. */
export function handshake(url: string, auth: Record<string, unknown>): Promise<string> {
  const socket = io(url, { transports: ['websocket'], auth, reconnection: false, forceNew: true });
  return new Promise<string>((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (err) => resolve(err.message));
  }).finally(() => socket.disconnect());
}

export const MINUTE = 60_000;
const HALF_HOUR = 30 * MINUTE;

/** The start of the half-hour slot `now` falls in (whole-hour zones share UTC's half-hour grid). */
export const slotOf = (at: number) => Math.floor(at / HALF_HOUR) * HALF_HOUR;

/** A clinic in a morning zone (morningZone), a doctor open around the clock in 30-minute slots, a desk, patients. */
export async function deskScene<const P extends number | readonly string[]>(
  hub: Hub,
  people: P,
): Promise<Scene<P> & { desk: TestAccount; timezone: string }> {
  const timezone = morningZone();
  const cast = await scene(hub, {
    clinic: { timezone },
    doctor: { hours: AROUND_THE_CLOCK, minNoticeMinutes: 0 },
    patients: people,
  });
  const desk = await createAccount(hub, 'staff', { clinicId: cast.clinic.id });
  return { ...cast, desk, timezone };
}

/**
 * An appointment already in the past (a slot earlier today), written straight into the table: setup
 * only, for patients who should have come already (late arrivals, no-shows).
 */
export async function pastAppointment(
  hub: Hub,
  doctorId: string,
  patientId: string,
  start: number,
): Promise<string> {
  const [row] = await hub.sql<{ id: string }[]>`
    insert into appointments (doctor_id, patient_id, clinic_id, during, fee_cents, currency)
    select id, ${patientId}, clinic_id, tstzrange(${new Date(start)}, ${new Date(start + HALF_HOUR)}), fee_cents, currency
    from doctors where id = ${doctorId}
    returning id`;
  return row!.id;
}

export interface QueueEntry {
  appointmentId: string;
  ticket: string | null;
  patientName: string;
  status: string;
  position: number;
  estimatedStart: string;
  walkIn: boolean;
  late: boolean;
}

export interface DoctorQueue {
  doctorId: string;
  delayMinutes: number;
  room?: string;
  current: QueueEntry | null;
  waiting: QueueEntry[];
  expected: { appointmentId: string; patientName: string; estimatedStart: string; overdue: boolean }[];
  done: number;
}

/** The doctor's row of the clinic's queue today, as the desk sees it. */
export async function doctorQueue(hub: Hub, desk: TestAccount, clinicId: string, doctorId: string) {
  const res = await client(hub).get<{ revision: number; doctors: DoctorQueue[] }>(
    `/v1/clinics/${clinicId}/queue`,
    desk.token,
  );
  if (res.status !== 200) throw new Error(`queue: ${res.status} ${JSON.stringify(res.body)}`);
  return { revision: res.body.revision, ...res.body.doctors.find((d) => d.doctorId === doctorId)! };
}
