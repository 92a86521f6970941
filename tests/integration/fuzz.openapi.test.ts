import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { dateIn } from '../helpers/booking.js';
import { createAccount, type TestAccount, useTestApi } from '../helpers/harness.js';
import { scene } from '../helpers/scene.js';

type JsonSchema = {
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
};
type Operation = {
  parameters?: { name: string; in: 'path' | 'query'; schema: JsonSchema }[];
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
  security?: unknown[];
};
type OpenApi = { paths: Record<string, Record<string, Operation>> };

/** Values at the edges: of the calendar, of numbers, of size and depth, of Unicode. */
const EDGE_DATES = [
  '0000-01-01',
  '0001-01-01',
  '1899-12-31',
  '1900-01-01',
  '2200-12-31',
  '2201-01-01',
  '9999-12-31',
  '2026-02-30',
  '2024-02-29',
  '+275760-09-13',
];
const EDGE_INSTANTS = [
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '9999-12-31T23:59:59+99:00',
  '2200-12-31T23:59:59-23:59',
  '1900-01-01T00:00:00+14:00',
  '2026-03-29T02:30:00+01:00',
  '2026-13-01T00:00:00Z',
  '2026-01-01T24:00:00Z',
];
const ODD_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\ud800b',
  '\udfff',
  '\u202eevil',
  '\ufeff',
  '\uffff',
  'e\u0301\u0301\u0301',
  '🙂'.repeat(500),
  'x'.repeat(70_000),
  "'; drop table users; --",
  '../../etc/passwd',
  '%00',
  '{{7*7}}',
];
const ODD_NUMBERS = [0, -1, 1.5, -0, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, 1.2345678901234567e19];
/** A URL cannot carry a lone surrogate (it has no UTF-8 bytes): such text goes as U+FFFD, as a browser sends it. */
const encode = (s: string) => encodeURIComponent((s as string & { toWellFormed(): string }).toWellFormed());
const deep = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown;

const edgeValue = fc.oneof(
  fc.constantFrom(...EDGE_DATES, ...EDGE_INSTANTS, ...ODD_TEXT),
  fc.constantFrom(...ODD_NUMBERS),
  fc.constantFrom(null, true, false, [], {}, [[[]]], { a: { b: { c: {} } } }),
  fc.constant(deep(2000)),
  fc.constant(Array.from({ length: 5000 }, (_, i) => i)),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.anything({ maxDepth: 4 }),
);

/**
 * Clients that send anything at all, everywhere the OpenAPI document says input goes: for every route,
 * bodies built from its request schema with fields of the wrong type, at the edges of the calendar,
 * huge, deep or in odd Unicode; query values likewise; path values that are not ids, or ids of nothing.
 * As anyone, a patient, a doctor, the front desk or an admin. Nothing is a 5xx, and no answer carries
 * a stack trace.
 */
