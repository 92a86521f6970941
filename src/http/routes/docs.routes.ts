import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Hono } from 'hono';
import type { AppEnv } from '../context.js';
import type { Router } from '../endpoint.js';
import { buildOpenApi } from '../openapi.js';

const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>booking-hub API</title><link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body>
</html>`;
const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', persistAuthorization: true });`;

/**
 * `/openapi.json` and an interactive docs page at `/docs`, served from the local swagger-ui-dist
 * package so it works offline and under a strict Content-Security-Policy (no inline script).
 */
export function docsRoutes(app: Hono<AppEnv>, router: Router, publicUrl: string | undefined): void {
  let document: string | undefined;
  app.get('/openapi.json', (c) => {
    document ??= JSON.stringify(buildOpenApi(router.endpoints, publicUrl));
    return c.body(document, 200, { 'content-type': 'application/json' });
  });
  app.get('/docs', (c) => c.html(PAGE));
  app.get('/docs/init.js', (c) => c.body(INIT, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.get('/docs/:asset', async (c) => {
    const asset = c.req.param('asset');
    const type = ASSETS[asset];
    if (!type) return c.notFound();
    return c.body(await readFile(join(swaggerDir, asset)), 200, {
      'content-type': type,
      'cache-control': 'public, max-age=86400',
    });
  });
}
