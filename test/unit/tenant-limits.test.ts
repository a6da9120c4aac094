import { describe, expect, it } from 'vitest';
import { type ClusterSpec, clusterSpecSchema } from '../../shared/domain/cluster-spec.js';
import { ValidationError } from '../../shared/domain/errors.js';
import { estimateCost } from '../../shared/pricing/cost-estimate.js';
import {
  assertAddonsAllowed,
  DEFAULT_ADDON_ALLOW_LIST,
} from '../../shared/tenancy/addon-policy.js';
import {
  assertNetworkAllowed,
  NetworkNotAllowedError,
  tenantNetworksRequestSchema,
} from '../../shared/tenancy/tenant-networks.js';
import {
  assertWithinQuota,
  TenantQuotaExceededError,
  tenantQuotaRequestSchema,
  usageOf,
} from '../../shared/tenancy/tenant-quota.js';
import { tenantQuotaFinding } from '../../shared/tenancy/tenant-quota-finding.js';

const spec = (input: Partial<ClusterSpec> = {}): ClusterSpec =>
  clusterSpecSchema.parse({ name: 'c', region: 'cn-hangzhou', ...input });

const registered = [
  { region: 'cn-hangzhou', vpcId: 'vpc-tenanta', vswitchIds: ['vsw-tenanta1', 'vsw-tenanta2'] },
];

const thrown = (run: () => void): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('the network allow-list', () => {
  const check = (network: ClusterSpec['network'], region = 'cn-hangzhou') =>
    assertNetworkAllowed({ tenantId: 'tnt_b', region, network, registered });

  it('allows "auto" with nothing registered', () => {
    expect(() =>
      assertNetworkAllowed({
        tenantId: 'tnt_b',
        region: 'cn-hangzhou',
        network: 'auto',
        registered: [],
      }),
    ).not.toThrow();
  });

  it('allows a registered VPC with its registered vSwitches', () => {
    expect(() =>
      check({ vpcId: 'vpc-tenanta', vswitchIds: ['vsw-tenanta2', 'vsw-tenanta1'] }),
    ).not.toThrow();
  });

  it('refuses a VPC not registered, naming network.vpcId', () => {
    const error = thrown(() => check({ vpcId: 'vpc-operator', vswitchIds: ['vsw-tenanta1'] }));
    expect(error).toBeInstanceOf(NetworkNotAllowedError);
    expect(error).toMatchObject({ code: 'NETWORK_NOT_ALLOWED', field: 'network.vpcId' });
  });

  it('refuses a registered VPC in another region', () => {
    const error = thrown(() =>
      check({ vpcId: 'vpc-tenanta', vswitchIds: ['vsw-tenanta1'] }, 'cn-beijing'),
    );
    expect(error).toMatchObject({ field: 'network.vpcId' });
  });

  it('refuses a vSwitch not registered under the VPC, naming its index', () => {
    const error = thrown(() =>
      check({ vpcId: 'vpc-tenanta', vswitchIds: ['vsw-tenanta1', 'vsw-operator'] }),
    );
    expect(error).toMatchObject({ code: 'NETWORK_NOT_ALLOWED', field: 'network.vswitchIds.1' });
    expect((error as Error).message).not.toMatch(/exist/i);
  });

  it('takes a whole list in PUT and refuses a VPC listed twice in a region', () => {
    expect(tenantNetworksRequestSchema.safeParse({ networks: [] }).success).toBe(true);
    expect(tenantNetworksRequestSchema.safeParse({ networks: registered }).success).toBe(true);
    const twice = tenantNetworksRequestSchema.safeParse({
      networks: [...registered, { ...registered[0], vswitchIds: ['vsw-tenanta3'] }],
    });
    expect(twice.success).toBe(false);
    const bad = tenantNetworksRequestSchema.safeParse({
      networks: [{ region: 'cn-hangzhou', vpcId: 'x', vswitchIds: [] }],
    });
    expect(bad.error?.issues.map((issue) => issue.path.join('.'))).toEqual([
      'networks.0.vpcId',
      'networks.0.vswitchIds',
    ]);
  });
});

