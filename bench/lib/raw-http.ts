import { connect, type Socket } from 'node:net';

/** One HTTP/1.1 answer: status and body text (bench answers are small JSON). */
export interface RawResponse {
  status: number;
  body: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Serializes a request once, so sending it costs one socket write. The bench's 1,000-way races
 * measure the hub, not the client: Node's fetch spent more CPU building and parsing 1,000 requests
 * than the hub spent answering them, on the same two cores.
 */
export function rawRequest(
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Buffer {
  const lines = [`${method} ${path} HTTP/1.1`, 'host: bench', 'connection: keep-alive'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
  if (body !== undefined) lines.push('content-type: application/json', `content-length: ${payload.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), payload]);
}

/**
 * A keep-alive HTTP/1.1 connection with one request in flight at a time. It reads what the hub sends
 * (Content-Length or chunked bodies) and nothing more: no redirects, no compression, no pipelining.
 * A connection the server closed while idle (its keep-alive timeout) is opened again on the next send.
 */
export class RawHttpConnection {
  private buffered: Buffer = Buffer.alloc(0);
  private waiting?: { resolve: (r: RawResponse) => void; reject: (e: Error) => void };
  private closed = false;
  private finished = false;
  private socket: Socket;

  private constructor(
    private readonly url: string,
    socket: Socket,
  ) {
    this.socket = socket;
    this.attach(socket);
  }

  private attach(socket: Socket): void {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      this.tryParse();
    });
    const fail = (err: Error) => {
      const w = this.waiting;
      this.waiting = undefined;
      w?.reject(err);
    };
    socket.on('error', fail);
    socket.on('close', () => {
      this.closed = true;
      fail(new Error('connection closed'));
    });
  }

  static async open(url: string): Promise<RawHttpConnection> {
    return new RawHttpConnection(url, await connectTo(url));
  }

  /** Sends a request built by rawRequest and resolves with its answer. */
  async send(request: Buffer): Promise<RawResponse> {
    if (this.waiting) throw new Error('a request is already in flight');
    if (this.finished) throw new Error('connection closed');
    if (this.closed) {
      this.socket = await connectTo(this.url);
      this.closed = false;
      this.buffered = Buffer.alloc(0);
      this.attach(this.socket);
    }
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(request);
    });
  }

  /** Closes for good: later sends fail instead of reconnecting. */
  close(): void {
    this.finished = true;
    this.socket.destroy();
  }

  private tryParse(): void {
    const headerEnd = this.buffered.indexOf(HEADER_END);
    if (headerEnd < 0 || !this.waiting) return;
    const head = this.buffered.subarray(0, headerEnd).toString('latin1');
    const status = Number(head.slice(9, 12));
    const lengthMatch = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    const start = headerEnd + HEADER_END.length;
    let body: string;
    let consumed: number;
    if (lengthMatch) {
      const length = Number(lengthMatch[1]);
      if (this.buffered.length < start + length) return;
      body = this.buffered.subarray(start, start + length).toString('utf8');
      consumed = start + length;
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const parsed = parseChunked(this.buffered, start);
      if (!parsed) return;
      ({ body, consumed } = parsed);
    } else {
      body = '';
      consumed = start;
    }
    this.buffered = this.buffered.subarray(consumed);
    const w = this.waiting;
    this.waiting = undefined;
    w.resolve({ status, body });
  }
}

function connectTo(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** A complete chunked body starting at `from`, or undefined while more bytes are due. */
function parseChunked(buf: Buffer, from: number): { body: string; consumed: number } | undefined {
  const parts: Buffer[] = [];
  let at = from;
  for (;;) {
    const lineEnd = buf.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(buf.subarray(at, lineEnd).toString('latin1'), 16);
    const dataStart = lineEnd + 2;
    if (buf.length < dataStart + size + 2) return undefined;
    if (size === 0) return { body: Buffer.concat(parts).toString('utf8'), consumed: dataStart + 2 };
    parts.push(buf.subarray(dataStart, dataStart + size));
    at = dataStart + size + 2;
  }
}

/** `count` connections to the hub, opened a few at a time so the listen backlog never overflows. */
export async function openConnections(url: string, count: number): Promise<RawHttpConnection[]> {
  const conns: RawHttpConnection[] = [];
  while (conns.length < count) {
    const batch = Math.min(100, count - conns.length);
    conns.push(...(await Promise.all(Array.from({ length: batch }, () => RawHttpConnection.open(url)))));
  }
  return conns;
}
