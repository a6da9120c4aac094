import type { ApiApp } from '../../../shared/app/api-app.js';
import { createClusterRequestSchema } from '../../../shared/domain/cluster-spec.js';
import { DomainError } from '../../../shared/domain/errors.js';
import { authenticate, requireScope } from '../../../shared/http/authenticate.js';
import { jsonResponse } from '../../../shared/http/fc-http-event.js';
import { parseJsonBody } from '../../../shared/http/json-body.js';
import type { Route } from '../../../shared/http/router.js';
import { acceptProvision } from '../../../shared/provisioning/accept-provision.js';
import { eventView, provisionView } from '../../../shared/provisioning/provision-view.js';

const PROVISION_ID = /^prv_[0-9a-z]{20,32}$/;

/** Another tenant's provision and a missing one look the same: 404. */
const loadOwned = async (app: ApiApp, tenantId: string, id: string) => {
  const provision = PROVISION_ID.test(id) ? await app.store.getProvision({ id, tenantId }) : null;
  if (!provision) throw new DomainError('NOT_FOUND', `cluster ${id} not found`);
  return provision;
};

const clusterRoutes: Route<ApiApp>[] = [
  {
    method: 'POST',
    path: '/v1/clusters',
    handler: async (request, _params, app) => {
      const principal = await authenticate(app, request);
      requireScope(principal, 'clusters:write');
      const spec = parseJsonBody(request, createClusterRequestSchema);
      const provision = await acceptProvision(app, { tenantId: principal.tenantId, spec });
      return jsonResponse(202, provisionView(provision), {
        location: `/v1/clusters/${provision.id}`,
      });
    },
  },
  {
    method: 'GET',
    path: '/v1/clusters/{id}',
    handler: async (request, params, app) => {
      const principal = await authenticate(app, request);
      requireScope(principal, 'clusters:read');
      const provision = await loadOwned(app, principal.tenantId, params.id ?? '');
      return jsonResponse(200, provisionView(provision));
    },
  },
  {
    method: 'GET',
    path: '/v1/clusters/{id}/events',
    handler: async (request, params, app) => {
      const principal = await authenticate(app, request);
      requireScope(principal, 'clusters:read');
      const provision = await loadOwned(app, principal.tenantId, params.id ?? '');
      const events = await app.store.listEvents({ provisionId: provision.id, limit: 1000 });
      return jsonResponse(200, { id: provision.id, events: events.map(eventView) });
    },
  },
];

export { clusterRoutes };