describe('the addon allow-list', () => {
  const allow = [...DEFAULT_ADDON_ALLOW_LIST];

  it('lets the catalog’s common addons through without config, coredns among them', () => {
    expect(allow).toContain('coredns');
    expect(() =>
      assertAddonsAllowed(
        allow.map((name) => ({ name })),
        allow,
      ),
    ).not.toThrow();
  });

  it('refuses an addon outside the list, naming addons.<i>.name', () => {
    const error = thrown(() =>
      assertAddonsAllowed([{ name: 'coredns' }, { name: 'arms-prometheus' }], allow),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: 'addons.1.name' });
  });

  it('accepts the config keys it knows for an addon, with their values checked', () => {
    expect(() =>
      assertAddonsAllowed(
        [
          {
            name: 'nginx-ingress-controller',
            config: { IngressSlbNetworkType: 'intranet', IngressSlbSpec: 'slb.s2.small' },
          },
          { name: 'logtail-ds', config: { IngressDashboardEnabled: 'true' } },
        ],
        allow,
      ),
    ).not.toThrow();
    const error = thrown(() =>
      assertAddonsAllowed(
        [{ name: 'nginx-ingress-controller', config: { IngressSlbNetworkType: 'public' } }],
        allow,
      ),
    );
    expect(error).toMatchObject({ field: 'addons.0.config' });
  });

  it.each([
    ['an SLS project of the account', 'logtail-ds', { sls_project_name: 'operator-logs' }],
    [
      'vSwitches of the account',
      'alb-ingress-controller',
      { albIngress: { ZoneMappings: [{ VSwitchId: 'vsw-x' }] } },
    ],
    ['any key for an addon without a schema', 'coredns', { replicas: 5 }],
  ])('refuses a config naming %s', (_what, name, config) => {
    const error = thrown(() => assertAddonsAllowed([{ name, config }], allow));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'addons.0.config' });
  });
});

describe('the tenant quota', () => {
  const auto = spec();
  const perMonth = estimateCost(auto).usdPerMonth;

  it('counts held clusters and their monthly cost from the price table', () => {
    expect(usageOf([auto, auto])).toEqual({
      clusters: 2,
      usdPerMonth: Math.round(perMonth * 2 * 10_000) / 10_000,
    });
  });

  it('admits up to maxClusters and refuses the next with TENANT_QUOTA_EXCEEDED', () => {
    const quota = { maxClusters: 2, maxMonthlyCost: null };
    expect(() =>
      assertWithinQuota({ tenantId: 't', quota, held: [auto], spec: auto }),
    ).not.toThrow();
    const error = thrown(() =>
      assertWithinQuota({ tenantId: 't', quota, held: [auto, auto], spec: auto }),
    );
    expect(error).toBeInstanceOf(TenantQuotaExceededError);
    expect(error).toMatchObject({ code: 'TENANT_QUOTA_EXCEEDED', limit: 'maxClusters', used: 2 });
  });

  it('refuses a cluster whose monthly cost passes maxMonthlyCost', () => {
    const quota = { maxClusters: null, maxMonthlyCost: perMonth * 1.5 };
    expect(() => assertWithinQuota({ tenantId: 't', quota, held: [], spec: auto })).not.toThrow();
    expect(
      thrown(() => assertWithinQuota({ tenantId: 't', quota, held: [auto], spec: auto })),
    ).toMatchObject({ limit: 'maxMonthlyCost' });
  });

  it('needs both limits in PUT, each a number or null', () => {
    expect(
      tenantQuotaRequestSchema.safeParse({ maxClusters: 3, maxMonthlyCost: null }).success,
    ).toBe(true);
    const missing = tenantQuotaRequestSchema.safeParse({ maxClusters: 3 });
    expect(missing.error?.issues[0]?.path).toEqual(['maxMonthlyCost']);
    const negative = tenantQuotaRequestSchema.safeParse({ maxClusters: -1, maxMonthlyCost: 1 });
    expect(negative.error?.issues[0]?.path).toEqual(['maxClusters']);
    const fraction = tenantQuotaRequestSchema.safeParse({ maxClusters: 1.5, maxMonthlyCost: 1 });
    expect(fraction.success).toBe(false);
  });

  it('reports the tenant’s own usage in preflight, failing when one more would pass it', () => {
    const quota = { maxClusters: 1, maxMonthlyCost: null };
    expect(tenantQuotaFinding(quota, usageOf([]), auto)).toMatchObject({
      check: 'tenant-quota',
      status: 'pass',
      message: '0 of 1 clusters in use',
    });
    expect(tenantQuotaFinding(quota, usageOf([auto]), auto)).toMatchObject({
      status: 'fail',
    });
    expect(
      tenantQuotaFinding({ maxClusters: null, maxMonthlyCost: null }, usageOf([]), auto).status,
    ).toBe('pass');
  });
});
