import type { ApiApp } from '../../../shared/app/api-app.js';
import { DomainError } from '../../../shared/domain/errors.js';
import type { Provision } from '../../../shared/domain/provision.js';
import { PROVISION_STATES } from '../../../shared/domain/provision-state.js';
import { decodeCursor, encodeCursor } from '../../../shared/http/cursor.js';
import { type ApiRoute, defineEndpoint, NO_BODY } from '../../../shared/http/endpoint.js';
import { jsonResponse } from '../../../shared/http/fc-http-event.js';
import { DEFAULT_LIMIT, NO_QUERY } from '../../../shared/http/query.js';
import { listProvisions } from '../../../shared/provisioning/list-provisions.js';
import { loadProvision, PROVISION_ID } from '../../../shared/provisioning/load-provision.js';
import {
  clusterListSchema,
  clusterViewSchema,
  eventListSchema,
  eventView,
  plannedDeletion,
  provisionView,
} from '../../../shared/provisioning/provision-view.js';
import {
  clusterListQuerySchema,
  eventListQuerySchema,
  MAX_EVENTS_PAGE,
} from './cluster-list-query.js';

const CURSOR_KIND = 'clusters';
/** A sequence number as a cursor's `a`. */
const SEQUENCE = /^\d{1,12}$/;
/** What a list shows unless asked: not the clusters that are gone. */
const LIVE_STATES = PROVISION_STATES.filter(
  (state) => state !== 'deleted' && state !== 'cancelled',
);

/** Label filters as one map; the same key asked with two values can match nothing: a 400. */
const labelsOf = (
  filters: readonly { key: string; value: string }[] | undefined,
): Record<string, string> | undefined => {
  if (filters === undefined) return undefined;
  const labels: Record<string, string> = {};
  for (const { key, value } of filters) {
    if (key in labels && labels[key] !== value) {
      throw new DomainError('VALIDATION_FAILED', `label ${key} is asked for with two values`, {
        field: 'label',
      });
    }
    labels[key] = value;
  }
  return labels;
};

/** The creation progress of those still provisioning: one query, none when no row is. */
const progressOf = (app: ApiApp, provisions: readonly Provision[]) =>
  app.store.getCreationProgress({
    provisionIds: provisions.filter((p) => p.state === 'provisioning').map((p) => p.id),
  });

const clusterReadRoutes: ApiRoute<ApiApp>[] = [
  defineEndpoint({
    method: 'GET',
    path: '/v1/clusters',
    doc: {
      operationId: 'listClusters',
      summary: 'List clusters',
      description:
        "The tenant's clusters, oldest first, filtered by state, labels, region and name " +
        'prefix, a page at a time: pass `nextCursor` as `cursor` for the next page. Deleted ' +
        'and cancelled clusters are left out unless `includeDeleted=true` or `state` names them.',
      tag: 'clusters',
      scope: 'clusters:read',
      query: clusterListQuerySchema,
      body: NO_BODY,
      responses: {
        200: { description: 'one page', schema: clusterListSchema, name: 'ClusterList' },
      },
      errors: [],
    },
    handle: async ({ app, principal, query }) => {
      const limit = query.limit ?? DEFAULT_LIMIT;
      const afterId =
        query.cursor === undefined
          ? undefined
          : decodeCursor(await app.cursorKey(), CURSOR_KIND, query.cursor, PROVISION_ID);
      const labels = labelsOf(query.label);
      const states = query.state ?? (query.includeDeleted ? PROVISION_STATES : LIVE_STATES);
      const page = await listProvisions(app, {
        tenantId: principal.tenantId,
        states,
        ...(query.region ? { region: query.region } : {}),
        ...(query.name ? { namePrefix: query.name } : {}),
        ...(labels ? { labels } : {}),
        ...(afterId ? { afterId } : {}),
        limit,
      });
      const progress = await progressOf(app, page.items);
      return jsonResponse(200, {
        items: page.items.map((item) => provisionView(item, progress.get(item.id))),
        nextCursor:
          page.nextAfterId === null
            ? null
            : encodeCursor(await app.cursorKey(), CURSOR_KIND, page.nextAfterId),
      });
    },
  }),
  defineEndpoint({
    method: 'GET',
    path: '/v1/clusters/{id}',
    doc: {
      operationId: 'getCluster',
      summary: 'Get a cluster',
      description:
        'State, progress, the ACK cluster id, endpoints, the last error, and `deleteAt` once ' +
        'the janitor has planned (and announced) its deletion.',
      tag: 'clusters',
      scope: 'clusters:read',
      query: NO_QUERY,
      body: NO_BODY,
      responses: {
        200: { description: 'the cluster', schema: clusterViewSchema, name: 'Cluster' },
      },
      errors: ['NOT_FOUND'],
    },
    handle: async ({ app, principal, params }) => {
      // One statement: the provision with its progress and janitor mark (the hot read).
      const id = params.id ?? '';
      const read = PROVISION_ID.test(id)
        ? await app.store.readProvision({ id, tenantId: principal.tenantId })
        : null;
      if (!read) throw new DomainError('NOT_FOUND', `cluster ${id} not found`);
      const { provision, progress, warning } = read;
      return jsonResponse(200, {
        ...provisionView(provision, progress),
        deleteAt: plannedDeletion(provision, warning?.deleteAt ?? null),
      });
    },
  }),
  defineEndpoint({
    method: 'GET',
    path: '/v1/clusters/{id}/events',
    doc: {
      operationId: 'listClusterEvents',
      summary: 'The timeline of a cluster',
      description:
        'Our transitions and what ACK reported, in order, a page at a time (up to ' +
        `${MAX_EVENTS_PAGE} events): pass \`nextCursor\` as \`cursor\` for the next page.`,
      tag: 'clusters',
      scope: 'clusters:read',
      query: eventListQuerySchema,
      body: NO_BODY,
      responses: {
        200: { description: 'the timeline', schema: eventListSchema, name: 'EventList' },
      },
      errors: ['NOT_FOUND'],
    },
    handle: async ({ app, principal, params, query }) => {
      const provision = await loadProvision(app.store, {
        tenantId: principal.tenantId,
        id: params.id ?? '',
      });
      // The cursor names its cluster: one from another cluster's timeline is a 400.
      const kind = `events:${provision.id}`;
      const afterSequence =
        query.cursor === undefined
          ? 0
          : Number(decodeCursor(await app.cursorKey(), kind, query.cursor, SEQUENCE));
      const limit = query.limit ?? MAX_EVENTS_PAGE;
      const rows = await app.store.listEvents({
        provisionId: provision.id,
        afterSequence,
        limit: limit + 1,
      });
      const events = rows.slice(0, limit);
      const last = events.at(-1);
      return jsonResponse(200, {
        id: provision.id,
        events: events.map(eventView),
        nextCursor:
          rows.length > limit && last
            ? encodeCursor(await app.cursorKey(), kind, String(last.sequence))
            : null,
      });
    },
  }),
];

export { clusterReadRoutes };
