import { ackErrors } from '../errors.js';
import { clusterStateAt } from '../lifecycle.js';
import type { AckHandler } from './handler.js';

/**
 * RevokeK8sClusterKubeConfig `DELETE /k8s/{ClusterId}/certs`: "revoke the cluster KubeConfig
 * credential owned by the currently logged-on Alibaba Cloud account or RAM user … After the
 * revocation succeeds, the cluster generates a new KubeConfig, and the original KubeConfig
 * becomes invalid" (the SDK's doc of `revokeK8sClusterKubeConfig`). Done in the call: no task,
 * an empty body (RevokeK8sClusterKubeConfigResponseBody has no fields). The emulator records when
 * (`kubeconfigsRevokedAt`); the kubeconfigs it issued are not tracked, so nothing else changes.
 * A deleted or unknown cluster is ErrorClusterNotFound; one not running is refused with
 * ErrorClusterState (UNVERIFIED: whether ACK revokes for a cluster still creating).
 */
const revokeK8sClusterKubeConfig: AckHandler = (request, context) => {
  const clusterId = request.params.ClusterId ?? '';
  const cluster = context.store.getCluster(clusterId);
  const now = context.now();
  const state = cluster === undefined ? 'deleted' : clusterStateAt(cluster, now);
  if (cluster === undefined || state === 'deleted') throw ackErrors.clusterNotFound(clusterId);
  if (state !== 'running') throw ackErrors.clusterNotRunning(clusterId, state);
  context.store.save({ clusters: [{ ...cluster, kubeconfigsRevokedAt: now }] });
  return { status: 200, body: {} };
};

export { revokeK8sClusterKubeConfig };
