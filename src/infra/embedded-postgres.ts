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
  /**
   * Every NOTIFY the database sends, as it leaves PGlite. The wire server hands a notification to the
   * connection whose statement produced it (PGlite is one session), not to the connection that
   * LISTENs, so postgres.js's `listen` never hears it; listen here instead.
   */
  onNotification(listener: (channel: string, payload: string) => void): () => void;
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
  const listeners = new Set<(channel: string, payload: string) => void>();
  const notify = (channel: string, payload: string) => {
    for (const listener of listeners) listener(channel, payload);
  };
  const server = new PGLiteSocketServer({
    db: servedView(db, notify),
    host: '127.0.0.1',
    port: 0,
    maxConnections,
  });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    created,
    onNotification(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      await server.stop();
      await db.close();
    },
  };
}

/** Extended-protocol messages that leave a batch open until its Sync: Parse, Bind, Describe, Execute, Close, Flush. */
const BATCH_MESSAGES = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));

/**
 * The database as the socket server sees it. PGlite is one session shared by every socket connection,
 * and pglite-socket keeps one connection's messages together only while a transaction is open
 * (electric-sql/pglite#1046). Outside one, two connections' Parse/Bind/Execute/Sync batches interleave
 * and clobber the unnamed statement and portal: `portal "" does not exist`, or another query's rows.
 * This view also reports "in a transaction" from a batch's first message to its Sync, so the socket
 * server's queue keeps it whole; and it reads the NotificationResponse messages in the output (see
 * EmbeddedPostgres.onNotification), which otherwise reached the relay only by its 1 s sweep.
 */
function servedView(db: PGlite, notify: (channel: string, payload: string) => void): PGlite {
  let inBatch = false;
  const execProtocolRawStream: PGlite['execProtocolRawStream'] = async (message, options) => {
    const type = message[0] ?? 0;
    const notifications = new NotificationReader();
    try {
      await db.execProtocolRawStream(message, {
        ...options,
        onRawData: (data) => {
          notifications.read(data);
          options.onRawData(data);
        },
      });
    } finally {
      for (const n of notifications.found) setImmediate(() => notify(n.channel, n.payload));
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

/** Backend message type of a NotificationResponse ('A'): int32 pid, channel\0, payload\0. */
const NOTIFICATION = 'A'.charCodeAt(0);

/**
 * Reads backend messages from output that may arrive in chunks of any size, keeping only the bodies of
 * NotificationResponses (everything else is skipped by its length, without copying).
 */
class NotificationReader {
  readonly found: { channel: string; payload: string }[] = [];
  private readonly header = Buffer.alloc(5);
  private headerLength = 0;
  private remaining = 0;
  private body: Buffer[] | undefined;

  read(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.remaining === 0) {
        const n = Math.min(5 - this.headerLength, chunk.length - i);
        this.header.set(chunk.subarray(i, i + n), this.headerLength);
        this.headerLength += n;
        i += n;
        if (this.headerLength < 5) return;
        this.remaining = this.header.readInt32BE(1) - 4;
        this.body = this.header[0] === NOTIFICATION ? [] : undefined;
        if (this.remaining <= 0) this.finish();
        continue;
      }
      const n = Math.min(this.remaining, chunk.length - i);
      this.body?.push(Buffer.from(chunk.subarray(i, i + n)));
      this.remaining -= n;
      i += n;
      if (this.remaining === 0) this.finish();
    }
  }

  private finish(): void {
    if (this.body) {
      const body = Buffer.concat(this.body);
      const channelEnd = body.indexOf(0, 4);
      const payloadEnd = body.indexOf(0, channelEnd + 1);
      this.found.push({
        channel: body.toString('utf8', 4, channelEnd),
        payload: body.toString('utf8', channelEnd + 1, payloadEnd),
      });
    }
    this.remaining = 0;
    this.headerLength = 0;
    this.body = undefined;
  }
}
