/**
 * The architecture, checked by `npm run lint` (docs/architecture.md explains it):
 * - no cycles between folders of src/ (nor between files);
 * - the domain (every folder but the transports, jobs, cli, the pages and the composition root) imports
 *   none of http, realtime, jobs, cli, web, the composition root, hono or socket.io: what a domain
 *   service needs from them arrives as a small interface the service declares;
 * - the pages (src/web, run in the browser) import only the socket client and the contract's types.
 */
const transports = '^src/(http|realtime|jobs|cli|web)/';
const root = '^src/(main|hub|services|backends)\\.ts$';

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
      name: 'pages-use-the-public-contract',
      severity: 'error',
      comment:
        'The pages (src/web) run in the browser: they reach the hub only through the public API and the socket client, and import types of the contract, never server code.',
      from: { path: '^src/web/' },
      to: {
        path: '^src/',
        pathNot: [
          '^src/web/',
          '^src/realtime/(client|socket-types)\\.ts$',
          '^src/events/(event-types|queue-event-data)\\.ts$',
        ],
      },
    },
    {
      name: 'nothing-imports-pages',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/web/' },
      to: { path: '^src/web/' },
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
    tsConfig: { fileName: 'tsconfig.web.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
    },
  },
};
