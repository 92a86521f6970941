import * as v from 'valibot';
import { AppointmentSchema } from '../../booking/booking.schemas.js';
import { AppError } from '../../errors.js';
import { DisplayViewSchema, QueueViewSchema } from '../../events/queue-event-data.js';
import {
  DelayBody,
  DisplayTokenBody,
  DisplayTokenCreatedSchema,
  DisplayTokenParams,
  DisplayTokenSchema,
  DisplayTokenString,
  QueueQuery,
  RoomBody,
  WalkInBody,
} from '../../queue/queue.schemas.js';
import type { QueueService } from '../../queue/queue.service.js';
import type { Router } from '../endpoint.js';
import { IdParams } from '../schemas.js';

/** The header a waiting-room screen sends its display token in (or `?token=`, for a plain browser URL). */
export const DISPLAY_TOKEN_HEADER = 'x-display-token';

/** The front desk's day: the queue, walk-ins, calling, delays, rooms, and the waiting-room display. */
export function queueRoutes(r: Router, queue: QueueService): void {
  const tag = 'Front desk';

  r.add(
    {
      method: 'get',
      path: '/v1/clinics/:id/queue',
      tag,
      summary:
        "The clinic's day (default today, clinic zone): per doctor who is in, who waits (position, estimated start), who is expected, how many are done",
      access: ['staff', 'admin'],
      params: IdParams,
      query: QueueQuery,
      responses: { 200: { description: 'The queue', schema: QueueViewSchema } },
    },
    async (c, { params, query, principal }) => c.json(await queue.queue(principal, params.id, query.date)),
  );

  r.add(
    {
      method: 'get',
      path: '/v1/clinics/:id/display',
      tag,
      summary: `The waiting-room board, tickets only: a display token of the clinic (${DISPLAY_TOKEN_HEADER} header or ?token=), or its staff`,
      access: 'public',
      params: IdParams,
      query: v.strictObject({ token: v.optional(DisplayTokenString) }),
      responses: { 200: { description: 'The board', schema: DisplayViewSchema } },
    },
    async (c, { params, query, principal }) => {
      const header = c.req.header(DISPLAY_TOKEN_HEADER);
      const displayToken = header ?? query.token;
      if (displayToken !== undefined) {
        if (!v.is(DisplayTokenString, displayToken))
          throw new AppError('unauthorized', 'Invalid display token');
        return c.json(await queue.display({ displayToken }, params.id));
      }
      if (!principal) throw new AppError('unauthorized', 'A display token or a staff login is needed');
      return c.json(await queue.display({ principal }, params.id));
    },
  );

  r.add(
    {
      method: 'post',
      path: '/v1/clinics/:id/walk-ins',
      tag,
      summary:
        'A walk-in: {doctorId, patientId} or {doctorId, patient: {name, phone?, email?}} (+ reason?), booked into the next free gap today and checked in',
      access: ['staff', 'admin'],
      params: IdParams,
      body: WalkInBody,
      responses: { 201: { description: 'Booked and checked in, with a ticket', schema: AppointmentSchema } },
    },
    async (c, { params, body, principal }) => c.json(await queue.walkIn(principal, params.id, body), 201),
  );

  r.add(
    {
      method: 'post',
      path: '/v1/doctors/:id/call-next',
      tag,
      summary:
        'Call the first waiting patient in (in_consultation); 409 queue_empty, 409 doctor_busy while someone is inside',
      access: ['doctor', 'staff', 'admin'],
      params: IdParams,
      responses: { 200: { description: 'The patient now in consultation', schema: AppointmentSchema } },
    },
    async (c, { params, principal }) => c.json(await queue.callNext(principal, params.id)),
  );

  r.add(
    {
      method: 'post',
      path: '/v1/doctors/:id/delay',
      tag,
      summary: 'Declare that the doctor runs late: {minutes 0–240, note?}; 0 clears it',
      access: ['doctor', 'staff', 'admin'],
      params: IdParams,
      body: DelayBody,
      responses: {
        200: {
          description: 'The delay now in force',
          schema: v.object({ doctorId: v.string(), delayMinutes: v.number(), note: v.optional(v.string()) }),
        },
      },
    },
    async (c, { params, body, principal }) => c.json(await queue.declareDelay(principal, params.id, body)),
  );

  r.add(
    {
      method: 'put',
      path: '/v1/doctors/:id/room',
      tag,
      summary: 'The room the display sends this doctor\'s patients to: {room} ("Room 3"), null clears it',
      access: ['doctor', 'staff', 'admin'],
      params: IdParams,
      body: RoomBody,
      responses: {
        200: {
          description: 'The room',
          schema: v.object({ doctorId: v.string(), room: v.nullable(v.string()) }),
        },
      },
    },
    async (c, { params, body, principal }) => c.json(await queue.setRoom(principal, params.id, body.room)),
  );

  r.add(
    {
      method: 'post',
      path: '/v1/clinics/:id/display-tokens',
      tag,
      summary: 'A token for a waiting-room screen: {label} → the token and its URL, shown once',
      access: ['staff', 'admin'],
      params: IdParams,
      body: DisplayTokenBody,
      responses: { 201: { description: 'Created', schema: DisplayTokenCreatedSchema } },
    },
    async (c, { params, body, principal }) =>
      c.json(await queue.createDisplayToken(principal, params.id, body.label), 201),
  );

  r.add(
    {
      method: 'get',
      path: '/v1/clinics/:id/display-tokens',
      tag,
      summary: "The clinic's display tokens with when each was last seen (revoked ones too)",
      access: ['staff', 'admin'],
      params: IdParams,
      responses: { 200: { description: 'Tokens', schema: v.object({ items: v.array(DisplayTokenSchema) }) } },
    },
    async (c, { params, principal }) =>
      c.json({ items: await queue.listDisplayTokens(principal, params.id) }),
  );

  r.add(
    {
      method: 'delete',
      path: '/v1/clinics/:id/display-tokens/:tokenId',
      tag,
      summary: 'Revoke a display token: refused from its next request, its screens disconnected at once',
      access: ['staff', 'admin'],
      params: DisplayTokenParams,
      responses: { 204: { description: 'Revoked' } },
    },
    async (c, { params, principal }) => {
      await queue.revokeDisplayToken(principal, params.id, params.tokenId);
      return c.body(null, 204);
    },
  );
}
