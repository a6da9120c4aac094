import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLUSTER_NAME_PATTERN,
  CLUSTER_SPECS,
  createClusterRequestSchema,
  parseDurationSeconds,
} from '../../shared/domain/cluster-spec.js';
import { DomainError } from '../../shared/domain/errors.js';
import { HttpRequest } from '../../shared/http/fc-http-event.js';
import { parseJsonBody } from '../../shared/http/json-body.js';

const BASE = { name: 'demo', region: 'cn-hangzhou' } as const;

/** The dotted paths of every issue the schema reports for `input`; fails if it parses. */
const issuePaths = (input: unknown): string[] => {
  const result = createClusterRequestSchema.safeParse(input);
  if (result.success) throw new Error(`expected rejection of ${JSON.stringify(input)}`);
  return result.error.issues.map((issue) => issue.path.map(String).join('.'));
};

/** The API's refusal of `input` as a create body: the field it names first. */
const parseBody = (input: unknown): { field: string | undefined } => {
  const request = new HttpRequest(
    'POST',
    '/v1/clusters',
    { 'content-type': 'application/json' },
    {},
    JSON.stringify(input),
    'req-1',
    undefined,
  );
  try {
    parseJsonBody(request, createClusterRequestSchema);
  } catch (error) {
    if (error instanceof DomainError) return { field: error.field };
    throw error;
  }
  throw new Error('expected a refusal');
};

const accepts = (input: unknown): boolean => createClusterRequestSchema.safeParse(input).success;

describe('createClusterRequestSchema: defaults', () => {
  it('accepts {name, region} alone and fills every default', () => {
    expect(createClusterRequestSchema.parse(BASE)).toEqual({
      name: 'demo',
      region: 'cn-hangzhou',
      network: 'auto',
      serviceCidr: '172.21.0.0/20',
      clusterSpec: 'ack.standard',
      endpointPublicAccess: false,
      addons: [],
      labels: {},
      deletionProtection: false,
      profile: 'serverless',
    });
  });

  it('does not invent optional fields (kubernetesVersion, ttl, webhook)', () => {
    const spec = createClusterRequestSchema.parse(BASE);
    expect(spec).not.toHaveProperty('kubernetesVersion');
    expect(spec).not.toHaveProperty('ttl');
    expect(spec).not.toHaveProperty('webhook');
  });

  it('keeps every field a caller sets', () => {
    const full = {
      name: 'team-a-ci',
      region: 'ap-southeast-1',
      kubernetesVersion: '1.33.1-aliyun.1',
      network: { vpcId: 'vpc-abc123', vswitchIds: ['vsw-aaaa1', 'vsw-bbbb2'] },
      serviceCidr: '192.168.0.0/16',
      endpointPublicAccess: true,
      clusterSpec: 'ack.pro.small',
      addons: [{ name: 'metrics-server', version: '1.0', config: { a: 1 }, disabled: false }],
      labels: { team: 'a', 'app.kubernetes.io/name': 'ci' },
      deletionProtection: true,
      ttl: '8h',
      webhook: { url: 'https://hooks.example.com/askp' },
      profile: 'managed',
      nodePools: [
        {
          name: 'default',
          instanceTypes: ['ecs.g7.large'],
          desiredSize: 2,
          systemDisk: { category: 'cloud_ssd', size: 60 },
        },
      ],
    };
    expect(createClusterRequestSchema.parse(full)).toEqual(full);
  });

  it('requires name and region', () => {
    expect(issuePaths({ region: 'cn-hangzhou' })).toEqual(['name']);
    expect(issuePaths({ name: 'demo' })).toEqual(['region']);
  });
});

