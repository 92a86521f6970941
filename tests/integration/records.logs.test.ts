import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateIn, slotsOn } from '../helpers/booking.js';
import { client, useTestHub } from '../helpers/harness.js';
import { freePort, hubProcessEnv, type NodeProcess, spawnNode, waitUntil } from '../helpers/process.js';
import { recordsCast } from '../helpers/records.js';
import { doctorWithHours } from '../helpers/scene.js';

/** A string that must never appear in a log line: written into every field that holds health data. */
const CANARY = 'CANARY-7f3a-hypochondria-zebra';

describe('health data never reaches the logs', () => {
  const hub = useTestHub();
  let child: NodeProcess;
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // The hub under test runs as `npm start` does, logging everything it can (trace) to stdout.
    child = spawnNode(
      ['--import', 'tsx', 'src/main.ts'],
      hubProcessEnv(hub, { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'trace' }),
    );
    await waitUntil('the logging hub', async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), {
      timeoutMs: 30_000,
    });
  });
  afterAll(async () => {
    await child?.kill();
  });

  it('a canary written into record fields, notes, visit, cancel and access reasons is not in the log output', async () => {
    const api = client({ url });
    const cast = await recordsCast(hub);
    const doctor = cast.pastDoctor.account;
    const p = `/v1/patients/${cast.patient.id}`;
    const ok = async (res: Promise<{ status: number; body: unknown }>, status = 200) => {
      const r = await res;
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      return r;
    };
    await ok(
      api.put(
        `${p}/record`,
        {
          allergies: [`${CANARY} allergy`],
          conditions: [`${CANARY} condition`],
          medications: [`${CANARY} medication`],
          notes: `${CANARY} notes`,
        },
        doctor.token,
      ),
    );
    const note = await ok(
      api.post(
        `/v1/appointments/${cast.pastDoctor.appointmentId}/notes`,
        { text: `${CANARY} note` },
        doctor.token,
      ),
      201,
    );
    await ok(
      api.post(
        `/v1/appointments/${cast.pastDoctor.appointmentId}/notes`,
        { text: `${CANARY} correction`, correctsId: (note.body as { id: string }).id },
        doctor.token,
      ),
      201,
    );
    const bookable = await doctorWithHours(hub, cast.clinic.id, { minNoticeMinutes: 0 });
    const free = (await slotsOn(hub, bookable.id, dateIn(4))).filter((s) => s.status === 'free');
    const booked = await ok(
      api.post(
        '/v1/appointments',
        { doctorId: bookable.id, start: free[0]!.start, reason: `${CANARY} visit` },
        cast.patient.token,
      ),
      201,
    );
    const id = (booked.body as { id: string }).id;
    await ok(api.get(`/v1/appointments/${id}`, cast.patient.token));
    await ok(api.post(`/v1/appointments/${id}/cancel`, { reason: `${CANARY} cancel` }, cast.patient.token));
    await ok(api.get(`${p}/record`, doctor.token));
    await ok(api.get(`${p}/notes`, doctor.token));
    await ok(
      api.call('GET', `${p}/record`, {
        token: cast.admin.token,
        headers: { 'x-access-reason': `${CANARY} access` },
      }),
    );
    // Refusals and bad input carrying the canary.
    await ok(api.put(`${p}/record`, { sex: CANARY }, doctor.token), 400);
    await ok(api.put(`${p}/record`, { notes: `${CANARY} stranger` }, cast.noDoctor.account.token), 404);
    // A note whose ciphertext was tampered with: a 500 that is logged, with nothing of the note.
    await hub.sql.begin(async (tx) => {
      await tx`alter table encounter_notes disable trigger encounter_notes_append_only`;
      await tx`update encounter_notes set text_ciphertext = set_byte(text_ciphertext, 20, get_byte(text_ciphertext, 20) # 1)
               where id = ${(note.body as { id: string }).id}`;
      await tx`alter table encounter_notes enable trigger encounter_notes_append_only`;
    });
    const broken = await api.get(`${p}/notes`, doctor.token);
    expect(broken.status).toBe(500);
    expect(broken.body).toMatchObject({ code: 'decryption_failed' });

    // The hub did log (access lines, the 500: waited for, the pipe is asynchronous), and not one line holds the canary.
    await child.waitForOutput(/"code":"decryption_failed"/, 10_000);
    await child.waitForOutput(/"status":500[^\n]*"msg":"request"|"msg":"request"[^\n]*"status":500/, 10_000);
    const requestIds = [...child.stdout().matchAll(/"requestId":"[^"]+"/g)];
    expect(requestIds.length).toBeGreaterThan(10);
    expect(child.stdout() + child.stderr()).not.toContain(CANARY);
    expect(child.stdout() + child.stderr()).not.toContain('hypochondria');
  }, 60_000); // a dozen requests to a hub logging at trace, and a tampered note
});
