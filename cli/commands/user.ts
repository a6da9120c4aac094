import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod';
import type { Command, CommandContext, CommandGroup } from '../command.js';
import { CliError, EXIT_CODES } from '../exit-codes.js';
import { type ClusterView, callApi, clusterSchema, getCluster, listEvents } from '../user/api.js';
import {
  CONNECTION_OPTIONS,
  profilePath,
  readProfile,
  resolveConnection,
} from '../user/connection.js';
import { CREATE_BODY_OPTIONS, createBody } from '../user/create-body.js';
import { ago, columns, OUTPUT, onlyArg, render, str } from '../user/output.js';
import { timeoutMs, TIMEOUT_OPTIONS as WAIT, waitForCluster } from '../user/wait.js';
import { revokeKubeconfigs } from './user-changes.js';
import { keys } from './user-keys.js';
import { options, preflight } from './user-preflight.js';
import { webhooks } from './user-webhooks.js';

/**
 * The user commands: the REST API with an API key, for people and scripts. Results go to stdout
 * (`-o json|yaml` for scripts), progress and explanations to stderr.
 */

const onlyId = (context: CommandContext, command: string): string =>
  onlyArg(context, `askp ${command} <id> (one cluster id, prv_…)`);

const clusterTable = (clusters: ClusterView[]): string =>
  columns([
    ['ID', 'NAME', 'REGION', 'STATE', 'PROGRESS', 'AGE', 'EXPIRES'],
    ...clusters.map((c) => [
      c.id,
      c.name,
      c.region,
      c.state,
      c.progress
        ? `${c.progress.completedStages}/${c.progress.totalStages} ${c.progress.stage ?? ''}`.trim()
        : '-',
      ago(c.createdAt),
      c.expiresAt ? ago(c.expiresAt) : '-',
    ]),
  ]);

const create: Command = {
  kind: 'command',
  name: 'create',
  summary: 'ask for a cluster (flags or a YAML/JSON file); --wait follows it to running',
  options: {
    ...CONNECTION_OPTIONS,
    ...CREATE_BODY_OPTIONS,
    ...WAIT,
    ...OUTPUT,
  },
  run: async (context) => {
    const connection = resolveConnection(context);
    const body = createBody(context, 'create');
    const created = clusterSchema.parse(await callApi(connection, 'POST', '/v1/clusters', body));
    context.stderr(`accepted ${created.id} (${created.name} in ${created.region})\n`);
    const final = context.options.wait
      ? await waitForCluster(context, connection, created.id, {
          until: ['running'],
          timeoutMs: timeoutMs(context),
        })
      : created;
    render(context, final, () => `${final.id}\n`);
    if (final.state === 'failed')
      throw new CliError(
        EXIT_CODES.clusterFailed,
        `${final.id} failed: ${final.error ? `${final.error.code}: ${final.error.message}` : 'no reason given'}`,
      );
    if (context.options.wait && final.state !== 'running')
      throw new CliError(EXIT_CODES.clusterFailed, `${final.id} ended ${final.state}`);
  },
};

const get: Command = {
  kind: 'command',
  name: 'get',
  summary: 'one cluster: state, progress, error',
  args: '<id>',
  options: { ...CONNECTION_OPTIONS, ...OUTPUT },
  run: async (context) => {
    const cluster = await getCluster(resolveConnection(context), onlyId(context, 'get'));
    render(context, cluster, () => clusterTable([cluster]));
  },
};

const list: Command = {
  kind: 'command',
  name: 'list',
  summary: 'your clusters, as a table',
  options: {
    ...CONNECTION_OPTIONS,
    state: {
      type: 'string',
      value: '<states>',
      description: 'only these states (comma-separated)',
    },
    ...OUTPUT,
  },
  run: async (context) => {
    const connection = resolveConnection(context);
    const items: ClusterView[] = [];
    const pageSchema = z.looseObject({
      items: z.array(clusterSchema),
      nextCursor: z.string().nullable(),
    });
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: '100' });
      const state = str(context, 'state');
      if (state) query.set('state', state);
      if (cursor) query.set('cursor', cursor);
      const page = pageSchema.parse(await callApi(connection, 'GET', `/v1/clusters?${query}`));
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    render(context, items, () => clusterTable(items));
  },
};

