import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { ERROR_STATUS, type ErrorCode, titleFor } from '../errors.js';

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
    const status = ERROR_STATUS[code];
    const body = JSON.stringify({
      type: `https://booking-hub.dev/problems/${code}`,
      title: titleFor(code),
      status,
      code,
      detail:
        code === 'headers_too_large' ? 'The URL or headers are too large' : 'The request could not be parsed',
      requestId: randomUUID(),
    });
    socket.end(
      `HTTP/1.1 ${status} ${titleFor(code)}\r\ncontent-type: application/problem+json\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
}
