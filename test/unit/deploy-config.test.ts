import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { parseSYaml } from '../../local/s-yaml.js';
import type { SYaml } from '../../local/s-yaml-schema.js';
import { loadConfig, VARIABLES } from '../../shared/config.js';

/**
 * What a real account needs from s.yaml and deploy/ram/: every function attached to the VPC,
 * keeping its logs, under a role of its own whose policy grants only the actions its code calls;
 * and every documented setting reaching the functions (README table = config schema = s.yaml).
 */
const read = (path: string): string =>
  readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

const FUNCTIONS = ['api', 'worker', 'poller', 'janitor'] as const;
type FunctionName = (typeof FUNCTIONS)[number];

const DEPLOY_ENV = {
  ASKP_ACCOUNT_ID: '1234567890',
  ASKP_VPC_ID: 'vpc-askp',
  ASKP_VSWITCH_ID: 'vsw-askp-a',
  ASKP_SECURITY_GROUP_ID: 'sg-askp',
  DATABASE_URL: 'postgres://askp:pw@pgm-1.pg.rds.aliyuncs.com:5432/askp',
  ASKP_MNS_ENDPOINT: 'http://1234567890.mns.cn-hangzhou-internal.aliyuncs.com',
  ASKP_MNS_ACCOUNT_ID: '1234567890',
};

const propsOf = (sYaml: SYaml, name: FunctionName) => {
  const resource = sYaml.resources[name];
  if (!resource) throw new Error(`s.yaml has no resource ${name}`);
  return resource.props;
};

describe('s.yaml for a real account', () => {
  const sYaml = parseSYaml(read('s.yaml'), DEPLOY_ENV);

  it.each(FUNCTIONS)(
    'attaches %s to the VPC, vSwitch and security group from the environment',
    (name) => {
      expect(propsOf(sYaml, name).vpcConfig).toEqual({
        vpcId: 'vpc-askp',
        vSwitchIds: ['vsw-askp-a'],
        securityGroupId: 'sg-askp',
      });
    },
  );

  it.each(FUNCTIONS)('keeps the logs of %s in SLS', (name) => {
    const logConfig = propsOf(sYaml, name).logConfig;
    expect(
      logConfig === 'auto' || (typeof logConfig === 'object' && logConfig.logstore !== ''),
    ).toBe(true);
  });

  it('gives each function a role of its own, named after it', () => {
    const roles = FUNCTIONS.map((name) => propsOf(sYaml, name).role);
    expect(roles).toEqual(FUNCTIONS.map((name) => `acs:ram::1234567890:role/askp-${name}`));
    expect(new Set(roles).size).toBe(FUNCTIONS.length);
  });
});

// --- RAM policies ------------------------------------------------------------------------------

const statementSchema = z
  .object({
    Effect: z.literal('Allow'),
    Action: z
      .array(z.string().regex(/^[a-z]+:[A-Z][A-Za-z0-9]+$/, 'one named action, no wildcard'))
      .min(1),
    Resource: z.array(z.string().min(1)).min(1),
    Condition: z
      .record(z.string(), z.record(z.string(), z.union([z.string(), z.array(z.string())])))
      .optional(),
  })
  .strict();

const policySchema = z
  .object({ Version: z.literal('1'), Statement: z.array(statementSchema).min(1) })
  .strict();

/**
 * The actions each function's code calls, and where. Reading the database URL secret is common to
 * all (DATABASE_URL=kms-secret://…). Adding a call to a function means adding it here and to its
 * policy, in the same commit.
 */
