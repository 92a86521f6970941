import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A bench helper process (client swarm, plain baseline server) driven over Node IPC. It lives in its own
 * process for the same reasons the hub does: its own event loop, and its own file descriptors (10,000
 * sockets would not fit next to the hub's 10,000 under a 20,000 limit).
 *
 * Protocol: the parent sends `{ id, cmd, args }`, the child answers `{ id, ok, result | error }`;
 * `{ ready: true }` once at start and `{ progress, detail }` whenever it likes. Advanced serialization,
 * so typed arrays (receipt times) cross without JSON.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Monotonic milliseconds that every process on the machine agrees on (CLOCK_MONOTONIC, via uv_hrtime). */
export const monoMs = (): number => Number(process.hrtime.bigint()) / 1e6;

export interface RpcChild {
  pid: number;
  call<T>(cmd: string, args?: unknown, timeoutMs?: number): Promise<T>;
  onProgress(fn: ((done: number, detail: string) => void) | undefined): void;
  /** Resident memory of the child, bytes. */
  rss(): number;
  stop(): Promise<void>;
}

interface Reply {
  id?: number;
  ok?: boolean;
  result?: unknown;
  error?: string;
  ready?: boolean;
  progress?: number;
  detail?: string;
}

/** Starts `node --import tsx <script>` (path relative to the repository root) and waits for it to be ready. */
export async function spawnRpcChild(script: string, label: string): Promise<RpcChild> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let progress: ((done: number, detail: string) => void) | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.on('message', (raw) => {
    const m = raw as Reply;
    if (m.ready) return markReady();
    if (m.progress !== undefined) return progress?.(m.progress, m.detail ?? '');
    const p = m.id === undefined ? undefined : pending.get(m.id);
    if (!p) return;
    pending.delete(m.id!);
    if (m.ok) p.resolve(m.result);
    else p.reject(new Error(`${label}: ${m.error}`));
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      for (const p of pending.values())
        p.reject(new Error(`${label} exited (${code ?? signal}): ${stderr.trim().slice(-1500)}`));
      pending.clear();
      resolve();
    }),
  );
  await Promise.race([
    ready,
    exited.then(() => {
      throw new Error(`${label} exited during start: ${stderr.trim().slice(-1500)}`);
    }),
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`${label} did not start: ${stderr}`)), 30_000).unref(),
    ),
  ]);
  return {
    pid: child.pid!,
    call<T>(cmd: string, args?: unknown, timeoutMs = 120_000): Promise<T> {
      if (child.exitCode !== null || child.signalCode !== null)
        return Promise.reject(new Error(`${label} is not running: ${stderr.trim().slice(-1500)}`));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${label}: ${cmd} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v as T);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        child.send({ id, cmd, args });
      });
    },
    onProgress(fn) {
      progress = fn;
    },
    rss: () => readRss(child.pid!),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Child side: answers the parent's calls with `handlers`, exits when the parent goes away. */
export function serveRpc(handlers: Record<string, (args: never) => unknown>): void {
  if (!process.send) throw new Error('serveRpc must run in a child process with an IPC channel');
  const send = (m: Reply) => process.send?.(m);
  process.on('message', async (raw) => {
    const m = raw as { id: number; cmd: string; args: unknown };
    const handler = handlers[m.cmd];
    try {
      if (!handler) throw new Error(`unknown command ${m.cmd}`);
      send({ id: m.id, ok: true, result: await handler(m.args as never) });
    } catch (err) {
      send({ id: m.id, ok: false, error: (err as Error).message });
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
  send({ ready: true });
}

/** Child side: reports progress (connects so far). */
export function reportProgress(progress: number, detail = ''): void {
  process.send?.({ progress, detail });
}

export function readRss(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}
