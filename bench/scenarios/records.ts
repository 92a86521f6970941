import { verifyAuditChain } from '../../src/records/verify-audit.js';
import { type HttpLoadResult, httpLoad } from '../lib/http-load.js';
import { latencyAgainstTrivialGet } from '../lib/latency-result.js';
import type { Scenario } from '../lib/scenario.js';
import { allDay, seedClinic, seedDoctors, seedPatientRows } from '../lib/seed.js';
import { repeat } from '../lib/stats.js';

const DOCTORS = 20;
const HALF_HOUR = 30 * 60_000;

/**
 * A doctor reads a patient's record: GET /v1/patients/:id/record, each read deciding access from the
 * patient's appointments, appending a row to the hash-chained audit log (under its advisory lock) and
 * opening six fields sealed with the patient's data key. 1,000 patients (500 quick), each with a
 * completed appointment with one of 20 doctors and a record and a note written through the API first.
 * autocannon, 8 connections, a doctor's token per request, round-robin over the patients; baseline GET
 * /healthz in the same run. Afterwards the whole audit chain must verify (concurrent appends, one chain).
 */
export const records: Scenario = {
  name: 'records',
  title: 'audited record reads',
  async run(ctx, progress) {
    const patientCount = ctx.quick ? 500 : 1000;
    const seconds = ctx.quick ? 1 : 8;
    const repeats = ctx.quick ? 1 : 3;
    const connections = 8;
    const steps = 2 * repeats + 3;

    const env = await ctx.freshEnv('records');
    const clinic = await seedClinic(env.sql, {
      timezone: 'Europe/Berlin',
      lat: 52.5,
      lon: 13.4,
      name: 'Records',
    });
    const doctors = await seedDoctors(env.sql, [clinic], DOCTORS, { rules: allDay(30) });
    const families = await env.sql<{ id: string; userId: string }[]>`
      insert into refresh_families ${env.sql(doctors.map((d) => ({ userId: d.userId })))} returning id, user_id`;
    const tokenOf = new Map<string, string>();
    for (const f of families) tokenOf.set(f.userId, await ctx.mint({ id: f.userId, role: 'doctor' }, f.id));
    const patients = await seedPatientRows(env.sql, patientCount);
    const since = Date.now() - 30 * 86_400_000;
    const visits = patients.map((patientId, i) => {
      const doctor = doctors[i % DOCTORS]!;
      const start = since + Math.floor(i / DOCTORS) * HALF_HOUR;
      return { patientId, doctor, start };
    });
    const appointmentIds = await env.sql<{ id: string }[]>`insert into appointments ${env.sql(
      visits.map((v) => ({
        doctorId: v.doctor.id,
        patientId: v.patientId,
        clinicId: clinic,
        during: `[${new Date(v.start).toISOString()},${new Date(v.start + HALF_HOUR).toISOString()})`,
        feeCents: 5000,
        currency: 'EUR',
        status: 'completed',
      })),
    )} returning id`;

    const hub = await ctx.startHub(env);
    try {
      progress(1, steps, 'writing records and notes');
      const send = async (method: string, path: string, token: string, body?: unknown) => {
        const res = await fetch(`${hub.url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
        return res.json() as Promise<Record<string, unknown>>;
      };
      for (let i = 0; i < visits.length; i += 16) {
        await Promise.all(
          visits.slice(i, i + 16).map(async (v, j) => {
            const token = tokenOf.get(v.doctor.userId)!;
            await send('PUT', `/v1/patients/${v.patientId}/record`, token, {
              dateOfBirth: '1970-01-01',
              sex: 'unknown',
              allergies: ['penicillin', 'latex'],
              conditions: ['hypertension'],
              medications: ['ramipril 5 mg'],
              notes: 'Lives alone; daughter is the contact.',
            });
            await send('POST', `/v1/appointments/${appointmentIds[i + j]!.id}/notes`, token, {
              text: 'BP 142/88, continue ramipril, review in 3 months.',
            });
          }),
        );
      }
      const first = await send(
        'GET',
        `/v1/patients/${visits[0]!.patientId}/record`,
        tokenOf.get(visits[0]!.doctor.userId)!,
      );
      if ((first.allergies as string[] | undefined)?.[1] !== 'latex')
        throw new Error('the record did not read back');

      let n = 0;
      const next = () => {
        const v = visits[n++ % visits.length]!;
        return {
          path: `/v1/patients/${v.patientId}/record`,
          headers: { authorization: `Bearer ${tokenOf.get(v.doctor.userId)}` },
        };
      };
      const run = (spec: () => { path: string; headers?: Record<string, string> }) =>
        httpLoad({ url: hub.url, connections, durationSeconds: seconds, next: spec });
      progress(2, steps, 'warm-up');
      await run(next);
      const measured: HttpLoadResult[] = await repeat(repeats, async (i) => {
        const r = await run(next);
        progress(3 + i, steps);
        return r;
      });
      const base: HttpLoadResult[] = await repeat(repeats, async (i) => {
        const r = await run(() => ({ path: '/healthz' }));
        progress(3 + repeats + i, steps);
        return r;
      });
      if (measured.some((m) => m.status2xx !== m.requests || m.errors > 0))
        throw new Error('record reads answered non-2xx or errors under load');
      const chain = await verifyAuditChain(env.sql);
      if (!chain.ok)
        throw new Error(`the audit chain broke under load at row ${chain.brokenAt}: ${chain.problem}`);
      return latencyAgainstTrivialGet(measured, base, 50, {
        connections,
        seconds,
        repeats,
        patients: patientCount,
        doctors: DOCTORS,
        auditRowsVerified: chain.rows,
        runs: measured.map((m) => ({ p50: m.p50, p99: m.p99, rate: m.rps })),
        baselineRuns: base.map((b) => ({ p50: b.p50, p99: b.p99, rate: b.rps })),
      });
    } finally {
      await hub.stop();
    }
  },
};
