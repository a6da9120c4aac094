import type { ApiApp } from '../../../shared/app/api-app.js';
import type { RouteModule } from '../../../shared/http/lazy-routes.js';

/**
 * What the API serves, module by module, for the router: each module is loaded on the first
 * request to one of its routes, so that a cold start evaluates one route module and its schemas,
 * not all of them (docs/performance.md). `index.ts` holds the same routes loaded at once, for the
 * OpenAPI document and the tests; `test/unit/route-table.test.ts` keeps the two in step.
 */
const API_ROUTE_MODULES: readonly RouteModule<ApiApp>[] = [
  {
    routes: ['GET /healthz', 'GET /readyz'],
    load: async () => (await import('./health.js')).healthRoutes,
  },
  {
    routes: ['POST /v1/clusters'],
    load: async () => [(await import('./clusters-create.js')).createClusterRoute],
  },
  {
    routes: ['GET /v1/clusters', 'GET /v1/clusters/{id}', 'GET /v1/clusters/{id}/events'],
    load: async () => (await import('./clusters-read.js')).clusterReadRoutes,
  },
  {
    routes: ['PATCH /v1/clusters/{id}', 'DELETE /v1/clusters/{id}'],
    load: async () => (await import('./clusters-change.js')).clusterChangeRoutes,
  },
  {
    routes: [
      'GET /v1/clusters/{id}/changes',
      'POST /v1/clusters/{id}/kubeconfig:revoke',
      'POST /v1/clusters/{id}:upgrade',
    ],
    load: async () => (await import('./clusters-changes.js')).clusterChangeListRoutes,
  },
  {
    routes: [
      'GET /v1/clusters/{id}/kubeconfig',
      'GET /v1/clusters/{id}/kubeconfigs',
      'GET /v1/clusters/{id}/node-pools',
      'POST /v1/clusters:preflight',
      'GET /v1/options',
    ],
    load: async () => (await import('./clusters-ack.js')).clusterAckRoutes,
  },
  {
    routes: [
      'GET /v1/clusters/{id}/addons',
      'POST /v1/clusters/{id}/addons',
      'PATCH /v1/clusters/{id}/addons/{name}',
      'DELETE /v1/clusters/{id}/addons/{name}',
    ],
    load: async () => (await import('./clusters-addons.js')).clusterAddonRoutes,
  },
  {
    routes: [
      'POST /v1/clusters/{id}/node-pools',
      'PATCH /v1/clusters/{id}/node-pools/{poolId}',
      'DELETE /v1/clusters/{id}/node-pools/{poolId}',
    ],
    load: async () => (await import('./clusters-node-pools.js')).clusterNodePoolRoutes,
  },
  {
    routes: [
      'POST /v1/templates',
      'GET /v1/templates',
      'GET /v1/templates/{name}',
      'PUT /v1/templates/{name}',
      'DELETE /v1/templates/{name}',
    ],
    load: async () => (await import('./templates.js')).templateRoutes,
  },
  {
    routes: [
      'POST /v1/webhooks/endpoints',
      'GET /v1/webhooks/endpoints',
      'GET /v1/webhooks/endpoints/{id}',
      'PATCH /v1/webhooks/endpoints/{id}',
      'POST /v1/webhooks/endpoints/{id}:ping',
      'DELETE /v1/webhooks/endpoints/{id}',
      'POST /v1/webhooks/endpoints/{id}:enable',
      'POST /v1/admin/tenants/{id}/webhook-secret:rotate',
    ],
    load: async () => (await import('./webhooks.js')).webhookEndpointRoutes,
  },
  {
    routes: [
      'GET /v1/webhooks/deliveries',
      'GET /v1/webhooks/deliveries/{id}',
      'POST /v1/webhooks/deliveries/{id}/redeliver',
    ],
    load: async () => (await import('./webhook-deliveries.js')).webhookDeliveryRoutes,
  },
  {
    routes: [
      'GET /v1/admin/tenants',
      'GET /v1/admin/tenants/{id}',
      'GET /v1/admin/tenants/{id}/defaults',
      'POST /v1/admin/tenants',
      'POST /v1/admin/api-keys',
      'GET /v1/admin/api-keys',
      'POST /v1/admin/api-keys/{id}:revoke',
    ],
    load: async () => (await import('./admin.js')).adminRoutes,
  },
  {
    routes: [
      'GET /v1/admin/tenants/{id}/networks',
      'PUT /v1/admin/tenants/{id}/networks',
      'GET /v1/admin/tenants/{id}/quota',
      'PUT /v1/admin/tenants/{id}/quota',
    ],
    load: async () => (await import('./tenant-limits.js')).tenantLimitRoutes,
  },
  {
    routes: ['GET /v1/admin/audit'],
    load: async () => (await import('./audit.js')).auditRoutes,
  },
  {
    routes: ['GET /v1/admin/janitor/runs', 'PUT /v1/admin/tenants/{id}/defaults'],
    load: async () => (await import('./janitor.js')).janitorRoutes,
  },
  {
    routes: ['GET /metrics'],
    load: async () => (await import('./metrics.js')).metricsRoutes,
  },
  {
    routes: ['GET /ui', 'GET /ui/{file}'],
    load: async () => (await import('./ui.js')).uiRoutes,
  },
  {
    // The document describes every route, so it is built from the whole list.
    routes: ['GET /openapi.json'],
    load: async () => (await import('./index.js')).apiRoutes,
  },
];

export { API_ROUTE_MODULES };
