import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { EXIT_CODES } from '../../cli/exit-codes.js';
import type { LocalStack } from '../../local/stack.js';
import { type ApiCall, type ApiCaller, httpApi, jsonOf } from '../support/api-client.js';
import { type CliStack, startCliStack } from '../support/cli-stack.js';
import { runAskp } from '../support/run-askp.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The real `askp node-pools` commands against the local stack: list a managed cluster's pools,
 * add one, scale it (a second time: already as asked), remove it — each `--wait` following the
 * change to its end — and exit 11 with the reason when the emulator fails the task.
 */
const NETWORK = { vpcId: 'vpc-emuhz01', vswitchIds: ['vsw-emuhz01a', 'vsw-emuhz01b'] };
const changeJson = z.looseObject({
  kind: z.string(),
  state: z.string(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
const poolsJson = z.looseObject({
  items: z.array(
    z.looseObject({ name: z.string(), desiredSize: z.number().nullable(), state: z.string() }),
  ),
});

describe('askp node-pools against the local stack', () => {
  let cli: CliStack | undefined;
  let stack: LocalStack;
  let env: Record<string, string>;
  let http: ApiCaller;
  const api = (call: Omit<ApiCall, 'key'>) => http({ ...call, key: stack.apiKey });

  beforeAll(async () => {
    cli = await startCliStack({ createSeconds: 2 });
    ({ stack, env } = cli);
    http = httpApi(stack.apiUrl);
    const tenants = jsonOf(
      await api({ method: 'GET', path: '/v1/admin/tenants' }),
      z.looseObject({ items: z.array(z.looseObject({ id: z.string() })) }),
    );
    for (const tenant of tenants.items) {
      await api({
        method: 'PUT',
        path: `/v1/admin/tenants/${tenant.id}/networks`,
        json: { networks: [{ region: 'cn-hangzhou', ...NETWORK }] },
      });
    }
  }, 120_000);

  afterAll(async () => {
    await cli?.stop();
  });

  it('lists, adds, scales and removes a pool with --wait; a failed task exits 11 with the reason', async () => {
    const created = await api({
      method: 'POST',
      path: '/v1/clusters',
      json: {
        name: 'cli-pools',
        region: 'cn-hangzhou',
        profile: 'managed',
        network: NETWORK,
        nodePools: [{ name: 'default', instanceTypes: ['ecs.g7.large'], desiredSize: 1 }],
      },
    });
    const { id } = jsonOf(created, z.looseObject({ id: z.string() }));
    await waitFor('the managed cluster to run', async () => {
      const view = jsonOf(
        await api({ method: 'GET', path: `/v1/clusters/${id}` }),
        z.looseObject({ state: z.string() }),
      );
      return view.state === 'running' ? view : undefined;
    });

    const listed = await runAskp(['node-pools', 'list', id], env);
    expect(listed.code).toBe(EXIT_CODES.ok);
    expect(listed.stdout).toMatch(/^NAME\s+ID\s+INSTANCE TYPES/m);
    expect(listed.stdout).toMatch(/^default\s+np-\S+\s+ecs\.g7\.large\s+1\s+1\/1\s+active/m);

    const added = await runAskp(
      [
        'node-pools',
        'add',
        id,
        '--name',
        'batch',
        '--instance-types',
        'ecs.c7.large,ecs.c7.xlarge',
        '--size',
        '2',
        '--disk-size',
        '80',
        '--wait',
        '-o',
        'json',
      ],
      env,
    );
    expect(added.code, added.stderr).toBe(EXIT_CODES.ok);
    expect(changeJson.parse(JSON.parse(added.stdout))).toMatchObject({
      kind: 'node-pool-create',
      state: 'succeeded',
    });
    expect(added.stderr).toContain('ack.stage');

    stack.ack.injectFault({ kind: 'fail-task', taskType: 'nodepool_update', message: 'no stock' });
    const failed = await runAskp(
      ['node-pools', 'scale', id, 'batch', '--size', '4', '--wait'],
      env,
    );
    expect(failed.code).toBe(EXIT_CODES.changeFailed);
    expect(failed.stderr).toMatch(/failed \(chg_[0-9a-z]+\): ACK_CHANGE_FAILED: /);

    const scaled = await runAskp(
      ['node-pools', 'scale', id, 'batch', '--size', '4', '--wait', '-o', 'json'],
      env,
    );
    expect(scaled.code, scaled.stderr).toBe(EXIT_CODES.ok);
    expect(changeJson.parse(JSON.parse(scaled.stdout)).state).toBe('succeeded');
    const again = await runAskp(['node-pools', 'scale', id, 'batch', '--size', '4'], env);
    expect(again.code).toBe(EXIT_CODES.ok);
    expect(again.stderr).toContain('already is as asked');

    const removed = await runAskp(['node-pools', 'remove', id, 'batch', '--wait'], env);
    expect(removed.code, removed.stderr).toBe(EXIT_CODES.ok);
    const pools = poolsJson.parse(
      JSON.parse((await runAskp(['node-pools', 'list', id, '-o', 'json'], env)).stdout),
    );
    expect(pools.items.map((pool) => [pool.name, pool.desiredSize])).toEqual([['default', 1]]);

    expect((await runAskp(['node-pools', 'scale', id, 'batch'], env)).code).toBe(EXIT_CODES.usage);
    expect((await runAskp(['node-pools', 'remove', id], env)).code).toBe(EXIT_CODES.usage);
  }, 180_000);
});
