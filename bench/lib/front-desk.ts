import type { Sql } from '../../src/infra/postgres.js';
import type { SeededDoctor } from './seed.js';
import { seedPatientRows } from './seed.js';

/**
 * A clinic's morning for the front-desk scenarios: today's appointments (only today, in the clinic's
 * zone, touches the queue), display tokens, and the order in which patients arrive.
 */

const SLOT_MS = 15 * 60_000;

/**
 * A fixed-offset IANA zone (Etc/GMT±h) in which it is now 09:xx, so that a morning of appointments from
 * the next quarter hour on lies inside the clinic's today whatever hour the bench runs at (a UTC clinic
 * would run out of day at 23:50). Etc/GMT signs are POSIX: Etc/GMT-9 is UTC+9.
 */
export function morningZone(now: number): string {
  let offset = 9 - new Date(now).getUTCHours();
  // There is no UTC−13 or −14: those mornings are 09:00 of the next calendar day at UTC+11 or +10.
  if (offset < -12) offset += 24;
  return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

export interface DayAppointment {
  id: string;
  clinicId: string;
  doctorId: string;
  start: number;
}

/**
 * `perDoctor` booked appointments for each doctor in 15-minute slots from the next quarter hour on, one
 * patient each, inserted straight into the table (as seed.ts does): booking them through the API would
 * only add minutes of set-up. The zone's offset is whole hours, so UTC quarter hours are local ones.
 */
export async function seedToday(
  sql: Sql,
  doctors: readonly SeededDoctor[],
  perDoctor: number,
  now: number,
): Promise<DayAppointment[]> {
  const first = Math.ceil(now / SLOT_MS) * SLOT_MS;
  const patients = await seedPatientRows(sql, doctors.length * perDoctor);
  const wanted = doctors.flatMap((d, i) =>
    Array.from({ length: perDoctor }, (_, k) => ({
      doctorId: d.id,
      clinicId: d.clinicId,
      patientId: patients[i * perDoctor + k]!,
      start: new Date(first + k * SLOT_MS).toISOString(),
    })),
  );
  const out: DayAppointment[] = [];
  for (let i = 0; i < wanted.length; i += 5000) {
    const chunk = wanted.slice(i, i + 5000);
    const rows = await sql<{ id: string; clinicId: string; doctorId: string; start: number }[]>`
      insert into appointments (doctor_id, patient_id, clinic_id, during, fee_cents, currency)
      select d, p, c, tstzrange(s, s + interval '15 minutes'), 5000, 'EUR'
      from unnest(${chunk.map((a) => a.doctorId)}::uuid[], ${chunk.map((a) => a.patientId)}::uuid[],
                  ${chunk.map((a) => a.clinicId)}::uuid[], ${chunk.map((a) => a.start)}::timestamptz[])
        as t(d, p, c, s)
      returning id, clinic_id, doctor_id, (extract(epoch from lower(during)) * 1000)::float8 as start`;
    out.push(...rows);
  }
  return out;
}

/**
 * Arrival order: round robin over the clinics, so consecutive check-ins land in different clinics and one
 * clinic's check-ins are far apart; within a clinic by slot, the doctors' patients alternating.
 */
export function arrivals(
  appointments: readonly DayAppointment[],
  clinicIds: readonly string[],
): DayAppointment[] {
  const byClinic = new Map<string, DayAppointment[]>(clinicIds.map((c) => [c, []]));
  for (const a of appointments) byClinic.get(a.clinicId)?.push(a);
  const lists = clinicIds.map((c) =>
    byClinic.get(c)!.sort((a, b) => a.start - b.start || (a.doctorId < b.doctorId ? -1 : 1)),
  );
  const out: DayAppointment[] = [];
  for (let k = 0; lists.some((l) => k < l.length); k++)
    for (const l of lists) if (k < l.length) out.push(l[k]!);
  return out;
}

/**
 * `perClinic` waiting-room display tokens per clinic through the API, as the desk makes them
 * (POST /v1/clinics/:id/display-tokens with a staff token), `concurrency` requests at a time.
 */
export async function createDisplayTokens(
  hubUrl: string,
  desks: readonly { clinicId: string; token: string }[],
  perClinic: number,
  concurrency = 8,
): Promise<Map<string, string[]>> {
  const jobs = desks.flatMap((d) =>
    Array.from({ length: perClinic }, (_, i) => ({ ...d, label: `Screen ${i + 1}` })),
  );
  const out = new Map<string, string[]>();
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const res = await fetch(`${hubUrl}/v1/clinics/${job.clinicId}/display-tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${job.token}` },
        body: JSON.stringify({ label: job.label }),
      });
      const body = await res.text();
      if (res.status !== 201) throw new Error(`display token answered ${res.status}: ${body.slice(0, 300)}`);
      const list = out.get(job.clinicId) ?? [];
      list.push((JSON.parse(body) as { token: string }).token);
      out.set(job.clinicId, list);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}
