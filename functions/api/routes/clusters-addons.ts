import * as z from 'zod';
import type { ApiApp } from '../../../shared/app/api-app.js';
import {
  addonListSchema,
  addonViewSchema,
  addonViews,
} from '../../../shared/changes/addon-view.js';
import {
  type AddonPlanDeps,
  planAddonInstall,
  planAddonUninstall,
  planAddonUpdate,
  readAddonState,
} from '../../../shared/changes/plan-addon-change.js';
import { DomainError } from '../../../shared/domain/errors.js';
import { ownTarget } from '../../../shared/http/audit-trail.js';
import { type ApiRoute, defineEndpoint, NO_BODY } from '../../../shared/http/endpoint.js';
import { jsonResponse } from '../../../shared/http/fc-http-event.js';
import { NO_QUERY } from '../../../shared/http/query.js';
import { loadProvision } from '../../../shared/provisioning/load-provision.js';
import { acceptChange, changeAcceptedResponse } from './change-accepted.js';

const ADDON_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

const configField = z
  .record(z.string(), z.unknown())
  .describe("the addon's config keys (only those this service allows for the addon)");

const installAddonSchema = z
  .object({
    name: z.string().regex(ADDON_NAME, 'an addon name as ACK spells it, e.g. metrics-server'),
    version: z
      .string()
      .max(64)
      .optional()
      .describe("default: the version ACK's catalog offers for the cluster's Kubernetes version"),
    config: configField.optional(),
  })
  .strict();

const updateAddonSchema = z
  .object({
    version: z
      .string()
      .max(64)
      .optional()
      .describe('upgrade to this version: the one the catalog offers (GET …/addons latestVersion)'),
    config: configField.optional(),
  })
  .strict()
  .refine((body) => body.version !== undefined || body.config !== undefined, {
    message: 'say a version, a config or both',
  });

const CHANGE_ANSWER = changeAcceptedResponse('the change is under way: the cluster and the change');

const planDeps = async (app: ApiApp): Promise<AddonPlanDeps> => ({
  api: await app.clusterApi(),
  catalog: app.ackCatalog,
  allowList: app.config.addons.allowList,
});

const addonName = (params: Readonly<Record<string, string>>): string => {
  const name = params.name ?? '';
  if (!ADDON_NAME.test(name)) {
    throw new DomainError('VALIDATION_FAILED', `${name} is no addon name`, { field: 'name' });
  }
  return name;
};

/**
 * A cluster's addons after creation (issue #17): the list with what ACK offers, and install,
 * upgrade or reconfigure, uninstall, each a change like the others (202, `updating` while ACK's
 * task runs, its stages in the timeline, then `cluster.updated` or `cluster.update_failed`).
 */
