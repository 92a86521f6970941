import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApi } from '../helpers/harness.js';
import { recordsCast } from '../helpers/records.js';

type Cast = Awaited<ReturnType<typeof recordsCast>>;
type Route = 'GET record' | 'PUT record' | 'GET notes' | 'POST note' | 'GET audit';
const ROUTES: Route[] = ['GET record', 'PUT record', 'GET notes', 'POST note', 'GET audit'];

/** Who asks: their token (none for the anonymous), a stated reason, and the appointment they write on. */
interface Caller {
  token?: string;
  reason?: string;
  noteOn: string;
}

/**
 * Every role and relation × every record route → the status. A note is written on the caller's own
 * appointment with the patient where they have one, else on the past doctor's.
 */
const MATRIX: [string, (c: Cast) => Caller, Record<Route, number>][] = [
  [
    'the patient',
    (c) => ({ token: c.patient.token, noteOn: c.pastDoctor.appointmentId! }),
    row(200, 200, 200, 404, 200),
  ],
  [
    'another patient',
    (c) => ({ token: c.otherPatient.token, noteOn: c.pastDoctor.appointmentId! }),
    row(404, 404, 404, 404, 404),
  ],
  [
    'a doctor with a past appointment',
    (c) => ({ token: c.pastDoctor.account.token, noteOn: c.pastDoctor.appointmentId! }),
    row(200, 200, 200, 201, 404),
  ],
  [
    'a doctor with an upcoming appointment',
    (c) => ({ token: c.upcomingDoctor.account.token, noteOn: c.upcomingDoctor.appointmentId! }),
    row(200, 200, 200, 201, 404),
  ],
  [
    'a doctor whose appointment was cancelled',
    (c) => ({ token: c.cancelledDoctor.account.token, noteOn: c.cancelledDoctor.appointmentId! }),
    row(404, 404, 404, 404, 404),
  ],
  [
    'a doctor without an appointment',
    (c) => ({ token: c.noDoctor.account.token, noteOn: c.pastDoctor.appointmentId! }),
    row(404, 404, 404, 404, 404),
  ],
  [
    "the front desk of the patient's clinic",
    (c) => ({ token: c.clinicStaff.token, noteOn: c.pastDoctor.appointmentId! }),
    row(200, 404, 404, 404, 404),
  ],
  [
    'the front desk of another clinic',
    (c) => ({ token: c.otherStaff.token, noteOn: c.pastDoctor.appointmentId! }),
    row(404, 404, 404, 404, 404),
  ],
  [
    'an admin stating a reason',
    (c) => ({
      token: c.admin.token,
      reason: 'Patient unconscious in A&E',
      noteOn: c.pastDoctor.appointmentId!,
    }),
    row(200, 404, 200, 404, 200),
  ],
  [
    'an admin without a reason',
    (c) => ({ token: c.admin.token, noteOn: c.pastDoctor.appointmentId! }),
    row(404, 404, 404, 404, 200),
  ],
  ['an anonymous caller', (c) => ({ noteOn: c.pastDoctor.appointmentId! }), row(401, 401, 401, 401, 401)],
];

function row(...s: number[]): Record<Route, number> {
  return Object.fromEntries(ROUTES.map((r, i) => [r, s[i]!])) as Record<Route, number>;
}

describe("who may read and write a patient's record", () => {
  const { hub, api } = useTestApi();
  let cast: Cast;
  beforeAll(async () => {
    cast = await recordsCast(hub);
  });

  const send = (route: Route, caller: Caller, requestId: string) => {
    const headers: Record<string, string> = { 'x-request-id': requestId };
    if (caller.reason) headers['x-access-reason'] = caller.reason;
    const p = `/v1/patients/${cast.patient.id}`;
    const opts = { token: caller.token, headers };
    switch (route) {
      case 'GET record':
        return api.call('GET', `${p}/record`, opts);
      case 'PUT record':
        return api.call('PUT', `${p}/record`, { ...opts, body: { dateOfBirth: '1980-05-01' } });
      case 'GET notes':
        return api.call('GET', `${p}/notes`, opts);
      case 'POST note':
        return api.call('POST', `/v1/appointments/${caller.noteOn}/notes`, {
          ...opts,
          body: { text: 'Seen today; stable.' },
        });
      case 'GET audit':
        return api.call('GET', `${p}/audit`, opts);
    }
  };

  describe.each(MATRIX)('%s', (_who, callerOf, expected) => {
    it.each(ROUTES)('%s → the expected status, and the answer is in the audit log', async (route) => {
      const caller = callerOf(cast);
      const requestId = `matrix-${randomUUID()}`;
      const res = await send(route, caller, requestId);
      expect(res.status, JSON.stringify(res.body)).toBe(expected[route]);
      const audited = await hub.sql<
        {
          outcome: string;
          breakGlass: boolean;
          actorRole: string;
          accountRole: string | null;
          reason: string | null;
        }[]
      >`
        select l.outcome, l.break_glass, l.actor_role, u.role as account_role, l.reason
        from audit_log l left join users u on u.id = l.actor_id where l.request_id = ${requestId}`;
      expect(audited).toHaveLength(1);
      expect(audited[0]!.outcome).toBe(res.status < 300 ? 'allowed' : 'denied');
      // Who asked: the caller's account and role, or an anonymous caller.
      expect(audited[0]!.actorRole).toBe(audited[0]!.accountRole ?? 'anonymous');
      expect(audited[0]!.accountRole === null).toBe(caller.token === undefined);
      // Break-glass is an admin's reasoned read of clinical data, and flagged as such.
      const breakGlass = caller.reason !== undefined && res.status < 300 && route !== 'GET audit';
      expect(audited[0]!.breakGlass).toBe(breakGlass);
      if (caller.reason) expect(audited[0]!.reason).toBe(caller.reason);
    });
  });

  it('the front desk sees the name and contact details, no clinical field', async () => {
    const res = await api.get(`/v1/patients/${cast.patient.id}/record`, cast.clinicStaff.token);
    expect(res.body).toEqual({
      patient: { id: cast.patient.id, name: 'Ingrid Holloway-Mbeki', email: cast.patient.email, phone: null },
      scope: 'contact',
    });
  });

  it('a patient changes their profile fields but not the clinical ones (403, audited as refused)', async () => {
    const p = `/v1/patients/${cast.patient.id}/record`;
    expect((await api.put(p, { sex: 'female' }, cast.patient.token)).status).toBe(200);
    const requestId = `clinical-${randomUUID()}`;
    const refused = await api.call('PUT', p, {
      token: cast.patient.token,
      body: { allergies: ['none, really'] },
      headers: { 'x-request-id': requestId },
    });
    expect(refused.status).toBe(403);
    const [audited] = await hub.sql`select outcome from audit_log where request_id = ${requestId}`;
    expect(audited?.outcome).toBe('denied');
  });

  it('a record of nobody: 404 for an admin with a reason too, and audited', async () => {
    const res = await api.call('GET', `/v1/patients/${randomUUID()}/record`, {
      token: cast.admin.token,
      headers: { 'x-access-reason': 'checking' },
    });
    expect(res.status).toBe(404);
  });
});
