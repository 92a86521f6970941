import { describe, expect, it } from 'vitest';
import { appendAudit } from '../../src/records/audit.store.js';
import { verifyAuditChain } from '../../src/records/verify-audit.js';
import { client, useTestApi } from '../helpers/harness.js';
import { hubProcessEnv, spawnNode } from '../helpers/process.js';
import { recordsCast } from '../helpers/records.js';

describe('the audit log is append-only and tamper-evident', () => {
  const { hub, api } = useTestApi();

  const verifyAudit = async () => {
    const run = spawnNode(['--import', 'tsx', 'src/cli/verify-audit.ts'], hubProcessEnv(hub));
    return { code: await run.exited(), out: run.stdout() };
  };

  it('reads and writes of a record chain up; verify-audit finds the one row the database owner changed', async () => {
    const cast = await recordsCast(hub);
    const doctor = cast.pastDoctor.account;
    await api.put(`/v1/patients/${cast.patient.id}/record`, { allergies: ['latex'] }, doctor.token);
    for (let i = 0; i < 5; i++) await api.get(`/v1/patients/${cast.patient.id}/record`, doctor.token);
    await api.get(`/v1/patients/${cast.patient.id}/record`, cast.noDoctor.account.token);
    // Concurrent appends (the hub's batched writer and other callers) keep one unbroken chain.
    await Promise.all([
      ...Array.from({ length: 20 }, () =>
        client(hub).get(`/v1/patients/${cast.patient.id}/record`, doctor.token),
      ),
      ...Array.from({ length: 10 }, (_, i) =>
        appendAudit(hub.sql, {
          actorId: null,
          actorRole: 'research-export',
          patientId: null,
          action: 'export',
          resource: `research/flow#${i}`,
          reason: 'quarterly flow report',
          outcome: 'allowed',
          requestId: null,
        }),
      ),
    ]);
    const intact = await verifyAuditChain(hub.sql);
    expect(intact).toMatchObject({ ok: true });
    expect(intact.rows).toBeGreaterThanOrEqual(37);
    expect(await verifyAudit()).toMatchObject({ code: 0, out: expect.stringMatching(/audit log intact/) });

    // The doctor's refused attempt is rewritten as allowed by someone with the owner's rights.
    const [denied] = await hub.sql<{ id: string }[]>`
      select id::text from audit_log where outcome = 'denied' and actor_id = ${cast.noDoctor.account.id}`;
    await hub.sql.begin(async (tx) => {
      await tx`alter table audit_log disable trigger audit_log_append_only`;
      await tx`update audit_log set outcome = 'allowed' where id = ${denied!.id}`;
      await tx`alter table audit_log enable trigger audit_log_append_only`;
    });
    expect(await verifyAuditChain(hub.sql)).toMatchObject({ ok: false, brokenAt: denied!.id });
    const found = await verifyAudit();
    expect(found.code).toBe(1);
    expect(found.out).toContain(`audit log broken at row ${denied!.id}`);
  });

  it("the application's own UPDATE, DELETE and TRUNCATE of the audit log are refused", async () => {
    await appendAudit(hub.sql, {
      actorId: null,
      actorRole: 'test',
      patientId: null,
      action: 'noop',
      resource: 'test',
      outcome: 'allowed',
      requestId: null,
    });
    await expect(hub.sql`update audit_log set outcome = 'denied'`).rejects.toMatchObject({ code: '42501' });
    await expect(hub.sql`delete from audit_log`).rejects.toMatchObject({ code: '42501' });
    await expect(hub.sql`truncate audit_log`).rejects.toMatchObject({ code: '42501' });
  });
});

describe('appendAudit inside a caller transaction', () => {
  const { hub, api } = useTestApi();

  it('commits and rolls back with the caller; admins list the whole log, others may not', async () => {
    const entry = (resource: string) => ({
      actorId: null,
      actorRole: 'research-export',
      patientId: null,
      action: 'export',
      resource,
      outcome: 'allowed' as const,
      requestId: null,
    });
    await hub.sql.begin((tx) => appendAudit(tx, entry('kept')));
    await expect(
      hub.sql.begin(async (tx) => {
        await appendAudit(tx, entry('rolled-back'));
        throw new Error('the caller changes its mind');
      }),
    ).rejects.toThrow('changes its mind');
    const rows = await hub.sql<{ resource: string }[]>`select resource from audit_log order by id`;
    expect(rows.map((r) => r.resource)).toEqual(['kept']);
    expect(await verifyAuditChain(hub.sql)).toMatchObject({ ok: true, rows: 1 });

    const cast = await recordsCast(hub);
    const listed = await api.get<{ items: { resource: string; actorRole: string }[] }>(
      '/v1/audit?limit=10',
      cast.admin.token,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((i) => i.resource)).toContain('kept');
    expect((await api.get('/v1/audit', cast.pastDoctor.account.token)).status).toBe(403);
  });
});
