import type { ClusterApi } from '../ack/cluster-api.port.js';
import { clusterPages } from '../ack/cluster-pages.js';
import { ASK_SERVICE_ROLES } from '../ack/service-roles.js';
import { createTtlCache } from '../ttl-cache.js';
import { readCreatableVersions } from './ack-catalog.js';

/**
 * What the preflight asks ACK about the account, the same for every cluster of a region: which
 * ASK service roles are missing, the ASK cluster quota and how much of it is used (DescribeUserQuota
 * and every page of DescribeClustersV1), and the creatable Kubernetes versions.
 */
interface AccountFacts {
  /** Whether a read may come from a cache (then a failing check asks again, `fresh`). */
  readonly cached: boolean;
  missingRoles(region: string, options?: { fresh?: boolean }): Promise<string[]>;
  capacity(region: string, options?: { fresh?: boolean }): Promise<{ limit: number; used: number }>;
  creatableVersions(region: string, options?: { fresh?: boolean }): Promise<string[]>;
  /** A cluster this instance just asked ACK to create: it uses the capacity a cache holds. */
  created(region: string): void;
}

/** ACK documents 20 as the default when DescribeUserQuota does not say (its API doc). */
const DEFAULT_ASK_QUOTA = 20;

const readMissingRoles = async (api: ClusterApi, region: string): Promise<string[]> => {
  const roles = await api.checkServiceRoles({ roles: [...ASK_SERVICE_ROLES], regionId: region });
  return roles.filter((role) => !role.granted).map((role) => role.name);
};

const countServerlessClusters = async (api: ClusterApi, region: string): Promise<number> => {
  let count = 0;
  const query = { regionId: region, profile: 'Serverless', clusterType: 'ManagedKubernetes' };
  for await (const page of clusterPages(api, query)) {
    count += page.clusters.filter((c) => c.state !== 'deleted' && c.state !== 'deleting').length;
  }
  return count;
};

const readCapacity = async (
  api: ClusterApi,
  region: string,
): Promise<{ limit: number; used: number }> => {
  const [quota, used] = await Promise.all([
    api.describeUserQuota({ regionId: region }),
    countServerlessClusters(api, region),
  ]);
  return { limit: quota.askClusterQuota ?? DEFAULT_ASK_QUOTA, used };
};

/** Every read asks ACK: the preflight endpoint, which an operator calls to see the account now. */
const liveAccountFacts = (api: ClusterApi): AccountFacts => ({
  cached: false,
  missingRoles: (region) => readMissingRoles(api, region),
  capacity: (region) => readCapacity(api, region),
  creatableVersions: (region) => readCreatableVersions(api, region),
  created: () => {},
});

/**
 * How long a worker instance trusts what it read: every create ran the whole preflight, and the
 * quota's count pages through every cluster of the account (DescribeClustersV1, 50 a page), so
 * each create cost 4 + ceil(clusters / 50) ACK calls: 24 with 1,000 clusters in the account.
 */
const ACCOUNT_FACTS_TTL_MS = 60_000;

/**
 * The worker's facts, kept per instance for a minute. A kept fact may only let a check pass: a
 * check that would fail on it asks ACK again (`fresh`) and fails only on what ACK says now, so a
 * stale cache never fails a create. What a kept fact can let through, ACK still refuses
 * (CreateCluster past the quota is ACK_QUOTA_EXCEEDED, an unknown version a 400), as it would
 * for two workers that checked the same room at once.
 */
const cachedAccountFacts = (
  api: ClusterApi,
  options: { ttlMs?: number; now?: () => number } = {},
): AccountFacts => {
  const kept = {
    ttlMs: options.ttlMs ?? ACCOUNT_FACTS_TTL_MS,
    ...(options.now ? { now: options.now } : {}),
  };
  const roles = createTtlCache<string[]>(kept);
  const capacities = createTtlCache<{ limit: number; used: number }>(kept);
  const versions = createTtlCache<string[]>(kept);
  /** Clusters this instance created since the kept count was read, per region. */
  const createdSince = new Map<string, number>();
  return {
    cached: true,
    missingRoles: (region, { fresh } = {}) =>
      roles.get(region, () => readMissingRoles(api, region), { fresh }),
    capacity: async (region, { fresh } = {}) => {
      const read = await capacities.get(
        region,
        async () => {
          createdSince.set(region, 0);
          return readCapacity(api, region);
        },
        { fresh },
      );
      return { limit: read.limit, used: read.used + (createdSince.get(region) ?? 0) };
    },
    creatableVersions: (region, { fresh } = {}) =>
      versions.get(region, () => readCreatableVersions(api, region), { fresh }),
    created: (region) => createdSince.set(region, (createdSince.get(region) ?? 0) + 1),
  };
};

export type { AccountFacts };
export { ACCOUNT_FACTS_TTL_MS, cachedAccountFacts, liveAccountFacts };
