import type { Context, Hono } from 'hono';
import type { AppEnv } from '../context.js';
import type { Page, WebAsset } from '../web-assets.js';

const TITLES: Record<Page, string> = {
  patient: 'Book a doctor',
  doctor: 'Doctor',
  desk: 'Front desk',
  display: 'Waiting room',
  admin: 'Administration',
};

/** The page shell: the app mounts into #app; the script and styles are the hub's own (no inline script). */
const shell = (page: Page) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${TITLES[page]} · booking-hub</title>
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/${page}.js"></script>
</head>
<body class="page-${page}"><div id="app"><p class="loading">Loading…</p></div></body>
</html>`;

/**
 * The pages people use, served by the hub itself: `/` (patients), `/doctor`, `/desk`,
 * `/display/:clinicId?token=` (the waiting-room board) and `/admin`, and their bundles under /assets.
 * Pages talk only to the public API and the socket contract.
 */
export function webRoutes(app: Hono<AppEnv>, assets: Promise<Map<string, WebAsset>>): void {
  const page = (name: Page) => (c: Context<AppEnv>) =>
    c.html(shell(name), 200, { 'cache-control': 'no-cache' });
  app.get('/', page('patient'));
  app.get('/doctor', page('doctor'));
  app.get('/desk', page('desk'));
  app.get('/display/:clinicId', page('display'));
  app.get('/admin', page('admin'));
  app.get('/assets/:file', async (c) => {
    const asset = (await assets).get(c.req.param('file'));
    if (!asset) return c.notFound();
    return c.body(asset.body, 200, { 'content-type': asset.type, 'cache-control': 'no-cache' });
  });
}
