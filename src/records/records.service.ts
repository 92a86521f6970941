import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import { AppError, forbidden, notFound } from '../errors.js';
import type { Sql } from '../infra/postgres.js';
import { type Decision, decide, PROFILE_FIELDS, type RecordAction, type Relation } from './access-policy.js';
import { type AuditListItem, auditWriter, listAudit } from './audit.store.js';
import type { AuditEntry } from './audit-chain.js';
import type { AuditItem, NoteView, RecordFields, RecordInput, RecordView } from './records.schemas.js';
import * as store from './records.store.js';
import type { Place, Vault } from './vault.js';

/** Who asks, in which request, and the reason they stated (X-Access-Reason). */
export interface AccessContext {
  principal: Principal | undefined;
  requestId: string | null;
  accessReason: string | undefined;
}

export type RecordsService = ReturnType<typeof createRecordsService>;

const recordPlace = (patientId: string, column: store.RecordColumn): Place => ({
  table: 'patient_records',
  column: store.RECORD_COLUMNS[column],
  rowId: patientId,
});
const notePlace = (noteId: string): Place => ({ table: 'encounter_notes', column: 'text', rowId: noteId });

/**
 * Patient records and encounter notes: every access is decided by access-policy.ts and audited
 * (allowed or refused) before any data leaves; clinical values are sealed with the patient's data key.
 */
