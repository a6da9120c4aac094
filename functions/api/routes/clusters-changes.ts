import type { ApiApp } from '../../../shared/app/api-app.js';
import { changeListSchema, changeView } from '../../../shared/changes/change-view.js';
import { type ApiRoute, defineEndpoint, NO_BODY } from '../../../shared/http/endpoint.js';
import { jsonResponse } from '../../../shared/http/fc-http-event.js';
import { NO_QUERY } from '../../../shared/http/query.js';
import { loadProvision } from '../../../shared/provisioning/load-provision.js';

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
];

export { clusterChangeListRoutes };
