import { createServer, type Server } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../shared/store/database.js';

/**
 * The real `pg` driver asks for TLS first when DATABASE_URL names a remote host without sslmode.
 * A server that answers PostgreSQL's SSLRequest with "N" (no TLS here, the protocol's refusal)
 * shows it: the connection fails instead of going on in clear text. The host is spelled
 * `[::ffff:127.0.0.1]`, which is not loopback by name, so the remote default applies.
 */
const SSL_REQUEST_CODE = 80_877_103;

describe('TLS to PostgreSQL by default', () => {
  let server: Server;
  let port = 0;
  const sslRequests: number[] = [];

  beforeAll(async () => {
    server = createServer((socket) => {
      socket.once('data', (chunk) => {
        if (chunk.length >= 8 && chunk.readInt32BE(4) === SSL_REQUEST_CODE) {
          sslRequests.push(Date.now());
          socket.end('N');
        } else {
          socket.destroy();
        }
      });
    });
    await new Promise<void>((done) => server.listen(0, '::', done));
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });

  afterAll(async () => {
    await new Promise<void>((done) => server.close(() => done()));
  });

  it('refuses to talk in clear text to a remote server that offers no TLS', async () => {
    const opened = await openDatabase({
      databaseUrl: `postgres://askp:pw@[::ffff:127.0.0.1]:${port}/askp`,
      connectTimeoutMs: 5000,
    });
    try {
      await expect(sql`select 1`.execute(opened.db)).rejects.toThrow(/does not support SSL/);
    } finally {
      await opened.close();
    }
    expect(sslRequests.length).toBeGreaterThan(0);
  });

  it('sends no SSLRequest when the URL says sslmode=disable', async () => {
    const before = sslRequests.length;
    const opened = await openDatabase({
      databaseUrl: `postgres://askp:pw@[::ffff:127.0.0.1]:${port}/askp?sslmode=disable`,
      connectTimeoutMs: 5000,
    });
    try {
      await expect(sql`select 1`.execute(opened.db)).rejects.toThrow();
    } finally {
      await opened.close();
    }
    expect(sslRequests.length).toBe(before);
  });
});
