import type { ApiApp } from '../../../shared/app/api-app.js';
import { tenantInPath } from '../../../shared/http/audit-trail.js';
import { type ApiRoute, defineEndpoint, NO_BODY } from '../../../shared/http/endpoint.js';
import { jsonResponse } from '../../../shared/http/fc-http-event.js';
import { NO_QUERY } from '../../../shared/http/query.js';
import {
  getTenantNetworks,
  getTenantQuota,
  setTenantNetworks,
  setTenantQuota,
  tenantNetworksViewSchema,
  tenantQuotaViewSchema,
} from '../../../shared/tenancy/manage-tenant-limits.js';
import { tenantNetworksRequestSchema } from '../../../shared/tenancy/tenant-networks.js';
import { tenantQuotaRequestSchema } from '../../../shared/tenancy/tenant-quota.js';

/** A tenant's limits, set by an admin: the networks it may name and its quota. */
const tenantLimitRoutes: ApiRoute<ApiApp>[] = [
  defineEndpoint({
    method: 'GET',
    path: '/v1/admin/tenants/{id}/networks',
    doc: {
      operationId: 'getTenantNetworks',
      summary: 'The networks a tenant may name',
      description:
        'The VPCs (per region) and their vSwitches a create or preflight of this tenant may ' +
        'name; any other is 403 NETWORK_NOT_ALLOWED. Network "auto" is always allowed.',
      tag: 'admin',
      scope: 'admin',
      query: NO_QUERY,
      body: NO_BODY,
      responses: {
        200: {
          description: 'the registered networks',
          schema: tenantNetworksViewSchema,
          name: 'TenantNetworks',
        },
      },
      errors: ['NOT_FOUND'],
    },
    handle: async ({ app, params }) =>
      jsonResponse(200, await getTenantNetworks(app, params.id ?? '')),
  }),
  defineEndpoint({
    method: 'PUT',
    path: '/v1/admin/tenants/{id}/networks',
    audit: { action: 'tenant.networks.set', subject: tenantInPath('tenant') },
    doc: {
      operationId: 'setTenantNetworks',
      summary: 'Register the networks a tenant may name',
      description:
        'Replaces the whole list. Register only networks that are the tenant’s to use: ACK ' +
        'checks that a VPC exists in the account, not whose it is. [] leaves network "auto" ' +
        'only. Clusters already accepted keep their network.',
      tag: 'admin',
      scope: 'admin',
      query: NO_QUERY,
      body: tenantNetworksRequestSchema,
      bodyName: 'TenantNetworksRequest',
      responses: {
        200: {
          description: 'the networks now',
          schema: tenantNetworksViewSchema,
          name: 'TenantNetworks',
        },
      },
      errors: ['NOT_FOUND'],
    },
    handle: async ({ app, params, body }) =>
      jsonResponse(
        200,
        await setTenantNetworks(app, { tenantId: params.id ?? '', request: body() }),
      ),
  }),
  defineEndpoint({
    method: 'GET',
    path: '/v1/admin/tenants/{id}/quota',
    doc: {
      operationId: 'getTenantQuota',
      summary: "A tenant's quota and its usage",
      description:
        'maxClusters and maxMonthlyCost (null: no limit) and what the tenant holds now: its ' +
        'clusters not deleted, cancelled or failed, and their monthly cost from the price table.',
      tag: 'admin',
      scope: 'admin',
      query: NO_QUERY,
      body: NO_BODY,
      responses: {
        200: { description: 'the quota', schema: tenantQuotaViewSchema, name: 'TenantQuota' },
      },
      errors: ['NOT_FOUND'],
    },
    handle: async ({ app, params }) =>
      jsonResponse(200, await getTenantQuota(app, params.id ?? '')),
  }),
  defineEndpoint({
    method: 'PUT',
    path: '/v1/admin/tenants/{id}/quota',
    audit: { action: 'tenant.quota.set', subject: tenantInPath('tenant') },
    doc: {
      operationId: 'setTenantQuota',
      summary: "Set a tenant's quota",
      description:
        'Both limits, each a number or null for none. A create that would pass one is 403 ' +
        'TENANT_QUOTA_EXCEEDED and writes nothing; a lower quota touches no cluster already held.',
      tag: 'admin',
      scope: 'admin',
      query: NO_QUERY,
      body: tenantQuotaRequestSchema,
      bodyName: 'TenantQuotaRequest',
      responses: {
        200: { description: 'the quota now', schema: tenantQuotaViewSchema, name: 'TenantQuota' },
      },
      errors: ['NOT_FOUND'],
    },
    handle: async ({ app, params, body }) =>
      jsonResponse(200, await setTenantQuota(app, { tenantId: params.id ?? '', request: body() })),
  }),
];

export { tenantLimitRoutes };