const ACCOUNT_CHECKS = [
  // preflight.ts: CheckServiceRole, DescribeUserQuota; cluster-options.ts / preflight.ts: versions
  'cs:CheckServiceRole',
  'cs:DescribeUserQuota',
  'cs:DescribeKubernetesVersionMetadata',
];
// ack-catalog.ts: the addon catalog a create is checked against at the door, and /v1/options.
const ADDON_CATALOG = ['cs:ListAddons'];
// network-existence.ts (the preflight): a request's VPC and vSwitches exist in its region. The
// VPC API documents no resource-level authorisation for either ("All Resources"), hence `*`.
const NETWORK_CHECKS = ['vpc:DescribeVpcs', 'vpc:DescribeVSwitches'];
/**
 * ASKP_SECRETS_KMS_KEY_ID: the data key sealing webhook secrets (kms-data-key.ts), made or opened
 * on an instance's first tenant secret. Only the api and the poller read tenants' secrets.
 */
const SECRETS_KEY = ['kms:GenerateDataKey', 'kms:Decrypt'];
const EXPECTED_ACTIONS: Record<FunctionName, string[]> = {
  api: [
    'cs:DescribeClusterUserKubeconfig', // GET …/kubeconfig (clusters-ack.ts)
    'cs:DescribeEvents', // GET …/events (clusters-read.ts)
    'cs:DescribeClusterEvents', // GET …/events, a cluster's own (clusters-read.ts)
    'cs:DescribeClusterNodePools', // GET …/node-pools (list-node-pools.ts)
    'cs:DescribeClusterDetail', // POST …:upgrade, a cluster created without a version (plan-upgrade.ts)
    'cs:ListClusterAddonInstances', // GET …/addons and the addon changes' checks (plan-addon-change.ts)
    'cs:DescribeClustersV1', // preflight's name check
    'cs:ModifyCluster', // PATCH (sync-cluster-settings.ts)
    'cs:TagResources', // PATCH labels (sync-cluster-settings.ts)
    ...ACCOUNT_CHECKS,
    ...ADDON_CATALOG,
    ...NETWORK_CHECKS, // POST /v1/clusters:preflight
    'mns:SendMessage', // accept-provision / start-deletion → dispatch-job.ts
    'kms:GetSecretValue',
    ...SECRETS_KEY, // tenants' webhook secrets: create, rotate, ping (tenant-store.ts)
  ],
  worker: [
    'cs:CreateCluster', // run-create-job.ts
    'cs:DeleteCluster', // run-delete-job.ts
    'cs:ModifyCluster', // change jobs: the API server's EIP (start-ack-change.ts)
    'cs:RevokeK8sClusterKubeConfig', // change jobs: kubeconfig revocation (start-ack-change.ts)
    'cs:UpgradeCluster', // change jobs: Kubernetes upgrade (start-ack-change.ts)
    'cs:CreateClusterNodePool', // change jobs: a managed cluster's new pool (start-ack-change.ts)
    'cs:ModifyClusterNodePool', // change jobs: scale a pool, its instance types
    'cs:DeleteClusterNodepool', // change jobs: delete a pool and its nodes
    // change jobs: addons after creation (start-addon-change.ts)
    'cs:InstallClusterAddons',
    'cs:UpgradeClusterAddons',
    'cs:ModifyClusterAddon',
    'cs:UnInstallClusterAddons',
    'cs:ListClusterAddonInstances', // start-addon-change.ts: a redelivered job looks first
    'cs:DescribeClustersV1', // find-created-cluster.ts, preflight
    'cs:DescribeClusterTasks', // find-create-task.ts, start-addon-change.ts: adopting a task a crashed attempt started
    ...ACCOUNT_CHECKS, // the create job's preflight
    ...NETWORK_CHECKS, // the create job's preflight
    'kms:GetSecretValue',
  ],
  poller: [
    'cs:DescribeClusterDetail', // refresh-clusters.ts
    'cs:DescribeClustersV1', // refresh-clusters.ts (list-based refresh)
    'cs:DescribeTaskInfo', // follow-create-tasks.ts
    'mns:SendMessage', // sweep-outbox.ts, cleanup of failed creations
    'kms:GetSecretValue',
    ...SECRETS_KEY, // signing webhooks (deliver-webhooks.ts reads the tenant's secret)
  ],
  janitor: [
    'cs:DescribeClusterDetail', // verify-ownership.ts
    'cs:DescribeClustersV1', // find-orphans.ts
    'cs:DescribeClusterUserKubeconfig', // read-activity.ts (reads pods through the API server)
    // read-activity.ts: pods as ECI container groups, for clusters whose API server is out of
    // reach. Without it ECI answers an empty list (DescribeContainerGroups docs), not a refusal.
    'eci:DescribeContainerGroups',
    'mns:SendMessage', // start-deletion.ts
    'kms:GetSecretValue',
  ],
};

