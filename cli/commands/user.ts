import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { z } from 'zod';
import type { Command, CommandContext } from '../command.js';
import { CliError, EXIT_CODES } from '../exit-codes.js';
import { type ClusterView, callApi, clusterSchema, getCluster, listEvents } from '../user/api.js';
import {
  CONNECTION_OPTIONS,
  profilePath,
  readProfile,
  resolveConnection,
} from '../user/connection.js';
import { waitForCluster } from '../user/wait.js';

/**
 * The user commands: the REST API with an API key, for people and scripts. Results go to stdout
 * (`-o json|yaml` for scripts), progress and explanations to stderr.
 */

const str = (context: CommandContext, name: string): string | undefined => {
  const value = context.options[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

const onlyId = (context: CommandContext, command: string): string => {
  const [id, ...more] = context.positionals;
  if (!id || more.length > 0)
    throw new CliError(EXIT_CODES.usage, `usage: askp ${command} <id> (one cluster id, prv_…)`);
  return id;
};

const OUTPUT = {
  output: {
    type: 'string',
    short: 'o',
    value: 'table|json|yaml',
    description: 'how to print the result (default table)',
  },
} as const;

const render = (context: CommandContext, value: unknown, table: () => string): void => {
  const format = str(context, 'output') ?? 'table';
  if (format === 'json') context.stdout(`${JSON.stringify(value, null, 2)}\n`);
  else if (format === 'yaml') context.stdout(toYaml(value));
  else if (format === 'table') context.stdout(table());
  else throw new CliError(EXIT_CODES.usage, `-o ${format}: use table, json or yaml`);
};

const columns = (rows: string[][]): string => {
  const widths =
    rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  return `${rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
};

const ago = (iso: string | null): string => {
  if (!iso) return '-';
  const ms = Date.now() - Date.parse(iso);
  const m = Math.floor(Math.abs(ms) / 60_000);
  const text =
    m < 1 ? `${Math.floor(Math.abs(ms) / 1000)}s` : m < 120 ? `${m}m` : `${Math.floor(m / 60)}h`;
  return ms >= 0 ? text : `in ${text}`;
};

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

const WAIT = {
  wait: { type: 'boolean', description: 'wait until it is done, showing progress' },
  timeout: {
    type: 'string',
    value: '<seconds>',
    description: 'give up waiting after (default 3600)',
  },
} as const;

const timeoutMs = (context: CommandContext): number => {
  const text = str(context, 'timeout') ?? '3600';
  if (!/^\d+$/.test(text)) throw new CliError(EXIT_CODES.usage, '--timeout is a number of seconds');
  return Number(text) * 1000;
};

const create: Command = {
  kind: 'command',
  name: 'create',
  summary: 'ask for a cluster (flags or a YAML/JSON file); --wait follows it to running',
  options: {
    ...CONNECTION_OPTIONS,
    name: { type: 'string', value: '<name>', description: 'the cluster name' },
    region: { type: 'string', value: '<region>', description: 'e.g. cn-hangzhou' },
    file: {
      type: 'string',
      short: 'f',
      value: '<path>',
      description: 'the create body as YAML or JSON (flags override)',
    },
    'kubernetes-version': {
      type: 'string',
      value: '<version>',
      description: 'default: the newest',
    },
    ttl: {
      type: 'string',
      value: '<duration>',
      description: 'e.g. 8h; the janitor deletes it then',
    },
    public: { type: 'boolean', description: 'expose the API server (endpointPublicAccess)' },
    ...WAIT,
    ...OUTPUT,
  },
  run: async (context) => {
    const connection = resolveConnection(context);
    const file = str(context, 'file');
    const body: Record<string, unknown> = {};
    if (file) {
      const parsed: unknown = parseYaml(readFileSync(file, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new CliError(EXIT_CODES.usage, `${file} holds no create body (an object)`);
      Object.assign(body, parsed);
    }
    for (const [flag, field] of [
      ['name', 'name'],
      ['region', 'region'],
      ['kubernetes-version', 'kubernetesVersion'],
      ['ttl', 'ttl'],
    ] as const) {
      const value = str(context, flag);
      if (value) body[field] = value;
    }
    if (context.options.public === true) body.endpointPublicAccess = true;
    if (!body.name || !body.region)
      throw new CliError(
        EXIT_CODES.usage,
        'create needs --name and --region (or a --file with them)',
      );
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
  summary: 'a short-lived kubeconfig of a running cluster, to stdout (askp kubeconfig <id> > file)',
  args: '<id>',
  options: CONNECTION_OPTIONS,
  run: async (context) => {
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

const USER_COMMANDS: readonly Command[] = [config, create, get, list, events, remove, kubeconfig];

export { USER_COMMANDS };