const clusterAddonRoutes: ApiRoute<ApiApp>[] = [
  defineEndpoint({
    method: 'GET',
    path: '/v1/clusters/{id}/addons',
    doc: {
      operationId: 'listClusterAddons',
      summary: "A cluster's installed addons",
      description:
        "What ACK reports installed (ListClusterAddonInstances), each with the version ACK's " +
        "catalog offers for the cluster's Kubernetes version (ListAddons) and whether that is an " +
        'upgrade. Only a running (or updating) cluster has addons to show: 409 otherwise.',
      tag: 'clusters',
      scope: 'clusters:read',
      query: NO_QUERY,
      body: NO_BODY,
      responses: {
        200: { description: 'the installed addons', schema: addonListSchema, name: 'AddonList' },
      },
      errors: ['NOT_FOUND', 'CONFLICT'],
    },
    handle: async ({ app, principal, params }) => {
      const provision = await loadProvision(app.store, {
        tenantId: principal.tenantId,
        id: params.id ?? '',
      });
      const state = await readAddonState(await planDeps(app), provision);
      return jsonResponse(200, {
        id: provision.id,
        kubernetesVersion: state.kubernetesVersion,
        addons: addonViews(state),
      });
    },
  }),
  defineEndpoint({
    method: 'POST',
    path: '/v1/clusters/{id}/addons',
    audit: { action: 'addon.install', subject: ownTarget('cluster') },
    doc: {
      operationId: 'installClusterAddon',
      summary: 'Install an addon',
      description:
        "ACK's InstallClusterAddons. The addon must be allowed by this service " +
        "(ASKP_ADDON_ALLOW_LIST, its config keys as at creation) and in ACK's catalog for the " +
        "cluster's Kubernetes version, at the version it offers (400 naming the field); one " +
        'already installed is a 409. A change like the others: 202, the cluster `updating` ' +
        'while the task runs, then `cluster.updated` or `cluster.update_failed`.',
      tag: 'clusters',
      scope: 'clusters:write',
      query: NO_QUERY,
      body: installAddonSchema,
      bodyName: 'InstallAddonRequest',
      responses: { 202: CHANGE_ANSWER },
      errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT'],
    },
    handle: async ({ app, principal, params, body }) => {
      const request = body();
      const deps = await planDeps(app);
      return acceptChange(app, {
        tenantId: principal.tenantId,
        id: params.id ?? '',
        plan: (provision) => planAddonInstall(deps, provision, request),
      });
    },
  }),
  defineEndpoint({
    method: 'PATCH',
    path: '/v1/clusters/{id}/addons/{name}',
    audit: { action: 'addon.update', subject: ownTarget('cluster') },
    doc: {
      operationId: 'updateClusterAddon',
      summary: 'Upgrade or reconfigure an addon',
      description:
        'A `version` other than the installed one upgrades (ACK UpgradeClusterAddons, with the ' +
        "`config` if given); it must be the one ACK's catalog offers (GET …/addons " +
        '`latestVersion`), else 400 naming version. A `config` alone replaces the config (ACK ' +
        'ModifyClusterAddon, which ACK does without a task: the change ends when ACK accepted ' +
        'it). An addon not installed is a 409. Asking for the version installed, without a ' +
        'config, changes nothing: 200 with the addon.',
      tag: 'clusters',
      scope: 'clusters:write',
      query: NO_QUERY,
      body: updateAddonSchema,
      bodyName: 'UpdateAddonRequest',
      bodyMediaTypes: ['application/merge-patch+json', 'application/json'],
      responses: {
        200: {
          description: 'nothing to change: the addon',
          schema: addonViewSchema,
          name: 'Addon',
        },
        202: CHANGE_ANSWER,
      },
      errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT'],
    },
    handle: async ({ app, principal, params, body }) => {
      const request = body();
      const name = addonName(params);
      const deps = await planDeps(app);
      const id = params.id ?? '';
      const provision = await loadProvision(app.store, { tenantId: principal.tenantId, id });
      const first = await planAddonUpdate(deps, provision, name, request);
      if (first === null) {
        const state = await readAddonState(deps, provision);
        const view = addonViews(state).find((addon) => addon.name === name);
        return jsonResponse(200, view);
      }
      return acceptChange(app, {
        tenantId: principal.tenantId,
        id,
        plan: async (current) => (await planAddonUpdate(deps, current, name, request)) ?? first,
      });
    },
  }),
  defineEndpoint({
    method: 'DELETE',
    path: '/v1/clusters/{id}/addons/{name}',
    audit: { action: 'addon.uninstall', subject: ownTarget('cluster') },
    doc: {
      operationId: 'uninstallClusterAddon',
      summary: 'Uninstall an addon',
      description:
        "ACK's UnInstallClusterAddons. An addon not installed is a 409. Uninstalling CoreDNS " +
        'leaves Kubernetes service names unresolved in an ACK Serverless cluster. A change like ' +
        'the others: 202, then `cluster.updated` or `cluster.update_failed`.',
      tag: 'clusters',
      scope: 'clusters:write',
      query: NO_QUERY,
      body: NO_BODY,
      responses: { 202: CHANGE_ANSWER },
      errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT'],
    },
    handle: async ({ app, principal, params }) => {
      const name = addonName(params);
      const deps = await planDeps(app);
      return acceptChange(app, {
        tenantId: principal.tenantId,
        id: params.id ?? '',
        plan: (provision) => planAddonUninstall(deps, provision, name),
      });
    },
  }),
];

export { clusterAddonRoutes };
