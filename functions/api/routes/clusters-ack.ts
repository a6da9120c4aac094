import * as z from 'zod';
import type { ApiApp } from '../../../shared/app/api-app.js';
import { offeredRegionSchema } from '../../../shared/domain/cluster-spec.js';
import { createClusterBodySchema } from '../../../shared/domain/cluster-template.js';
import { ownTarget } from '../../../shared/http/audit-trail.js';
import { decodeCursor, encodeCursor } from '../../../shared/http/cursor.js';
import { type ApiRoute, defineEndpoint, NO_BODY } from '../../../shared/http/endpoint.js';
import { jsonResponse } from '../../../shared/http/fc-http-event.js';
import { readJsonBody } from '../../../shared/http/json-body.js';
import { cursorParam, DEFAULT_LIMIT, limitParam, NO_QUERY } from '../../../shared/http/query.js';
import { clusterOptions, optionsSchema } from '../../../shared/provisioning/cluster-options.js';
import {
  issueKubeconfig,
  listKubeconfigIssuances,
} from '../../../shared/provisioning/issue-kubeconfig.js';
import {
  kubeconfigIssuanceListSchema,
  kubeconfigIssuanceView,
} from '../../../shared/provisioning/kubeconfig-issuance-view.js';
import { listNodePools, nodePoolListSchema } from '../../../shared/provisioning/list-node-pools.js';
import { runPreflight } from '../../../shared/provisioning/preflight.js';
import { createRequestFromBody } from '../../../shared/templates/apply-template.js';
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
      .describe(
        'how long the credential lives, from 15 minutes up to the service maximum (ASKP_KUBECONFIG_MAX_MINUTES, 240 unless configured; ACK allows at most 4320); default 60',
      ),
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
  issuanceId: z.string().describe('its record in GET /v1/clusters/{id}/kubeconfigs'),
});

const KUBECONFIG_CURSOR_KIND = 'kubeconfigs';
const KUBECONFIG_ISSUANCE_ID = /^kcf_[0-9a-z]{26}$/;

const kubeconfigListQuerySchema = z.object({ limit: limitParam, cursor: cursorParam }).strict();

const findingSchema = z.object({
  check: z.string(),
  status: z.enum(['pass', 'warn', 'fail']),
  message: z.string(),
  action: z.string().optional(),
  field: z
    .string()
    .optional()
    .describe('the request field the finding is about, e.g. network.vswitchIds.1'),
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
        'Each one is recorded (GET /v1/clusters/{id}/kubeconfigs, the audit log) before it is ' +
        'answered. A durationMinutes over the service maximum is a 400. Needs the kubeconfig:read scope.',
      tag: 'clusters',
      scope: 'kubeconfig:read',
      query: kubeconfigQuerySchema,
      body: NO_BODY,
      responses: {
        200: { description: 'the kubeconfig', schema: kubeconfigSchema, name: 'Kubeconfig' },
      },
      errors: ['NOT_FOUND', 'CONFLICT'],
    },
    audit: { action: 'kubeconfig.issue', subject: ownTarget('cluster') },
    handle: async ({ request, app, principal, params, query, audit }) => {
      const { issuance, kubeconfig } = await issueKubeconfig(
        { ...app, limits: app.config.kubeconfig },
        {
          tenantId: principal.tenantId,
          keyId: principal.keyId,
          provisionId: params.id ?? '',
          durationMinutes: query.durationMinutes,
          privateIp: query.privateIp,
          requestId: request.requestId,
          audit: (subject) => audit.take(subject),
        },
      );
      return jsonResponse(
        200,
        {
          id: issuance.provisionId,
          clusterId: issuance.clusterId,
          kubeconfig,
          expiresAt: issuance.expiresAt.toISOString(),
          issuanceId: issuance.id,
        },
        // A credential: no cache anywhere on the way.
        { 'cache-control': 'no-store' },
      );
    },
  }),
  defineEndpoint({
    method: 'GET',
    path: '/v1/clusters/{id}/kubeconfigs',
    doc: {
      operationId: 'listClusterKubeconfigs',
      summary: 'The kubeconfigs issued for a cluster',
      description:
        'Every kubeconfig this service fetched for the cluster, newest first: the API key that ' +
        'asked, when it was issued, when it expires, whether it was revoked. Never the ' +
        'kubeconfigs themselves.',
      tag: 'clusters',
      scope: 'clusters:read',
      query: kubeconfigListQuerySchema,
      body: NO_BODY,
      responses: {
        200: {
          description: 'one page',
          schema: kubeconfigIssuanceListSchema,
          name: 'KubeconfigIssuanceList',
        },
      },
      errors: ['NOT_FOUND'],
    },
    handle: async ({ app, principal, params, query }) => {
      const key = await app.cursorKey();
      const beforeId =
        query.cursor === undefined
          ? undefined
          : decodeCursor(key, KUBECONFIG_CURSOR_KIND, query.cursor, KUBECONFIG_ISSUANCE_ID);
      const page = await listKubeconfigIssuances(app, {
        tenantId: principal.tenantId,
        provisionId: params.id ?? '',
        ...(beforeId === undefined ? {} : { beforeId }),
        limit: query.limit ?? DEFAULT_LIMIT,
      });
      return jsonResponse(200, {
        items: page.items.map(kubeconfigIssuanceView),
        nextCursor:
          page.nextBeforeId === null
            ? null
            : encodeCursor(key, KUBECONFIG_CURSOR_KIND, page.nextBeforeId),
      });
    },
  }),
  defineEndpoint({
    method: 'GET',
    path: '/v1/clusters/{id}/node-pools',
    doc: {
      operationId: 'listClusterNodePools',
      summary: "A managed cluster's node pools",
      description:
        "Read from ACK (DescribeClusterNodePools) on every call: each pool's instance types, " +
        'desired size, system disk, state and nodes. Before ACK has the cluster and after it ' +
        'is deleted, the pools the create asked for, with no id, state or nodes; a serverless ' +
        'cluster has none.',
      tag: 'clusters',
      scope: 'clusters:read',
      query: NO_QUERY,
      body: NO_BODY,
      responses: {
        200: { description: 'the pools', schema: nodePoolListSchema, name: 'NodePoolList' },
      },
      errors: ['NOT_FOUND'],
    },
    handle: async ({ app, principal, params }) =>
      jsonResponse(
        200,
        await listNodePools(app, { tenantId: principal.tenantId, provisionId: params.id ?? '' }),
      ),
  }),
  defineEndpoint({
    method: 'POST',
    path: '/v1/clusters:preflight',
    audit: { none: 'a dry run: checks and prices a request, changes nothing' },
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
      body: createClusterBodySchema,
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
    handle: async ({ app, principal, request }) => {
      const tenantId = principal.tenantId;
      // The same body as a create, template included: it checks what that create would make.
      const spec = await createRequestFromBody(app, { tenantId, body: readJsonBody(request) });
      // The tenant's allow-lists first: a network it may not use is refused before ACK (or the
      // VPC API's existence check) is asked anything.
      await assertTenantMayAsk(
        { store: app.store, addonAllowList: app.config.addons.allowList },
        { tenantId, spec },
      );
      const tenantQuota = await readTenantQuotaFinding(app, { tenantId, spec });
      // The account-wide ASK quota and cluster count are for an admin's eyes only.
      const audience = principal.scopes.includes('admin') ? 'operator' : 'tenant';
      return jsonResponse(
        200,
        await runPreflight(await app.clusterApi(), spec, await app.vpcNetwork(), {
          audience,
          tenantQuota,
        }),
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
