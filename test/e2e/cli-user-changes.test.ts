import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { EXIT_CODES } from '../../cli/exit-codes.js';
import type { LocalStack } from '../../local/stack.js';
import { type CliStack, startCliStack } from '../support/cli-stack.js';
import { runAskp } from '../support/run-askp.js';

/**
 * The real `askp` binary's day-two commands against the local stack (issue #17): upgrade and
 * endpoint follow a change to its end with --wait (exit 11 and ACK's failure in our words when the
 * emulator fails the task), changes lists them, kubeconfig revoke, and templates from save to a
 * create that starts from one.
 */
const changeJson = z.looseObject({
  id: z.string(),
  kind: z.string(),
  state: z.string(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
const clusterJson = z.looseObject({
  id: z.string(),
  state: z.string(),
  spec: z.looseObject({ kubernetesVersion: z.string().optional() }),
});

describe('askp upgrade, endpoint, changes, kubeconfig revoke and templates against the local stack', () => {
  let cli: CliStack | undefined;
  let stack: LocalStack;
  let env: Record<string, string>;

  const runningCluster = async (name: string, more: readonly string[] = []): Promise<string> => {
    const created = await runAskp(
      ['create', '--name', name, '--region', 'cn-hangzhou', ...more, '--wait', '-o', 'json'],
      env,
    );
    expect(created.code).toBe(EXIT_CODES.ok);
    return clusterJson.parse(JSON.parse(created.stdout)).id;
  };

  beforeAll(async () => {
    cli = await startCliStack({ createSeconds: 2 });
    ({ stack, env } = cli);
  }, 120_000);

  afterAll(async () => {
    await cli?.stop();
  });

  it('upgrade --wait exits 11 with the reason when ACK fails the task, then 0 on the new version; changes lists both', async () => {
    const id = await runningCluster('cli-upgrade', ['--kubernetes-version', '1.32.1-aliyun.1']);

    const refused = await runAskp(['upgrade', id, '--version', '1.31.1-aliyun.1'], env);
    expect(refused.code).toBe(EXIT_CODES.apiError);
    expect(refused.stderr).toContain('400');
    expect(refused.stderr).toContain('field kubernetesVersion');
    const missing = await runAskp(['upgrade', id], env);
    expect(missing.code).toBe(EXIT_CODES.usage);

    stack.ack.injectFault({ kind: 'fail-task', taskType: 'cluster_upgrade', message: 'boom' });
    const failed = await runAskp(
      ['upgrade', id, '--version', '1.33.1-aliyun.1', '--wait', '-o', 'json'],
      env,
    );
    expect(failed.code).toBe(EXIT_CODES.changeFailed);
    expect(failed.stderr).toMatch(/failed \(chg_[0-9a-z]+\): ACK_CHANGE_FAILED: /);
    expect(changeJson.parse(JSON.parse(failed.stdout))).toMatchObject({
      kind: 'upgrade',
      state: 'failed',
      error: { code: 'ACK_CHANGE_FAILED' },
    });
    // The cluster is running as before, not stuck.
    const after = await runAskp(['get', id, '-o', 'json'], env);
    expect(clusterJson.parse(JSON.parse(after.stdout))).toMatchObject({
      state: 'running',
      spec: { kubernetesVersion: '1.32.1-aliyun.1' },
    });

    const done = await runAskp(['upgrade', id, '--version', '1.33.1-aliyun.1', '--wait'], env);
    expect(done.code).toBe(EXIT_CODES.ok);
    expect(done.stderr).toContain('ack.stage');
    expect(done.stderr).toMatch(/: succeeded$/m);
    expect(done.stdout).toMatch(/^ID\s+KIND\s+STATE/m);

    const table = await runAskp(['changes', id], env);
    expect(table.code).toBe(EXIT_CODES.ok);
    expect(table.stdout).toMatch(/^chg_\S+\s+upgrade\s+succeeded\s+T-/m);
    expect(table.stdout).toMatch(/^chg_\S+\s+upgrade\s+failed\s+.*ACK_CHANGE_FAILED/m);
    const json = z
      .array(changeJson)
      .parse(JSON.parse((await runAskp(['changes', id, '-o', 'json'], env)).stdout));
    expect(json.map((change) => change.state)).toEqual(['succeeded', 'failed']);
  }, 120_000);

  it('endpoint --public on --wait opens the endpoint, a second time says it is already open, and a bad value is a usage error', async () => {
    const id = await runningCluster('cli-endpoint');
    const opened = await runAskp(['endpoint', id, '--public', 'on', '--wait', '-o', 'json'], env);
    expect(opened.code).toBe(EXIT_CODES.ok);
    expect(changeJson.parse(JSON.parse(opened.stdout))).toMatchObject({
      kind: 'endpoint-access',
      state: 'succeeded',
    });
    const again = await runAskp(['endpoint', id, '--public', 'on'], env);
    expect(again.code).toBe(EXIT_CODES.ok);
    expect(again.stderr).toContain('already has its public endpoint open');
    const bad = await runAskp(['endpoint', id, '--public', 'yes'], env);
    expect(bad.code).toBe(EXIT_CODES.usage);

    // Without --wait the command exits once the change is accepted; a failed one shows in changes.
    stack.ack.injectFault({
      kind: 'fail-task',
      taskType: 'cluster_modify',
      message: 'no EIP quota',
    });
    const closing = await runAskp(['endpoint', id, '--public', 'off', '-o', 'json'], env);
    expect(closing.code).toBe(EXIT_CODES.ok);
    expect(closing.stderr).toContain(`askp changes ${id}`);
    const changeId = changeJson.parse(JSON.parse(closing.stdout)).id;
    let latest = changeJson.parse({ id: '', kind: '', state: 'pending', error: null });
    for (let i = 0; i < 120 && !['succeeded', 'failed'].includes(latest.state); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const listed = await runAskp(['changes', id, '-o', 'json'], env);
      latest =
        z
          .array(changeJson)
          .parse(JSON.parse(listed.stdout))
          .find((c) => c.id === changeId) ?? latest;
    }
    expect(latest).toMatchObject({ state: 'failed', error: { code: 'ACK_CHANGE_FAILED' } });
  }, 120_000);

  it('kubeconfig revoke --wait revokes what was issued; the plain kubeconfig command still prints one', async () => {
    const id = await runningCluster('cli-revoke');
    const issued = await runAskp(['kubeconfig', id], env);
    expect(issued.code).toBe(EXIT_CODES.ok);
    expect(issued.stdout).toContain('apiVersion: v1');
    const revoked = await runAskp(['kubeconfig', 'revoke', id, '--wait'], env);
    expect(revoked.code).toBe(EXIT_CODES.ok);
    expect(revoked.stdout).toMatch(/kubeconfig-revoke\s+succeeded/);
    const clusterId = (await stack.store.getProvision({ id }))?.clusterId;
    const inAck = stack.ack.listAllClusters().find((c) => c.clusterId === clusterId);
    expect(inAck?.kubeconfigsRevokedAt).toEqual(expect.any(Number));
    const usage = await runAskp(['kubeconfig', 'revoke'], env);
    expect(usage.code).toBe(EXIT_CODES.usage);
  }, 120_000);

  it('templates: create from a file and flags, list, show, update to version 2, create --template from it, delete', async () => {
    const file = join(cli?.home ?? '', 'small.yaml');
    await writeFile(file, 'region: cn-hangzhou\nlabels:\n  team: platform\n');
    const saved = await runAskp(['templates', 'create', 'small', '-f', file, '--ttl', '2h'], env);
    expect(saved.code).toBe(EXIT_CODES.ok);
    expect(saved.stderr).toContain('saved template small (version 1)');
    const twice = await runAskp(['templates', 'create', 'small', '-f', file], env);
    expect(twice.code).toBe(EXIT_CODES.apiError);
    expect(twice.stderr).toContain('409');

    const listed = await runAskp(['templates', 'list'], env);
    expect(listed.stdout).toMatch(/^small\s+1\s+\S+\s+labels,region,ttl$/m);
    const shown = await runAskp(['templates', 'show', 'small'], env);
    expect(shown.stdout).toContain('team: platform');

    const updated = await runAskp(
      ['templates', 'update', 'small', '-f', file, '--ttl', '3h', '-o', 'json'],
      env,
    );
    expect(updated.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(updated.stdout)).toMatchObject({
      name: 'small',
      version: 2,
      spec: { ttl: '3h' },
    });

    const fromTemplate = await runAskp(
      ['create', '--name', 'from-small', '--template', 'small', '-o', 'json'],
      env,
    );
    expect(fromTemplate.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(fromTemplate.stdout)).toMatchObject({
      region: 'cn-hangzhou',
      spec: { template: { name: 'small', version: 2 } },
    });
    const noRegion = await runAskp(['create', '--name', 'nowhere'], env);
    expect(noRegion.code).toBe(EXIT_CODES.usage);

    const deleted = await runAskp(['templates', 'delete', 'small'], env);
    expect(deleted.code).toBe(EXIT_CODES.ok);
    const gone = await runAskp(['templates', 'show', 'small'], env);
    expect(gone.code).toBe(EXIT_CODES.apiError);
    expect(gone.stderr).toContain('404');
  }, 120_000);
});
