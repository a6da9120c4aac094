import * as z from 'zod';
import type { ApiApp } from '../../../shared/app/api-app.js';
import { changeListSchema, changeView } from '../../../shared/changes/change-view.js';
import { planUpgrade } from '../../../shared/changes/plan-upgrade.js';
import { KUBERNETES_VERSION_PATTERN } from '../../../shared/domain/cluster-spec.js';
import { ownTarget } from '../../../shared/http/audit-trail.js';
import { type ApiRoute, defineEndpoint, NO_BODY } from '../../../shared/http/endpoint.js';
import { jsonResponse } from '../../../shared/http/fc-http-event.js';
import { NO_QUERY } from '../../../shared/http/query.js';
import { loadProvision } from '../../../shared/provisioning/load-provision.js';
import { acceptChange, changeAcceptedResponse } from './change-accepted.js';

const upgradeRequestSchema = z
  .object({
    kubernetesVersion: z
      .string()
      .regex(KUBERNETES_VERSION_PATTERN, 'kubernetesVersion looks like 1.33.1-aliyun.1')
      .describe('the target: one of the upgrades ACK offers for the current version'),
  })
  .strict();

/** The changes after creation (issue #17): where each one's outcome, and failure, is recorded. */
const clusterChangeListRoutes: ApiRoute<ApiApp>[] = [
  defineEndpoint({
    method: 'GET',
    path: '/v1/clusters/{id}/changes',
    doc: {
      operationId: 'listClusterChanges',
      summary: "A cluster's changes after creation",
      description:
        'Newest first, at most 50: what was asked, the ACK task carrying it out, its state ' +
        '(pending, running, succeeded, failed) and, for a failed one, why. The stages are in ' +
        'the timeline (GET /v1/clusters/{id}/events, `ack.stage`).',
      tag: 'clusters',
      scope: 'clusters:read',
      query: NO_QUERY,
      body: NO_BODY,
      responses: {
        200: { description: 'the changes', schema: changeListSchema, name: 'ClusterChangeList' },
      },
      errors: ['NOT_FOUND'],
    },
    handle: async ({ app, principal, params }) => {
      const provision = await loadProvision(app.store, {
        tenantId: principal.tenantId,
        id: params.id ?? '',
      });
      const changes = await app.store.listChanges({ provisionId: provision.id, limit: 50 });
      return jsonResponse(200, { id: provision.id, changes: changes.map(changeView) });
    },
  }),
  defineEndpoint({
    method: 'POST',
    path: '/v1/clusters/{id}/kubeconfig:revoke',
    audit: { action: 'kubeconfig.revoke', subject: ownTarget('cluster') },
    doc: {
      operationId: 'revokeClusterKubeconfigs',
      summary: 'Revoke the kubeconfigs issued for a cluster',
      description:
        "ACK's RevokeK8sClusterKubeConfig for the service's identity: every kubeconfig this " +
        'service handed out for the cluster (GET …/kubeconfig, by any key of the tenant) stops ' +
        'working, and its issuance record (GET …/kubeconfigs) is marked revoked. A change like ' +
        'the others: 202 with the change, the cluster updating until ACK answered, then ' +
        '`cluster.updated` or `cluster.update_failed`. A kubeconfig asked for afterwards works.',
      tag: 'clusters',
      scope: 'clusters:write',
      query: NO_QUERY,
      body: NO_BODY,
      responses: {
        202: changeAcceptedResponse('the revocation is under way: the cluster and the change'),
      },
      errors: ['NOT_FOUND', 'CONFLICT'],
    },
    handle: async ({ app, principal, params, audit }) => {
      return acceptChange(app, {
        tenantId: principal.tenantId,
        id: params.id ?? '',
        plan: () => ({ kind: 'kubeconfig-revoke', params: {} }),
        audit: (subject) => audit.take(subject),
      });
    },
  }),
  defineEndpoint({
    method: 'POST',
    path: '/v1/clusters/{id}:upgrade',
    audit: { action: 'cluster.upgrade', subject: ownTarget('cluster') },
    doc: {
      operationId: 'upgradeCluster',
      summary: "Upgrade a cluster's Kubernetes version",
      description:
        "ACK's UpgradeCluster to `kubernetesVersion`, which must be one of the upgrades ACK " +
        "offers for the cluster's current version (DescribeKubernetesVersionMetadata " +
        '`upgradable_versions`; anything else is a 400 naming kubernetesVersion and changes ' +
        'nothing). A change like the others: 202 with the change, the cluster `updating` while ' +
        "ACK's task runs (its stages in the timeline), then `running` with the new " +
        '`spec.kubernetesVersion` and `cluster.updated`, or unchanged with `cluster.update_failed`.',
      tag: 'clusters',
      scope: 'clusters:write',
      query: NO_QUERY,
      body: upgradeRequestSchema,
      bodyName: 'UpgradeClusterRequest',
      responses: {
        202: changeAcceptedResponse('the upgrade is under way: the cluster and the change'),
      },
      errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT'],
    },
    handle: async ({ app, principal, params, body, audit }) => {
      const { kubernetesVersion } = body();
      const api = await app.clusterApi();
      return acceptChange(app, {
        tenantId: principal.tenantId,
        id: params.id ?? '',
        plan: (provision) => planUpgrade(api, provision, kubernetesVersion),
        audit: (subject) => audit.take(subject),
      });
    },
  }),
];

export { clusterChangeListRoutes };
