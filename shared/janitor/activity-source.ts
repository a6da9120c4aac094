/**
 * Where the janitor reads a cluster's pods (ASKP_JANITOR_ACTIVITY_SOURCE):
 * - `kube`: the cluster's Kubernetes API, which needs a network path to its API server;
 * - `eci`: ECI's DescribeContainerGroups for the cluster's vSwitches, a cloud API with no path
 *   to the cluster needed;
 * - `auto` (default): `eci` for clusters on `network: "auto"` (a VPC of their own, so every
 *   group in their vSwitches is theirs, and a private API server the service cannot reach),
 *   `kube` for clusters on a given network, falling back to `eci` when the API server cannot be
 *   reached. See read-activity.ts and docs/architecture.md, "Reading activity".
 */
const ACTIVITY_SOURCES = ['auto', 'kube', 'eci'] as const;
type ActivitySource = (typeof ACTIVITY_SOURCES)[number];

export type { ActivitySource };
export { ACTIVITY_SOURCES };
