/**
 * Ctrl-C, as a terminal sends it, to `npm start` with a private redis-server: run INSIDE a network
 * namespace of its own (tests/integration/embedded-no-redis.test.ts), where nothing answers on
 * 127.0.0.1:6379 but redis-server is on PATH. Each round starts the hub in a process group of its own
 * (a terminal's foreground job), waits for its banner, sends SIGINT to the whole group, and records the
 * exit; then looks for what a round could leave behind. Prints `RESULT <json>`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from './process.js';

const rounds = Number(process.env.SCENARIO_ROUNDS ?? 20);
const dataDir = process.env.SCENARIO_DATA_DIR!;
// The hub's own temp folder, so what it leaves there is this scenario's alone.
const tmp = await mkdtemp(join(dataDir, 'tmp-'));

/**
 * The test database, when SCENARIO_PG_SOCKET names its server's unix socket (a file, so reachable from
 * this namespace): a loopback TCP port here forwards to it, so the hub skips the embedded Postgres's
 * start-up in every round. Without it the rounds run on the embedded Postgres (slower).
 */
async function databaseUrl(): Promise<string | undefined> {
  const socket = process.env.SCENARIO_PG_SOCKET;
  if (!socket) return undefined;
  const proxy = createServer((client) => {
    const server = connect(socket);
    client.pipe(server).pipe(client);
    client.on('error', () => server.destroy());
    server.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxy.unref();
  const address = proxy.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return `postgres://postgres@127.0.0.1:${port}/${process.env.SCENARIO_PG_DATABASE}`;
}
const DATABASE_URL = await databaseUrl();

interface Round {
  /** npm's exit: a terminal's Ctrl-C ends npm itself by SIGINT, whatever its script did. */
  exit: number | string;
  /** The hub logged that it closed everything (its last line before exit 0). */
  stopped: boolean;
  ms: number;
  bannerMs: number;
  private: boolean;
  troubles: string[];
}

async function round(): Promise<Round> {
  const started = Date.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TMPDIR: tmp,
      DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exit = new Promise<number | string>((resolve) =>
    child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const deadline = Date.now() + 60_000;
  while (!out.includes('booking-hub is running') && Date.now() < deadline && child.exitCode === null) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const bannered = out.includes('booking-hub is running');
  const bannerMs = Date.now() - started;
  if (child.exitCode === null) process.kill(-child.pid!, 'SIGINT');
  const code = await exit;
  if (!bannered) throw new Error(`npm start ended before its banner (${code}):\n${out.slice(-2000)}`);
  return {
    exit: code,
    ms: Date.now() - started,
    bannerMs,
    stopped: out.includes('"msg":"stopped"'),
    private: out.includes('private redis-server'),
    troubles: out
      .split('\n')
      .filter((l) => /ENOENT|MaxRetriesPerRequest|uncaught|"level":(50|60)/i.test(l))
      .slice(0, 5),
  };
}

/** Processes still running whose command line names this scenario's temp folder (a redis-server's --dir). */
async function leftoverProcesses(): Promise<number> {
  let count = 0;
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(tmp)) count++;
  }
  return count;
}

const results: Round[] = [];
for (let i = 0; i < rounds; i++) results.push(await round());
console.log(
  `RESULT ${JSON.stringify({
    rounds: results,
    leftFolders: (await readdir(tmp)).filter((f) => f.startsWith('bh-redis-')),
    leftProcesses: await leftoverProcesses(),
  })}`,
);
process.exit(0);
