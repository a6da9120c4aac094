import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MnsEmulator, startMnsEmulator } from '../../emulator/mns/mns-emulator.js';
import { runAskp } from '../support/run-askp.js';

/**
 * The `askp` binary as an operator meets it: help, usage errors, and a clear message with the
 * documented exit code (docs/cli.md) for each way a deployment's settings can be wrong — without
 * ever echoing a password or secret.
 */
const PASSWORD = 'hunter2-do-not-print';
const ACCESS_KEY_ID = 'LTAI5tCliTest';
const ACCESS_KEY_SECRET = 'cli-test-secret-value';

/** A port nothing listens on: bound, then closed. */
const closedPort = async (): Promise<number> => {
  const server: Server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  return typeof address === 'object' && address ? address.port : 9;
};

describe('askp admin (the binary)', () => {
  let dir: string;
  let mns: MnsEmulator;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'askp-cli-'));
    mns = await startMnsEmulator({
      accessKeyId: ACCESS_KEY_ID,
      accessKeySecret: ACCESS_KEY_SECRET,
    });
  });

  afterAll(async () => {
    await mns.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists its commands with --help and exits 0', async () => {
    const result = await runAskp(['admin', '--help']);
    expect(result.code).toBe(0);
    for (const command of ['migrate', 'bootstrap', 'setup'])
      expect(result.stdout).toContain(command);
    const bootstrap = await runAskp(['admin', 'bootstrap', '--help']);
    expect(bootstrap.code).toBe(0);
    expect(bootstrap.stdout).toContain('--another-key');
  }, 60_000);

  it('exits 2 for an unknown command, an unknown option or a missing --tenant', async () => {
    const unknown = await runAskp(['admin', 'migrat']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "askp admin migrat"');
    const option = await runAskp(['admin', 'migrate', '--databse-url', 'x']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('--databse-url');
    const tenant = await runAskp(['admin', 'bootstrap'], { DATABASE_URL: 'pglite://memory' });
    expect(tenant.code).toBe(2);
    expect(tenant.stderr).toContain('--tenant');
  }, 60_000);

  it('exits 3 naming DATABASE_URL when no database is given or its scheme is wrong', async () => {
    const missing = await runAskp(['admin', 'migrate']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('DATABASE_URL');
    const wrong = await runAskp(['admin', 'migrate'], {
      DATABASE_URL: `mysql://admin:${PASSWORD}@db.internal/askp`,
    });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('postgres://');
    expect(wrong.stderr).not.toContain(PASSWORD);
  }, 60_000);

  it('exits 4 when the database cannot be reached, naming host and port but not the password', async () => {
    const port = await closedPort();
    const result = await runAskp(['admin', 'migrate'], {
      DATABASE_URL: `postgres://admin:${PASSWORD}@127.0.0.1:${port}/askp`,
    });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(`127.0.0.1:${port}/askp`);
    expect(result.stderr).not.toContain(PASSWORD);
  }, 60_000);

  it('migrates a local database once; the second run has nothing to apply', async () => {
    const url = `pglite://${join(dir, 'pg')}`;
    const first = await runAskp(['admin', 'migrate', '--database-url', url]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('applied 0001_initial');
    const second = await runAskp(['admin', 'migrate', '--database-url', url]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain('nothing to apply');
  }, 60_000);

  it('setup exits 3 without credentials and before touching the database', async () => {
    const result = await runAskp(['admin', 'setup'], {
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      ASKP_MNS_ENDPOINT: mns.url,
      ASKP_MNS_ACCOUNT_ID: '1000000000000001',
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('ALIBABA_CLOUD_ACCESS_KEY_ID');
  }, 60_000);

  it('setup exits 3 when MNS refuses the access key, without printing the secret', async () => {
    const result = await runAskp(['admin', 'setup'], {
      DATABASE_URL: `pglite://${join(dir, 'setup-pg')}`,
      ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY_ID,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'not-the-secret-at-all',
      ASKP_MNS_ENDPOINT: mns.url,
      ASKP_MNS_ACCOUNT_ID: '1000000000000001',
    });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('refused the credentials');
    expect(result.stderr).not.toContain('not-the-secret-at-all');
  }, 60_000);

  it('setup exits 4 when MNS cannot be reached', async () => {
    const port = await closedPort();
    const result = await runAskp(['admin', 'setup'], {
      DATABASE_URL: `pglite://${join(dir, 'setup-pg2')}`,
      ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY_ID,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET,
      ASKP_MNS_ENDPOINT: `http://127.0.0.1:${port}`,
      ASKP_MNS_ACCOUNT_ID: '1000000000000001',
    });
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toContain(`127.0.0.1:${port}`);
  }, 60_000);
});
