import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { createAccount, createClinic, createDoctor, useTestApi } from '../helpers/harness.js';

interface Export {
  from: string;
  to: string;
  k: number;
  by: string[];
  cells: (Record<string, string | number | null> & {
    appointments: number;
    completed: number;
    noShows: number;
  })[];
  total: { appointments: number; completed: number; noShows: number } | null;
  suppressed: number;
  dictionary: { column: string; type: string; description: string }[];
}

const visit = fc.record({
  // The neurologist is rarely seen: a small cell beside big ones, the case complementary suppression is for.
  doctor: fc.constantFrom(0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3),
  patient: fc.integer({ min: 0, max: 39 }),
  day: fc.integer({ min: 1, max: 28 }),
  hour: fc.integer({ min: 7, max: 18 }),
  status: fc.constantFrom('completed', 'completed', 'no_show', 'cancelled'),
  leadHours: fc.integer({ min: 0, max: 500 }),
});

/** Every subset of a list (the lists here are a dozen cells at most). */
function* subsets<T>(items: readonly T[]): Generator<T[]> {
  for (let mask = 0; mask < 1 << items.length; mask++) yield items.filter((_, i) => mask & (1 << i));
}

describe('the research export never releases fewer than k patients, however it is subtracted', () => {
  const { hub, api } = useTestApi();
  let month = 0;

  it('random months of visits, random dimensions and k → each released cell, and the total minus any set of released cells, covers 0 or ≥ k patients; nothing identifies anyone', async () => {
    const admin = await createAccount(hub, 'admin');
    const berlin = await createClinic(hub, { city: 'Berlin', timezone: 'Europe/Berlin' });
    const vienna = await createClinic(hub, { city: 'Wien', timezone: 'Europe/Vienna' });
    const doctors = [
      (await createDoctor(hub, berlin.id, { specialties: ['cardiology'] })).doctor,
      (await createDoctor(hub, berlin.id, { specialties: ['pediatrics', 'dermatology'] })).doctor,
      (await createDoctor(hub, vienna.id, { specialties: ['cardiology'] })).doctor,
      (await createDoctor(hub, vienna.id, { specialties: ['neurology'] })).doctor,
    ];
    const specialtyOf = ['cardiology', 'dermatology', 'cardiology', 'neurology']; // the first slug
    const cityOf = ['Berlin', 'Berlin', 'Wien', 'Wien'];
    const zoneOf = ['Europe/Berlin', 'Europe/Berlin', 'Europe/Vienna', 'Europe/Vienna'];
    const people = await Promise.all(Array.from({ length: 40 }, () => createAccount(hub, 'patient')));
    const secrets = [
      ...people.map((p) => p.id),
      ...people.map((p) => p.email),
      ...doctors.map((d) => d.id),
      berlin.id,
      vienna.id,
    ];

    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(visit, {
          minLength: 20,
          maxLength: 160,
          selector: (v) => `${v.doctor}-${v.day}-${v.hour}`,
        }),
        fc.constantFrom(
          'specialty,city',
          'specialty',
          'specialty,weekday',
          'city,hour',
          'weekday',
          'hour,city,specialty',
          'month,city',
        ),
        fc.constantFrom(5, 8, 10),
        async (visits, by, k) => {
          // Each run its own month (2023-01, 2023-02, …), so runs never see each other's visits.
          const ym = Temporal.PlainYearMonth.from('2023-01').add({ months: month++ });
          const rows = visits.map((v) => {
            const start = Temporal.ZonedDateTime.from({
              timeZone: zoneOf[v.doctor]!,
              year: ym.year,
              month: ym.month,
              day: v.day,
              hour: v.hour,
            });
            return { ...v, start, end: start.add({ minutes: 30 }) };
          });
          // One patient, one place at a time: drop visits that would overlap the patient's others.
          const taken = new Set<string>();
          const kept = rows.filter((r) => {
            const key = `${r.patient}-${r.start.epochMilliseconds}`;
            if (taken.has(key)) return false;
            taken.add(key);
            return true;
          });
          for (const r of kept) {
            await hub.sql`
              insert into appointments (doctor_id, patient_id, clinic_id, during, status, fee_cents, currency, created_at)
              values (${doctors[r.doctor]!.id}, ${people[r.patient]!.id}, ${r.doctor < 2 ? berlin.id : vienna.id},
                tstzrange(${r.start.toInstant().toString()}::timestamptz, ${r.end.toInstant().toString()}::timestamptz),
                ${r.status}, 5000, 'EUR', ${r.start.subtract({ hours: r.leadHours }).toInstant().toString()}::timestamptz)`;
          }

          const res = await api.get<Export>(
            `/v1/research/flow?from=${ym}&to=${ym}&by=${by}&k=${k}`,
            admin.token,
          );
          expect(res.status).toBe(200);
          const out = res.body;
          const text = JSON.stringify(out);
          for (const s of secrets) expect(text).not.toContain(s);
          expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
          const dims = by.split(',');
          expect(out.dictionary.map((d) => d.column)).toEqual([
            ...dims,
            'appointments',
            'completed',
            'noShows',
            'leadTimeP50',
          ]);

          // The truth, computed here: each visit's cell and the patients behind every cell.
          const keyOf = (r: (typeof kept)[number]) => {
            const values: Record<string, string | number> = {
              specialty: specialtyOf[r.doctor]!,
              weekday: r.start.dayOfWeek,
              hour: r.start.hour,
              city: cityOf[r.doctor]!,
              month: ym.toString(),
            };
            return JSON.stringify(dims.map((d) => values[d]));
          };
          const attended = kept.filter((r) => r.status !== 'cancelled');
          const truth = new Map<
            string,
            { patients: Set<number>; appointments: number; completed: number; noShows: number }
          >();
          for (const r of attended) {
            const cell = truth.get(keyOf(r)) ?? {
              patients: new Set(),
              appointments: 0,
              completed: 0,
              noShows: 0,
            };
            cell.patients.add(r.patient);
            cell.appointments++;
            if (r.status === 'completed') cell.completed++;
            if (r.status === 'no_show') cell.noShows++;
            truth.set(keyOf(r), cell);
          }

          const released = out.cells.map((c) => JSON.stringify(dims.map((d) => c[d])));
          expect(new Set(released).size).toBe(released.length);
          expect(released.length + out.suppressed).toBe(truth.size);
          out.cells.forEach((c, i) => {
            const t = truth.get(released[i]!)!;
            expect(t.patients.size).toBeGreaterThanOrEqual(k);
            expect(c).toMatchObject({
              appointments: t.appointments,
              completed: t.completed,
              noShows: t.noShows,
            });
          });
          const allPatients = new Set(attended.map((r) => r.patient));
          if (out.total) {
            expect(allPatients.size).toBeGreaterThanOrEqual(k);
            expect(out.total.appointments).toBe(attended.length);
            // Brute force: the total minus ANY set of released cells covers 0 or ≥ k patients.
            for (const subset of subsets(released)) {
              const rest = new Set<number>();
              for (const [key, cell] of truth)
                if (!subset.includes(key)) for (const p of cell.patients) rest.add(p);
              expect(
                rest.size === 0 || rest.size >= k,
                `total − ${subset.length} cells covers ${rest.size}`,
              ).toBe(true);
            }
          } else {
            expect(allPatients.size).toBeLessThan(k);
          }
        },
      ),
      { numRuns: 14 },
    );
  }, 240_000);
});
