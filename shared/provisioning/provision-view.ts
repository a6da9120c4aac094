import type { Provision, ProvisionEvent } from '../domain/provision.js';

/** The public shape of a provision, as `GET /v1/clusters/{id}` returns it. */
const provisionView = (provision: Provision) => ({
  id: provision.id,
  name: provision.name,
  region: provision.region,
  state: provision.state,
  clusterId: provision.clusterId,
  clusterName: provision.clusterName,
  ackState: provision.ackState,
  endpoints: provision.endpoints ?? {},
  spec: provision.spec,
  labels: provision.labels,
  error: provision.error,
  expiresAt: provision.expiresAt?.toISOString() ?? null,
  createdAt: provision.createdAt.toISOString(),
  updatedAt: provision.updatedAt.toISOString(),
  links: {
    self: `/v1/clusters/${provision.id}`,
    events: `/v1/clusters/${provision.id}/events`,
  },
});

const eventView = (event: ProvisionEvent) => ({
  sequence: event.sequence,
  type: event.type,
  state: event.state,
  message: event.message,
  source: event.source,
  at: event.at.toISOString(),
});

type ProvisionView = ReturnType<typeof provisionView>;

export type { ProvisionView };
export { eventView, provisionView };
