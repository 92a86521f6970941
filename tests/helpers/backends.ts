import { describe } from 'vitest';

/** Settings that pick where a hub's Redis duties run (src/backends.ts). */
export type BackendEnv = Record<string, string>;

/**
 * Every backend of the Redis duties: Redis itself, and the embedded mode (memory and the database,
 * REDIS_URL=none). Contract suites run once on each, so the embedded mode cannot drift from production.
 */
export const BACKENDS: readonly { name: 'redis' | 'embedded'; env: BackendEnv }[] = [
  { name: 'redis', env: {} },
  { name: 'embedded', env: { REDIS_URL: 'none' } },
];

/** A describe block once per backend, its title ending in the backend's name; `body` gets its settings. */
export function describeOnEveryBackend(title: string, body: (backend: BackendEnv) => void): void {
  for (const b of BACKENDS) describe(`${title} [${b.name}]`, () => body(b.env));
}