describe('createClusterRequestSchema: each rejection names its field', () => {
  it.each([
    ['a leading "-"', '-demo'],
    ['64 characters', 'a'.repeat(64)],
    ['a space', 'my cluster'],
    ['an underscore', 'my_cluster'],
    ['the empty string', ''],
  ])('rejects a name with %s', (_why, name) => {
    expect(issuePaths({ ...BASE, name })).toEqual(['name']);
  });

  it('accepts names of 1 and 63 characters, digits first and Chinese characters', () => {
    for (const name of ['a', 'a'.repeat(63), '1st-cluster', '集群-1', 'Demo-']) {
      expect(accepts({ ...BASE, name }), name).toBe(true);
    }
  });

  it.each(['CN-Hangzhou', 'hangzhou', 'cn_hangzhou', 'cn-', ''])('rejects region %j', (region) => {
    expect(issuePaths({ ...BASE, region })).toEqual(['region']);
  });

  it.each(['1.33', 'v1.33.1-aliyun.1', '1.33.1', '1.33.1-aliyun'])(
    'rejects kubernetesVersion %j',
    (kubernetesVersion) => {
      expect(issuePaths({ ...BASE, kubernetesVersion })).toEqual(['kubernetesVersion']);
    },
  );

  it.each([
    ['missing vswitchIds', { vpcId: 'vpc-abcd1' }],
    ['a bad vpc id', { vpcId: 'vpc-', vswitchIds: ['vsw-abcd1'] }],
    ['a vpc id of the wrong kind', { vpcId: 'vsw-abcd1', vswitchIds: ['vsw-abcd1'] }],
    ['duplicate vSwitches', { vpcId: 'vpc-abcd1', vswitchIds: ['vsw-abcd1', 'vsw-abcd1'] }],
    ['no vSwitch', { vpcId: 'vpc-abcd1', vswitchIds: [] }],
    [
      'six vSwitches',
      { vpcId: 'vpc-abcd1', vswitchIds: ['1', '2', '3', '4', '5', '6'].map((n) => `vsw-abcd${n}`) },
    ],
    ['an unknown field', { vpcId: 'vpc-abcd1', vswitchIds: ['vsw-abcd1'], zone: 'a' }],
    ['a string other than auto', 'manual'],
  ])('rejects a network with %s', (_why, network) => {
    const paths = issuePaths({ ...BASE, network });
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect(path.split('.')[0]).toBe('network');
  });

  it.each([
    ['outside the private ranges', '11.0.0.0/16'],
    ['in 172.32/12, just past 172.16/12', '172.32.0.0/16'],
    ['a public 192 range', '192.169.0.0/16'],
    ['prefix /8 (too large)', '10.0.0.0/8'],
    ['prefix /15 (too large)', '10.0.0.0/15'],
    ['prefix /25 (too small)', '192.168.0.0/25'],
    ['no prefix', '10.0.0.0'],
    ['an octet above 255', '10.256.0.0/16'],
    ['an octet above 255 in 192.168', '192.168.300.0/24'],
  ])('rejects a serviceCidr %s', (_why, serviceCidr) => {
    expect(issuePaths({ ...BASE, serviceCidr })).toEqual(['serviceCidr']);
  });

  it('accepts service CIDRs at both ends of the allowed prefixes', () => {
    for (const serviceCidr of ['10.0.0.0/16', '172.31.0.0/24', '192.168.0.0/20', '172.16.0.0/16']) {
      expect(accepts({ ...BASE, serviceCidr }), serviceCidr).toBe(true);
    }
  });

  it('rejects an unknown clusterSpec and accepts the known ones', () => {
    expect(issuePaths({ ...BASE, clusterSpec: 'ack.pro.large' })).toEqual(['clusterSpec']);
    for (const clusterSpec of CLUSTER_SPECS) expect(accepts({ ...BASE, clusterSpec })).toBe(true);
  });

  it.each([
    ['aliyun.team', 'a'],
    ['Aliyun', 'a'],
    ['acs:owner', 'a'],
    ['http://x', 'a'],
    ['https://x', 'a'],
  ])('rejects the reserved label key %j', (key, value) => {
    expect(issuePaths({ ...BASE, labels: { [key]: value } })).toEqual([`labels.${key}`]);
  });

  it.each([
    'aliyun-managed',
    'ALIYUN',
    'acs:ram::1:role/x',
    'http://example.com',
    'https://example.com',
  ])('rejects the reserved label value %j', (value) => {
    expect(issuePaths({ ...BASE, labels: { team: value } })).toEqual(['labels.team']);
  });

  it.each(['a\r\nb', 'a\nb', 'a\tb', '\u0000', '\u007f', '\u0085', '\u2028'])(
    'rejects the label value %j (not printable)',
    (value) => {
      expect(issuePaths({ ...BASE, labels: { team: value } })).toEqual(['labels.team']);
    },
  );

  it('accepts ten labels and rejects eleven', () => {
    const labels = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, `v${i}`]));
    expect(accepts({ ...BASE, labels: labels(10) })).toBe(true);
    expect(issuePaths({ ...BASE, labels: labels(11) })).toEqual(['labels']);
  });

  it('accepts labels that merely contain a reserved word', () => {
    expect(accepts({ ...BASE, labels: { 'my-aliyun': 'not-aliyun', 'team-acs': 'x-acs:y' } })).toBe(
      true,
    );
  });

  it('rejects an empty label value and one containing a URL: TagResources would refuse them', () => {
    expect(issuePaths({ ...BASE, labels: { team: '' } })).toEqual(['labels.team']);
    expect(issuePaths({ ...BASE, labels: { team: 'see http://x' } })).toEqual(['labels.team']);
  });

  it.each(['askp.provision-id', 'askp.tenant-id', 'ASKP.anything'])(
    'rejects the label key %j: askp. keys are the service own tags',
    (key) => {
      expect(issuePaths({ ...BASE, labels: { [key]: 'x' } })).toEqual([`labels.${key}`]);
    },
  );

  it.each(['xx-nowhere-1', 'cn-hangzhou-9', 'eu-central-1'])(
    'rejects the well-formed region %j that the service does not offer',
    (region) => {
      expect(issuePaths({ ...BASE, region })).toEqual(['region']);
    },
  );

  it.each(['172.21.0.5/20', '10.0.0.1/16', '192.168.1.0/16'])(
    'rejects the serviceCidr %j with host bits set',
    (serviceCidr) => {
      expect(issuePaths({ ...BASE, serviceCidr })).toEqual(['serviceCidr']);
    },
  );

  it('takes at most 3 vSwitches, as ACK Serverless does', () => {
    const network = (count: number) => ({
      vpcId: 'vpc-abcd',
      vswitchIds: Array.from({ length: count }, (_, i) => `vsw-abc${i}`),
    });
    expect(accepts({ ...BASE, network: network(3) })).toBe(true);
    expect(issuePaths({ ...BASE, network: network(4) })).toEqual(['network']);
    expect(parseBody({ ...BASE, network: network(4) }).field).toBe('network.vswitchIds');
  });

  it('rejects an addon named twice', () => {
    const addons = [{ name: 'coredns' }, { name: 'coredns', disabled: true }];
    expect(issuePaths({ ...BASE, addons })).toEqual(['addons']);
  });

  it('takes a zoneId of the region, with network auto only', () => {
    expect(accepts({ ...BASE, zoneId: 'cn-hangzhou-j' })).toBe(true);
    expect(issuePaths({ ...BASE, zoneId: 'cn-beijing-h' })).toEqual(['zoneId']);
    const network = { vpcId: 'vpc-abcd', vswitchIds: ['vsw-abcd'] };
    expect(issuePaths({ ...BASE, zoneId: 'cn-hangzhou-j', network })).toEqual(['zoneId']);
  });

  it('states ACK name rule: Chinese characters are allowed', () => {
    expect(accepts({ ...BASE, name: '集群-1' })).toBe(true);
  });

  it.each([
    ['below 15m', '14m'],
    ['zero', '0m'],
    ['above 30d', '31d'],
    ['above 30d in hours', '721h'],
    ['a week unit', '1w'],
    ['a space', '8 h'],
    ['a fraction', '1.5h'],
    ['no unit', '900'],
    ['the empty string', ''],
  ])('rejects a ttl %s', (_why, ttl) => {
    const paths = issuePaths({ ...BASE, ttl });
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect(path).toBe('ttl');
  });

  it('accepts a ttl at both bounds', () => {
    for (const ttl of ['15m', '1h', '720h', '30d'])
      expect(accepts({ ...BASE, ttl }), ttl).toBe(true);
  });

  it.each([
    ['ftp', 'ftp://hooks.example.com/x'],
    ['javascript', 'javascript:alert(1)'],
    ['with credentials', 'https://user:pass@hooks.example.com/x'],
    ['with a user only', 'https://user@hooks.example.com/x'],
  ])('rejects a webhook url %s', (_why, url) => {
    const paths = issuePaths({ ...BASE, webhook: { url } });
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect(path).toBe('webhook.url');
  });

  it('rejects a webhook url that is not a URL at all, without throwing', () => {
    const result = createClusterRequestSchema.safeParse({ ...BASE, webhook: { url: 'not a url' } });
    expect(result.success).toBe(false);
  });

  it('accepts http and https webhook urls', () => {
    for (const url of ['http://hooks.example.com/x', 'https://hooks.example.com:8443/x?y=1']) {
      expect(accepts({ ...BASE, webhook: { url } }), url).toBe(true);
    }
  });

  it('rejects an addon with a bad name or an unknown field', () => {
    expect(issuePaths({ ...BASE, addons: [{ name: 'Bad_Name' }] })).toEqual(['addons.0.name']);
    expect(issuePaths({ ...BASE, addons: [{ name: 'ok', extra: 1 }] })).toEqual(['addons.0']);
  });

  it('rejects an unknown top-level field (strict)', () => {
    const result = createClusterRequestSchema.safeParse({ ...BASE, workerCount: 3 });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error.issues[0]?.code).toBe('unrecognized_keys');
      expect(JSON.stringify(result.error.issues[0])).toContain('workerCount');
    }
  });

  it('rejects wrong types for booleans', () => {
    expect(issuePaths({ ...BASE, deletionProtection: 'yes' })).toEqual(['deletionProtection']);
    expect(issuePaths({ ...BASE, endpointPublicAccess: 1 })).toEqual(['endpointPublicAccess']);
  });
});

