import { z } from 'zod';
import type { ClusterApi } from '../ack/cluster-api.port.js';
import { CLUSTER_SPECS } from '../domain/cluster-spec.js';

/**
 * `GET /v1/options`: what a create request may ask for. Kubernetes versions come from ACK
 * (DescribeKubernetesVersionMetadata, creatable, Serverless) for the asked region. The regions and
 * the addons are curated lists (cs20151215 has no call listing ASK addons; DescribeRegions is not
 * in our port): they say what this service has been checked with, not all that ACK offers.
 */
const REGIONS = [
  { id: 'cn-hangzhou', name: 'China (Hangzhou)' },
  { id: 'cn-shanghai', name: 'China (Shanghai)' },
  { id: 'cn-beijing', name: 'China (Beijing)' },
  { id: 'ap-southeast-1', name: 'Singapore' },
  { id: 'us-west-1', name: 'US (Silicon Valley)' },
] as const;

const ADDONS = [
  { name: 'nginx-ingress-controller', description: 'NGINX Ingress (disabled by default on ASK)' },
  { name: 'alb-ingress-controller', description: 'Ingress through an Application Load Balancer' },
  { name: 'loongcollector', description: 'log collection to Simple Log Service' },
  { name: 'ack-node-problem-detector', description: 'problem detection and events' },
  { name: 'metrics-server', description: 'resource metrics for autoscaling' },
] as const;

const optionsSchema = z.object({
  region: z.string(),
  regions: z.array(z.object({ id: z.string(), name: z.string() })),
  kubernetesVersions: z.array(
    z.object({
      version: z.string(),
      releaseDate: z.string().nullable(),
      expirationDate: z.string().nullable(),
    }),
  ),
  defaultKubernetesVersion: z.string().nullable(),
  clusterSpecs: z.array(z.enum(CLUSTER_SPECS)),
  addons: z.array(z.object({ name: z.string(), description: z.string() })),
});

type ClusterOptions = z.infer<typeof optionsSchema>;

const toText = (value: unknown): string | null => {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' && value.length > 0 ? value : null;
};

const clusterOptions = async (api: ClusterApi, region: string): Promise<ClusterOptions> => {
  const versions = (
    await api.listKubernetesVersions({ regionId: region, profile: 'Serverless', mode: 'creatable' })
  )
    .filter((v) => v.creatable)
    .sort((a, b) => b.version.localeCompare(a.version, undefined, { numeric: true }));
  return {
    region,
    regions: REGIONS.map((r) => ({ ...r })),
    kubernetesVersions: versions.map((v) => ({
      version: v.version,
      releaseDate: toText(v.releaseDate),
      expirationDate: toText(v.expirationDate),
    })),
    defaultKubernetesVersion: versions[0]?.version ?? null,
    clusterSpecs: [...CLUSTER_SPECS],
    addons: ADDONS.map((a) => ({ ...a })),
  };
};

export type { ClusterOptions };
export { clusterOptions, optionsSchema, REGIONS };
