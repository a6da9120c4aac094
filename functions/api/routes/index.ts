import type { ApiApp } from '../../../shared/app/api-app.js';
import type { ApiRoute } from '../../../shared/http/endpoint.js';
import { adminRoutes } from './admin.js';
import { auditRoutes } from './audit.js';
import { clusterAckRoutes } from './clusters-ack.js';
import { clusterAddonRoutes } from './clusters-addons.js';
import { clusterChangeRoutes } from './clusters-change.js';
import { clusterChangeListRoutes } from './clusters-changes.js';
import { createClusterRoute } from './clusters-create.js';
import { clusterNodePoolRoutes } from './clusters-node-pools.js';
import { clusterReadRoutes } from './clusters-read.js';
import { healthRoutes } from './health.js';
import { janitorRoutes } from './janitor.js';
import { metricsRoutes } from './metrics.js';
import { openApiRoute } from './openapi.js';
import { templateRoutes } from './templates.js';
import { tenantLimitRoutes } from './tenant-limits.js';
import { uiRoutes } from './ui.js';
import { webhookDeliveryRoutes } from './webhook-deliveries.js';
import { webhookEndpointRoutes } from './webhooks.js';

/**
 * Every route the API serves, loaded at once: the OpenAPI document and the tests read this list.
 * The router serves the same routes through `route-table.ts`, which loads each module on its first
 * request (test/unit/route-table.test.ts keeps the two in step).
 */
const apiRoutes: readonly ApiRoute<ApiApp>[] = [
  ...healthRoutes,
  createClusterRoute,
  ...clusterReadRoutes,
  ...clusterChangeRoutes,
  ...clusterChangeListRoutes,
  ...clusterAckRoutes,
  ...clusterAddonRoutes,
  ...clusterNodePoolRoutes,
  ...templateRoutes,
  ...webhookEndpointRoutes,
  ...webhookDeliveryRoutes,
  ...adminRoutes,
  ...tenantLimitRoutes,
  ...auditRoutes,
  ...janitorRoutes,
  ...metricsRoutes,
  ...uiRoutes,
  openApiRoute(() => apiRoutes),
];

export { apiRoutes };
