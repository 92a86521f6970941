import * as v from 'valibot';
import type { CalendarService } from '../../notifications/calendar.service.js';
import type { Router } from '../endpoint.js';
import { IdParams } from '../schemas.js';

const ICS = { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'private, max-age=300' };

export function calendarRoutes(r: Router, calendar: CalendarService, publicUrl: string | undefined): void {
  const tag = 'Calendar';

  r.add(
    {
      method: 'get',
      path: '/v1/appointments/:id/calendar.ics',
      tag,
      summary: 'One appointment as iCalendar (its patient, its doctor, clinic staff, admin)',
      access: 'signed-in',
      params: IdParams,
      responses: { 200: { description: 'text/calendar' } },
    },
    async (c, { params, principal }) => c.body(await calendar.appointment(principal, params.id), 200, ICS),
  );

  r.add(
    {
      method: 'post',
      path: '/v1/doctors/:id/calendar-token',
      tag,
      summary: 'Issue (or replace) the private calendar feed URL of a doctor; shown once',
      access: ['doctor', 'admin'],
      params: IdParams,
      responses: { 201: { description: 'The feed URL', schema: v.object({ url: v.string() }) } },
    },
    async (c, { params, principal }) => {
      const token = await calendar.issueFeedToken(principal, params.id);
      const base = publicUrl ?? new URL(c.req.url).origin;
      return c.json({ url: `${base}/v1/doctors/${params.id}/calendar.ics?token=${token}` }, 201);
    },
  );

  r.add(
    {
      method: 'delete',
      path: '/v1/doctors/:id/calendar-token',
      tag,
      summary: 'Revoke the private calendar feed URL',
      access: ['doctor', 'admin'],
      params: IdParams,
      responses: { 204: { description: 'Revoked' } },
    },
    async (c, { params, principal }) => {
      await calendar.revokeFeedToken(principal, params.id);
      return c.body(null, 204);
    },
  );

  r.add(
    {
      method: 'get',
      path: '/v1/doctors/:id/calendar.ics',
      tag,
      summary: "A doctor's appointments as a subscribable iCalendar feed (the token is the credential)",
      access: 'public',
      params: IdParams,
      query: v.strictObject({ token: v.pipe(v.string(), v.minLength(10), v.maxLength(100)) }),
      responses: { 200: { description: 'text/calendar' } },
    },
    async (c, { params, query }) => c.body(await calendar.feed(params.id, query.token), 200, ICS),
  );
}