describe('parseDurationSeconds', () => {
  it.each([
    ['15m', 900],
    ['1h', 3600],
    ['12h', 43_200],
    ['1d', 86_400],
    ['30d', 2_592_000],
    ['0m', 0],
    ['99999d', 99_999 * 86_400],
  ])('reads %s as %i seconds', (text, seconds) => {
    expect(parseDurationSeconds(text)).toBe(seconds);
  });

  it.each(['', '1w', '1.5h', ' 1h', '1h ', '1H', '-1h', '100000m', 'h', '1hm'])(
    'returns undefined for %j',
    (text) => {
      expect(parseDurationSeconds(text)).toBeUndefined();
    },
  );
});

/** The network address of an address and prefix (host bits cleared). */
const networkOf = (octets: number[], prefix: number): string => {
  const value = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  const start = value - (value % size);
  const parts = [24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256);
  return `${parts.join('.')}/${prefix}`;
};

describe('createClusterRequestSchema: properties', () => {
  const nameArb = fc.stringMatching(CLUSTER_NAME_PATTERN);
  const regionArb = fc.constantFrom('cn-hangzhou', 'cn-beijing', 'ap-southeast-1', 'us-west-1');
  const octet = fc.integer({ min: 0, max: 255 });
  const serviceCidrArb = fc.oneof(
    fc
      .tuple(octet, octet, octet, fc.integer({ min: 16, max: 24 }))
      .map(([a, b, c, p]) => networkOf([10, a, b, c], p)),
    fc
      .tuple(fc.integer({ min: 16, max: 31 }), octet, octet, fc.integer({ min: 16, max: 24 }))
      .map(([a, b, c, p]) => networkOf([172, a, b, c], p)),
    fc
      .tuple(octet, octet, fc.integer({ min: 16, max: 24 }))
      .map(([b, c, p]) => networkOf([192, 168, b, c], p)),
  );
  const labelKeyArb = fc
    .stringMatching(/^[a-z0-9][a-z0-9._/-]{0,20}$/)
    .filter((key) => !/^(aliyun|acs:|https?:\/\/)/i.test(key));
  const labelValueArb = fc
    .stringMatching(/^[A-Za-z0-9 ._-]{1,40}$/)
    .filter((value) => !/^aliyun/i.test(value));
  const ttlArb = fc.oneof(
    fc.integer({ min: 15, max: 43_200 }).map((n) => `${n}m`),
    fc.integer({ min: 1, max: 720 }).map((n) => `${n}h`),
    fc.integer({ min: 1, max: 30 }).map((n) => `${n}d`),
  );
  const idArb = (prefix: string) =>
    fc.stringMatching(/^[a-z0-9]{4,12}$/).map((s) => `${prefix}${s}`);
  const networkArb = fc.oneof(
    fc.constant('auto' as const),
    fc.record({
      vpcId: idArb('vpc-'),
      vswitchIds: fc.uniqueArray(idArb('vsw-'), { minLength: 1, maxLength: 3 }),
    }),
  );
  const validRequestArb = fc.record(
    {
      name: nameArb,
      region: regionArb,
      kubernetesVersion: fc
        .tuple(fc.nat(9), fc.nat(40), fc.nat(9), fc.nat(9))
        .map(([a, b, c, d]) => `${a}.${b}.${c}-aliyun.${d}`),
      network: networkArb,
      serviceCidr: serviceCidrArb,
      endpointPublicAccess: fc.boolean(),
      clusterSpec: fc.constantFrom(...CLUSTER_SPECS),
      addons: fc.uniqueArray(
        fc.record(
          { name: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/), disabled: fc.boolean() },
          { requiredKeys: ['name'] },
        ),
        { maxLength: 5, selector: (addon) => addon.name },
      ),
      labels: fc.dictionary(labelKeyArb, labelValueArb, { maxKeys: 10 }),
      deletionProtection: fc.boolean(),
      ttl: ttlArb,
      webhook: fc.record({
        url: fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true }),
      }),
    },
    { requiredKeys: ['name', 'region'] },
  );

  it('parses any request built from valid parts', () => {
    fc.assert(
      fc.property(validRequestArb, (request) => {
        const result = createClusterRequestSchema.safeParse(request);
        if (!result.success) throw new Error(JSON.stringify(result.error.issues));
        expect(result.data.name).toBe(request.name);
        expect(result.data.region).toBe(request.region);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on junk: safeParse always returns success false', () => {
    fc.assert(
      fc.property(fc.anything(), (junk) => {
        const result = createClusterRequestSchema.safeParse(junk);
        expect(result.success).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on junk inside the known fields', () => {
    const junkRequestArb = fc.record(
      {
        name: fc.oneof(fc.string(), fc.anything()),
        region: fc.oneof(fc.string(), fc.anything()),
        kubernetesVersion: fc.anything(),
        network: fc.oneof(
          fc.anything(),
          fc.record({ vpcId: fc.string(), vswitchIds: fc.array(fc.string()) }),
        ),
        serviceCidr: fc.oneof(fc.string(), fc.anything()),
        labels: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.anything()),
        ttl: fc.oneof(fc.string(), fc.anything()),
        addons: fc.oneof(fc.array(fc.anything()), fc.anything()),
        webhook: fc.oneof(fc.record({ url: fc.string() }), fc.anything()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(junkRequestArb, (junk) => {
        const result = createClusterRequestSchema.safeParse(junk);
        expect(typeof result.success).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});
