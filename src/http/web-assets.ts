import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The pages (src/web), one bundle each, plus the shared stylesheet. */
export const PAGES = ['patient', 'doctor', 'desk', 'display', 'admin'] as const;
export type Page = (typeof PAGES)[number];

export interface WebAsset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
}

const here = dirname(fileURLToPath(import.meta.url));
/** src/web from the sources (tsx), or dist/web prebuilt by `npm run build` next to the compiled server. */
const SOURCES = join(here, '..', 'web');
const PREBUILT = join(here, '..', 'web-dist');

/**
 * Builds the pages with esbuild, in memory, when the hub starts (a fraction of a second), so
 * `npm start` serves them with no set-up step; an image built with `npm run build` serves the files
 * bundled then. Everything is local: no CDN, the hub works offline.
 */
export async function loadWebAssets(): Promise<Map<string, WebAsset>> {
  if (existsSync(join(PREBUILT, 'app.css'))) return readPrebuilt();
  return buildWebAssets();
}

export async function buildWebAssets(outdir?: string): Promise<Map<string, WebAsset>> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: Object.fromEntries(PAGES.map((p) => [p, join(SOURCES, p, 'main.tsx')])),
    bundle: true,
    format: 'esm',
    splitting: true,
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    sourcemap: false,
    outdir: outdir ?? '/web',
    write: outdir !== undefined,
    chunkNames: 'chunk-[hash]',
    logLevel: 'silent',
  });
  const assets = new Map<string, WebAsset>();
  for (const file of result.outputFiles ?? []) {
    assets.set(file.path.slice(file.path.lastIndexOf('/') + 1), {
      body: new Uint8Array(file.contents),
      type: 'text/javascript; charset=utf-8',
    });
  }
  assets.set('app.css', {
    body: await readFile(join(SOURCES, 'shared', 'app.css')),
    type: 'text/css; charset=utf-8',
  });
  return assets;
}

async function readPrebuilt(): Promise<Map<string, WebAsset>> {
  const { readdir } = await import('node:fs/promises');
  const assets = new Map<string, WebAsset>();
  for (const name of await readdir(PREBUILT)) {
    const type = name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
    assets.set(name, { body: await readFile(join(PREBUILT, name)), type });
  }
  return assets;
}
