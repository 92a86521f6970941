import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createCipher } from '../../src/records/cipher.js';
import { bookSlot, dateIn, slotsOn } from '../helpers/booking.js';
import { client, startTestHub, type TestHub } from '../helpers/harness.js';
import { hubProcessEnv, spawnNode } from '../helpers/process.js';
import { appointmentAt, recordsCast } from '../helpers/records.js';
import { doctorWithHours } from '../helpers/scene.js';

const KEY_1 = randomBytes(32).toString('base64');
const KEY_2 = randomBytes(32).toString('base64');
const JWT_SECRET = randomBytes(32).toString('base64url');

/** Runs `npm run rotate-keys` (as a process of its own) against the hub's database with `env`. */
async function rotateKeys(hub: TestHub, env: Record<string, string>) {
  const run = spawnNode(
    ['--import', 'tsx', 'src/cli/rotate-keys.ts'],
    hubProcessEnv(hub, { LOG_LEVEL: 'info', ...env }),
  );
  const code = await run.exited();
  expect(code, run.stdout() + run.stderr()).toBe(0);
  return run.stdout();
}

describe('rotating the master key', () => {
  const hubs: TestHub[] = [];
  afterAll(async () => {
    for (const h of hubs.reverse()) await h.close();
  });
  const start = async (env: Record<string, string>, database?: string) => {
    const hub = await startTestHub(
      { JWT_SECRET, ...env },
      { keepDatabase: true, ...(database ? { database } : {}) },
    );
    hubs.push(hub);
    return hub;
  };

  it('write under key 1; rotate to key 2 (key 1 previous) while the hub serves; drop key 1: everything still reads', async () => {
    const one = await start({ ENCRYPTION_KEY: KEY_1, ENCRYPTION_KEY_ID: 'k1' });
    const cast = await recordsCast(one);
    const doctor = cast.pastDoctor.account;
    const api = client(one);

    // Under key 1: a record, a note, a booked visit reason, a cancel reason.
    const record = {
      dateOfBirth: '1971-03-09',
      sex: 'female',
      allergies: ['penicillin'],
      conditions: ['asthma'],
      medications: ['salbutamol'],
      notes: 'Prefers morning visits.',
    };
    expect((await api.put(`/v1/patients/${cast.patient.id}/record`, record, doctor.token)).status).toBe(200);
    const note = await api.post(
      `/v1/appointments/${cast.pastDoctor.appointmentId}/notes`,
      { text: 'Wheeze resolved.' },
      doctor.token,
    );
    expect(note.status).toBe(201);
    const bookable = await doctorWithHours(one, cast.clinic.id, { minNoticeMinutes: 0 });
    const free = (await slotsOn(one, bookable.id, dateIn(3))).filter((s) => s.status === 'free');
    const visit = await bookSlot(one, cast.patient, bookable.id, free[0]!.start, 'Recurring headaches');
    const cancelled = await bookSlot(one, cast.patient, bookable.id, free[2]!.start, 'Knee pain');
    expect(
      (
        await api.post(
          `/v1/appointments/${cancelled.id}/cancel`,
          { reason: 'Feeling better' },
          cast.patient.token,
        )
      ).status,
    ).toBe(200);
    // Left by the version before envelope encryption: a reason under the bare master key, a plain cancel reason.
    const old = await appointmentAt(one, bookable.id, cast.patient.id, Date.now() - 86_400_000, 'completed');
    const sealedOld = createCipher(Buffer.from(KEY_1, 'base64')).encrypt('Old rash', old);
    await one.sql`update appointments set reason_ciphertext = ${sealedOld},
      reason_key_id = ${createCipher(Buffer.from(KEY_1, 'base64')).keyId}, cancel_reason = 'Plain old reason' where id = ${old}`;

    const everything = async (hub: TestHub) => {
      const c = client(hub);
      const rec = await c.get(`/v1/patients/${cast.patient.id}/record`, doctor.token);
      const notes = await c.get<{ items: { text: string }[] }>(
        `/v1/patients/${cast.patient.id}/notes`,
        doctor.token,
      );
      const reasons = await Promise.all(
        [visit.id, old].map(
          async (id) => (await c.get(`/v1/appointments/${id}`, cast.patient.token)).body.reason,
        ),
      );
      return {
        status: [rec.status, notes.status],
        record: rec.body,
        notes: notes.body.items.map((n) => n.text),
        reasons,
      };
    };
    const before = await everything(one);
    expect(before.status).toEqual([200, 200]);
    expect(before.record).toMatchObject(record);
    expect(before.notes).toEqual(['Wheeze resolved.']);
    expect(before.reasons).toEqual(['Recurring headaches', 'Old rash']);
    await one.close();

    // Key 2 current, key 1 previous: reads work before the rotation, during it (the hub serves), after it.
    const two = await start(
      { ENCRYPTION_KEY: KEY_2, ENCRYPTION_KEY_ID: 'k2', ENCRYPTION_PREVIOUS_KEYS: `k1:${KEY_1}` },
      one.database,
    );
    expect(await everything(two)).toEqual(before);
    const [, during] = await Promise.all([
      rotateKeys(two, {
        ENCRYPTION_KEY: KEY_2,
        ENCRYPTION_KEY_ID: 'k2',
        ENCRYPTION_PREVIOUS_KEYS: `k1:${KEY_1}`,
      }),
      everything(two),
    ]);
    expect(during).toEqual(before);
    expect(await everything(two)).toEqual(before);
    const wrappedBy = await two.sql<
      { masterKeyId: string }[]
    >`select distinct master_key_id from patient_keys`;
    expect(wrappedBy.map((r) => r.masterKeyId)).toEqual(['k2']);
    const [leftovers] = await two.sql<{ n: number }[]>`
      select count(*)::int as n from appointments
      where cancel_reason is not null or (reason_key_id is not null and reason_key_id <> 'patient')`;
    expect(leftovers!.n).toBe(0);
    // Running it again finds nothing to do.
    expect(
      await rotateKeys(two, {
        ENCRYPTION_KEY: KEY_2,
        ENCRYPTION_KEY_ID: 'k2',
        ENCRYPTION_PREVIOUS_KEYS: `k1:${KEY_1}`,
      }),
    ).toMatch(/"rewrapped":0/);
    await two.close();

    // Key 1 gone: everything still reads.
    const three = await start({ ENCRYPTION_KEY: KEY_2, ENCRYPTION_KEY_ID: 'k2' }, one.database);
    expect(await everything(three)).toEqual(before);
    await three.close();

    // And a hub holding only key 1 cannot read anything: a clear error, never wrong text.
    const wrong = await start({ ENCRYPTION_KEY: KEY_1, ENCRYPTION_KEY_ID: 'k1' }, one.database);
    const refused = await client(wrong).get(`/v1/patients/${cast.patient.id}/record`, doctor.token);
    expect(refused.status).toBe(500);
    expect(refused.body).toMatchObject({ code: 'decryption_failed' });
    expect(JSON.stringify(refused.body)).not.toMatch(/penicillin|asthma/);
  }, 120_000); // four hub starts and two rotate-keys processes
});
