import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { describeOnEveryBackend } from '../helpers/backends.js';
import type { Appointment, SlotView } from '../helpers/booking.js';
import { createAccount, type HttpResult, type TestAccount, useTestApi } from '../helpers/harness.js';
import type { Problem } from '../helpers/problems.js';
import { patients, scene } from '../helpers/scene.js';

type Answer = HttpResult<Appointment & Problem>;

const replayed = (res: Answer) => res.headers.get('idempotent-replayed') === 'true';

describeOnEveryBackend('a patient retries a booking with an Idempotency-Key', (backend) => {
  const { hub, api } = useTestApi(backend);
  let doctorId: string;
  let slots: SlotView[];

  beforeAll(async () => {
    ({ doctorId, slots } = await scene(hub, { patients: 0, daysAhead: 3 }));
  });

  const book = (who: TestAccount, key: string, body: unknown): Promise<Answer> =>
    api.call<Appointment & Problem>('POST', '/v1/appointments', {
      body,
      token: who.token,
      headers: { 'idempotency-key': key },
    });

  it('50 identical requests at once make one appointment; every answer is that appointment or "still in flight"', async () => {
    const patient = await createAccount(hub, 'patient');
    const key = randomUUID();
    const body = { doctorId, start: slots[0]!.start, reason: 'check-up' };

    const answers = await Promise.all(Array.from({ length: 50 }, () => book(patient, key, body)));

    const rows = await hub.sql<
      { id: string }[]
    >`select id from appointments where patient_id = ${patient.id}`;
    expect(rows).toHaveLength(1);
    const id = rows[0]!.id;
    for (const res of answers) {
      expect([201, 409], JSON.stringify(res.body)).toContain(res.status);
      if (res.status === 201)
        expect(res.body).toMatchObject({
          id,
          patientId: patient.id,
          start: slots[0]!.start,
          status: 'booked',
        });
      else expect(res.body.code).toBe('idempotency_in_flight');
    }
    const created = answers.filter((r) => r.status === 201);
    expect(created.filter((r) => !replayed(r))).toHaveLength(1);
    const first = created.find((r) => !replayed(r))!;
    for (const replay of created.filter(replayed)) expect(replay.body).toEqual(first.body);

    // Later, a retry replays the stored answer byte for byte.
    const later = await book(patient, key, body);
    expect(later.status).toBe(201);
    expect(replayed(later)).toBe(true);
    expect(later.headers.get('content-type')).toContain('application/json');
    expect(later.body).toEqual(first.body);
    expect(await hub.sql`select id from appointments where patient_id = ${patient.id}`).toHaveLength(1);
  });

  it('refuses the same key with another body (422) and does not book that body', async () => {
    const patient = await createAccount(hub, 'patient');
    const key = randomUUID();
    expect((await book(patient, key, { doctorId, start: slots[1]!.start })).status).toBe(201);

    const other = await book(patient, key, { doctorId, start: slots[2]!.start });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    expect(other.headers.get('content-type')).toContain('application/problem+json');
    const rows = await hub.sql<
      { start: Date }[]
    >`select lower(during) as start from appointments where patient_id = ${patient.id}`;
    expect(rows.map((r) => r.start.getTime())).toEqual([Date.parse(slots[1]!.start)]);
  });

  it("keeps keys per caller: another patient's same key neither replays nor leaks the first appointment", async () => {
    const [first, second] = await patients(hub, 2);
    const key = `shared-key-${randomUUID()}`;
    const mine = await book(first!, key, { doctorId, start: slots[3]!.start });
    expect(mine.status).toBe(201);

    // Same key, same body: the second patient is told the slot is taken, not handed the first's booking.
    const same = await book(second!, key, { doctorId, start: slots[3]!.start });
    expect(same.status).toBe(409);
    expect(same.body.code).toBe('slot_taken');
    expect(replayed(same)).toBe(false);
    expect(JSON.stringify(same.body)).not.toContain(mine.body.id);
    expect(JSON.stringify(same.body)).not.toContain(first!.id);

    // Same key, another slot, for a third patient: their own fresh booking.
    const third = await createAccount(hub, 'patient');
    const theirs = await book(third, key, { doctorId, start: slots[4]!.start });
    expect(theirs.status).toBe(201);
    expect(replayed(theirs)).toBe(false);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.patientId).toBe(third.id);
  });

  it('refuses a key that is empty, longer than 255 characters or not visible ASCII (400)', async () => {
    const patient = await createAccount(hub, 'patient');
    const before = await hub.sql`select id from appointments where patient_id = ${patient.id}`;
    for (const key of ['', 'k'.repeat(256), 'schlüssel-ä', 'two words']) {
      const res = await book(patient, key, { doctorId, start: slots[5]!.start });
      expect(res.status, JSON.stringify(key)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors?.map((e) => e.path)).toEqual(['header.idempotency-key']);
    }
    expect(await hub.sql`select id from appointments where patient_id = ${patient.id}`).toEqual(before);
    // 255 visible characters is the longest key allowed.
    expect((await book(patient, 'k'.repeat(255), { doctorId, start: slots[5]!.start })).status).toBe(201);
  });
});
