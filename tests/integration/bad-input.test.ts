import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { client, createAccount, useTestHub } from '../helpers/harness.js';
import { errorPaths, expectProblem, type Problem } from '../helpers/problems.js';

const BODY_LIMIT = 2000;
const validRegistration = () => ({
  email: `fuzz-${randomUUID()}@example.com`,
  password: 'a long enough password',
  name: 'Fuzzy Patient',
});
const validClinic = () => ({
  name: 'Clinic',
  address: '1 Main Street',
  city: 'Berlin',
  timezone: 'Europe/Berlin',
  lat: 52.5,
  lon: 13.4,
});

describe('clients send the hub malformed, oversized and hostile input', () => {
  const hub = useTestHub({ BODY_LIMIT_BYTES: String(BODY_LIMIT) });
  const api = client(hub);
  let admin: string;
  const raw = (method: string, path: string, body: string, headers: Record<string, string> = {}) =>
    api.call<Problem>(method, path, { raw: body, headers });

  beforeAll(async () => {
    admin = (await createAccount(hub, 'admin')).token;
  });

  describe('bodies that are not the JSON object asked for', () => {
    it('malformed JSON is 400 validation_failed naming the body', async () => {
      for (const text of ['{', '{"email": }', "{'email': 'x'}", 'undefined', '{"a":1}}', '\u0000']) {
        const res = await raw('POST', '/v1/auth/register', text);
        expectProblem(res, 400);
        expect(res.body.code).toBe('validation_failed');
        expect(errorPaths(res.body)).toEqual(['body']);
      }
    });

    it('an empty body, null, an array, a string or a number where an object is expected is 400', async () => {
      for (const text of ['', 'null', '[]', '[{"email":"a@b.c"}]', '"register me"', '42', 'true']) {
        const res = await raw('POST', '/v1/auth/register', text);
        expectProblem(res, 400);
        expect(res.body.code).toBe('validation_failed');
        // An array is an object to the schema, so it is refused for its missing fields instead.
        expect(errorPaths(res.body).length, text).toBeGreaterThan(0);
        expect(
          errorPaths(res.body).every((p) => p === 'body' || p.startsWith('body.')),
          text,
        ).toBe(true);
      }
    });

    it('fields of the wrong type are each named', async () => {
      const res = await api.post<Problem>('/v1/auth/register', {
        email: 42,
        password: ['a'],
        name: { first: 'Ada' },
      });
      expectProblem(res, 400);
      expect(errorPaths(res.body).sort()).toEqual(['body.email', 'body.name', 'body.password']);
    });

    it('nested junk in every field is refused field by field', async () => {
      const junk = { $gt: '', nested: { deeper: [[[{}]]] } };
      const res = await api.post<Problem>(
        '/v1/clinics',
        { ...validClinic(), name: junk, lat: '52.5', lon: null },
        admin,
      );
      expectProblem(res, 400);
      expect(errorPaths(res.body).sort()).toEqual(['body.lat', 'body.lon', 'body.name']);
    });

    it('unknown fields are refused as "unknown field", so nobody can slip in a role', async () => {
      const res = await api.post<Problem>('/v1/auth/register', { ...validRegistration(), role: 'admin' });
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([{ path: 'body.role', message: 'unknown field' }]);
      const two = await api.post<Problem>('/v1/auth/register', {
        ...validRegistration(),
        isAdmin: true,
        clinicId: randomUUID(),
      });
      expectProblem(two, 400);
      expect(two.body.errors?.length).toBeGreaterThan(0);
      for (const error of two.body.errors ?? []) {
        expect(['body.isAdmin', 'body.clinicId']).toContain(error.path);
        expect(error.message).toBe('unknown field');
      }
    });

    it('__proto__, constructor and prototype keys neither pollute objects nor grant anything', async () => {
      for (const key of ['__proto__', 'constructor', 'prototype']) {
        const registration = validRegistration();
        const text = `{"${key}": {"role": "admin", "polluted": true}, ${JSON.stringify(registration).slice(1)}`;
        const res = await raw('POST', '/v1/auth/register', text);
        expectProblem(res, 400);
        expect(errorPaths(res.body)).toContain(`body.${key}`);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>).role).toBeUndefined();
    });

    it('strings longer than a field allows are 400, not truncated', async () => {
      const res = await api.post<Problem>('/v1/auth/register', {
        ...validRegistration(),
        name: 'x'.repeat(1500),
      });
      expectProblem(res, 400);
      expect(errorPaths(res.body)).toEqual(['body.name']);
    });

    it('NUL characters, which Postgres text cannot hold, are refused as bad input', async () => {
      const res = await api.post<Problem>('/v1/auth/register', {
        ...validRegistration(),
        name: 'Ada\u0000Lovelace',
      });
      expectProblem(res, 400);
      expect(errorPaths(res.body)).toEqual(['body.name']);
      const search = await api.get<Problem>(`/v1/doctors?q=${encodeURIComponent('a\u0000b')}`);
      expectProblem(search, 400);
      expect(errorPaths(search.body)).toEqual(['query.q']);
    });

    it('unicode names round-trip unchanged', async () => {
      const name = 'Zoë Ōtsuka-Nguyễn 李小龍 مريم 👩🏽‍⚕️';
      const res = await api.post<{ user: { name: string } }>('/v1/auth/register', {
        ...validRegistration(),
        name,
      });
      expect(res.status).toBe(201);
      expect(res.body.user.name).toBe(name);
    });

    it('a lone surrogate or an email with unicode tricks does not break anything', async () => {
      const lone = await raw(
        'POST',
        '/v1/auth/register',
        JSON.stringify({ ...validRegistration(), name: 'x' }).replace('"x"', '"\\ud800"'),
      );
      expect(lone.status).toBeLessThan(500);
      const homoglyph = await api.post<Problem>('/v1/auth/register', {
        ...validRegistration(),
        email: 'аdmin@exаmple.com',
      });
      expect(homoglyph.status).toBeLessThan(500);
    });
  });

  describe('bodies that are too big or of the wrong type', () => {
    it(`a body over BODY_LIMIT_BYTES (${BODY_LIMIT}) is 413 payload_too_large`, async () => {
      const res = await api.post<Problem>('/v1/auth/register', {
        ...validRegistration(),
        name: 'x'.repeat(BODY_LIMIT),
      });
      expectProblem(res, 413);
      expect(res.body.code).toBe('payload_too_large');
    });

    it('also when it arrives chunked, without a Content-Length', async () => {
      const chunk = new TextEncoder().encode(' '.repeat(1000));
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 5; i++) controller.enqueue(chunk);
          controller.close();
        },
      });
      const res = await fetch(`${hub.url}/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit & { duplex: 'half' });
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(((await res.json()) as Problem).code).toBe('payload_too_large');
    });

    it('a body just under the limit is read normally', async () => {
      const res = await api.post<Problem>('/v1/auth/register', {
        ...validRegistration(),
        name: 'x'.repeat(BODY_LIMIT - 300),
      });
      expectProblem(res, 400);
      expect(errorPaths(res.body)).toEqual(['body.name']);
    });

    it('a body that is not application/json is 415', async () => {
      const body = JSON.stringify(validRegistration());
      for (const type of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/jsonx',
      ]) {
        const res = await raw('POST', '/v1/auth/register', body, { 'content-type': type });
        expectProblem(res, 415);
        expect(res.body.code).toBe('unsupported_media_type');
      }
      const untyped = await fetch(`${hub.url}/v1/auth/register`, { method: 'POST', body: new Blob([body]) });
      expect(untyped.status).toBe(415);
    });

    it('application/json with a charset and vendor +json types are accepted', async () => {
      for (const type of ['application/json; charset=utf-8', 'application/merge-patch+json']) {
        const res = await raw('POST', '/v1/auth/register', JSON.stringify(validRegistration()), {
          'content-type': type,
        });
        expect(res.status, type).toBe(201);
      }
    });
  });

  describe('paths and query strings', () => {
    it('a path id that is not a UUID is 400 naming params.id', async () => {
      for (const id of ['123', 'not-a-uuid', "1' or '1'='1", '00000000-0000-0000-0000-00000000000g', '%00']) {
        for (const path of [
          `/v1/doctors/${encodeURIComponent(id)}`,
          `/v1/clinics/${encodeURIComponent(id)}`,
        ]) {
          const res = await api.get<Problem>(path);
          expectProblem(res, 400);
          expect(errorPaths(res.body), path).toEqual(['params.id']);
        }
      }
      const patch = await api.patch<Problem>('/v1/doctors/42', { bio: 'x' }, admin);
      expectProblem(patch, 400);
      expect(errorPaths(patch.body)).toEqual(['params.id']);
    });

    it('an unknown route is 404 problem+json', async () => {
      for (const [method, path] of [
        ['GET', '/v1/nothing-here'],
        ['GET', '/v2/doctors'],
        ['DELETE', '/v1/specialties'],
        ['POST', '/v1/doctors/search'],
        ['GET', `/v1/doctors/${randomUUID()}/unknown`],
      ] as const) {
        const res = await api.call<Problem>(method, path, { token: admin });
        expectProblem(res, 404);
        expect(res.body.code).toBe('not_found');
      }
    });

    it('a huge query string is refused as bad input', async () => {
      const long = await api.get<Problem>(`/v1/doctors?q=${'a'.repeat(8000)}`);
      expectProblem(long, 400);
      expect(errorPaths(long.body)).toEqual(['query.q']);

      const many = Array.from({ length: 500 }, (_, i) => `p${i}=${i}`).join('&');
      const res = await api.get<Problem>(`/v1/doctors?${many}`);
      expectProblem(res, 400);
      expect(res.body.errors?.every((e) => e.message === 'unknown field')).toBe(true);

      // Past Node's 16 KB header limit the HTTP parser answers before the app does: still problem+json.
      const oversized = await api.get<Problem>(`/v1/doctors?q=${'a'.repeat(20_000)}`);
      expectProblem(oversized, 431);
      expect(oversized.body.code).toBe('headers_too_large');
    });

    it('a repeated or array-style parameter does not crash the search', async () => {
      for (const query of [
        'specialty=cardiology&specialty=dermatology',
        'specialty[]=cardiology',
        'limit=1&limit=2',
        'q[$ne]=x',
      ]) {
        const res = await api.get(`/v1/doctors?${query}`);
        expect(res.status, query).toBeLessThan(500);
      }
    });
  });

  describe('random JSON (property-based)', () => {
    /** Characters that tend to break things (NUL, a lone surrogate, LIKE and quote metacharacters) among any others. */
    const unit = fc.oneof(
      fc.constantFrom('\u0000', '\ud800', '\\', '%', '_', "'", '"', '\u202e', '🩺'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    );
    const text = (minLength = 0) => fc.string({ unit, minLength });
    const anyJson = fc.jsonValue({ maxDepth: 3, stringUnit: unit });
    /** Objects with the right keys but values of any shape, so validation goes past the first check. */
    const nearlyRegistration = fc.record(
      { email: fc.oneof(fc.emailAddress(), anyJson), password: fc.oneof(text(10), anyJson), name: anyJson },
      { requiredKeys: [] },
    );
    const nearlyClinic = fc.record(
      {
        name: fc.oneof(text(), anyJson),
        address: fc.oneof(text(), anyJson),
        city: fc.oneof(text(), anyJson),
        timezone: fc.oneof(
          fc.constantFrom('Europe/Berlin', 'UTC', 'Etc/GMT+5', 'America/Argentina/Buenos_Aires'),
          text(),
          anyJson,
        ),
        lat: fc.oneof(fc.double(), anyJson),
        lon: fc.oneof(fc.double(), anyJson),
        phone: fc.oneof(text(), anyJson),
      },
      { requiredKeys: [] },
    );
    const queryKey = fc.oneof(
      fc.constantFrom(
        'specialty',
        'clinicId',
        'language',
        'maxFee',
        'q',
        'near',
        'radiusKm',
        'limit',
        'cursor',
      ),
      text(),
    );
    const queryValue = fc.oneof(
      text(),
      fc.double().map(String),
      fc.integer().map(String),
      anyJson.map((j) => JSON.stringify(j)),
    );

    it('POST /v1/auth/register never answers 5xx', async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(anyJson, nearlyRegistration), async (body) => {
          const res = await api.call('POST', '/v1/auth/register', { raw: JSON.stringify(body) ?? 'null' });
          expect(res.status, JSON.stringify(body)).toBeLessThan(500);
        }),
        { numRuns: 200 },
      );
    });

    it('POST /v1/clinics (as admin) never answers 5xx', async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(anyJson, nearlyClinic), async (body) => {
          const res = await api.call('POST', '/v1/clinics', {
            raw: JSON.stringify(body) ?? 'null',
            token: admin,
          });
          expect(res.status, JSON.stringify(body)).toBeLessThan(500);
        }),
        { numRuns: 200 },
      );
    });

    it('GET /v1/doctors?<random query> never answers 5xx', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(queryKey, queryValue), { maxLength: 6 }), async (pairs) => {
          const query = new URLSearchParams(pairs).toString();
          const res = await api.get(`/v1/doctors?${query}`);
          expect(res.status, query).toBeLessThan(500);
        }),
        { numRuns: 200 },
      );
    });
  });
});
