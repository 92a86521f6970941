import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccount, createClinic, type TestAccount, useTestApi } from '../helpers/harness.js';
import { doctorWithHours, type SceneDoctor } from '../helpers/scene.js';

describe('who sees which analytics: a doctor their own, staff their clinic, admins all, patients never', () => {
  const { hub, api } = useTestApi();
  let clinicA: string;
  let clinicB: string;
  let doctorA: SceneDoctor;
  let doctorB: SceneDoctor;
  let people: Record<string, TestAccount | undefined>;

  beforeAll(async () => {
    clinicA = (await createClinic(hub, { name: 'Clinic A' })).id;
    clinicB = (await createClinic(hub, { name: 'Clinic B' })).id;
    doctorA = await doctorWithHours(hub, clinicA);
    doctorB = await doctorWithHours(hub, clinicB);
    people = {
      anonymous: undefined,
      patient: await createAccount(hub, 'patient'),
      'doctor A': doctorA.account,
      'doctor B': doctorB.account,
      'staff A': await createAccount(hub, 'staff', { clinicId: clinicA }),
      'staff B': await createAccount(hub, 'staff', { clinicId: clinicB }),
      admin: await createAccount(hub, 'admin'),
    };
  });

  const matrix: [string, () => string, Record<string, number>][] = [
    [
      "doctor A's analytics",
      () => `/v1/doctors/${doctorA.id}/analytics`,
      {
        anonymous: 401,
        patient: 403,
        'doctor A': 200,
        'doctor B': 403,
        'staff A': 200,
        'staff B': 403,
        admin: 200,
      },
    ],
    [
      "clinic A's analytics",
      () => `/v1/clinics/${clinicA}/analytics`,
      {
        anonymous: 401,
        patient: 403,
        'doctor A': 403,
        'doctor B': 403,
        'staff A': 200,
        'staff B': 403,
        admin: 200,
      },
    ],
    [
      'the research export',
      () => '/v1/research/flow',
      {
        anonymous: 401,
        patient: 403,
        'doctor A': 403,
        'doctor B': 403,
        'staff A': 403,
        'staff B': 403,
        admin: 200,
      },
    ],
  ];

  for (const [what, path, expected] of matrix) {
    it(`${what}: ${Object.entries(expected)
      .map(([who, status]) => `${who} ${status}`)
      .join(', ')}`, async () => {
      for (const [who, status] of Object.entries(expected)) {
        const res = await api.get(path(), people[who]?.token);
        expect(res.status, `${who} → ${path()}`).toBe(status);
        for (const accept of ['text/csv']) {
          if (path().includes('research')) continue;
          const csv = await api.call('GET', path(), { token: people[who]?.token, headers: { accept } });
          expect(csv.status, `${who} → ${path()} as CSV`).toBe(status);
        }
      }
    });
  }

  it('each research export is written to the audit log, with who asked, for which cells, and the request id', async () => {
    const admin = people.admin!;
    const res = await api.get(
      '/v1/research/flow?by=specialty,month&from=2026-01&to=2026-03&k=7',
      admin.token,
    );
    expect(res.status).toBe(200);
    const requestId = res.headers.get('x-request-id');
    const audit = await api.get<{
      items: { actorId: string; action: string; resource: string; requestId: string }[];
    }>(`/v1/audit?actorId=${admin.id}`, admin.token);
    const row = audit.body.items.find((i) => i.requestId === requestId);
    expect(row).toMatchObject({
      actorId: admin.id,
      action: 'research-export',
      resource: 'research/flow?by=specialty,month&from=2026-01&to=2026-03&k=7',
    });
  });

  it('unknown doctor or clinic → 404 for an admin; bad ranges and a k below 5 → 400', async () => {
    const admin = people.admin!.token;
    expect((await api.get(`/v1/doctors/${randomUUID()}/analytics`, admin)).status).toBe(404);
    expect((await api.get(`/v1/clinics/${randomUUID()}/analytics`, admin)).status).toBe(404);
    expect(
      (await api.get(`/v1/doctors/${doctorA.id}/analytics?from=2026-03-10&to=2026-03-01`, admin)).status,
    ).toBe(400);
    expect(
      (await api.get(`/v1/doctors/${doctorA.id}/analytics?from=2020-01-01&to=2026-01-01`, admin)).status,
    ).toBe(400);
    expect((await api.get(`/v1/doctors/${doctorA.id}/analytics?from=2026-02-30`, admin)).status).toBe(400);
    expect((await api.get('/v1/research/flow?k=2', admin)).status).toBe(400);
    expect((await api.get('/v1/research/flow?by=patient', admin)).status).toBe(400);
    expect((await api.get('/v1/research/flow?from=2026-05&to=2026-01', admin)).status).toBe(400);
  });
});
