import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  type ApiCaller,
  type ApiReply,
  clusterShape,
  jsonOf,
  problemOf,
  provisionTenant,
} from '../support/api-client.js';
import { type ApiStack, startApiStack } from '../support/api-stack.js';

/**
 * The API refuses at the door what ACK is certain to refuse (400 problem+json naming the field,
 * nothing written), and a create that passes is sent the way ACK needs it: a zone for an
 * automatic network, CoreDNS, and the Kubernetes version chosen, all shown in the spec.
 */

const specShape = z.looseObject({
  zoneId: z.string().optional(),
  kubernetesVersion: z.string().optional(),
  addons: z.array(z.looseObject({ name: z.string(), disabled: z.boolean().optional() })),
});

describe('POST /v1/clusters: refusals at the door and what ACK is sent', () => {
  let env: ApiStack;
  let api: ApiCaller;
  let key: string;

  beforeAll(async () => {
    env = await startApiStack({
      ASKP_RATE_LIMIT_PER_SECOND: '1000',
      ASKP_RATE_LIMIT_BURST: '1000',
    });
    api = env.api;
    const tenant = await provisionTenant(api, env.adminKey, {
      name: 'door',
      keys: { all: ['clusters:read', 'clusters:write'] },
    });
    key = tenant.keys.all ?? '';
  });

  afterAll(async () => {
    await env?.stop();
  });

  const create = (body: Record<string, unknown>) =>
    api({
      method: 'POST',
      path: '/v1/clusters',
      key,
      json: { name: 'door', region: 'cn-hangzhou', ...body },
    });

  const listed = async (): Promise<number> => {
    const reply = await api({ method: 'GET', path: '/v1/clusters', key });
    return jsonOf(reply, z.looseObject({ items: z.array(z.unknown()) })).items.length;
  };

  const refused = (reply: ApiReply, field: string) => {
    expect(reply.status, reply.body).toBe(400);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    const problem = problemOf(reply);
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.field).toBe(field);
    return problem;
  };

  it.each([
    ['a region the service does not offer', { region: 'xx-nowhere-1' }, 'region'],
    [
      'a Kubernetes version ACK cannot create there',
      { kubernetesVersion: '1.30.1-aliyun.1' },
      'kubernetesVersion',
    ],
    ['an addon ACK does not offer', { addons: [{ name: 'not-an-addon' }] }, 'addons.0.name'],
    ['the same addon twice', { addons: [{ name: 'coredns' }, { name: 'coredns' }] }, 'addons'],
    ['a serviceCidr with host bits set', { serviceCidr: '172.21.0.5/20' }, 'serviceCidr'],
    [
      'a label key under askp.',
      { labels: { 'askp.provision-id': 'prv_x' } },
      'labels.askp.provision-id',
    ],
    ['an empty label value', { labels: { team: '' } }, 'labels.team'],
    [
      'more than 3 vSwitches',
      {
        network: {
          vpcId: 'vpc-emuhz01',
          vswitchIds: ['vsw-aaaa', 'vsw-bbbb', 'vsw-cccc', 'vsw-dddd'],
        },
      },
      'network.vswitchIds',
    ],
    ['a zone of another region', { zoneId: 'cn-beijing-h' }, 'zoneId'],
    [
      'an expiresAt closer than 15 minutes',
      { expiresAt: new Date(Date.now() + 10 * 60_000).toISOString() },
      'expiresAt',
    ],
  ])('refuses %s, writing nothing', async (_what, body, field) => {
    refused(await create(body), field);
    expect(await listed()).toBe(0);
  });

  it('answers GET /v1/options for a region it does not offer with 400, never a 5xx', async () => {
    const reply = await api({
      method: 'GET',
      path: '/v1/options',
      key,
      query: { region: 'xx-nowhere-1' },
    });
    refused(reply, 'region');
  });

  it('lists zones, versions and ACK addons in GET /v1/options', async () => {
    const reply = await api({
      method: 'GET',
      path: '/v1/options',
      key,
      query: { region: 'cn-hangzhou' },
    });
    const options = jsonOf(
      reply,
      z.looseObject({
        defaultZoneId: z.string(),
        defaultKubernetesVersion: z.string(),
        addons: z.array(z.looseObject({ name: z.string() })),
      }),
    );
    expect(options.defaultZoneId).toBe('cn-hangzhou-i');
    expect(options.defaultKubernetesVersion).toBe('1.33.1-aliyun.1');
    expect(options.addons.map((addon) => addon.name)).toContain('coredns');
  });

  it('shows the zone, CoreDNS and the chosen version of a default create in its spec', async () => {
    const reply = await create({});
    expect(reply.status, reply.body).toBe(202);
    const spec = specShape.parse(jsonOf(reply, clusterShape).spec);
    expect(spec.zoneId).toBe('cn-hangzhou-i');
    expect(spec.kubernetesVersion).toBe('1.33.1-aliyun.1');
    expect(spec.addons).toEqual([{ name: 'coredns' }]);
  });

  it('keeps a CoreDNS opt-out and a chosen zone as asked', async () => {
    const reply = await create({
      zoneId: 'cn-hangzhou-j',
      kubernetesVersion: '1.32.1-aliyun.1',
      addons: [{ name: 'coredns', disabled: true }],
    });
    expect(reply.status, reply.body).toBe(202);
    const spec = specShape.parse(jsonOf(reply, clusterShape).spec);
    expect(spec).toMatchObject({ zoneId: 'cn-hangzhou-j', kubernetesVersion: '1.32.1-aliyun.1' });
    expect(spec.addons).toEqual([{ name: 'coredns', disabled: true }]);
  });
});
