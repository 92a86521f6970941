import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson } from '../../src/webhooks/post.js';
import { isBlocked } from '../../src/webhooks/url-guard.js';

describe('webhook deliveries connect only to the address they checked', () => {
  let server: Server;
  let port: number;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('refuses at connect time a name that resolves to loopback (as a rebinding DNS answer would)', async () => {
    await expect(
      postJson(`http://localhost:${port}/hook`, {}, '{}', { allowPrivate: false, timeoutMs: 2000 }),
    ).rejects.toThrow(/private address/);
    expect(hits).toBe(0);
  });

  it('connects when private targets are allowed (tests, on-premise receivers)', async () => {
    expect(
      await postJson(`http://localhost:${port}/hook`, {}, '{}', { allowPrivate: true, timeoutMs: 2000 }),
    ).toBe(204);
    expect(hits).toBe(1);
  });

  it('blocks IPv6 forms that can carry an IPv4 address', () => {
    for (const address of [
      '::ffff:127.0.0.1',
      '::127.0.0.1',
      '64:ff9b::7f00:1',
      '2002:7f00:1::',
      'fe80::1',
      'fd00::1',
      '::1',
    ]) {
      expect(isBlocked(address), address).toBe(true);
    }
    for (const address of ['8.8.8.8', '2606:4700:4700::1111'])
      expect(isBlocked(address), address).toBe(false);
  });
});
