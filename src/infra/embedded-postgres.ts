import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** postgres:// URL of the loopback wire-protocol server. */
  url: string;
  /** True when this start created the data folder (an empty database). */
  created: boolean;
  close(): Promise<void>;
}

/**
 * Postgres in-process: PGlite persisted in DATA_DIR/pgdata, served over the wire protocol on a loopback
 * port so the same postgres.js code path runs on it. PGlite runs one query at a time; the socket server
 * keeps a transaction's statements together across connections.
 */
export async function startEmbeddedPostgres(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
  const pgdata = join(dataDir, 'pgdata');
  const created = !existsSync(pgdata);
  await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: pgdata, extensions: { btree_gist } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    created,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}
