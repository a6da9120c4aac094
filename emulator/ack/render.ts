import { createHash } from 'node:crypto';
import { clusterStateAt, lastChangeAt } from './lifecycle.js';
import type { ClusterEndpoints, StoredCluster } from './types.js';

/**
 * Clusters on the wire, snake_case as ACK sends them (the SDK maps them to camelCase through each
 * model's `names()`); DescribeClusterDetail and DescribeClustersV1 share the shape.
 */

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * `2025-04-07T09:57:26+08:00`: the SDK's examples show cluster and task times in Beijing time with
 * an offset. UNVERIFIED whether ACK uses the region's zone outside China; we always use +08:00.
 */
const formatAckTime = (at: number): string =>
  `${new Date(at + BEIJING_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;

/**
 * `2022-12-15 23:00:00`: task stage times in the SDK's examples carry neither `T` nor a zone
 * (UNVERIFIED: we assume Beijing time, like the other ACK times).
 */
const formatStageTime = (at: number): string =>
  new Date(at + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');

/** Stable fake addresses derived from the cluster id, so a restart reports the same ones. */
const defaultEndpoints = (cluster: StoredCluster): ClusterEndpoints => {
  const digest = createHash('sha256').update(cluster.clusterId).digest();
  const octet = (index: number, min: number): number => min + ((digest[index] ?? 0) % (254 - min));
  const intranet = `https://192.168.${octet(0, 0)}.${octet(1, 2)}:6443`;
  if (!cluster.endpointPublicAccess) return { intranet };
  return { intranet, internet: `https://47.${octet(2, 1)}.${octet(3, 1)}.${octet(4, 2)}:6443` };
};

type EndpointsFor = (cluster: StoredCluster) => ClusterEndpoints;

/**
 * `master_url` is a JSON *string*, not an object. Without public access `api_server_endpoint` is
 * the empty string (the SDK's example). Before the cluster runs both are empty (UNVERIFIED).
 */
const masterUrlOf = (cluster: StoredCluster, running: boolean, endpointsFor: EndpointsFor) => {
  const endpoints = running ? endpointsFor(cluster) : {};
  return JSON.stringify({
    api_server_endpoint: endpoints.internet ?? '',
    intranet_api_server_endpoint: endpoints.intranet ?? '',
  });
};

const renderCluster = (
  cluster: StoredCluster,
  now: number,
  endpointsFor: EndpointsFor = defaultEndpoints,
): Record<string, unknown> => {
  const state = clusterStateAt(cluster, now);
  return {
    cluster_id: cluster.clusterId,
    name: cluster.name,
    region_id: cluster.regionId,
    cluster_type: cluster.clusterType,
    profile: cluster.profile,
    cluster_spec: cluster.clusterSpec,
    state,
    // ASK has no nodes to count; ACK reports 0 for serverless clusters (UNVERIFIED).
    size: 0,
    current_version: cluster.kubernetesVersion,
    init_version: cluster.kubernetesVersion,
    next_version: '',
    tags: cluster.tags.map((tag) => ({ key: tag.key, value: tag.value })),
    deletion_protection: cluster.deletionProtection,
    master_url: masterUrlOf(cluster, state === 'running', endpointsFor),
    vpc_id: cluster.vpcId,
    // Deprecated field, kept by ACK: the vSwitch ids joined with commas.
    vswitch_id: cluster.vswitchIds.join(','),
    vswitch_ids: [...cluster.vswitchIds],
    zone_id: cluster.zoneId,
    service_cidr: cluster.serviceCidr,
    container_cidr: '',
    network_mode: 'vpc',
    proxy_mode: 'ipvs',
    ip_stack: 'ipv4',
    cluster_domain: 'cluster.local',
    private_zone: false,
    timezone: cluster.timezone,
    resource_group_id: cluster.resourceGroupId,
    security_group_id: cluster.securityGroupId,
    external_loadbalancer_id: '',
    worker_ram_role_name: '',
    maintenance_window: { enable: false },
    operation_policy: { cluster_auto_upgrade: { enabled: false, channel: '' } },
    rrsa_config: { enabled: false },
    parameters: {},
    meta_data: JSON.stringify({
      Addons: cluster.addons,
      KubernetesVersion: cluster.kubernetesVersion,
      SnatEntry: cluster.snatEntry,
    }),
    created: formatAckTime(cluster.createdAt),
    updated: formatAckTime(lastChangeAt(cluster, now)),
  };
};

export type { EndpointsFor };
export { defaultEndpoints, formatAckTime, formatStageTime, renderCluster };
