import * as z from 'zod';
import type { CommandContext } from '../command.js';
import { CliError, EXIT_CODES } from '../exit-codes.js';
import { type ClusterView, callApi, clusterSchema, listEvents } from './api.js';
import type { Connection } from './connection.js';

/**
 * Changes after creation (`askp upgrade`, `askp endpoint`, `askp kubeconfig revoke`, and the
 * addon and node-pool commands): the API answers each with 202 `{cluster, change}`, and the
 * change record (`GET /v1/clusters/{id}/changes`) says how it ended. `--wait` follows that record,
 * not the cluster's state: a failed change leaves the cluster `running`, so the state alone cannot
 * tell a success from a failure.
 */
const changeSchema = z.looseObject({
  id: z.string(),
  kind: z.string(),
  description: z.string(),
  state: z.string(),
  ackTaskId: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

const changeAcceptedSchema = z.looseObject({ cluster: clusterSchema, change: changeSchema });
const changeListSchema = z.looseObject({ id: z.string(), changes: z.array(changeSchema) });

type ChangeView = z.output<typeof changeSchema>;
type ChangeAccepted = z.output<typeof changeAcceptedSchema>;

const clusterPath = (id: string): string => `/v1/clusters/${encodeURIComponent(id)}`;

/** Asks for a change; the answer is the cluster (now `updating`) and the change. */
const requestChange = async (
  connection: Connection,
  method: string,
  path: string,
  body?: unknown,
): Promise<ChangeAccepted> =>
  changeAcceptedSchema.parse(await callApi(connection, method, path, body));

const listChanges = async (connection: Connection, id: string): Promise<ChangeView[]> =>
  changeListSchema.parse(await callApi(connection, 'GET', `${clusterPath(id)}/changes`)).changes;

const ENDED = new Set(['succeeded', 'failed']);

/**
 * Polls the change until it succeeded or failed, printing each new stage of the cluster's
 * timeline (ACK's task stages, the change's own events) on stderr as it appears.
 */
const waitForChange = async (
  context: CommandContext,
  connection: Connection,
  accepted: ChangeAccepted,
  options: { timeoutMs: number; everyMs?: number },
): Promise<ChangeView> => {
  const id = accepted.cluster.id;
  const started = Date.now();
  const before = await listEvents(connection, id);
  let seen = Math.max(0, ...before.map((event) => event.sequence));
  let last = accepted.change.state;
  context.stderr(`${id} ${accepted.change.description}: ${last}\n`);
  for (;;) {
    const change = (await listChanges(connection, id)).find((c) => c.id === accepted.change.id);
    if (change === undefined)
      throw new CliError(EXIT_CODES.failed, `${id} lists no change ${accepted.change.id}`);
    for (const event of (await listEvents(connection, id)).filter((e) => e.sequence > seen)) {
      context.stderr(`  ${event.type.padEnd(18)} ${event.message}\n`);
      seen = event.sequence;
    }
    if (change.state !== last) context.stderr(`${id} ${change.description}: ${change.state}\n`);
    last = change.state;
    if (ENDED.has(change.state)) return change;
    if (Date.now() - started > options.timeoutMs)
      throw new CliError(
        EXIT_CODES.timedOut,
        `${accepted.change.id} is still ${change.state} after ${Math.round(options.timeoutMs / 1000)}s`,
      );
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 1000));
  }
};

/** Exit 11 with the change's reason when it failed; nothing when it succeeded. */
const failUnlessSucceeded = (cluster: ClusterView, change: ChangeView): void => {
  if (change.state === 'succeeded') return;
  const reason = change.error ? `${change.error.code}: ${change.error.message}` : 'no reason given';
  throw new CliError(
    EXIT_CODES.changeFailed,
    `${cluster.id}: ${change.description} failed (${change.id}): ${reason}`,
  );
};

export type { ChangeAccepted, ChangeView };
export {
  changeAcceptedSchema,
  clusterPath,
  failUnlessSucceeded,
  listChanges,
  requestChange,
  waitForChange,
};
