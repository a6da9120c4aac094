import type { ClusterApi } from '../ack/cluster-api.port.js';
import type { ClusterSpec } from '../domain/cluster-spec.js';
import { DomainError } from '../domain/errors.js';
import { type CostEstimate, estimateCost } from '../pricing/cost-estimate.js';
import type { VpcNetworkApi } from '../vpc/vpc-network.port.js';
import { type AccountFacts, liveAccountFacts } from './account-facts.js';
import { checkNetworkExists } from './network-existence.js';

/**
 * The dependency check of the ACK console, before anything is created: service roles, ASK quota,
 * Kubernetes version, network sanity, that a caller's VPC and vSwitches exist (through the VPC
 * API, network-existence.ts), and what the cluster will cost. Every finding says what to do about
 * it; one about a request field names it. Creates nothing; the worker runs it before
 * CreateCluster and the API serves it.
 */
type FindingStatus = 'pass' | 'warn' | 'fail';

interface Finding {
  check:
    | 'service-roles'
    | 'quota'
    | 'tenant-quota'
    | 'kubernetes-version'
    | 'network'
    | 'network-exists';
  status: FindingStatus;
  /** The request field the finding is about, e.g. `network.vswitchIds.1`. */
  field?: string;
  message: string;
  action?: string;
}

interface PreflightReport {
  ok: boolean;
  findings: Finding[];
  /** The version CreateCluster will get: the requested one, or the newest creatable. */
  kubernetesVersion: string | null;
  cost: CostEstimate;
}

const RAM_ROLES_URL = 'https://ram.console.aliyun.com/role/authorize?request=ack-serverless';

/**
 * A fact a cache may hold decides a pass; a check that would fail asks ACK again and fails only
 * on what ACK says now (account-facts.ts).
 */
const settled = async <T>(
  facts: AccountFacts,
  read: (options: { fresh?: boolean }) => Promise<T>,
  fails: (value: T) => boolean,
): Promise<T> => {
  const value = await read({});
  return facts.cached && fails(value) ? read({ fresh: true }) : value;
};

const checkRoles = async (facts: AccountFacts, region: string): Promise<Finding> => {
  const missing = await settled(
    facts,
    (options) => facts.missingRoles(region, options),
    (names) => names.length > 0,
  );
  if (missing.length === 0)
    return {
      check: 'service-roles',
      status: 'pass',
      message: 'every ACK Serverless service role is authorised',
    };
  return {
    check: 'service-roles',
    status: 'fail',
    message: `service roles not authorised: ${missing.join(', ')}`,
    action: `authorise them once for the account (main account or RAM admin): ${RAM_ROLES_URL}`,
  };
};

/**
 * Who reads the report. The account's ASK quota and cluster count are the operator's: every
 * tenant shares them, so a tenant learns only whether the service has room, never the numbers
 * (its own usage is the `tenant-quota` finding).
 */
type PreflightAudience = 'operator' | 'tenant';

const checkQuota = async (
  facts: AccountFacts,
  region: string,
  audience: PreflightAudience,
): Promise<Finding> => {
  const { limit, used } = await settled(
    facts,
    (options) => facts.capacity(region, options),
    (capacity) => capacity.limit - capacity.used <= 0,
  );
  const left = limit - used;
  if (audience === 'tenant') {
    return left <= 0
      ? {
          check: 'quota',
          status: 'fail',
          message: `the service has no ACK Serverless cluster capacity left in ${region}`,
          action: 'try another region, or ask the operator to raise the capacity',
        }
      : {
          check: 'quota',
          status: 'pass',
          message: `the service can create ACK Serverless clusters in ${region}`,
        };
  }
  if (left <= 0) {
    return {
      check: 'quota',
      status: 'fail',
      message: `no ACK Serverless cluster quota left in ${region}: ${used} of ${limit} in use`,
      action: 'delete an unused cluster, or raise ask_cluster_quota in Quota Center',
    };
  }
  return {
    check: 'quota',
    status: left <= 2 ? 'warn' : 'pass',
    message: `${left} of ${limit} ACK Serverless clusters left in ${region}`,
    ...(left <= 2
      ? { action: 'ask for a higher ask_cluster_quota in Quota Center before you run out' }
      : {}),
  };
};

