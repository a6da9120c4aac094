import { ackErrors } from '../errors.js';
import { defaultKubeconfig } from '../kubeconfig.js';
import { clusterStateAt } from '../lifecycle.js';
import { intQuery } from '../validators.js';
import type { AckHandler, KubeconfigRequest } from './handler.js';

/**
 * DescribeClusterUserKubeconfig `GET /k8s/{ClusterId}/user_config?PrivateIpAddress&
 * TemporaryDurationMinutes` (PascalCase query) → `{config, expiration}` with `expiration` as
 * RFC 3339 UTC (`2024-03-10T09:56:17Z`, the SDK's example).
 *
 * - TemporaryDurationMinutes: 15–4320; without it the credential lives three years, ACK's
 *   default certificate lifetime (SDK doc).
 * - Only a running cluster has one. Other states answer ErrorClusterState, 400 (UNVERIFIED: ACK's
 *   code for a kubeconfig of a cluster that is still creating or failed is not documented).
 * - The kubeconfig comes from the `kubeconfigFor` option (an emulated Kubernetes API) when set,
 *   otherwise from kubeconfig.ts.
 */

const THREE_YEARS_MINUTES = 3 * 365 * 24 * 60;

const expirationText = (expiration: Date): string =>
  expiration.toISOString().replace(/\.\d{3}Z$/, 'Z');

const describeClusterUserKubeconfig: AckHandler = async (request, context) => {
  const clusterId = request.params.ClusterId ?? '';
  const cluster = context.store.getCluster(clusterId);
  const now = context.now();
  const state = cluster === undefined ? 'deleted' : clusterStateAt(cluster, now);
  if (cluster === undefined || state === 'deleted') throw ackErrors.clusterNotFound(clusterId);
  const durationMinutes = intQuery(request.query, 'TemporaryDurationMinutes', {
    min: 15,
    max: 4320,
    fallback: THREE_YEARS_MINUTES,
  });
  const privateText = request.query.PrivateIpAddress ?? '';
  if (!['', 'true', 'false'].includes(privateText)) {
    throw ackErrors.invalidParameter('PrivateIpAddress must be true or false.');
  }
  if (state !== 'running') {
    throw ackErrors.kubeconfigNeedsRunning(clusterId, state);
  }
  const input: KubeconfigRequest = {
    clusterId,
    clusterName: cluster.name,
    durationMinutes,
    privateIp: privateText === 'true',
  };
  const issued =
    context.kubeconfigFor === undefined
      ? defaultKubeconfig(input, context.endpointsFor(cluster), now)
      : await context.kubeconfigFor(input);
  return {
    status: 200,
    body: { config: issued.config, expiration: expirationText(issued.expiration) },
  };
};

export { describeClusterUserKubeconfig };
