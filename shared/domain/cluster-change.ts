import * as z from 'zod';
import { nodePoolSchema } from './node-pool.js';

/**
 * A change to a running cluster (issue #17, "day two"): one record per request, in
 * `cluster_changes`, while the provision is `updating`. The record says what was asked (`kind`
 * and `params`), which ACK task carries it out, where that task stands and how it ended. A new
 * kind (a node-pool change, say) adds a params schema here, a way to start it in ACK
 * (shared/changes/start-ack-change.ts) and what its success changes in the provision
 * (shared/changes/change-effects.ts); the rest of the framework — the 202, the timeline, the
 * webhooks, the never-stuck guarantees — is shared.
 *
 *   pending ──(worker called ACK)──▶ running ──(task success)──▶ succeeded
 *      │                                │
 *      └──(ACK refused, or too long)──▶ failed ◀──(task fail, or too long)
 *
 * A change without an ACK task (kubeconfig revocation answers at once) goes pending → succeeded.
 */
const CHANGE_STATES = ['pending', 'running', 'succeeded', 'failed'] as const;
type ChangeState = (typeof CHANGE_STATES)[number];

/** The states of a change still under way: at most one per provision (a partial unique index). */
const OPEN_CHANGE_STATES: readonly ChangeState[] = ['pending', 'running'];

const endpointAccessParams = z.object({ enabled: z.boolean() }).strict();
const addonInstallParams = z
  .object({ name: z.string(), version: z.string(), config: z.string().optional() })
  .strict();
const addonUpgradeParams = z
  .object({
    name: z.string(),
    fromVersion: z.string(),
    version: z.string(),
    config: z.string().optional(),
  })
  .strict();
const addonConfigParams = z.object({ name: z.string(), config: z.string() }).strict();
const addonUninstallParams = z.object({ name: z.string() }).strict();
const upgradeParams = z.object({ fromVersion: z.string(), kubernetesVersion: z.string() }).strict();
const kubeconfigRevokeParams = z.object({}).strict();
/** The pool as the request gave it, defaults applied (name unique in the cluster). */
const nodePoolCreateParams = nodePoolSchema;
/** ACK's id of the pool and its name; what changes (at least one of the two). */
const nodePoolUpdateParams = z
  .object({
    nodePoolId: z.string(),
    name: z.string(),
    desiredSize: z.number().int().optional(),
    instanceTypes: z.array(z.string()).optional(),
  })
  .strict();
const nodePoolDeleteParams = z.object({ nodePoolId: z.string(), name: z.string() }).strict();

/** Every kind with its params; the stored `params` column is parsed through this on read. */
const changeRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('endpoint-access'), params: endpointAccessParams }),
  z.object({ kind: z.literal('addon-install'), params: addonInstallParams }),
  z.object({ kind: z.literal('addon-upgrade'), params: addonUpgradeParams }),
  z.object({ kind: z.literal('addon-config'), params: addonConfigParams }),
  z.object({ kind: z.literal('addon-uninstall'), params: addonUninstallParams }),
  z.object({ kind: z.literal('upgrade'), params: upgradeParams }),
  z.object({ kind: z.literal('kubeconfig-revoke'), params: kubeconfigRevokeParams }),
  z.object({ kind: z.literal('node-pool-create'), params: nodePoolCreateParams }),
  z.object({ kind: z.literal('node-pool-update'), params: nodePoolUpdateParams }),
  z.object({ kind: z.literal('node-pool-delete'), params: nodePoolDeleteParams }),
]);

type ChangeRequest = z.infer<typeof changeRequestSchema>;
type ChangeKind = ChangeRequest['kind'];
const CHANGE_KINDS: readonly ChangeKind[] = changeRequestSchema.options.map(
  (option) => option.shape.kind.value,
);

interface ChangeError {
  /** Our stable code (`ACK_CHANGE_FAILED`, `ACK_CHANGE_REFUSED`, `CHANGE_TIMED_OUT`). */
  code: string;
  message: string;
}

type ClusterChange = ChangeRequest & {
  id: string;
  provisionId: string;
  tenantId: string;
  state: ChangeState;
  ackTaskId: string | null;
  error: ChangeError | null;
  /** Stage statuses already written to the timeline (`<index>:started|ended`). */
  recorded: string[];
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
};

const describePoolUpdate = (params: z.infer<typeof nodePoolUpdateParams>): string =>
  [
    ...(params.desiredSize === undefined ? [] : [`${params.desiredSize} nodes`]),
    ...(params.instanceTypes === undefined
      ? []
      : [`instance types ${params.instanceTypes.join(', ')}`]),
  ].join(', ');

/** In words, for events and webhook payloads: "bind the API server's public endpoint". */
const describeChange = (change: ChangeRequest): string => {
  switch (change.kind) {
    case 'endpoint-access':
      return change.params.enabled
        ? "open the API server's public endpoint"
        : "close the API server's public endpoint";
    case 'addon-install':
      return `install addon ${change.params.name} ${change.params.version}`;
    case 'addon-upgrade':
      return `upgrade addon ${change.params.name} to ${change.params.version}`;
    case 'addon-config':
      return `reconfigure addon ${change.params.name}`;
    case 'addon-uninstall':
      return `uninstall addon ${change.params.name}`;
    case 'upgrade':
      return `upgrade Kubernetes from ${change.params.fromVersion} to ${change.params.kubernetesVersion}`;
    case 'kubeconfig-revoke':
      return 'revoke the kubeconfigs issued for the cluster';
    case 'node-pool-create':
      return `create node pool ${change.params.name} with ${change.params.desiredSize} nodes`;
    case 'node-pool-update':
      return `change node pool ${change.params.name}: ${describePoolUpdate(change.params)}`;
    case 'node-pool-delete':
      return `delete node pool ${change.params.name} and its nodes`;
  }
};

/** What `cluster.updated` / `cluster.update_failed` add to the payload's `data`. */
const changeWebhookData = (change: ClusterChange, error: ChangeError | null) => ({
  change: {
    id: change.id,
    kind: change.kind,
    description: describeChange(change),
    ...(error === null ? {} : { error }),
  },
});

/** The same request again (an idempotent retry): the same kind with the same params. */
const sameChange = (a: ChangeRequest, b: ChangeRequest): boolean =>
  a.kind === b.kind && JSON.stringify(a.params) === JSON.stringify(b.params);

export type { ChangeError, ChangeKind, ChangeRequest, ChangeState, ClusterChange };
export {
  CHANGE_KINDS,
  CHANGE_STATES,
  changeRequestSchema,
  changeWebhookData,
  describeChange,
  OPEN_CHANGE_STATES,
  sameChange,
};
