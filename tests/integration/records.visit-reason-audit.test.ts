import { describe, expect, it } from 'vitest';
import { bookSlot } from '../helpers/booking.js';
import { client, createAccount, useTestHub } from '../helpers/harness.js';
import { scene } from '../helpers/scene.js';

interface AuditItem {
  actorId: string | null;
  action: string;
  resource: string;
  requestId: string | null;
  outcome: string;
}

describe('every read of a visit reason is audited with the request that read it', () => {
  const hub = useTestHub();

  it("the doctor opening the appointment leaves a row carrying that answer's request id, which the patient sees", async () => {
    const cast = await scene(hub, { daysAhead: 2 });
    const [patient] = cast.patients;
    const booked = await bookSlot(hub, patient!, cast.doctorId, cast.free[0]!.start, 'chest pain at night');
    const api = client(hub);

    const read = await api.get<{ reason?: string }>(`/v1/appointments/${booked.id}`, cast.doctor.token);
    expect(read.status).toBe(200);
    expect(read.body.reason).toBe('chest pain at night');
    const requestId = read.headers.get('x-request-id');
    expect(requestId).toBeTruthy();

    const admin = await createAccount(hub, 'admin');
    const log = await api.get<{ items: AuditItem[] }>(`/v1/audit?patientId=${patient!.id}`, admin.token);
    const row = log.body.items.find((i) => i.requestId === requestId);
    expect(row).toMatchObject({
      actorId: cast.doctor.id,
      action: 'read-visit-reason',
      resource: `appointment:${booked.id}/reason`,
      outcome: 'allowed',
    });

    const mine = await api.get<{ items: AuditItem[] }>(`/v1/patients/${patient!.id}/audit`, patient!.token);
    expect(
      mine.body.items.some((i) => i.actorId === cast.doctor.id && i.action === 'read-visit-reason'),
    ).toBe(true);
  });
});
