import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { EXIT_CODES } from '../../cli/exit-codes.js';
import type { LocalStack } from '../../local/stack.js';
import { type CliStack, startCliStack } from '../support/cli-stack.js';
import { runAskp } from '../support/run-askp.js';

/**
 * The real `askp addons` commands against the local stack: list a cluster's addons, install one,
 * upgrade (nothing to do when ACK offers no newer version), reconfigure and remove it — each
 * `--wait` following the change to its end — and exit 11 with the reason when the emulator fails
 * the task; a config that is no JSON object is a usage error before anything is asked.
 */
const changeJson = z.looseObject({
  kind: z.string(),
  state: z.string(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
const addonsJson = z.looseObject({
  kubernetesVersion: z.string(),
  addons: z.array(
    z.looseObject({
      name: z.string(),
      version: z.string().nullable(),
      upgradeAvailable: z.boolean(),
    }),
  ),
});
const clusterJson = z.looseObject({ id: z.string() });

describe('askp addons against the local stack', () => {
  let cli: CliStack | undefined;
  let stack: LocalStack;
  let env: Record<string, string>;

  beforeAll(async () => {
    cli = await startCliStack({ createSeconds: 2 });
    ({ stack, env } = cli);
  }, 120_000);

  afterAll(async () => {
    await cli?.stop();
  });

  const namesOf = async (id: string) => {
    const listed = await runAskp(['addons', 'list', id, '-o', 'json'], env);
    expect(listed.code).toBe(EXIT_CODES.ok);
    return addonsJson.parse(JSON.parse(listed.stdout)).addons.map((addon) => addon.name);
  };

  it('lists, installs, upgrades, reconfigures and removes an addon with --wait; a failed task exits 11', async () => {
    const created = await runAskp(
      ['create', '--name', 'cli-addons', '--region', 'cn-hangzhou', '--wait', '-o', 'json'],
      env,
    );
    expect(created.code).toBe(EXIT_CODES.ok);
    const id = clusterJson.parse(JSON.parse(created.stdout)).id;

    const table = await runAskp(['addons', 'list', id], env);
    expect(table.code).toBe(EXIT_CODES.ok);
    expect(table.stdout).toMatch(/^NAME\s+VERSION\s+STATE\s+LATEST\s+UPGRADE/m);
    expect(table.stdout).toMatch(/^coredns\s+\S+\s+active\s+\S+\s+no/m);

    const badConfig = await runAskp(
      ['addons', 'install', id, 'metrics-server', '--config', '[1]'],
      env,
    );
    expect(badConfig.code).toBe(EXIT_CODES.usage);

    stack.ack.injectFault({ kind: 'fail-task', taskType: 'addon_install', message: 'boom' });
    const failed = await runAskp(
      ['addons', 'install', id, 'metrics-server', '--wait', '-o', 'json'],
      env,
    );
    expect(failed.code).toBe(EXIT_CODES.changeFailed);
    expect(failed.stderr).toMatch(/ACK_CHANGE_FAILED/);
    expect(changeJson.parse(JSON.parse(failed.stdout))).toMatchObject({
      kind: 'addon-install',
      state: 'failed',
    });
    expect(await namesOf(id)).toEqual(['coredns']);

    const installed = await runAskp(['addons', 'install', id, 'metrics-server', '--wait'], env);
    expect(installed.code).toBe(EXIT_CODES.ok);
    expect(installed.stderr).toContain('ack.stage');
    expect(await namesOf(id)).toContain('metrics-server');

    // ACK offers no newer version: nothing to do, exit 0.
    const upToDate = await runAskp(['addons', 'upgrade', id, 'metrics-server'], env);
    expect(upToDate.code).toBe(EXIT_CODES.ok);
    expect(upToDate.stderr).toContain('nothing to do');

    const refused = await runAskp(
      ['addons', 'upgrade', id, 'coredns', '--config', '{"Nope": "x"}'],
      env,
    );
    expect(refused.code).toBe(EXIT_CODES.apiError);
    expect(refused.stderr).toContain('field config');

    // A config alone is a reconfiguration (ModifyClusterAddon: no task, it ends at once).
    const reconfigured = await runAskp(
      ['addons', 'upgrade', id, 'coredns', '--config', '{}', '--wait', '-o', 'json'],
      env,
    );
    expect(reconfigured.code).toBe(EXIT_CODES.ok);
    expect(changeJson.parse(JSON.parse(reconfigured.stdout))).toMatchObject({
      kind: 'addon-config',
      state: 'succeeded',
    });

    const removed = await runAskp(
      ['addons', 'remove', id, 'metrics-server', '--wait', '-o', 'json'],
      env,
    );
    expect(removed.code).toBe(EXIT_CODES.ok);
    expect(changeJson.parse(JSON.parse(removed.stdout))).toMatchObject({
      kind: 'addon-uninstall',
      state: 'succeeded',
    });
    expect(await namesOf(id)).toEqual(['coredns']);

    const usage = await runAskp(['addons', 'remove', id], env);
    expect(usage.code).toBe(EXIT_CODES.usage);
  }, 180_000);
});
