import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../shared/store/database.js';
import { connectEarly, takeEarlyPool } from '../../shared/store/early-connection.js';

/**
 * A function's bundle entry starts connecting before it loads the function
 * (functions/<fn>/entry.ts); openDatabase takes that pool over. A loopback listener sees when a
 * connection is opened; against PostgreSQL (TEST_DATABASE_URL) the handed-over pool answers.
 */
if (!process.env.TEST_DATABASE_URL) {
  process.stdout.write(
    'early-connection: PostgreSQL cases skipped, TEST_DATABASE_URL is not set (the query on the handed-over pool needs PostgreSQL)\n',
  );
}

describe('early database connection', () => {
  let server: Server;
  const sockets: Socket[] = [];
  let port = 0;

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const urlOf = (database: string) => `postgres://askp@127.0.0.1:${port}/${database}`;

  /**
   * The listener never answers: once the pool's connection arrived (`count` in all), drop it so
   * that the pool's connect fails, then end the pool.
   */
  const dropConnections = async (count: number) => {
    await expect.poll(() => sockets.length, { timeout: 5000 }).toBe(count);
    for (const socket of sockets) socket.destroy();
  };
  const end = async (pool: Promise<{ end(): Promise<void> }> | undefined, count: number) => {
    await dropConnections(count);
    await (await pool)?.end().catch(() => undefined);
  };

  it('opens a connection to a postgres:// URL before the app asks for the database', async () => {
    const before = sockets.length;
    connectEarly(urlOf('early'));
    await expect.poll(() => sockets.length, { timeout: 5000 }).toBe(before + 1);
    const pool = takeEarlyPool(urlOf('early'));
    expect(pool).toBeDefined();
    await end(pool, before + 1);
  });

  it('hands its pool over once, and only for the same URL', async () => {
    const before = sockets.length;
    connectEarly(urlOf('once'));
    expect(takeEarlyPool(urlOf('another'))).toBeUndefined();
    const pool = takeEarlyPool(urlOf('once'));
    expect(pool).toBeDefined();
    expect(takeEarlyPool(urlOf('once'))).toBeUndefined();
    await end(pool, before + 1);
  });

  it('lets openDatabase take the pool started for its URL', async () => {
    const before = sockets.length;
    connectEarly(urlOf('taken'));
    const opened = await openDatabase({ databaseUrl: urlOf('taken') });
    expect(takeEarlyPool(urlOf('taken'))).toBeUndefined();
    await dropConnections(before + 1);
    await opened.close().catch(() => undefined);
  });

  it.each([
    ['unset', undefined],
    ['PGlite', 'pglite://memory'],
    ['a KMS secret', 'kms-secret://askp-database'],
    ['not a database URL', 'mysql://host/db'],
  ])('starts nothing and throws nothing for %s', (_label, url) => {
    const before = sockets.length;
    expect(() => connectEarly(url)).not.toThrow();
    expect(takeEarlyPool(url ?? '')).toBeUndefined();
    expect(sockets.length).toBe(before);
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    'answers queries on PostgreSQL through the pool it started',
    async () => {
      const adminUrl = process.env.TEST_DATABASE_URL ?? '';
      const url = new URL(adminUrl);
      url.searchParams.set('application_name', `askp_early_${randomBytes(4).toString('hex')}`);
      connectEarly(url.toString());
      const opened = await openDatabase({ databaseUrl: url.toString() });
      try {
        const result = await sql<{ one: number }>`select 1 as one`.execute(opened.db);
        expect(result.rows).toEqual([{ one: 1 }]);
      } finally {
        await opened.close();
      }
    },
  );
});
