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
 * keeps a transaction's statements, and each extended-protocol batch, together across connections.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  maxConnections: number,
): Promise<EmbeddedPostgres> {
  const pgdata = join(dataDir, 'pgdata');
  const created = !existsSync(pgdata);
  await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: pgdata, extensions: { btree_gist } });
  const server = new PGLiteSocketServer({
    db: keepBatchesWhole(db),
    host: '127.0.0.1',
    port: 0,
    maxConnections,
  });
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

/** Extended-protocol messages that leave a batch open until its Sync: Parse, Bind, Describe, Execute, Close, Flush. */
const BATCH_MESSAGES = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));

/**
 * PGlite is one session shared by every socket connection, and pglite-socket keeps one connection's
 * messages together only while a transaction is open (electric-sql/pglite#1046). Outside one, two
 * connections' Parse/Bind/Execute/Sync batches interleave and clobber the unnamed statement and portal:
 * `portal "" does not exist`, or another query's rows. This view of the database also reports "in a
 * transaction" from a batch's first message to its Sync, so the socket server's queue keeps it whole.
 */
function keepBatchesWhole(db: PGlite): PGlite {
  let inBatch = false;
  const execProtocolRawStream: PGlite['execProtocolRawStream'] = async (message, options) => {
    const type = message[0] ?? 0;
    try {
      await db.execProtocolRawStream(message, options);
    } finally {
      // Sync or a simple Query ends the batch; the startup packet (type 0) and others leave it as it was.
      if (BATCH_MESSAGES.has(type)) inBatch = true;
      else if (type !== 0) inBatch = false;
    }
  };
  const isInTransaction = () => inBatch || db.isInTransaction();
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'execProtocolRawStream') return execProtocolRawStream;
      if (prop === 'isInTransaction') return isInTransaction;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
