import * as z from 'zod';
import { CLUSTER_SPECS } from '../domain/cluster-spec.js';
import { instanceTypesIn } from '../domain/instance-types.js';
import { OFFERED_REGIONS } from '../domain/regions.js';
import type { AckCatalog } from './ack-catalog.js';

/**
 * `GET /v1/options`: what a create request may ask for. The regions and their zones are this
 * service's curated list (shared/domain/regions.ts); the Kubernetes versions (creatable,
 * Serverless) and the addons (ListAddons, for the newest creatable version and ack.standard)
 * come from ACK for the asked region, through the same cached catalog a create is checked
 * against. A create may name any addon of the version it asks for. The instance types per zone
 * are this service's curated list too (shared/domain/instance-types.ts).
 */
const optionsSchema = z.object({
  region: z.string(),
  regions: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      zones: z.array(z.string()).describe('zones for network "auto"; the first is the default'),
    }),
  ),
  defaultZoneId: z.string().describe('the zone network "auto" uses in this region by default'),
  kubernetesVersions: z.array(z.object({ version: z.string() })),
  defaultKubernetesVersion: z.string().nullable(),
  clusterSpecs: z.array(z.enum(CLUSTER_SPECS)),
  addons: z
    .array(
      z.object({
        name: z.string(),
        version: z.string().nullable(),
        category: z.string().nullable(),
      }),
    )
    .describe("ACK's addon catalog for the default version; coredns is installed by default"),
  instanceTypes: z
    .array(
      z.object({
        zoneId: z.string(),
        types: z.array(z.object({ id: z.string(), vcpu: z.number(), memoryGiB: z.number() })),
      }),
    )
    .describe(
      "the ECS instance types a managed cluster's node pools may use, per zone of the region (a curated list)",
    ),
});

type ClusterOptions = z.infer<typeof optionsSchema>;

const clusterOptions = async (catalog: AckCatalog, region: string): Promise<ClusterOptions> => {
  const versions = await catalog.creatableVersions(region);
  const newest = versions[0] ?? null;
  const addons =
    newest === null
      ? []
      : await catalog.addons({
          regionId: region,
          kubernetesVersion: newest,
          clusterSpec: 'ack.standard',
        });
  return {
    region,
    regions: OFFERED_REGIONS.map((r) => ({ id: r.id, name: r.name, zones: [...r.zones] })),
    defaultZoneId: OFFERED_REGIONS.find((r) => r.id === region)?.zones[0] ?? '',
    kubernetesVersions: versions.map((version) => ({ version })),
    defaultKubernetesVersion: newest,
    clusterSpecs: [...CLUSTER_SPECS],
    addons: addons.map((addon) => ({
      name: addon.name,
      version: addon.version,
      category: addon.category,
    })),
    instanceTypes: (OFFERED_REGIONS.find((r) => r.id === region)?.zones ?? []).map((zoneId) => ({
      zoneId,
      types: instanceTypesIn(region, zoneId).map((type) => ({ ...type })),
    })),
  };
};

export type { ClusterOptions };
export { clusterOptions, optionsSchema };
