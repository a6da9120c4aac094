import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.js';
import { startFastStack } from '../support/fast-stack.js';
import { waitFor } from '../support/wait-for.js';

/**
 * What a person watching a creation sees, over HTTP against the local stack: the progress field
 * while provisioning, ACK's stages in the timeline, and the service's metrics afterwards.
 */
describe('local stack: creation progress and metrics', () => {
  let dataDir: string;
  let stack: LocalStack;

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${stack.apiUrl}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${stack.apiKey}`,
        'content-type': 'application/json',
        ...init.headers,
      },
    });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'askp-e2e-progress-'));
    stack = await startFastStack(dataDir, { createSeconds: 6 });
  });

  afterAll(async () => {
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows the stage under way while provisioning and every stage in the timeline', async () => {
    const created = await api('/v1/clusters', {
      method: 'POST',
      body: JSON.stringify({ name: 'watched', region: 'cn-hangzhou' }),
    });
    const { id } = (await created.json()) as { id: string };
    const seen = new Set<string>();
    await waitFor(
      'the provision to be running',
      async () => {
        const body = (await (await api(`/v1/clusters/${id}`)).json()) as {
          state: string;
          progress: { stage: string | null; completedStages: number; totalStages: number } | null;
        };
        if (body.state === 'provisioning' && body.progress?.stage)
          seen.add(`${body.progress.stage} ${body.progress.completedStages}/3`);
        if (body.state === 'running') {
          expect(body.progress).toBeNull();
          return body;
        }
        if (body.state === 'provisioning') expect(body.progress?.totalStages).toBe(3);
        return undefined;
      },
      60_000,
      200,
    );
    // Two seconds a stage and a poller tick every half second: the middle stage is seen live.
    expect(seen).toContain('CreateControlPlane 1/3');
    const { events } = (await (await api(`/v1/clusters/${id}/events`)).json()) as {
      events: { type: string; message: string; source: string }[];
    };
    const stages = events.filter((event) => event.type === 'ack.stage');
    expect(stages.map((event) => event.message)).toEqual(
      expect.arrayContaining([
        'stage CreateNetwork succeeded',
        'stage CreateControlPlane succeeded',
        'stage InstallAddons succeeded',
      ]),
    );
    expect(new Set(stages.map((event) => event.message)).size).toBe(stages.length);
    expect(stages.every((event) => event.source === 'ack')).toBe(true);
    const types = events.map((event) => event.type);
    expect(types.lastIndexOf('ack.stage')).toBeLessThan(types.indexOf('ack.running'));
  });

  it('serves the metrics as Prometheus text to an admin key only', async () => {
    const response = await api('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toMatch(/^askp_provisions\{state="running",region="cn-hangzhou"\} 1$/m);
    expect(text).toMatch(/^askp_time_to_running_seconds_count 1$/m);
    expect(text).toMatch(/^askp_ack_calls_total\{action="CreateCluster",code="OK"\} 1$/m);
    expect(text).toMatch(/^askp_ack_calls_total\{action="DescribeTaskInfo",code="OK"\} \d+$/m);
    expect(text).toMatch(/^askp_outbox_unsent 0$/m);
    expect(text).toMatch(/^# TYPE askp_janitor_decisions_total counter$/m);
    expect(text).not.toContain(stack.apiKey);

    const anonymous = await fetch(`${stack.apiUrl}/metrics`);
    expect(anonymous.status).toBe(401);
  });
});
