import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { AppError, type ErrorCode } from '../errors.js';
import { problemFor } from './problem.js';

/**
 * Requests Node's HTTP parser rejects before Hono sees them (oversized headers or URL, broken syntax)
 * still get RFC 9457 problem+json, like every other error.
 */
export function answerParserErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const code: ErrorCode = err.code === 'HPE_HEADER_OVERFLOW' ? 'headers_too_large' : 'validation_failed';
    const detail =
      code === 'headers_too_large' ? 'The URL or headers are too large' : 'The request could not be parsed';
    const p = problemFor(new AppError(code, detail), randomUUID());
    const headers = Object.entries(p.headers).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.end(
      `HTTP/1.1 ${p.status} ${p.title}\r\n${headers.join('')}` +
        `content-length: ${Buffer.byteLength(p.body)}\r\nconnection: close\r\n\r\n${p.body}`,
    );
  });
}
