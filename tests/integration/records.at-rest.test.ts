import { describe, expect, it } from 'vitest';
import { cipherOf } from '../../src/records/cipher.js';
import { createVault } from '../../src/records/vault.js';
import { createVisitReasons } from '../../src/records/visit-reasons.js';
import { type Appointment, bookSlot, dateIn, slotsOn } from '../helpers/booking.js';
import { deskBook } from '../helpers/front-desk.js';
import { createAccount, useTestApi } from '../helpers/harness.js';
import { recordsCast } from '../helpers/records.js';
import { doctorWithHours } from '../helpers/scene.js';

/** Every piece of health text the day writes; each must be absent, as text or bytes, from every column. */
const SECRETS: string[] = [];
const secret = (what: string) => {
  const s = `${what} zq${SECRETS.length}x${Math.random().toString(36).slice(2, 8)}`;
  SECRETS.push(s);
  return s;
};

describe('health data at rest', () => {
  const { hub, api } = useTestApi();

  it('after a realistic day, no record field, note or reason is in any text, json or bytea column; a flipped byte never reads as text', async () => {
    // The day: a clinic, its desk, a doctor with past patients; patients book with reasons, some cancel
    // with reasons, the desk books phone callers, the doctor keeps records and writes (and corrects) notes.
    const cast = await recordsCast(hub);
    const desk = cast.clinicStaff;
    const doctor = cast.pastDoctor.account;
    const bookable = await doctorWithHours(hub, cast.clinic.id, { minNoticeMinutes: 0 });
    const free = (await slotsOn(hub, bookable.id, dateIn(5))).filter((s) => s.status === 'free');
    const patients = [
      cast.patient,
      ...(await Promise.all(
        [1, 2, 3].map((i) => createAccount(hub, 'patient', { name: `Day Patient ${i}` })),
      )),
    ];
    const appointments: Appointment[] = [];
    for (const [i, p] of patients.entries()) {
      appointments.push(
        await bookSlot(hub, p, bookable.id, free[i * 2]!.start, secret('Migraine with aura')),
      );
    }
    const phone = await deskBook(hub, desk.token, {
      doctorId: bookable.id,
      start: free[10]!.start,
      patient: { name: 'Phone Caller', phone: '+49 30 5550100' },
      reason: secret('Suspected gout'),
    });
    for (const a of [appointments[1]!, phone]) {
      const res = await api.post(
        `/v1/appointments/${a.id}/cancel`,
        { reason: secret('Hospitalised elsewhere') },
        desk.token,
      );
      expect(res.status).toBe(200);
    }
    const record = {
      dateOfBirth: '1964-11-23',
      sex: 'male',
      allergies: [secret('Sulfonamides'), secret('Bee venom')],
      conditions: [secret('Type 2 diabetes')],
      medications: [secret('Metformin 500mg')],
      notes: secret('Lives alone, daughter is contact'),
    };
    expect((await api.put(`/v1/patients/${cast.patient.id}/record`, record, doctor.token)).status).toBe(200);
    const note = await api.post<{ id: string }>(
      `/v1/appointments/${cast.pastDoctor.appointmentId}/notes`,
      { text: secret('HbA1c 8.1, adjust dose') },
      doctor.token,
    );
    expect(note.status).toBe(201);
    const correction = await api.post(
      `/v1/appointments/${cast.pastDoctor.appointmentId}/notes`,
      { text: secret('Correction: HbA1c 7.1'), correctsId: note.body.id },
      doctor.token,
    );
    expect(correction.status).toBe(201);
    // Everyone reads what they may.
    expect((await api.get(`/v1/patients/${cast.patient.id}/record`, cast.patient.token)).body).toMatchObject(
      record,
    );
    const notes = await api.get<{ items: { text: string; correctedBy: string[] }[] }>(
      `/v1/patients/${cast.patient.id}/notes`,
      cast.patient.token,
    );
    expect(notes.body.items.map((n) => n.correctedBy.length)).toEqual([1, 0]);
    expect((await api.get(`/v1/appointments/${appointments[0]!.id}`, doctor.token)).status).toBe(404);
    expect((await api.get(`/v1/appointments/${appointments[0]!.id}`, cast.patient.token)).body.reason).toBe(
      SECRETS[0],
    );

    // The raw scan: every text, json, jsonb, bytea (and array) column of every table.
    const columns = await hub.sql<{ table: string; column: string; type: string }[]>`
      select c.table_name as table, c.column_name as column, c.data_type as type
      from information_schema.columns c join information_schema.tables t
        on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
      where c.table_schema = 'public'
        and c.data_type in ('text', 'character varying', 'json', 'jsonb', 'bytea', 'ARRAY', 'USER-DEFINED')`;
    expect(columns.map((c) => `${c.table}.${c.column}`)).toEqual(
      expect.arrayContaining([
        'patient_records.allergies',
        'encounter_notes.text_ciphertext',
        'appointments.reason_ciphertext',
        'audit_log.resource',
        'events.data',
      ]),
    );
    const found: string[] = [];
    for (const { table, column, type } of columns) {
      for (const s of SECRETS) {
        const needle = s.split(' ').pop()!; // the random tail alone is enough to spot a copy
        const hit =
          type === 'bytea'
            ? await hub.sql`select 1 from ${hub.sql(table)} where position(convert_to(${needle}, 'UTF8') in ${hub.sql(column)}) > 0 limit 1`
            : await hub.sql`select 1 from ${hub.sql(table)} where ${hub.sql(column)}::text like ${`%${needle}%`} limit 1`;
        if (hit.length > 0) found.push(`${table}.${column}: ${s}`);
      }
    }
    expect(found).toEqual([]);
    expect(SECRETS.length).toBe(14);

    // A flipped byte in any ciphertext: the read fails with decryption_failed, never with other text.
    /** XORs one byte of the ciphertext (a second call puts it back), past the append-only trigger as an attacker with DB access would. */
    const xorByte = (table: string, column: string, key: string, value: string) =>
      hub.sql.begin(async (tx) => {
        await tx`set local session_replication_role = replica`;
        await tx`update ${tx(table)} set ${tx(column)} = set_byte(${tx(column)}, 17, get_byte(${tx(column)}, 17) # 4) where ${tx(key)} = ${value}`;
      });
    const flip = async (
      table: string,
      column: string,
      where: Record<string, string>,
      read: () => Promise<unknown>,
    ) => {
      const [key, value] = Object.entries(where)[0]!;
      await xorByte(table, column, key, value);
      await expect(read(), `${table}.${column}`).rejects.toMatchObject({ code: 'decryption_failed' });
      return () => xorByte(table, column, key, value);
    };
    const viaApi = (path: string, token: string) => async () => {
      const res = await api.get(path, token);
      expect(res.status).toBe(500);
      throw res.body;
    };
    for (const field of ['date_of_birth', 'sex', 'allergies', 'conditions', 'medications', 'notes']) {
      await flip(
        'patient_records',
        field,
        { patient_id: cast.patient.id },
        viaApi(`/v1/patients/${cast.patient.id}/record`, doctor.token),
      );
      await flip('patient_records', field, { patient_id: cast.patient.id }, async () => {}).catch(() => {}); // flip back
    }
    await flip(
      'encounter_notes',
      'text_ciphertext',
      { id: note.body.id },
      viaApi(`/v1/patients/${cast.patient.id}/notes`, doctor.token),
    );
    await flip(
      'appointments',
      'reason_ciphertext',
      { id: appointments[0]!.id },
      viaApi(`/v1/appointments/${appointments[0]!.id}`, cast.patient.token),
    );
    // Read with a vault of its own (the hub keeps unwrapped keys in memory): the wrapped key and a cancel reason.
    const cipher = cipherOf(hub.config);
    const fresh = () => createVisitReasons(createVault(hub.sql, cipher), cipher, async () => {});
    const [cancelled] = await hub.sql<{ id: string; patientId: string; ciphertext: Buffer; keyId: string }[]>`
      select id, patient_id, cancel_reason_ciphertext as ciphertext, cancel_reason_key_id as key_id
      from appointments where id = ${appointments[1]!.id}`;
    expect(await fresh().open(cancelled!.patientId, cancelled!.id, 'cancel_reason', cancelled!)).toBe(
      SECRETS[5], // the first cancel reason,
    );
    await flip('appointments', 'cancel_reason_ciphertext', { id: cancelled!.id }, async () => {
      const [row] = await hub.sql<{ ciphertext: Buffer; keyId: string }[]>`
        select cancel_reason_ciphertext as ciphertext, cancel_reason_key_id as key_id from appointments where id = ${cancelled!.id}`;
      return fresh().open(cancelled!.patientId, cancelled!.id, 'cancel_reason', row!);
    });
    await flip('patient_keys', 'wrapped_key', { patient_id: patients[2]!.id }, () =>
      fresh().open(patients[2]!.id, appointments[2]!.id, 'reason', {
        ciphertext: Buffer.alloc(40),
        keyId: 'patient',
      }),
    );
    // A ciphertext moved to another row does not open there either (the row id is bound in).
    await hub.sql`update appointments set reason_ciphertext = (select reason_ciphertext from appointments where id = ${appointments[3]!.id})
                  where id = ${appointments[0]!.id}`;
    const moved = await api.get(`/v1/appointments/${appointments[0]!.id}`, cast.patient.token);
    expect(moved.status).toBe(500);
    expect(moved.body).toMatchObject({ code: 'decryption_failed' });
  });
});
