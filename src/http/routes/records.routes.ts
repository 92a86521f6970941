import type { Context } from 'hono';
import * as v from 'valibot';
import {
  AdminAuditQuery,
  AuditItemSchema,
  AuditQuery,
  NoteBody,
  NoteSchema,
  RecordBody,
  RecordSchema,
} from '../../records/records.schemas.js';
import type { AccessContext, RecordsService } from '../../records/records.service.js';
import type { AppEnv } from '../context.js';
import type { Router } from '../endpoint.js';
import { IdParams } from '../schemas.js';

/** The header an admin states their reason in for a break-glass read (kept in the audit log). */
export const ACCESS_REASON_HEADER = 'x-access-reason';

/**
 * Patient records, encounter notes and the audit log. The record routes are open to every caller so
 * that the records service decides and audits every attempt, the anonymous one too (it answers 401).
 */
export function recordRoutes(r: Router, records: RecordsService): void {
  const tag = 'Patient records';
  const access = (c: Context<AppEnv>): AccessContext => {
    const stated = c.req.header(ACCESS_REASON_HEADER)?.trim().slice(0, 500);
    return {
      principal: c.get('principal'),
      requestId: c.get('requestId'),
      accessReason: stated || undefined,
    };
  };

  r.add(
    {
      method: 'get',
      path: '/v1/patients/:id/record',
      tag,
      summary: `The record: the patient, a doctor who has or had an appointment with them, an admin with ${ACCESS_REASON_HEADER} (break-glass); the front desk of their clinic sees name and contact only; 404 for everyone else`,
      access: 'public',
      params: IdParams,
      responses: { 200: { description: 'The record', schema: RecordSchema } },
    },
    async (c, { params }) => c.json(await records.getRecord(access(c), params.id)),
  );

  r.add(
    {
      method: 'put',
      path: '/v1/patients/:id/record',
      tag,
      summary:
        'Set record fields (null clears one; fields left out stay): their doctor any field, the patient only dateOfBirth and sex',
      access: 'public',
      params: IdParams,
      body: RecordBody,
      responses: { 200: { description: 'The record as now stored', schema: RecordSchema } },
    },
    async (c, { params, body }) => c.json(await records.putRecord(access(c), params.id, body)),
  );

  r.add(
    {
      method: 'post',
      path: '/v1/appointments/:id/notes',
      tag,
      summary:
        "An encounter note by the appointment's own doctor (not on a cancelled one); notes never change: {correctsId} writes a correction",
      access: 'public',
      params: IdParams,
      body: NoteBody,
      responses: { 201: { description: 'The note', schema: NoteSchema } },
    },
    async (c, { params, body }) => c.json(await records.addNote(access(c), params.id, body), 201),
  );

  r.add(
    {
      method: 'get',
      path: '/v1/patients/:id/notes',
      tag,
      summary: 'The encounter notes, oldest first, for those who may read the record',
      access: 'public',
      params: IdParams,
      responses: { 200: { description: 'Notes', schema: v.object({ items: v.array(NoteSchema) }) } },
    },
    async (c, { params }) => c.json({ items: await records.listNotes(access(c), params.id) }),
  );

  r.add(
    {
      method: 'get',
      path: '/v1/patients/:id/audit',
      tag,
      summary:
        'Who read or wrote the record, refusals included, newest first (?before=<id>&limit=): the patient, admins',
      access: 'public',
      params: IdParams,
      query: AuditQuery,
      responses: {
        200: { description: 'Audit rows', schema: v.object({ items: v.array(AuditItemSchema) }) },
      },
    },
    async (c, { params, query }) =>
      c.json({ items: await records.patientAudit(access(c), params.id, query) }),
  );

  r.add(
    {
      method: 'get',
      path: '/v1/audit',
      tag,
      summary: 'The whole audit log, newest first (?patientId=&actorId=&before=&limit=): admins',
      access: ['admin'],
      query: AdminAuditQuery,
      responses: {
        200: { description: 'Audit rows', schema: v.object({ items: v.array(AuditItemSchema) }) },
      },
    },
    async (c, { query }) => c.json({ items: await records.allAudit(access(c), query) }),
  );
}
