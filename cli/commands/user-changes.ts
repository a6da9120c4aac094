import type { Command, CommandContext } from '../command.js';
import { CliError, EXIT_CODES } from '../exit-codes.js';
import { callApi, clusterSchema } from '../user/api.js';
import {
  type ChangeAccepted,
  type ChangeView,
  changeAcceptedSchema,
  clusterPath,
  failUnlessSucceeded,
  listChanges,
  requestChange,
  waitForChange,
} from '../user/changes.js';
import { CONNECTION_OPTIONS, type Connection, resolveConnection } from '../user/connection.js';
import { ago, columns, OUTPUT, onlyArg, render, str } from '../user/output.js';
import { TIMEOUT_OPTIONS, timeoutMs } from '../user/wait.js';

/**
 * The day-two commands (issue #17): upgrade Kubernetes, open or close the public API server
 * endpoint, revoke kubeconfigs, and the list of a cluster's changes. Each change is asynchronous:
 * without `--wait` the command prints the change and exits 0 once the API accepted it; with it,
 * the command follows the change to its end and exits 11 with the reason when it failed.
 */

const changeTable = (changes: readonly ChangeView[]): string =>
  columns([
    ['ID', 'KIND', 'STATE', 'ACK TASK', 'AGE', 'WHAT', 'ERROR'],
    ...changes.map((c) => [
      c.id,
      c.kind,
      c.state,
      c.ackTaskId ?? '-',
      ago(c.createdAt),
      c.description,
      c.error ? `${c.error.code}: ${c.error.message}` : '-',
    ]),
  ]);

/** Prints the accepted change, then, with `--wait`, follows it and fails unless it succeeded. */
const followChange = async (
  context: CommandContext,
  connection: Connection,
  accepted: ChangeAccepted,
): Promise<void> => {
  if (!context.options.wait) {
    context.stderr(
      `${accepted.cluster.id} is ${accepted.cluster.state}: ${accepted.change.description} (${accepted.change.id}); askp changes ${accepted.cluster.id} follows it\n`,
    );
    render(context, accepted.change, () => changeTable([accepted.change]));
    return;
  }
  const change = await waitForChange(context, connection, accepted, {
    timeoutMs: timeoutMs(context),
  });
  render(context, change, () => changeTable([change]));
  failUnlessSucceeded(accepted.cluster, change);
};

const clusterArg = (context: CommandContext, usage: string): string =>
  onlyArg(context, `${usage} (one cluster id, prv_…)`);

const upgrade: Command = {
  kind: 'command',
  name: 'upgrade',
  summary: "upgrade a cluster's Kubernetes version; --wait follows it to the end",
  args: '<id>',
  options: {
    ...CONNECTION_OPTIONS,
    version: {
      type: 'string',
      value: '<version>',
      description: 'the target, one ACK offers as an upgrade (e.g. 1.33.1-aliyun.1)',
    },
    ...TIMEOUT_OPTIONS,
    ...OUTPUT,
  },
  run: async (context) => {
    const id = clusterArg(context, 'askp upgrade <id> --version <version>');
    const version = str(context, 'version');
    if (version === undefined)
      throw new CliError(EXIT_CODES.usage, 'askp upgrade needs --version <version>');
    const connection = resolveConnection(context);
    const accepted = await requestChange(connection, 'POST', `${clusterPath(id)}:upgrade`, {
      kubernetesVersion: version,
    });
    await followChange(context, connection, accepted);
  },
};

const ON_OFF: Readonly<Record<string, boolean>> = { on: true, off: false };

const endpoint: Command = {
  kind: 'command',
  name: 'endpoint',
  summary: "open or close a cluster's public API server endpoint (--public on|off)",
  args: '<id>',
  options: {
    ...CONNECTION_OPTIONS,
    public: { type: 'string', value: 'on|off', description: 'bind (on) or unbind (off) the EIP' },
    ...TIMEOUT_OPTIONS,
    ...OUTPUT,
  },
  run: async (context) => {
    const id = clusterArg(context, 'askp endpoint <id> --public on|off');
    const wanted = ON_OFF[str(context, 'public') ?? ''];
    if (wanted === undefined)
      throw new CliError(EXIT_CODES.usage, 'askp endpoint needs --public on or --public off');
    const connection = resolveConnection(context);
    const answer = await callApi(connection, 'PATCH', clusterPath(id), {
      endpointPublicAccess: wanted,
    });
    // 202 is a change under way; 200 the cluster as it is, which already had what was asked.
    const started = changeAcceptedSchema.safeParse(answer);
    if (started.success) {
      await followChange(context, connection, started.data);
      return;
    }
    const cluster = clusterSchema.parse(answer);
    context.stderr(`${id} already has its public endpoint ${wanted ? 'open' : 'closed'}\n`);
    render(context, cluster, () => `${id}\n`);
  },
};

const changes: Command = {
  kind: 'command',
  name: 'changes',
  summary: "a cluster's changes after creation, newest first, with why a failed one failed",
  args: '<id>',
  options: { ...CONNECTION_OPTIONS, ...OUTPUT },
  run: async (context) => {
    const id = clusterArg(context, 'askp changes <id>');
    const list = await listChanges(resolveConnection(context), id);
    render(context, list, () =>
      list.length === 0 ? `${id} has had no changes\n` : changeTable(list),
    );
  },
};

/** `askp kubeconfig revoke <id>`: every kubeconfig the service issued for the cluster stops working. */
const revokeKubeconfigs = async (context: CommandContext, id: string): Promise<void> => {
  const connection = resolveConnection(context);
  const accepted = await requestChange(connection, 'POST', `${clusterPath(id)}/kubeconfig:revoke`);
  await followChange(context, connection, accepted);
};

export { changes, endpoint, followChange, revokeKubeconfigs, upgrade };
