import { beforeAll, describe, expect, it } from 'vitest';
import { AROUND_THE_CLOCK } from '../helpers/booking.js';
import { createClinic, useTestApi } from '../helpers/harness.js';
import type { Problem } from '../helpers/problems.js';
import { doctorWithHours, patients } from '../helpers/scene.js';

interface Item {
  id: string;
  feeCents: number;
  distanceKm: number;
  nextAvailable: string | null;
}

describe('directory sort: soonest, distance, fee and rating', () => {
  const { hub, api } = useTestApi();
  const ids: Record<string, string> = {};
  const specialty = 'neurology';

  beforeAll(async () => {
    // Three clinics 0, ~5 and ~10 km north of a point; each doctor open around the clock.
    const at = async (km: number) => (await createClinic(hub, { lat: 52.5 + km / 111.2, lon: 13.4 })).id;
    const [near, mid, far] = [await at(0), await at(5), await at(10)];
    const make = (clinicId: string, feeCents: number) =>
      doctorWithHours(hub, clinicId, {
        hours: AROUND_THE_CLOCK,
        specialties: [specialty],
        feeCents,
        minNoticeMinutes: 0,
      });
    ids.near = (await make(near, 9000)).id;
    ids.mid = (await make(mid, 3000)).id;
    ids.far = (await make(far, 6000)).id;
    // The nearest doctor has no free time for two days, the middle one tomorrow on.
    await hub.sql`insert into time_off (doctor_id, during) values
      (${ids.near}, tstzrange(now() - interval '1 hour', now() + interval '2 days')),
      (${ids.mid}, tstzrange(now() - interval '1 hour', now() + interval '1 day'))`;
    // The far doctor is rated 5 by five patients, the middle one 3 by five.
    const raters = await patients(hub, 10);
    for (const [i, p] of raters.entries()) {
      const doctorId = i < 5 ? ids.far! : ids.mid!;
      const [appt] = await hub.sql<{ id: string }[]>`
        insert into appointments (doctor_id, patient_id, clinic_id, during, status, fee_cents, currency)
        select ${doctorId}, ${p.id}, clinic_id, tstzrange(now() - interval '30 days' - ${i} * interval '1 hour',
               now() - interval '30 days' - ${i} * interval '1 hour' + interval '30 minutes'), 'completed', 100, 'EUR'
        from doctors where id = ${doctorId} returning id`;
      await hub.sql`insert into ratings (appointment_id, doctor_id, patient_id, stars)
                    values (${appt!.id}, ${doctorId}, ${p.id}, ${i < 5 ? 5 : 3})`;
    }
    for (const id of Object.values(ids)) hub.services.schedule.forget(id);
  });

  const order = async (sort: string) => {
    const res = await api.get<{ items: Item[] }>(
      `/v1/doctors?specialty=${specialty}&near=52.5,13.4&radiusKm=50&sort=${sort}`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const names = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
    return res.body.items.map((d) => names[d.id]);
  };

  it('soonest ranks by the next free slot, distance by distance, fee cheapest first, rating best first', async () => {
    expect(await order('soonest')).toEqual(['far', 'mid', 'near']);
    expect(await order('distance')).toEqual(['near', 'mid', 'far']);
    expect(await order('fee')).toEqual(['mid', 'far', 'near']);
    expect(await order('rating')).toEqual(['far', 'mid', 'near']);
  });

  it('soonest pages keep their order, and distance without near is refused', async () => {
    const first = await api.get<{ items: Item[]; nextCursor: string }>(
      `/v1/doctors?specialty=${specialty}&near=52.5,13.4&sort=soonest&limit=2`,
    );
    const second = await api.get<{ items: Item[] }>(
      `/v1/doctors?specialty=${specialty}&near=52.5,13.4&sort=soonest&limit=2&cursor=${first.body.nextCursor}`,
    );
    expect([...first.body.items, ...second.body.items].map((d) => d.id)).toEqual([
      ids.far,
      ids.mid,
      ids.near,
    ]);
    const bad = await api.get<Problem>('/v1/doctors?sort=distance');
    expect(bad.body.code).toBe('validation_failed');
  });
});
