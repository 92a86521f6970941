import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWebAssets } from '../http/web-assets.js';

/** `npm run build`: bundles the pages once into dist/web-dist, which the compiled hub then serves. */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'dist', 'web-dist');
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await buildWebAssets(out);
await copyFile(join(root, 'src', 'web', 'shared', 'app.css'), join(out, 'app.css'));
console.log(`pages built into ${out}`);