describe('every route of the OpenAPI document, fed generated junk', () => {
  const { hub, api } = useTestApi();
  let doc: OpenApi;
  let callers: (TestAccount | undefined)[];
  let ids: string[];
  /** The id a path's `{id}` most plausibly takes, by its resource: so requests get past "not found". */
  let idOf: (path: string) => string;
  beforeAll(async () => {
    const { clinic, doctorId, doctor, patient, free } = await scene(hub, { daysAhead: 2 });
    const staff = await createAccount(hub, 'staff', { clinicId: clinic.id });
    const admin = await createAccount(hub, 'admin');
    const booked = await api.post<{ id: string }>(
      '/v1/appointments',
      { doctorId, start: free[0]!.start },
      patient!.token,
    );
    // Admins may do the most, so they come up most often.
    callers = [undefined, patient, doctor, staff, admin, admin, admin];
    ids = [clinic.id, doctorId, patient!.id, doctor.id, booked.body.id, randomUUID()];
    idOf = (path) =>
      path.startsWith('/v1/doctors')
        ? doctorId
        : path.startsWith('/v1/clinics')
          ? clinic.id
          : path.startsWith('/v1/appointments')
            ? booked.body.id
            : patient!.id;
    doc = (await api.get<OpenApi>('/openapi.json')).body;
  });

  /**
   * A plausible value for a schema, so a body gets past its first field and the junk lands deeper.
   * `edgeDate` is the one calendar edge this request tries everywhere a date or an instant goes (a range
   * whose two ends are both in year 9999 passes the range checks and reaches the database).
   */
  function sample(schema: JsonSchema, edgeDate: string): fc.Arbitrary<unknown> {
    const options = schema.anyOf ?? schema.oneOf;
    if (options?.length) return fc.oneof(...options.map((o) => sample(o, edgeDate)));
    if (schema.const !== undefined) return fc.constant(schema.const);
    if (schema.enum?.length) return fc.constantFrom(...schema.enum);
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    switch (type) {
      case 'object': {
        const entries = Object.entries(schema.properties ?? {});
        return fc.record(
          Object.fromEntries(
            entries.map(([k, s]) => [k, fc.oneof({ weight: 3, arbitrary: sample(s, edgeDate) }, edgeValue)]),
          ),
          {
            requiredKeys: schema.required?.filter((k) => entries.some(([key]) => key === k)) ?? [],
          },
        );
      }
      case 'array':
        return fc.array(schema.items ? fc.oneof(sample(schema.items, edgeDate), edgeValue) : edgeValue, {
          maxLength: 3,
        });
      case 'integer':
      case 'number':
        return fc.oneof(
          fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? 1000 }),
          fc.constantFrom(...ODD_NUMBERS),
        );
      case 'boolean':
        return fc.boolean();
      case 'string':
        if (schema.format === 'uuid') return fc.constantFrom(...ids);
        if (schema.format === 'date' || schema.pattern?.includes('\\d{4}-'))
          return fc.oneof(
            { weight: 8, arbitrary: fc.constant(edgeDate) },
            fc.constantFrom(dateIn(2), ...EDGE_DATES),
          );
        if (schema.format === 'date-time' || schema.format === 'iso-timestamp')
          return fc.oneof(
            { weight: 8, arbitrary: fc.constantFrom(`${edgeDate}T10:00:00Z`, `${edgeDate}T23:59:59-12:00`) },
            fc.constantFrom(`${dateIn(2)}T10:00:00+01:00`, ...EDGE_INSTANTS),
          );
        return fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...ODD_TEXT));
      default:
        return edgeValue;
    }
  }

  const pathValue = (path: string) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constant(idOf(path)) },
      fc.constantFrom(...ids),
      fc.constantFrom(
        'not-a-uuid',
        '0',
        '-1',
        '..',
        '%2e%2e%2f',
        '%00',
        '%F0%9F%99%82',
        'a'.repeat(300),
        'null',
      ),
      fc.string({ minLength: 1, maxLength: 20 }).map(encode),
    );

  const queryValue = (schema: JsonSchema, edgeDate: string) =>
    fc.oneof(
      {
        weight: 3,
        arbitrary: sample(schema, edgeDate).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
      },
      fc.constantFrom(...EDGE_DATES, ...ODD_TEXT.slice(0, 10)),
    );

  it('answers every generated request with less than 500, and never with a stack trace', async () => {
    const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
    );
    expect(routes.length).toBeGreaterThan(30);
    const seen: string[] = [];
    for (const { path, method, op } of routes) {
      const params = op.parameters ?? [];
      const pathParams = params.filter((p) => p.in === 'path');
      const queryParams = params.filter((p) => p.in === 'query');
      const bodySchema = op.requestBody?.content['application/json'].schema;
      // The ends of the calendar come up most: they are what Postgres refuses.
      const edge = fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom('0000-01-01', '0001-01-01', '9999-12-31') },
        fc.constantFrom(...EDGE_DATES),
      );
      const request = edge.chain((edgeDate) =>
        fc.record({
          caller: fc.nat({ max: callers.length - 1 }),
          pathValues: fc.tuple(...pathParams.map(() => pathValue(path))),
          query: fc.tuple(
            ...queryParams.map((p) => fc.option(queryValue(p.schema, edgeDate), { nil: undefined })),
          ),
          // Now and then a parameter the route does not know, or one given twice.
          extraQuery: fc.oneof(
            { weight: 6, arbitrary: fc.constant(undefined) },
            fc.constantFrom('from=0000-01-01', 'x=%00', 'date=9999-12-31&date=1', 'cursor=%FF'),
          ),
          body: bodySchema
            ? fc.oneof(
                { weight: 4, arbitrary: sample(bodySchema, edgeDate) },
                { weight: 1, arbitrary: edgeValue },
              )
            : fc.constant(undefined),
        }),
      );
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          // Signing out (or changing the password) would end the session the next runs use.
          const caller = path.startsWith('/v1/auth/logout') ? undefined : callers[r.caller];
          let url = path;
          pathParams.forEach((p, i) => {
            url = url.replace(`{${p.name}}`, r.pathValues[i] as string);
          });
          const query = queryParams
            .map((p, i) => (r.query[i] === undefined ? '' : `${p.name}=${encode(String(r.query[i]))}`))
            .filter(Boolean);
          if (r.extraQuery) query.push(r.extraQuery);
          if (query.length) url += `?${query.join('&')}`;
          const res = await api.call(method, url, {
            token: caller?.token,
            ...(method === 'GET' || method === 'DELETE' || r.body === undefined ? {} : { body: r.body }),
          });
          const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? '');
          const shown = `${method} ${url.slice(0, 300)} → ${res.status} ${text.slice(0, 300)}`;
          expect(res.status, shown).toBeLessThan(500);
          expect(text, shown).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.ts:\d+|PostgresError|Error: /);
        }),
        { numRuns: 25, seed: 20, endOnFailure: true },
      );
      seen.push(`${method} ${path}`);
    }
    expect(seen.length).toBe(routes.length);
  }, 120_000);
});
