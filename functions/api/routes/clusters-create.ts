import type { ApiApp } from '../../../shared/app/api-app.js';
import { createClusterBodySchema } from '../../../shared/domain/cluster-template.js';
import type { Provision } from '../../../shared/domain/provision.js';
import { ownTarget } from '../../../shared/http/audit-trail.js';
import { type ApiRoute, defineEndpoint } from '../../../shared/http/endpoint.js';
import { type HttpResponse, jsonResponse } from '../../../shared/http/fc-http-event.js';
import { toStored, withIdempotencyKey } from '../../../shared/http/idempotency.js';
import { parseIdempotencyKey } from '../../../shared/http/idempotency-key.js';
import { readJsonBody } from '../../../shared/http/json-body.js';
import { NO_QUERY } from '../../../shared/http/query.js';
import { acceptProvision } from '../../../shared/provisioning/accept-provision.js';
import { clusterViewSchema, provisionView } from '../../../shared/provisioning/provision-view.js';
import { resolveCreateSpec } from '../../../shared/provisioning/resolve-create-spec.js';
import { createRequestFromBody } from '../../../shared/templates/apply-template.js';
import { assertTenantMayAsk } from '../../../shared/tenancy/tenant-create-checks.js';
import {
  assertWebhookUrlAllowed,
  webhookUrlPolicy,
} from '../../../shared/webhooks/webhook-url-check.js';

/** The 202 of a create; with an Idempotency-Key it is also what a retry gets, byte for byte. */
const accepted = (provision: Provision): HttpResponse =>
  jsonResponse(202, provisionView(provision), { location: `/v1/clusters/${provision.id}` });

const createClusterRoute: ApiRoute<ApiApp> = defineEndpoint({
  method: 'POST',
  path: '/v1/clusters',
  audit: { action: 'cluster.create', subject: ownTarget('cluster') },
  doc: {
    operationId: 'createCluster',
    summary: 'Ask for a cluster',
    description:
      'Accepts the request at once (202 + Location) and creates the ACK Serverless cluster in ' +
      'the background; follow it with GET /v1/clusters/{id} or a webhook. Send an ' +
      'Idempotency-Key to make retries safe. The request is checked against what ACK offers in ' +
      'the region (creatable Kubernetes versions, addons) first: what ACK would refuse is a 400 ' +
      "naming the field, and nothing is written. With `template`, the tenant's template is the " +
      "starting point and the body's fields override it (labels merge). A network other than " +
      '"auto" must be one an admin registered for the tenant (403 NETWORK_NOT_ALLOWED); addons ' +
      "must be in the service's allow-list; a create past the tenant's quota is 403 " +
      'TENANT_QUOTA_EXCEEDED.',
    tag: 'clusters',
    scope: 'clusters:write',
    query: NO_QUERY,
    body: createClusterBodySchema,
    bodyName: 'CreateClusterRequest',
    requestHeaders: ['Idempotency-Key'],
    responses: {
      202: {
        description: 'accepted; the cluster is being created',
        schema: clusterViewSchema,
        name: 'Cluster',
        headers: ['Location', 'Idempotent-Replayed'],
      },
    },
    errors: [
      'IDEMPOTENCY_KEY_MISMATCH',
      'IDEMPOTENCY_IN_FLIGHT',
      'NETWORK_NOT_ALLOWED',
      'TENANT_QUOTA_EXCEEDED',
    ],
  },
  handle: async ({ request, app, principal, audit }) => {
    const tenantId = principal.tenantId;
    // The body is read here rather than through the declared schema: a template may supply
    // fields (the region) that the body leaves out, so the create rules run on the merge.
    // A webhook URL that could never be delivered to is refused now (stored like any 400).
    const spec = async () => {
      const parsed = await createRequestFromBody(app, { tenantId, body: readJsonBody(request) });
      assertWebhookUrlAllowed(
        parsed.webhook?.url,
        webhookUrlPolicy(app.config.webhooks),
        'webhook.url',
      );
      return parsed;
    };
    const key = parseIdempotencyKey(request.header('idempotency-key'));
    // Checked against what ACK offers, inside the key's claim when there is one: a replay
    // answers what the first request got.
    // The tenant's allow-lists (addons, networks) come first, on the request as a template
    // completed it: a refused request asks ACK nothing.
    const resolved = async () => {
      const parsed = await spec();
      await assertTenantMayAsk(
        { store: app.store, addonAllowList: app.config.addons.allowList },
        { tenantId, spec: parsed },
      );
      return resolveCreateSpec(app.ackCatalog, parsed);
    };
    // The record commits with the provision; a replay (no new provision) is recorded after it.
    const take = (subject: { tenantId: string; target: string }) => audit.take(subject);
    if (key === undefined) {
      return accepted(
        await acceptProvision(app, { tenantId, spec: await resolved(), audit: take }),
      );
    }
    return withIdempotencyKey(app, request, { tenantId, key }, async (claim) =>
      accepted(
        await acceptProvision(app, {
          tenantId,
          spec: await resolved(),
          idempotency: { claim, respond: (provision) => toStored(accepted(provision)) },
          audit: take,
        }),
      ),
    );
  },
});

export { createClusterRoute };
