/**
 * The architecture, checked by `npm run lint` (docs/architecture.md explains it):
 * - no cycles between folders of src/ (nor between files);
 * - the domain (every folder but the transports, jobs, cli and the composition root) imports none of
 *   http, realtime, jobs, cli, the composition root, hono or socket.io: what a domain service needs from
 *   them arrives as a small interface the service declares.
 */
const transports = '^src/(http|realtime|jobs|cli)/';
const root = '^src/(main|hub|services)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment: 'Folders of src/ depend on each other in one direction only.',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-file-cycles',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'domain-imports-no-transport',
      severity: 'error',
      comment: 'Domain code imports neither the transports, jobs, cli nor the composition root.',
      from: { path: '^src/', pathNot: [transports, root] },
      to: { path: [transports, root] },
    },
    {
      name: 'domain-imports-no-framework',
      severity: 'error',
      comment: 'Hono and Socket.IO belong to src/http and src/realtime.',
      from: { path: '^src/', pathNot: [transports, root] },
      to: { dependencyTypes: ['npm'], path: 'node_modules/(hono|@hono|socket\\.io|@socket\\.io|@bull-board)/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
  },
};
