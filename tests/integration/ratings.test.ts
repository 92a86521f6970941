import { beforeAll, describe, expect, it } from 'vitest';
import { type Appointment, bookSlot, dateIn, slotsOn } from '../helpers/booking.js';
import { createAccount, createClinic, type TestAccount, useTestApi } from '../helpers/harness.js';
import type { Problem } from '../helpers/problems.js';
import { doctorWithHours, patients, type SceneDoctor } from '../helpers/scene.js';

interface Rating {
  appointmentId: string;
  stars: number;
  comment: string | null;
  editableUntil: string;
}
interface Profile {
  rating: { average: number; count: number } | null;
}

describe('patients rate completed visits; profiles show the average from five on', () => {
  const { hub, api } = useTestApi();
  let clinicId: string;
  let doctor: SceneDoctor;
  let admin: TestAccount;

  beforeAll(async () => {
    clinicId = (await createClinic(hub)).id;
    doctor = await doctorWithHours(hub, clinicId);
    admin = await createAccount(hub, 'admin');
  });

  /** A visit of the patient with the doctor, `days` ahead, in the given status. */
  async function visit(patient: TestAccount, days: number, index: number, status = 'completed') {
    const slots = await slotsOn(hub, doctor.id, dateIn(days));
    const appt: Appointment = await bookSlot(hub, patient, doctor.id, slots[index]!.start);
    await hub.sql`update appointments set status = ${status} where id = ${appt.id}`;
    return appt;
  }
  const rate = (id: string, body: unknown, token?: string) =>
    api.post<Rating & Problem>(`/v1/appointments/${id}/rating`, body, token);

  it('only the patient of a completed appointment rates it, once; they may change it for 14 days', async () => {
    const [alice, bob] = await patients(hub, ['Alice', 'Bob']);
    const booked = await visit(alice, 2, 0, 'booked');
    expect((await rate(booked.id, { stars: 5 }, alice.token)).body.code).toBe('invalid_transition');

    const done = await visit(alice, 2, 1);
    expect((await rate(done.id, { stars: 5 }, bob.token)).status).toBe(404);
    expect((await rate(done.id, { stars: 5 }, doctor.account.token)).status).toBe(403);
    expect((await rate(done.id, { stars: 5 })).status).toBe(401);
    expect((await rate(done.id, { stars: 6 }, alice.token)).body.code).toBe('validation_failed');

    const first = await rate(done.id, { stars: 4, comment: 'Kind and quick' }, alice.token);
    expect(first.status).toBe(201);
    const changed = await rate(done.id, { stars: 5 }, alice.token);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ stars: 5, comment: null });
    // Two at once from the same patient still leave one rating.
    await Promise.all([rate(done.id, { stars: 3 }, alice.token), rate(done.id, { stars: 2 }, alice.token)]);
    const rows = await hub.sql`select stars from ratings where appointment_id = ${done.id}`;
    expect(rows).toHaveLength(1);

    await hub.sql`update ratings set created_at = now() - interval '15 days' where appointment_id = ${done.id}`;
    const late = await rate(done.id, { stars: 1 }, alice.token);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('already_rated');
  });

  it('the profile hides the average below five ratings and comments are for the doctor and admins', async () => {
    const fresh = await doctorWithHours(hub, clinicId);
    const profile = async () => (await api.get<Profile>(`/v1/doctors/${fresh.id}`)).body.rating;
    const crowd = await patients(hub, 5);
    const stars = [5, 4, 4, 3, 5];
    for (const [i, patient] of crowd.entries()) {
      const slots = await slotsOn(hub, fresh.id, dateIn(3));
      const appt = await bookSlot(hub, patient, fresh.id, slots[i]!.start);
      await hub.sql`update appointments set status = 'completed' where id = ${appt.id}`;
      expect((await rate(appt.id, { stars: stars[i], comment: `note ${i}` }, patient.token)).status).toBe(
        201,
      );
      if (i < 4) expect(await profile()).toBeNull();
    }
    expect(await profile()).toEqual({ average: 4.2, count: 5 });
    const profileText = JSON.stringify((await api.get(`/v1/doctors/${fresh.id}`)).body);
    expect(profileText).not.toContain('note 0');

    const path = `/v1/doctors/${fresh.id}/ratings`;
    const own = await api.get<{ items: Rating[] }>(path, fresh.account.token);
    expect(own.body.items.map((r) => r.comment).sort()).toEqual([
      'note 0',
      'note 1',
      'note 2',
      'note 3',
      'note 4',
    ]);
    expect((await api.get(path, admin.token)).status).toBe(200);
    expect((await api.get(path, doctor.account.token)).status).toBe(403);
    expect((await api.get(path, crowd[0]!.token)).status).toBe(403);
    expect((await api.get(path)).status).toBe(401);
  });
});
