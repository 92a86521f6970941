import type { Context } from 'hono';
import {
  AnalyticsQuery,
  ClinicAnalyticsSchema,
  DoctorAnalyticsSchema,
} from '../../analytics/analytics.schemas.js';
import type { AnalyticsService } from '../../analytics/analytics.service.js';
import { clinicCsv, doctorCsv } from '../../analytics/csv.js';
import { ResearchExportSchema, ResearchQuery } from '../../analytics/research.schemas.js';
import type { ResearchService } from '../../analytics/research.service.js';
import type { AppEnv } from '../context.js';
import type { Router } from '../endpoint.js';
import { IdParams } from '../schemas.js';

const wantsCsv = (c: Context<AppEnv>) => /\btext\/csv\b/i.test(c.req.header('accept') ?? '');

const csvResponse = (c: Context<AppEnv>, body: string, filename: string) =>
  c.body(body, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
  });

/** Practice analytics per doctor and clinic (JSON, or CSV with `Accept: text/csv`), and the research export. */
export function analyticsRoutes(r: Router, analytics: AnalyticsService, research: ResearchService): void {
  const tag = 'Analytics and research';

  r.add(
    {
      method: 'get',
      path: '/v1/doctors/:id/analytics',
      tag,
      summary:
        "A doctor's figures over local dates from–to (default the last 30 days): utilization, bookings, cancellations, no-shows, lead time, wait, consultation length, revenue, new vs returning patients, a weekday × hour heatmap and a daily series. `Accept: text/csv` gives CSV (`view=summary|daily`)",
      access: ['doctor', 'staff', 'admin'],
      params: IdParams,
      query: AnalyticsQuery,
      responses: { 200: { description: 'The figures', schema: DoctorAnalyticsSchema } },
    },
    async (c, { params, query, principal }) => {
      const result = await analytics.doctor(principal, params.id, query);
      if (!wantsCsv(c)) return c.json(result);
      return csvResponse(
        c,
        doctorCsv(result, query.view ?? 'summary'),
        `doctor-analytics-${result.from}-${result.to}.csv`,
      );
    },
  );

  r.add(
    {
      method: 'get',
      path: '/v1/clinics/:id/analytics',
      tag,
      summary:
        "A clinic's figures over local dates from–to, with the same figures for each of its doctors. `Accept: text/csv` gives a row per doctor and one for the clinic (`view=daily`: per doctor and day)",
      access: ['staff', 'admin'],
      params: IdParams,
      query: AnalyticsQuery,
      responses: { 200: { description: 'The figures', schema: ClinicAnalyticsSchema } },
    },
    async (c, { params, query, principal }) => {
      const result = await analytics.clinic(principal, params.id, query);
      if (!wantsCsv(c)) return c.json(result);
      return csvResponse(
        c,
        clinicCsv(result, query.view ?? 'summary'),
        `clinic-analytics-${result.from}-${result.to}.csv`,
      );
    },
  );

  r.add(
    {
      method: 'get',
      path: '/v1/research/flow',
      tag,
      summary:
        'De-identified patient flow for research: cells by specialty, weekday, hour, city and month (`by=`), months from–to, a cell under k distinct patients suppressed (and complementary cells), with a data dictionary',
      access: ['admin'],
      query: ResearchQuery,
      responses: { 200: { description: 'The export', schema: ResearchExportSchema } },
    },
    async (c, { query, principal }) => c.json(await research.flow(principal, query, c.get('requestId'))),
  );
}
