import { z } from 'zod';
import type { ApiApp } from '../../../shared/app/api-app.js';
import {
  createClusterRequestSchema,
  offeredRegionSchema,
} from '../../../shared/domain/cluster-spec.js';
import { DomainError } from '../../../shared/domain/errors.js';
import { type ApiRoute, defineEndpoint, NO_BODY } from '../../../shared/http/endpoint.js';
import { jsonResponse } from '../../../shared/http/fc-http-event.js';
import { NO_QUERY } from '../../../shared/http/query.js';
import { clusterOptions, optionsSchema } from '../../../shared/provisioning/cluster-options.js';
import { loadProvision } from '../../../shared/provisioning/load-provision.js';
import { runPreflight } from '../../../shared/provisioning/preflight.js';
import { assertTenantMayAsk } from '../../../shared/tenancy/tenant-create-checks.js';
import { readTenantQuotaFinding } from '../../../shared/tenancy/tenant-quota-finding.js';

/** The routes that ask ACK itself; ACK is loaded on their first call, never at start-up. */
const kubeconfigQuerySchema = z
  .object({
    durationMinutes: z
      .string()
      .regex(/^\d{1,4}$/, 'durationMinutes is a whole number of minutes')
      .transform(Number)
      .pipe(z.number().int().min(15).max(4320))
      .optional()
      .describe('how long the credential lives, 15–4320 minutes (default 60)'),
    privateIp: z
      .enum(['true', 'false'])
      .transform((text) => text === 'true')
      .optional()
      .describe(
        "true: the API server's VPC address; false: its public one. Default: the public one when the cluster has a public endpoint, else the VPC one",
      ),
  })
  .strict();

const kubeconfigSchema = z.object({
  id: z.string(),
  clusterId: z.string(),
  kubeconfig: z.string().describe('YAML; a secret: store it as one'),
  expiresAt: z.string(),
});

const findingSchema = z.object({
  check: z.string(),
  status: z.enum(['pass', 'warn', 'fail']),
  message: z.string(),
  action: z.string().optional(),
});

const costItemSchema = z.object({
  item: z.string(),
  usdPerHour: z.number(),
  usdPerMonth: z.number(),
  verified: z.boolean(),
  source: z.string(),
});

const preflightSchema = z.object({
  ok: z.boolean(),
  findings: z.array(findingSchema),
  kubernetesVersion: z.string().nullable(),
  cost: z.object({
    currency: z.literal('USD'),
    usdPerHour: z.number(),
    usdPerMonth: z.number(),
    verified: z.boolean(),
    items: z.array(costItemSchema),
    excludes: z.array(z.string()),
    priceTable: z.object({ version: z.string(), date: z.string() }),
  }),
});

const optionsQuerySchema = z
  .object({
    // The create request's own region rule: a region this service does not offer is a 400.
    region: offeredRegionSchema.optional().describe('default cn-hangzhou'),
  })
  .strict();

const clusterAckRoutes: ApiRoute<ApiApp>[] = [
  defineEndpoint({
    method: 'GET',
    path: '/v1/clusters/{id}/kubeconfig',
    doc: {
      operationId: 'getClusterKubeconfig',
      summary: 'A short-lived kubeconfig for a running cluster',
      description:
        'Fetched from ACK (DescribeClusterUserKubeconfig) on every call; never stored or logged here. ' +
        'Needs the kubeconfig:read scope.',
      tag: 'clusters',
      scope: 'kubeconfig:read',
      query: kubeconfigQuerySchema,
      body: NO_BODY,
      responses: {
        200: { description: 'the kubeconfig', schema: kubeconfigSchema, name: 'Kubeconfig' },
      },
      errors: ['NOT_FOUND', 'CONFLICT'],
    },
    handle: async ({ app, principal, params, query }) => {
      const provision = await loadProvision(app.store, {
        tenantId: principal.tenantId,
        id: params.id ?? '',
      });
      if (provision.state !== 'running' || !provision.clusterId) {
        throw new DomainError(
          'CONFLICT',
          `cluster ${provision.id} is ${provision.state}: a kubeconfig exists only while it is running`,
        );
      }
      // ACK answers the public credential unless PrivateIpAddress=true (its default is false):
      // a cluster without a public endpoint has only the intranet one.
      const publicEndpoint = provision.spec.endpointPublicAccess;
      if (query.privateIp === false && !publicEndpoint) {
        throw new DomainError(
          'CONFLICT',
          `cluster ${provision.id} has no public API server endpoint: ask with privateIp=true`,
          { field: 'privateIp' },
        );
      }
      const api = await app.clusterApi();
      const issued = await api.describeKubeconfig({
        clusterId: provision.clusterId,
        regionId: provision.region,
        temporaryDurationMinutes: query.durationMinutes ?? 60,
        privateIpAddress: query.privateIp ?? !publicEndpoint,
      });
      return jsonResponse(
        200,
        {
          id: provision.id,
          clusterId: provision.clusterId,
          kubeconfig: issued.config,
          expiresAt: issued.expiration.toISOString(),
        },
        // A credential: no cache anywhere on the way.
        { 'cache-control': 'no-store' },
      );
    },
  }),
  defineEndpoint({
    method: 'POST',
    path: '/v1/clusters:preflight',
    doc: {
      operationId: 'preflightCluster',
      summary: 'Check a create request and price it, creating nothing',
      description:
        'Service roles (CheckServiceRole), whether the service has ASK capacity in the region ' +
        "(the account's numbers only to an admin key), the tenant's own usage against its quota, " +
        'Kubernetes version creatable in the region, network sanity, and a cost estimate per hour ' +
        'and per month from a versioned price table. Every finding says what to do about it. A ' +
        'network not registered for the tenant is 403 NETWORK_NOT_ALLOWED, before ACK is asked.',
      tag: 'clusters',
      scope: 'clusters:read',
      query: NO_QUERY,
      body: createClusterRequestSchema,
      bodyName: 'CreateClusterRequest',
      responses: {
        200: {
          description: 'the findings and the estimate',
          schema: preflightSchema,
          name: 'Preflight',
        },
      },
      errors: ['NETWORK_NOT_ALLOWED'],
    },
    handle: async ({ app, body, principal }) => {
      const spec = body();
      const tenantId = principal.tenantId;
      // The tenant's allow-lists first: a network it may not use is refused before ACK is asked.
      await assertTenantMayAsk(
        { store: app.store, addonAllowList: app.config.addons.allowList },
        { tenantId, spec },
      );
      const tenantQuota = await readTenantQuotaFinding(app, { tenantId, spec });
      // The account-wide ASK quota and cluster count are for an admin's eyes only.
      const audience = principal.scopes.includes('admin') ? 'operator' : 'tenant';
      return jsonResponse(
        200,
        await runPreflight(await app.clusterApi(), spec, { audience, tenantQuota }),
      );
    },
  }),
  defineEndpoint({
    method: 'GET',
    path: '/v1/options',
    doc: {
      operationId: 'getOptions',
      summary: 'What a create request may ask for',
      description:
        'Regions, the Kubernetes versions ACK can create in a region, cluster specs and addons.',
      tag: 'clusters',
      scope: 'clusters:read',
      query: optionsQuerySchema,
      body: NO_BODY,
      responses: { 200: { description: 'the options', schema: optionsSchema, name: 'Options' } },
      errors: [],
    },
    handle: async ({ app, query }) =>
      jsonResponse(200, await clusterOptions(app.ackCatalog, query.region ?? 'cn-hangzhou')),
  }),
];

export { clusterAckRoutes };