const events: Command = {
  kind: 'command',
  name: 'events',
  summary: "a cluster's timeline; --follow prints new events until it settles",
  args: '<id>',
  options: {
    ...CONNECTION_OPTIONS,
    follow: { type: 'boolean', description: 'keep printing new events until the cluster settles' },
  },
  run: async (context) => {
    const connection = resolveConnection(context);
    const id = onlyId(context, 'events');
    let seen = 0;
    for (;;) {
      const timeline = await listEvents(connection, id);
      for (const event of timeline.filter((e) => e.sequence > seen))
        context.stdout(
          `${event.at}  ${event.type.padEnd(24)} ${event.state.padEnd(12)} ${event.message}\n`,
        );
      seen = Math.max(seen, ...timeline.map((e) => e.sequence));
      if (!context.options.follow) return;
      const cluster = await getCluster(connection, id);
      if (['running', 'failed', 'deleted', 'cancelled'].includes(cluster.state)) return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  },
};

const remove: Command = {
  kind: 'command',
  name: 'delete',
  summary: 'delete a cluster (or cancel one not yet created); --wait until it is gone',
  args: '<id>',
  options: { ...CONNECTION_OPTIONS, ...WAIT },
  run: async (context) => {
    const connection = resolveConnection(context);
    const id = onlyId(context, 'delete');
    const asked = clusterSchema.parse(
      await callApi(connection, 'DELETE', `/v1/clusters/${encodeURIComponent(id)}`),
    );
    context.stderr(`${id} is ${asked.state}\n`);
    if (!context.options.wait) return;
    const final = await waitForCluster(context, connection, id, {
      until: ['deleted', 'cancelled'],
      timeoutMs: timeoutMs(context),
    });
    if (final.state !== 'deleted' && final.state !== 'cancelled')
      throw new CliError(EXIT_CODES.clusterFailed, `${id} ended ${final.state}`);
  },
};

const kubeconfig: Command = {
  kind: 'command',
  name: 'kubeconfig',
  summary:
    'a short-lived kubeconfig of a running cluster, to stdout (askp kubeconfig <id> > file); ' +
    'askp kubeconfig revoke <id> revokes every one issued',
  args: '<id> | revoke <id>',
  options: { ...CONNECTION_OPTIONS, ...WAIT },
  run: async (context) => {
    if (context.positionals[0] === 'revoke') {
      const [, id, ...more] = context.positionals;
      if (!id || more.length > 0)
        throw new CliError(EXIT_CODES.usage, 'usage: askp kubeconfig revoke <id> [--wait]');
      await revokeKubeconfigs(context, id);
      return;
    }
    const id = onlyId(context, 'kubeconfig');
    const issued = (await callApi(
      resolveConnection(context),
      'GET',
      `/v1/clusters/${encodeURIComponent(id)}/kubeconfig`,
    )) as { kubeconfig?: unknown; expiresAt?: unknown };
    if (typeof issued.kubeconfig !== 'string')
      throw new CliError(EXIT_CODES.failed, 'the API answered without a kubeconfig');
    context.stdout(issued.kubeconfig.endsWith('\n') ? issued.kubeconfig : `${issued.kubeconfig}\n`);
    context.stderr(`expires ${String(issued.expiresAt)}\n`);
  },
};

const config: Command = {
  kind: 'command',
  name: 'config',
  summary: 'show where the API and the key come from; --save writes them to the profile',
  options: {
    ...CONNECTION_OPTIONS,
    save: { type: 'boolean', description: `write --url/--api-key to the profile file (mode 0600)` },
  },
  run: async (context) => {
    const path = profilePath(context.env);
    if (context.options.save) {
      const profile = readProfile(context.env);
      const url = str(context, 'url');
      const apiKey = str(context, 'api-key');
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileSync(
        path,
        `${JSON.stringify({ ...profile, ...(url ? { url } : {}), ...(apiKey ? { apiKey } : {}) }, null, 2)}\n`,
        { mode: 0o600 },
      );
      context.stderr(`saved ${path}\n`);
    }
    const connection = resolveConnection(context);
    // The key is named by its public id only: the secret part never goes to a terminal or a log.
    const keyId = /^askp_([0-9a-z]+)_/.exec(connection.apiKey)?.[1] ?? 'unrecognised';
    context.stdout(
      `url      ${connection.url}\nkey      askp_${keyId}_… (from ${connection.keySource})\nprofile  ${path}\n`,
    );
  },
};

const USER_COMMANDS: readonly (Command | CommandGroup)[] = [
  config,
  create,
  preflight,
  get,
  list,
  events,
  remove,
  kubeconfig,
  options,
  keys,
  webhooks,
];

export { USER_COMMANDS };
