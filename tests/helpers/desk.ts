import type { Hub } from '../../src/hub.js';
import { AROUND_THE_CLOCK } from './booking.js';
import { client, createAccount, type TestAccount } from './harness.js';
import { type Scene, scene } from './scene.js';

export const MINUTE = 60_000;
const HALF_HOUR = 30 * MINUTE;

/**
 * A fixed-offset zone where it is late morning right now (`Etc/GMT-3` is UTC+3), so a clinic there has
 * hours of its day behind and ahead of any test, whenever it runs: the queue shows only today's patients.
 */
export function lateMorningZone(now = Date.now()): string {
  const offset = 11 - new Date(now).getUTCHours();
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

/** The start of the half-hour slot `now` falls in (whole-hour zones share UTC's half-hour grid). */
export const slotOf = (at: number) => Math.floor(at / HALF_HOUR) * HALF_HOUR;

/** A clinic in a late-morning zone, a doctor open around the clock in 30-minute slots, a desk, patients. */
export async function deskScene<const P extends number | readonly string[]>(
  hub: Hub,
  people: P,
): Promise<Scene<P> & { desk: TestAccount; timezone: string }> {
  const timezone = lateMorningZone();
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
