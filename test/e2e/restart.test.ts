import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { LocalStack } from '../../local/stack.js';
import { httpApi, jsonOf } from '../support/api-client.js';
import { startFastStack } from '../support/fast-stack.js';
import { waitFor } from '../support/wait-for.js';

/**
 * `npm start`, a cluster asked for, `npm start` stopped and started again on the same data
 * directory: the provision, the emulated cluster and the API key are all still there, and the
 * provision still reaches `running`.
 */
describe('local stack: a restart loses nothing', () => {
  let dataDir = '';
  let stack: LocalStack | undefined;

  const start = async () => startFastStack(dataDir, { createSeconds: 4 });

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps the provision and the emulated cluster across a restart, and reaches running', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'askp-restart-'));
    stack = await start();
    const key = stack.apiKey;
    const view = z.looseObject({
      id: z.string(),
      state: z.string(),
      clusterId: z.string().nullable(),
    });
    const created = await httpApi(stack.apiUrl)({
      method: 'POST',
      path: '/v1/clusters',
      key,
      json: { name: 'survivor', region: 'cn-hangzhou' },
    });
    const { id } = jsonOf(created, view);
    const get = async (s: LocalStack) =>
      jsonOf(await httpApi(s.apiUrl)({ method: 'GET', path: `/v1/clusters/${id}`, key }), view);
    // Stop while ACK is still creating the cluster.
    const provisioning = await waitFor('provisioning', async () => {
      const view = stack ? await get(stack) : undefined;
      return view?.state === 'provisioning' ? view : undefined;
    });
    await stack.stop();
    stack = undefined;

    stack = await start();
    expect(stack.apiKey).toBe(key);
    expect(stack.ack.listAllClusters().map((c) => c.clusterId)).toContain(provisioning.clusterId);
    const running = await waitFor('running after the restart', async () => {
      const view = stack ? await get(stack) : undefined;
      return view?.state === 'running' ? view : undefined;
    });
    expect(running.clusterId).toBe(provisioning.clusterId);
  });
});