const policyOf = (name: FunctionName) =>
  policySchema.parse(JSON.parse(read(`deploy/ram/${name}.json`)));

const actionsOf = (name: FunctionName): string[] =>
  policyOf(name).Statement.flatMap((statement) => statement.Action);

/** Every ACK action the code can call: the `AckAction` union of shared/ack/ack-caller.ts. */
const ackActionsInCode = (): string[] => {
  const source = read('shared/ack/ack-caller.ts');
  const union = /type AckAction =([^;]+);/.exec(source)?.[1] ?? '';
  return [...union.matchAll(/'([A-Za-z0-9]+)'/g)].map((match) => `cs:${match[1]}`);
};

describe('deploy/ram policies', () => {
  it('grants every ACK action the code can call to some function (a new call needs a grant)', () => {
    const actions = ackActionsInCode();
    expect(actions.length).toBeGreaterThan(10);
    const granted = new Set(FUNCTIONS.flatMap((name) => actionsOf(name)));
    expect(actions.filter((action) => !granted.has(action))).toEqual([]);
  });

  it.each(FUNCTIONS)('%s.json is a valid RAM policy of named Allow actions', (name) => {
    expect(() => policyOf(name)).not.toThrow();
  });

  it.each(FUNCTIONS)('%s.json grants exactly the actions its code calls', (name) => {
    expect([...actionsOf(name)].sort()).toEqual([...EXPECTED_ACTIONS[name]].sort());
    expect(new Set(actionsOf(name)).size).toBe(actionsOf(name).length);
  });

  it('grants no wildcard action anywhere', () => {
    for (const name of FUNCTIONS) {
      const text = read(`deploy/ram/${name}.json`);
      expect(text, name).not.toMatch(/"[a-z]*:\*"/);
      expect(
        actionsOf(name).some((action) => action.includes('*')),
        name,
      ).toBe(false);
    }
  });

  it('never lets the internet-facing api create or delete a cluster', () => {
    expect(actionsOf('api')).not.toContain('cs:CreateCluster');
    expect(actionsOf('api')).not.toContain('cs:DeleteCluster');
  });

  it('lets only the worker create or delete clusters, and only ones tagged as ours', () => {
    for (const name of FUNCTIONS.filter((fn) => fn !== 'worker')) {
      expect(actionsOf(name)).not.toContain('cs:CreateCluster');
      expect(actionsOf(name)).not.toContain('cs:DeleteCluster');
    }
    const writes = policyOf('worker').Statement.filter((statement) =>
      statement.Action.some(
        (action) => action === 'cs:CreateCluster' || action === 'cs:DeleteCluster',
      ),
    );
    for (const statement of writes) {
      expect(JSON.stringify(statement.Condition)).toContain('askp.managed-by');
    }
  });

  it('scopes cluster reads and writes to clusters, MNS to the jobs queue, KMS to askp- secrets and keys, and ECI to container groups', () => {
    for (const name of FUNCTIONS) {
      for (const statement of policyOf(name).Statement) {
        const service = statement.Action[0]?.split(':')[0];
        for (const resource of statement.Resource) {
          if (service === 'mns')
            expect(resource).toBe('acs:mns:*:*:/queues/provision-jobs/messages');
          if (service === 'kms')
            expect(resource).toBe(
              statement.Action.every((action) => SECRETS_KEY.includes(action))
                ? 'acs:kms:*:*:key/*'
                : 'acs:kms:*:*:secret/askp-*',
            );
          if (service === 'eci') expect(resource).toBe('acs:eci:*:*:containergroup/*');
          if (resource === '*') {
            // Only account-level calls, which name no cluster, the VPC reads (no resource-level
            // authorisation) and CreateCluster (conditioned).
            for (const action of statement.Action)
              expect(
                [...ACCOUNT_CHECKS, ...ADDON_CATALOG, ...NETWORK_CHECKS, 'cs:CreateCluster'],
                `${name}: ${action}`,
              ).toContain(action);
          }
        }
      }
    }
  });
});