const checkVersion = async (
  facts: AccountFacts,
  spec: ClusterSpec,
): Promise<{ finding: Finding; version: string | null }> => {
  const { kubernetesVersion } = spec;
  const creatable = await settled(
    facts,
    (options) => facts.creatableVersions(spec.region, options),
    (versions) =>
      kubernetesVersion ? !versions.includes(kubernetesVersion) : versions.length === 0,
  );
  const newest =
    [...creatable].sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))[0] ?? null;
  if (!spec.kubernetesVersion) {
    return {
      finding: {
        check: 'kubernetes-version',
        status: newest ? 'pass' : 'fail',
        message: newest
          ? `the newest creatable version, ${newest}, will be used`
          : `no creatable Kubernetes version in ${spec.region}`,
        ...(newest ? {} : { action: 'choose another region' }),
      },
      version: newest,
    };
  }
  if (creatable.includes(spec.kubernetesVersion)) {
    return {
      finding: {
        check: 'kubernetes-version',
        status: 'pass',
        message: `${spec.kubernetesVersion} is creatable in ${spec.region}`,
      },
      version: spec.kubernetesVersion,
    };
  }
  return {
    finding: {
      check: 'kubernetes-version',
      status: 'fail',
      message: `${spec.kubernetesVersion} cannot be created in ${spec.region}`,
      action: `use one of: ${creatable.join(', ') || 'none available'}`,
    },
    version: null,
  };
};

/** The shape of the network, from the request alone (its existence: network-existence.ts). */
const checkNetwork = (spec: ClusterSpec): Finding => {
  if (spec.network === 'auto') {
    return {
      check: 'network',
      status: 'pass',
      message: 'ACK will create a VPC, a vSwitch and a NAT gateway (billed, see cost)',
    };
  }
  if (spec.network.vswitchIds.length < 2) {
    return {
      check: 'network',
      status: 'warn',
      message: 'one vSwitch means one zone: pods have nowhere to go if it fails',
      action: 'give vSwitches in two or more zones of the VPC',
    };
  }
  return {
    check: 'network',
    status: 'pass',
    message: `${spec.network.vswitchIds.length} vSwitches in ${spec.network.vpcId}`,
  };
};

interface PreflightOptions {
  /** Default `operator`: the account-wide numbers are shown. */
  audience?: PreflightAudience;
  /** The tenant's own quota finding (tenant-quota-finding.ts), when a tenant asks. */
  tenantQuota?: Finding;
  /** What the account's checks read; default: ACK, every time (the worker keeps them a while). */
  facts?: AccountFacts;
}

const runPreflight = async (
  api: ClusterApi,
  spec: ClusterSpec,
  vpc: VpcNetworkApi,
  options: PreflightOptions = {},
): Promise<PreflightReport> => {
  const facts = options.facts ?? liveAccountFacts(api);
  const [roles, quota, version, network] = await Promise.all([
    checkRoles(facts, spec.region),
    checkQuota(facts, spec.region, options.audience ?? 'operator'),
    checkVersion(facts, spec),
    checkNetworkExists(vpc, spec),
  ]);
  const findings = [
    roles,
    quota,
    ...(options.tenantQuota ? [options.tenantQuota] : []),
    version.finding,
    checkNetwork(spec),
    ...network,
  ];
  return {
    ok: findings.every((finding) => finding.status !== 'fail'),
    findings,
    kubernetesVersion: version.version,
    cost: estimateCost(spec),
  };
};

/** One line naming every failed check and what to do, for a provision's error. */
const describeFailures = (report: PreflightReport): string =>
  report.findings
    .filter((f) => f.status === 'fail')
    .map(
      (f) =>
        `${f.check}${f.field ? ` (${f.field})` : ''}: ${f.message}${f.action ? ` (${f.action})` : ''}`,
    )
    .join('; ');

/** The worker's preflight found that the spec cannot work in the account; never retried. */
class PreflightFailedError extends DomainError {
  public readonly failed: readonly Finding[];

  public constructor(report: PreflightReport) {
    super('PREFLIGHT_FAILED', `preflight failed: ${describeFailures(report)}`);
    this.name = 'PreflightFailedError';
    this.failed = report.findings.filter((finding) => finding.status === 'fail');
  }
}

export type { Finding, FindingStatus, PreflightAudience, PreflightOptions, PreflightReport };
export { describeFailures, PreflightFailedError, runPreflight };
