import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { directDays, rollupDays, valueStats } from '../../src/analytics/analytics.store.js';
import { createAccount, createClinic, createDoctor, useTestHub } from '../helpers/harness.js';

const YEAR = { from: '2025-01-01', to: '2025-12-31' };
const HALF_HOURS = 365 * 48;
const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC'];
const STATUSES = ['booked', 'completed', 'cancelled', 'no_show'] as const;

const appointment = fc.record({
  slot: fc.integer({ min: 0, max: HALF_HOURS - 1 }),
  status: fc.constantFrom(...STATUSES),
  leadMinutes: fc.integer({ min: 0, max: 60 * 24 * 60 }),
  patient: fc.integer({ min: 0, max: 2 }),
  walkIn: fc.boolean(),
  waitMinutes: fc.option(fc.integer({ min: 0, max: 90 }), { nil: undefined }),
  consultationMinutes: fc.integer({ min: 1, max: 60 }),
  canceller: fc.constantFrom('patient', 'doctor', 'nobody'),
});

/** What happens to the year after the rollup was first built, with reads of random ranges in between. */
const change = fc.oneof(
  fc.record({ kind: fc.constant('status' as const), at: fc.nat(), status: fc.constantFrom(...STATUSES) }),
  fc.record({
    kind: fc.constant('move' as const),
    at: fc.nat(),
    slot: fc.integer({ min: 0, max: HALF_HOURS - 1 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), row: appointment }),
  fc.record({ kind: fc.constant('zone' as const), zone: fc.constantFrom(...ZONES) }),
  { arbitrary: fc.record({ kind: fc.constant('role' as const) }), weight: 2 },
  fc.record({
    kind: fc.constant('read' as const),
    from: fc.integer({ min: 0, max: 364 }),
    days: fc.integer({ min: 1, max: 120 }),
  }),
);

const dayOf = (n: number) => new Date(Date.UTC(2025, 0, 1 + n)).toISOString().slice(0, 10);

describe('the daily rollup against the appointments themselves', () => {
  const hub = useTestHub();

  it('a random year, changed at random (statuses, moves, deletes, inserts, zone and role changes) between partial reads → the rollup and the first visits equal the direct computation', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ZONES),
        fc.array(appointment, { minLength: 1, maxLength: 120 }),
        fc.array(change, { maxLength: 25 }),
        async (zone, rows, changes) => {
          const clinic = await createClinic(hub, { timezone: zone });
          const { doctor, account } = await createDoctor(hub, clinic.id);
          const people = await Promise.all([0, 1, 2].map(() => createAccount(hub, 'patient')));
          const used = new Set<number>();
          const ids: string[] = [];
          const scope = { doctorId: doctor.id };

          async function insert(row: (typeof rows)[number]) {
            if (used.has(row.slot)) return;
            used.add(row.slot);
            const start = Date.UTC(2025, 0, 1) + row.slot * 1_800_000;
            const at = (ms: number) => new Date(start + ms * 60_000).toISOString();
            const done = row.status === 'completed';
            const [inserted] = await hub.sql<{ id: string }[]>`
              insert into appointments (doctor_id, patient_id, clinic_id, during, status, fee_cents, currency, walk_in,
                created_at, arrived_at, started_at, completed_at, cancelled_at, cancelled_by)
              values (${doctor.id}, ${people[row.patient]!.id}, ${clinic.id},
                tstzrange(${at(0)}::timestamptz, ${at(30)}::timestamptz), ${row.status}, 4000, 'EUR', ${row.walkIn},
                ${at(-row.leadMinutes)}::timestamptz,
                ${done && row.waitMinutes !== undefined ? at(-row.waitMinutes) : null}::timestamptz,
                ${done ? at(0) : null}::timestamptz, ${done ? at(row.consultationMinutes) : null}::timestamptz,
                ${row.status === 'cancelled' ? at(-row.leadMinutes / 2) : null}::timestamptz,
                ${row.status === 'cancelled' && row.canceller !== 'nobody' ? (row.canceller === 'doctor' ? account.id : people[row.patient]!.id) : null})
              returning id`;
            ids.push(inserted!.id);
          }

          for (const row of rows) await insert(row);
          await rollupDays(hub.sql, scope, YEAR);
          for (const c of changes) {
            const id = ids.length > 0 && 'at' in c ? ids[c.at % ids.length]! : undefined;
            if (c.kind === 'status' && id)
              await hub.sql`update appointments set status = ${c.status} where id = ${id}`;
            if (c.kind === 'move' && id && !used.has(c.slot)) {
              used.add(c.slot);
              const start = new Date(Date.UTC(2025, 0, 1) + c.slot * 1_800_000);
              await hub.sql`update appointments set during = tstzrange(${start}, ${start}::timestamptz + interval '30 minutes') where id = ${id}`;
            }
            if (c.kind === 'delete' && id) {
              await hub.sql`delete from appointments where id = ${id}`;
              ids.splice(ids.indexOf(id), 1);
            }
            if (c.kind === 'insert') await insert(c.row);
            if (c.kind === 'zone')
              await hub.sql`update clinics set timezone = ${c.zone} where id = ${clinic.id}`;
            // A canceller who becomes staff: their past cancellations now count as the desk's.
            if (c.kind === 'role')
              await hub.sql`update users set role = 'staff', clinic_id = ${clinic.id} where id = ${people[0]!.id}`;
            if (c.kind === 'read') {
              const to = dayOf(Math.min(364, c.from + c.days - 1));
              await rollupDays(hub.sql, scope, { from: dayOf(c.from), to });
            }
          }

          const byDay = (a: { day: string }, b: { day: string }) => a.day.localeCompare(b.day);
          const rolled = (await rollupDays(hub.sql, scope, YEAR)).sort(byDay);
          const direct = (await directDays(hub.sql, scope, YEAR)).sort(byDay);
          expect(rolled).toEqual(direct);
          const stats = async (source: 'rollup' | 'direct') =>
            (await valueStats(hub.sql, scope, YEAR, source)).sort((a, b) =>
              `${a.metric}${a.doctorId}`.localeCompare(`${b.metric}${b.doctorId}`),
            );
          expect(await stats('rollup')).toEqual(await stats('direct'));
          // The first visits behind "new vs returning" equal a search of the appointments too.
          expect(
            await hub.sql`select patient_id, first_start from analytics_first_visits where doctor_id = ${doctor.id} order by 1`,
          ).toEqual(
            await hub.sql`select patient_id, min(lower(during)) as first_start from appointments
              where doctor_id = ${doctor.id} and status <> 'cancelled' group by 1 order by 1`,
          );
          expect(
            await hub.sql`select patient_id, first_start from analytics_first_clinic_visits where clinic_id = ${clinic.id} order by 1`,
          ).toEqual(
            await hub.sql`select patient_id, min(lower(during)) as first_start from appointments
              where clinic_id = ${clinic.id} and status <> 'cancelled' group by 1 order by 1`,
          );
          expect(direct.reduce((n, d) => n + d.bookings, 0)).toBe(
            (
              await hub.sql`select 1 from appointments a join clinics c on c.id = a.clinic_id
              where a.doctor_id = ${doctor.id}
                and (lower(a.during) at time zone c.timezone)::date between '2025-01-01' and '2025-12-31'`
            ).length,
          );
        },
      ),
      { numRuns: 25 },
    );
  }, 240_000);
});
