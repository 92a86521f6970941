import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { client, createClinic, createDoctor, useTestHub } from '../helpers/harness.js';
import { routeTable } from '../helpers/routes.js';

type OpenApi = {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
};

const ALLOWED_ORIGIN = 'https://app.clinic.example';
const METRICS_TOKEN = 'scraper-token-of-this-test';

describe('operators and browsers talk to a running hub', () => {
  const hub = useTestHub({
    CORS_ORIGINS: `${ALLOWED_ORIGIN}, https://admin.clinic.example`,
    METRICS_TOKEN,
  });
  const api = client(hub);

  describe('probes and metrics', () => {
    it('/healthz says the process is alive', async () => {
      const res = await api.get('/healthz');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('/readyz checks that Postgres and Redis answer', async () => {
      const res = await api.get('/readyz');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
    });

    it('/metrics labels request latency by route template, never by the raw id', async () => {
      const clinic = await createClinic(hub);
      const { doctor } = await createDoctor(hub, clinic.id);
      expect((await api.get(`/v1/doctors/${doctor.id}`)).status).toBe(200);
      const missing = randomUUID();
      expect((await api.get(`/v1/doctors/${missing}`)).status).toBe(404);
      const unknownPath = `/v1/no-such-thing-${randomUUID()}`;
      expect((await api.get(unknownPath)).status).toBe(404);

      // Only the scraper holding METRICS_TOKEN sees them; to anyone else there is nothing there.
      expect((await fetch(`${hub.url}/metrics`)).status).toBe(404);
      const wrong = await fetch(`${hub.url}/metrics`, {
        headers: { authorization: 'Bearer not-the-token-at-all' },
      });
      expect(wrong.status).toBe(404);
      const res = await fetch(`${hub.url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      expect(text).toContain('# TYPE http_request_duration_seconds histogram');
      expect(text).toMatch(
        /http_request_duration_seconds_count\{method="GET",route="\/v1\/doctors\/:id",status="200"\} 1\b/,
      );
      expect(text).toMatch(
        /http_request_duration_seconds_count\{method="GET",route="\/v1\/doctors\/:id",status="404"\} 1\b/,
      );
      for (const raw of [doctor.id, missing, unknownPath]) expect(text).not.toContain(raw);
      // Process metrics come along for free.
      expect(text).toContain('process_cpu_seconds_total');
    });
  });

  describe('request ids', () => {
    it('every response carries x-request-id, errors included, and the problem body repeats it', async () => {
      for (const path of ['/healthz', '/v1/specialties', '/v1/me', '/v1/nowhere', '/openapi.json']) {
        const res = await api.get(path);
        expect(res.headers.get('x-request-id'), path).toMatch(/^[\w.-]{8,128}$/);
        if (res.status >= 400) expect(res.body.requestId, path).toBe(res.headers.get('x-request-id'));
      }
    });

    it('ids differ from one request to the next', async () => {
      const [a, b] = await Promise.all([api.get('/healthz'), api.get('/healthz')]);
      expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
    });

    it('a sane incoming X-Request-Id is echoed; anything else is replaced', async () => {
      const sane = `trace-${randomUUID()}`;
      const echoed = await api.call('GET', '/v1/me', { headers: { 'x-request-id': sane } });
      expect(echoed.headers.get('x-request-id')).toBe(sane);
      expect(echoed.body.requestId).toBe(sane);

      for (const insane of ['short', 'has spaces in it', `${'x'.repeat(200)}`, '<script>alert(1)</script>']) {
        const res = await api.call('GET', '/healthz', { headers: { 'x-request-id': insane } });
        const id = res.headers.get('x-request-id');
        expect(id, insane).not.toBe(insane);
        expect(id, insane).toMatch(/^[0-9a-f-]{36}$/);
      }
    });
  });

  describe('the API documents itself', () => {
    let doc: OpenApi;
    beforeAll(async () => {
      const res = await api.get<OpenApi>('/openapi.json');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
      doc = res.body;
    });

    it('/openapi.json is OpenAPI 3.1', () => {
      expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    });

    it('lists the core routes', () => {
      for (const path of [
        '/v1/auth/register',
        '/v1/auth/login',
        '/v1/auth/refresh',
        '/v1/auth/logout',
        '/v1/me',
        '/v1/users',
        '/v1/specialties',
        '/v1/clinics',
        '/v1/clinics/{id}',
        '/v1/doctors',
        '/v1/doctors/{id}',
      ]) {
        expect(Object.keys(doc.paths)).toContain(path);
      }
      expect(Object.keys(doc.paths['/v1/doctors/{id}']!).sort()).toEqual(['get', 'patch']);
    });

    it('documents exactly the endpoints the app registers, each with its responses', () => {
      // The same composition the hub uses, without I/O: its Router knows every registered endpoint.
      const registered = routeTable(hub)
        .map((e) => `${e.method} ${e.path.replace(/:(\w+)/g, '{$1}')}`)
        .sort();
      const documented = Object.entries(doc.paths)
        .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`))
        .sort();
      expect(registered.length).toBeGreaterThanOrEqual(11);
      expect(documented).toEqual(registered);
      for (const ops of Object.values(doc.paths)) {
        for (const op of Object.values(ops)) expect(Object.keys(op.responses).length).toBeGreaterThan(0);
      }
    });

    it('/docs is an HTML page that loads swagger-ui from the hub itself', async () => {
      const page = await fetch(`${hub.url}/docs`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      const html = await page.text();
      expect(html).toContain('/docs/swagger-ui-bundle.js');

      for (const src of [...html.matchAll(/(?:src|href)="(\/docs\/[^"]+)"/g)].map((m) => m[1]!)) {
        const asset = await fetch(`${hub.url}${src}`);
        expect(asset.status, src).toBe(200);
        expect((await asset.arrayBuffer()).byteLength, src).toBeGreaterThan(0);
      }
      const bundle = await fetch(`${hub.url}/docs/swagger-ui-bundle.js`);
      expect(bundle.headers.get('content-type')).toContain('javascript');
      expect((await bundle.text()).length).toBeGreaterThan(100_000);
    });

    it('/docs serves only its own assets, not arbitrary files', async () => {
      for (const path of ['/docs/package.json', '/docs/..%2F..%2Fpackage.json', '/docs/index.html']) {
        const res = await api.get(path);
        expect(res.status, path).toBe(404);
      }
    });
  });

  describe('browsers', () => {
    it('an origin listed in CORS_ORIGINS is allowed, others are not', async () => {
      const allowed = await api.call('GET', '/v1/specialties', { headers: { origin: ALLOWED_ORIGIN } });
      expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(allowed.headers.get('access-control-expose-headers')).toContain('x-request-id');

      const other = await api.call('GET', '/v1/specialties', { headers: { origin: 'https://evil.example' } });
      expect(other.status).toBe(200);
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('every kind of answer carries the CORS and request-id headers: data, problems, assets, the admin refusal', async () => {
      for (const path of ['/v1/specialties', '/v1/nowhere', '/docs', '/admin/queues']) {
        const res = await fetch(`${hub.url}${path}`, { headers: { origin: ALLOWED_ORIGIN } });
        expect(res.headers.get('access-control-allow-origin'), path).toBe(ALLOWED_ORIGIN);
        expect(res.headers.get('x-request-id'), path).toBeTruthy();
        await res.arrayBuffer();
      }
    });

    it('preflight requests are answered for allowed origins only', async () => {
      const preflight = (origin: string) =>
        fetch(`${hub.url}/v1/clinics`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization, content-type',
          },
        });
      const allowed = await preflight(ALLOWED_ORIGIN);
      expect(allowed.status).toBeLessThan(300);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');

      const other = await preflight('https://evil.example');
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('responses carry secure headers', async () => {
      for (const path of ['/v1/specialties', '/docs', '/v1/nowhere']) {
        const res = await fetch(`${hub.url}${path}`);
        expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
        expect(res.headers.get('x-frame-options'), path).toBeTruthy();
        expect(res.headers.get('content-security-policy'), path).toContain("default-src 'self'");
        expect(res.headers.get('strict-transport-security'), path).toBeTruthy();
      }
    });
  });
});
