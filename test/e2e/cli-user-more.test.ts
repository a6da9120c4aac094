import { type ChildProcess, spawn } from 'node:child_process';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../cli/exit-codes.js';
import type { LocalStack } from '../../local/stack.js';
import { type CliStack, startCliStack } from '../support/cli-stack.js';
import { ASKP, runAskp } from '../support/run-askp.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The real `askp` binary's preflight, options, keys and webhooks listen commands, and the exit
 * code of a create --wait whose cluster fails, against the local stack.
 */

/** A running `askp` child process whose output the test can watch while it runs. */
interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number>;
}

const startAskp = (args: readonly string[], env: Record<string, string>): Running => {
  const child = spawn(process.execPath, [ASKP, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  return { child, stdout: () => out, stderr: () => err, exited };
};

describe('askp preflight, options, keys and webhooks listen against the local stack', () => {
  let cli: CliStack | undefined;
  let stack: LocalStack;
  let env: Record<string, string>;

  beforeAll(async () => {
    cli = await startCliStack({ createSeconds: 3 });
    ({ stack, env } = cli);
  }, 120_000);

  afterAll(async () => {
    await cli?.stop();
  });

  it('preflight prints the findings and the price lines and exits 0 when the create would pass', async () => {
    const result = await runAskp(
      ['preflight', '--name', 'pf-demo', '--region', 'cn-hangzhou'],
      env,
    );
    expect(result.code).toBe(EXIT_CODES.ok);
    expect(result.stdout).toMatch(/^CHECK\s+STATUS\s+MESSAGE/m);
    expect(result.stdout).toMatch(/^service-roles\s+PASS/m);
    expect(result.stdout).toMatch(/^kubernetes-version\s+PASS/m);
    expect(result.stdout).toMatch(/^COST ITEM\s+USD\/HOUR\s+USD\/MONTH/m);
    expect(result.stdout).toMatch(/^NAT gateway \(automatic network\)\s+\$\d/m);
    expect(result.stdout).toContain('ok: the create would pass these checks');
    const json = await runAskp(
      ['preflight', '--name', 'pf-demo', '--region', 'cn-hangzhou', '-o', 'json'],
      env,
    );
    const report = JSON.parse(json.stdout) as { ok: boolean; cost: { currency: string } };
    expect(report.ok).toBe(true);
    expect(report.cost.currency).toBe('USD');
    // Preflight creates nothing.
    const listed = await runAskp(['list', '-o', 'json'], env);
    expect(JSON.parse(listed.stdout)).toEqual([]);
  }, 60_000);

  it('preflight exits 10 naming the failing check when the version cannot be created', async () => {
    const result = await runAskp(
      [
        'preflight',
        '--name',
        'pf-demo',
        '--region',
        'cn-hangzhou',
        '--kubernetes-version',
        '1.0.0-aliyun.1',
      ],
      env,
    );
    // Preflight reports what the create's door would refuse as a failing finding, with the fix.
    expect(result.code).toBe(EXIT_CODES.preflightFailed);
    expect(result.stdout).toMatch(/^kubernetes-version\s+FAIL\s+1\.0\.0-aliyun\.1 cannot/m);
    expect(result.stdout).toContain('NOT ok');
    expect(result.stderr).toContain('preflight failed: kubernetes-version');
  }, 60_000);

  it('options lists regions with zones, versions and addons, and refuses an unknown region', async () => {
    const table = await runAskp(['options', '--region', 'cn-hangzhou'], env);
    expect(table.code).toBe(EXIT_CODES.ok);
    expect(table.stdout).toMatch(/^REGION\s+NAME\s+ZONES/m);
    expect(table.stdout).toMatch(/^cn-hangzhou \*\s+\S.*cn-hangzhou-[a-z]/m);
    expect(table.stdout).toMatch(/kubernetes versions: \S+ \(default\)/);
    expect(table.stdout).toMatch(/^coredns\s+\S+/m);
    const yaml = await runAskp(['options', '-o', 'yaml'], env);
    expect(yaml.stdout).toMatch(/^defaultZoneId: cn-hangzhou-/m);
    const unknown = await runAskp(['options', '--region', 'xx-nowhere-1'], env);
    expect(unknown.code).toBe(EXIT_CODES.apiError);
    expect(unknown.stderr).toContain('400');
  }, 60_000);

  it('keys create prints the new key alone, list shows it without a secret, revoke makes it 401', async () => {
    const mine = JSON.parse((await runAskp(['keys', 'list', '-o', 'json'], env)).stdout) as {
      tenantId: string;
    }[];
    const tenantId = mine[0]?.tenantId ?? '';
    expect(tenantId).toMatch(/^tnt_/);
    const created = await runAskp(
      ['keys', 'create', '--tenant', tenantId, '--scopes', 'clusters:read'],
      env,
    );
    expect(created.code).toBe(EXIT_CODES.ok);
    const key = created.stdout.trim();
    expect(key).toMatch(/^askp_[0-9a-z]+_\S+$/);
    expect(created.stderr).toContain('shown this once');
    expect(created.stderr).not.toContain(key);
    const keyId = /^askp_([0-9a-z]+)_/.exec(key)?.[1] ?? '';

    const listed = await runAskp(['keys', 'list', '--tenant', tenantId], env);
    expect(listed.stdout).toMatch(new RegExp(`^${keyId}\\s+${tenantId}\\s+clusters:read`, 'm'));
    expect(listed.stdout).not.toContain(key);

    const asNewKey = { ...env, ASKP_API_KEY: key };
    expect((await runAskp(['list'], asNewKey)).code).toBe(EXIT_CODES.ok);
    // A clusters:read key may not issue keys: the API's 403 becomes exit 8.
    const forbidden = await runAskp(
      ['keys', 'create', '--tenant', tenantId, '--scopes', 'admin'],
      asNewKey,
    );
    expect(forbidden.code).toBe(EXIT_CODES.apiError);
    expect(forbidden.stderr).toContain('403');

    const revoked = await runAskp(['keys', 'revoke', keyId, '-o', 'json'], env);
    expect(revoked.code).toBe(EXIT_CODES.ok);
    expect((JSON.parse(revoked.stdout) as { revokedAt: string | null }).revokedAt).not.toBeNull();
    expect((await runAskp(['list'], asNewKey)).code).toBe(EXIT_CODES.config);

    const usage = await runAskp(['keys', 'create', '--tenant', tenantId], env);
    expect(usage.code).toBe(EXIT_CODES.usage);
  }, 90_000);

  it('webhooks listen --register receives, verifies and prints the events of a new cluster, then removes its endpoint', async () => {
    const listener = startAskp(
      ['webhooks', 'listen', '--port', '0', '--register', '--count', '2', '-o', 'json'],
      { ...env, ASKP_WEBHOOK_SECRET: stack.webhookSecret },
    );
    try {
      const url = await waitFor(
        'the listener to start',
        async () => /listening on (http:\S+)/.exec(listener.stderr())?.[1],
      );
      expect(listener.stderr()).toMatch(/registered endpoint \S+/);

      // A request signed with another secret is refused and reported, and counts for nothing.
      const forger = new Webhook(
        `whsec_${Buffer.from('not the tenant secret').toString('base64')}`,
      );
      const forged = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': 'msg_forged',
          'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
          'webhook-signature': forger.sign('msg_forged', new Date(), '{}'),
        },
        body: '{}',
      });
      expect(forged.status).toBe(401);
      expect(listener.stderr()).toContain('rejected msg_forged');

      const created = await runAskp(
        ['create', '--name', 'hook-demo', '--region', 'cn-hangzhou'],
        env,
      );
      expect(created.code).toBe(EXIT_CODES.ok);
      const code = await listener.exited;
      expect(code).toBe(EXIT_CODES.ok);
      const events = listener
        .stdout()
        .trim()
        .split('\n')
        .map(
          (line) => JSON.parse(line) as { type: string; webhookId: string; data: { name: string } },
        );
      expect(events.map((e) => e.type)).toEqual(['cluster.provisioning', 'cluster.running']);
      expect(
        events.every((e) => e.data.name === 'hook-demo' && e.webhookId.startsWith('evt_')),
      ).toBe(true);
      expect(listener.stderr()).toMatch(/removed endpoint /);
      const endpoints = await fetch(`${stack.apiUrl}/v1/webhooks/endpoints`, {
        headers: { authorization: `Bearer ${stack.apiKey}` },
      });
      expect(((await endpoints.json()) as { items: unknown[] }).items).toEqual([]);
    } finally {
      listener.child.kill('SIGTERM');
    }
  }, 90_000);

  it('webhooks listen refuses a bad port and runs nowhere without a secret', async () => {
    expect((await runAskp(['webhooks', 'listen', '--port', 'x'], env)).code).toBe(EXIT_CODES.usage);
    const noSecret = await runAskp(['webhooks', 'listen', '--port', '0'], env);
    expect(noSecret.code).toBe(EXIT_CODES.config);
    expect(noSecret.stderr).toContain('--secret');
  });

  it('create --wait exits 7 with the reason when the cluster fails', async () => {
    stack.ack.injectFault({
      kind: 'fail-creation',
      namePattern: 'doomed',
      message: 'the emulator failed this creation',
    });
    const result = await runAskp(
      ['create', '--name', 'doomed', '--region', 'cn-hangzhou', '--wait'],
      env,
    );
    expect(result.code).toBe(EXIT_CODES.clusterFailed);
    expect(result.stderr).toMatch(/prv_\S+ failed: \S+/);
    expect(result.stderr).toMatch(/doomed failed/);
  }, 120_000);
});