// --- settings: README table, config schema and s.yaml in step ------------------------------------

/** The variables in the README's "Configuration" table (the functions' one, not the local host's). */
const readmeVariables = (): string[] => {
  const readme = read('README.md');
  const start = readme.indexOf('## Configuration');
  const table = readme.slice(start, readme.indexOf('The local host', start));
  const names = new Set<string>();
  for (const line of table.split('\n')) {
    const first = line.split('|')[1] ?? '';
    for (const match of first.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(match[1] ?? '');
    // The credentials row: `ALIBABA_CLOUD_ACCESS_KEY_ID` / `_SECRET` / `_SECURITY_TOKEN`.
    if (first.includes('`ALIBABA_CLOUD_ACCESS_KEY_ID`')) {
      if (first.includes('`_SECRET`')) names.add('ALIBABA_CLOUD_ACCESS_KEY_SECRET');
      if (first.includes('`_SECURITY_TOKEN`')) names.add('ALIBABA_CLOUD_SECURITY_TOKEN');
    }
  }
  return [...names].sort();
};

/** Function Compute supplies these (its role's credentials, the region); s.yaml must not set them. */
const FROM_THE_ROLE = [
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'ALIBABA_CLOUD_SECURITY_TOKEN',
  'FC_REGION',
];

describe('every documented setting reaches the functions', () => {
  const schemaVariables = Object.keys(VARIABLES).sort();

  it("lists the same variables in the README's table and the config schema", () => {
    expect(readmeVariables()).toEqual(schemaVariables);
  });

  it.each(FUNCTIONS)(
    "passes %s every variable of the schema but the role's credentials",
    (name) => {
      const environment = propsOf(parseSYaml(read('s.yaml'), {}), name).environmentVariables;
      expect(Object.keys(environment).sort()).toEqual(
        schemaVariables.filter((variable) => !FROM_THE_ROLE.includes(variable)),
      );
    },
  );

  it("uses the config schema's defaults in s.yaml", () => {
    const required = {
      ...Object.fromEntries(
        FROM_THE_ROLE.map((name) => [name, name === 'FC_REGION' ? 'cn-hangzhou' : 'x']),
      ),
      ASKP_MNS_ENDPOINT: 'http://1.mns.cn-hangzhou-internal.aliyuncs.com',
      ASKP_MNS_ACCOUNT_ID: '1',
    };
    const environment = propsOf(parseSYaml(read('s.yaml'), required), 'api').environmentVariables;
    expect(loadConfig({ ...environment, ...required })).toEqual(loadConfig(required));
  });

  it('hands a setting given to s deploy (or npm start) to the functions, e.g. ASKP_MAX_BODY_BYTES', () => {
    const sYaml = parseSYaml(read('s.yaml'), {
      ASKP_MAX_BODY_BYTES: '1024',
      ASKP_POLLER_BATCH: '7',
    });
    for (const name of FUNCTIONS) {
      expect(propsOf(sYaml, name).environmentVariables).toMatchObject({
        ASKP_MAX_BODY_BYTES: '1024',
        ASKP_POLLER_BATCH: '7',
      });
    }
  });
});
