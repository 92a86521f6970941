import os from 'node:os';
import type { Redis } from 'ioredis';
import type postgres from 'postgres';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string;
  redis: string;
}

export async function describeMachine(admin: postgres.Sql, redis: Redis): Promise<Machine> {
  const [pg] = await admin<{ version: string }[]>`select current_setting('server_version') as version`;
  const info = await redis.info('server');
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: pg?.version ?? 'unknown',
    redis: /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? 'unknown',
  };
}
