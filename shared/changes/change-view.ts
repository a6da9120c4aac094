import * as z from 'zod';
import {
  CHANGE_KINDS,
  CHANGE_STATES,
  type ClusterChange,
  describeChange,
} from '../domain/cluster-change.js';
import type { Provision } from '../domain/provision.js';
import { clusterViewSchema, provisionView } from '../provisioning/provision-view.js';

/** The public shape of a change after creation (`GET /v1/clusters/{id}/changes`). */
const changeViewSchema = z
  .object({
    id: z.string().describe('chg_…'),
    kind: z.enum(CHANGE_KINDS as [string, ...string[]]),
    description: z.string().describe('what the change does, in words'),
    params: z.record(z.string(), z.unknown()).describe('what was asked, by kind'),
    state: z.enum(CHANGE_STATES),
    ackTaskId: z.string().nullable().describe("ACK's task carrying it out, once ACK accepted it"),
    error: z
      .object({ code: z.string(), message: z.string() })
      .strict()
      .nullable()
      .describe(
        'why it failed: ACK_CHANGE_REFUSED, ACK_CHANGE_FAILED, CHANGE_NOT_STARTED, CHANGE_TIMED_OUT',
      ),
    createdAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .strict();

const changeListSchema = z
  .object({ id: z.string(), changes: z.array(changeViewSchema) })
  .strict()
  .describe("a cluster's changes after creation, newest first (at most 50)");

/** The answer to a change request: the cluster (now `updating`) and the change. */
const changeAcceptedSchema = z
  .object({ cluster: clusterViewSchema, change: changeViewSchema })
  .strict();

type ChangeView = z.output<typeof changeViewSchema>;

const changeView = (change: ClusterChange): ChangeView => ({
  id: change.id,
  kind: change.kind,
  description: describeChange(change),
  params: { ...change.params },
  state: change.state,
  ackTaskId: change.ackTaskId,
  error: change.error,
  createdAt: change.createdAt.toISOString(),
  finishedAt: change.finishedAt?.toISOString() ?? null,
});

const changeAcceptedView = (provision: Provision, change: ClusterChange) => ({
  cluster: provisionView(provision),
  change: changeView(change),
});

export type { ChangeView };
export { changeAcceptedSchema, changeAcceptedView, changeListSchema, changeView, changeViewSchema };