export function createRecordsService({ sql, vault }: { sql: Sql; vault: Vault }) {
  const audit = auditWriter(sql);

  /** Decides, audits the decision, and throws the refusal (401 for the anonymous, 404 for the rest). */
  async function authorize(
    ctx: AccessContext,
    patientId: string,
    relation: Relation,
    action: RecordAction,
    resource: string,
    exists = true,
  ): Promise<Extract<Decision, { allowed: true }>> {
    const decision: Decision = exists
      ? decide(relation, action, ctx.accessReason)
      : { allowed: false, answer: relation === 'anonymous' ? 'unauthorized' : 'not_found' };
    await audit([entry(ctx, patientId, action, resource, decision)]);
    if (decision.allowed) return decision;
    if (decision.answer === 'unauthorized') throw new AppError('unauthorized', 'Sign in to see records');
    throw notFound('Patient record');
  }

  /** Opens the sealed record (after the access was decided and audited). */
  async function readFields(
    patientId: string,
    row: store.SealedRecord | undefined,
  ): Promise<(RecordFields & { updatedAt: Date }) | undefined> {
    if (!row) return undefined;
    const text = async (column: store.RecordColumn) => {
      const sealed = row[column];
      return sealed ? vault.open(patientId, recordPlace(patientId, column), sealed) : null;
    };
    const list = async (column: store.RecordColumn) => {
      const json = await text(column);
      return json ? (JSON.parse(json) as string[]) : [];
    };
    const [dateOfBirth, sex, allergies, conditions, medications, notes] = await Promise.all([
      text('dateOfBirth'),
      text('sex'),
      list('allergies'),
      list('conditions'),
      list('medications'),
      text('notes'),
    ]);
    return {
      dateOfBirth,
      sex: sex as RecordFields['sex'],
      allergies,
      conditions,
      medications,
      notes,
      updatedAt: row.updatedAt,
    };
  }

  async function view(
    patient: store.PatientContact,
    scope: 'clinical' | 'contact',
    row: Promise<store.SealedRecord | undefined>,
  ): Promise<RecordView> {
    if (scope === 'contact') return { patient, scope };
    const fields = await readFields(patient.id, await row);
    return {
      patient,
      scope,
      dateOfBirth: fields?.dateOfBirth ?? null,
      sex: fields?.sex ?? null,
      allergies: fields?.allergies ?? [],
      conditions: fields?.conditions ?? [],
      medications: fields?.medications ?? [],
      notes: fields?.notes ?? null,
      updatedAt: fields?.updatedAt.toISOString() ?? null,
    };
  }

  async function relationOf(ctx: AccessContext, patientId: string) {
    const [relation, patient] = await Promise.all([
      store.relationToPatient(sql, ctx.principal, patientId),
      store.findPatient(sql, patientId),
    ]);
    return { relation, patient, exists: patient !== undefined };
  }

  return {
    /** GET /v1/patients/:id/record. */
    async getRecord(ctx: AccessContext, patientId: string): Promise<RecordView> {
      const { relation, patient, exists } = await relationOf(ctx, patientId);
      // Fetched beside the audit append (only opened once the read is decided and audited).
      const row = store.findRecord(sql, patientId);
      row.catch(() => {});
      const decision = await authorize(ctx, patientId, relation, 'read-record', 'record', exists);
      return view(patient!, decision.scope === 'contact' ? 'contact' : 'clinical', row);
    },

    /** PUT /v1/patients/:id/record: sets the given fields; a patient only their profile fields. */
    async putRecord(ctx: AccessContext, patientId: string, input: RecordInput): Promise<RecordView> {
      const { relation, patient, exists } = await relationOf(ctx, patientId);
      const fields = Object.keys(input) as store.RecordColumn[];
      const decision = decide(relation, 'write-record', ctx.accessReason);
      if (
        exists &&
        decision.allowed &&
        decision.scope === 'profile' &&
        fields.some((f) => !(PROFILE_FIELDS as readonly string[]).includes(f))
      ) {
        await audit([
          entry(ctx, patientId, 'write-record', 'record', { allowed: false, answer: 'not_found' }),
        ]);
        throw forbidden(
          `Patients change only ${PROFILE_FIELDS.join(' and ')}; the rest is kept by their doctor`,
        );
      }
      await authorize(ctx, patientId, relation, 'write-record', `record:${fields.join(',')}`, exists);
      const sealed: Partial<Record<store.RecordColumn, Buffer | null>> = {};
      await Promise.all(
        fields.map(async (field) => {
          const value = input[field];
          const text = Array.isArray(value) ? JSON.stringify(value) : value;
          sealed[field] =
            text === null || text === undefined
              ? null
              : await vault.seal(patientId, recordPlace(patientId, field), text);
        }),
      );
      await store.upsertRecord(sql, patientId, ctx.principal!.userId, sealed);
      return view(patient!, 'clinical', store.findRecord(sql, patientId));
    },

    /** POST /v1/appointments/:id/notes: the appointment's doctor writes (or corrects) a note. */
    async addNote(
      ctx: AccessContext,
      appointmentId: string,
      body: { text: string; correctsId?: string | undefined },
    ): Promise<NoteView> {
      const target = await store.noteTarget(sql, ctx.principal, appointmentId);
      if (!target) {
        await audit([
          entry(ctx, null, 'write-note', `appointment:${appointmentId}`, {
            allowed: false,
            answer: 'not_found',
          }),
        ]);
        throw notFound('Appointment');
      }
      const resource = `appointment:${appointmentId}/notes`;
      await authorize(ctx, target.patientId, target.relation, 'write-note', resource);
      if (body.correctsId && (await store.notePatient(sql, body.correctsId)) !== target.patientId) {
        throw notFound('Corrected note');
      }
      const id = randomUUID();
      const textCiphertext = await vault.seal(target.patientId, notePlace(id), body.text);
      await store.insertNote(sql, {
        id,
        appointmentId,
        patientId: target.patientId,
        doctorId: target.doctorId,
        correctsId: body.correctsId ?? null,
        textCiphertext,
      });
      const row = (await store.findNote(sql, id))!;
      return noteView(row, body.text, []);
    },

    /** GET /v1/patients/:id/notes: oldest first, each with the notes that correct it. */
    async listNotes(ctx: AccessContext, patientId: string): Promise<NoteView[]> {
      const { relation, exists } = await relationOf(ctx, patientId);
      await authorize(ctx, patientId, relation, 'read-notes', 'notes', exists);
      const rows = await store.listNotes(sql, patientId);
      const texts = await Promise.all(
        rows.map((r) => vault.open(patientId, notePlace(r.id), r.textCiphertext)),
      );
      return rows.map((r, i) =>
        noteView(
          r,
          texts[i]!,
          rows.filter((o) => o.correctsId === r.id).map((o) => o.id),
        ),
      );
    },

    /** GET /v1/patients/:id/audit: who read or wrote the record, refusals included; newest first. */
    async patientAudit(
      ctx: AccessContext,
      patientId: string,
      page: { before?: string | undefined; limit: number },
    ): Promise<AuditItem[]> {
      const { relation, exists } = await relationOf(ctx, patientId);
      await authorize(ctx, patientId, relation, 'read-audit', 'audit', exists);
      return (await listAudit(sql, { patientId, ...page })).map(auditItem);
    },

    /** GET /v1/audit (admins): every row, optionally one patient's or one actor's. */
    async allAudit(
      ctx: AccessContext,
      f: {
        patientId?: string | undefined;
        actorId?: string | undefined;
        before?: string | undefined;
        limit: number;
      },
    ): Promise<AuditItem[]> {
      await audit([
        entry(ctx, f.patientId ?? null, 'read-audit', 'audit:all', {
          allowed: true,
          scope: 'audit',
          breakGlass: false,
        }),
      ]);
      return (await listAudit(sql, f)).map(auditItem);
    },

    /** For other areas (the visit reason in booking): append audit entries through the shared writer. */
    audit,
  };
}

function entry(
  ctx: AccessContext,
  patientId: string | null,
  action: RecordAction,
  resource: string,
  decision: Decision,
): AuditEntry {
  return {
    actorId: ctx.principal?.userId ?? null,
    actorRole: ctx.principal?.role ?? 'anonymous',
    patientId,
    action,
    resource,
    reason: ctx.accessReason ?? null,
    outcome: decision.allowed ? 'allowed' : 'denied',
    requestId: ctx.requestId,
    breakGlass: decision.allowed && decision.breakGlass,
  };
}

function noteView(r: store.NoteRow, text: string, correctedBy: string[]): NoteView {
  return {
    id: r.id,
    appointmentId: r.appointmentId,
    doctorId: r.doctorId,
    doctorName: r.doctorName,
    text,
    correctsId: r.correctsId,
    correctedBy,
    createdAt: r.createdAt.toISOString(),
  };
}

function auditItem(r: AuditListItem): AuditItem {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actorId: r.actorId,
    actorName: r.actorName,
    actorRole: r.actorRole,
    patientId: r.patientId,
    action: r.action,
    resource: r.resource,
    ...(r.reason ? { reason: r.reason } : {}),
    outcome: r.outcome,
    breakGlass: r.breakGlass,
    requestId: r.requestId,
  };
}
