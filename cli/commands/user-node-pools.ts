import * as z from 'zod';
import type { Command, CommandContext, CommandGroup } from '../command.js';
import { CliError, EXIT_CODES } from '../exit-codes.js';
import { callApi } from '../user/api.js';
import { changeAcceptedSchema, clusterPath, requestChange } from '../user/changes.js';
import { CONNECTION_OPTIONS, resolveConnection } from '../user/connection.js';
import { columns, OUTPUT, onlyArg, render, str, twoArgs } from '../user/output.js';
import { TIMEOUT_OPTIONS } from '../user/wait.js';
import { followChange } from './user-changes.js';

/**
 * `askp node-pools list|add|scale|remove <cluster> …`: a managed cluster's node pools
 * (`/v1/clusters/{id}/node-pools`). Adding, scaling and removing are changes like `upgrade`:
 * the command exits 0 once the API accepted one, and with `--wait` follows it to its end (exit 11
 * with the reason when ACK's task failed). A pool is named by its name or ACK's id (np-…).
 */
const poolSchema = z.looseObject({
  name: z.string(),
  nodePoolId: z.string().nullable(),
  instanceTypes: z.array(z.string()),
  desiredSize: z.number().nullable(),
  systemDisk: z.object({ category: z.string().nullable(), size: z.number().nullable() }),
  state: z.string().nullable(),
  nodes: z.object({ total: z.number(), healthy: z.number(), serving: z.number() }),
});
const poolListSchema = z.looseObject({ profile: z.string(), items: z.array(poolSchema) });
type PoolView = z.output<typeof poolSchema>;

const poolsPath = (id: string): string => `${clusterPath(id)}/node-pools`;
const poolPath = (id: string, pool: string): string =>
  `${poolsPath(id)}/${encodeURIComponent(pool)}`;

const poolTable = (pools: readonly PoolView[]): string =>
  columns([
    ['NAME', 'ID', 'INSTANCE TYPES', 'DESIRED', 'NODES', 'STATE', 'SYSTEM DISK'],
    ...pools.map((p) => [
      p.name,
      p.nodePoolId ?? '-',
      p.instanceTypes.join(','),
      p.desiredSize === null ? '-' : String(p.desiredSize),
      `${p.nodes.healthy}/${p.nodes.total}`,
      p.state ?? '-',
      p.systemDisk.category === null ? '-' : `${p.systemDisk.category} ${p.systemDisk.size}GiB`,
    ]),
  ]);

/** A whole number option within bounds, or undefined when absent; a usage error otherwise. */
const count = (context: CommandContext, name: string, max: number): number | undefined => {
  const text = str(context, name);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) > max)
    throw new CliError(EXIT_CODES.usage, `--${name} is a whole number from 0 to ${max}`);
  return Number(text);
};

const instanceTypes = (context: CommandContext): string[] | undefined =>
  str(context, 'instance-types')
    ?.split(',')
    .map((type) => type.trim())
    .filter((type) => type !== '');

const SIZE = {
  size: { type: 'string', value: '<nodes>', description: 'how many nodes the pool keeps (0–100)' },
  'instance-types': {
    type: 'string',
    value: '<type,…>',
    description: 'ECS instance types, tried in order (askp options lists them)',
  },
} as const;

const list: Command = {
  kind: 'command',
  name: 'list',
  summary: "a managed cluster's node pools, from ACK: types, size, nodes, state",
  args: '<cluster>',
  options: { ...CONNECTION_OPTIONS, ...OUTPUT },
  run: async (context) => {
    const id = onlyArg(context, 'askp node-pools list <cluster>');
    const pools = poolListSchema.parse(
      await callApi(resolveConnection(context), 'GET', poolsPath(id)),
    );
    render(context, pools, () =>
      pools.items.length === 0
        ? `${id} has no node pools (profile ${pools.profile})\n`
        : poolTable(pools.items),
    );
  },
};

const add: Command = {
  kind: 'command',
  name: 'add',
  summary: 'add a node pool to a managed cluster; --wait follows it to the end',
  args: '<cluster>',
  options: {
    ...CONNECTION_OPTIONS,
    name: { type: 'string', value: '<name>', description: 'the pool name, new in the cluster' },
    ...SIZE,
    'disk-category': {
      type: 'string',
      value: '<category>',
      description: 'system disk: cloud_essd (default), cloud_ssd or cloud_efficiency',
    },
    'disk-size': { type: 'string', value: '<GiB>', description: 'system disk, 40–500 (120)' },
    ...TIMEOUT_OPTIONS,
    ...OUTPUT,
  },
  run: async (context) => {
    const usage =
      'askp node-pools add <cluster> --name <name> --instance-types <type,…> --size <nodes>';
    const id = onlyArg(context, usage);
    const name = str(context, 'name');
    const types = instanceTypes(context);
    const size = count(context, 'size', 100);
    if (name === undefined || types === undefined || size === undefined)
      throw new CliError(EXIT_CODES.usage, `usage: ${usage}`);
    const category = str(context, 'disk-category');
    const diskSize = count(context, 'disk-size', 500);
    const body = {
      name,
      instanceTypes: types,
      desiredSize: size,
      ...(category === undefined && diskSize === undefined
        ? {}
        : {
            systemDisk: {
              ...(category === undefined ? {} : { category }),
              ...(diskSize === undefined ? {} : { size: diskSize }),
            },
          }),
    };
    const connection = resolveConnection(context);
    const accepted = await requestChange(connection, 'POST', poolsPath(id), body);
    await followChange(context, connection, accepted);
  },
};

const scale: Command = {
  kind: 'command',
  name: 'scale',
  summary: 'resize a node pool and/or change its instance types; --wait follows it',
  args: '<cluster> <pool>',
  options: { ...CONNECTION_OPTIONS, ...SIZE, ...TIMEOUT_OPTIONS, ...OUTPUT },
  run: async (context) => {
    const usage = 'askp node-pools scale <cluster> <pool> --size <nodes> [--instance-types …]';
    const [id, pool] = twoArgs(context, usage);
    const size = count(context, 'size', 100);
    const types = instanceTypes(context);
    if (size === undefined && types === undefined)
      throw new CliError(EXIT_CODES.usage, `usage: ${usage}`);
    const connection = resolveConnection(context);
    const answer = await callApi(connection, 'PATCH', poolPath(id, pool), {
      ...(size === undefined ? {} : { desiredSize: size }),
      ...(types === undefined ? {} : { instanceTypes: types }),
    });
    // 202 is a change under way; 200 the pool, which already was as asked.
    const started = changeAcceptedSchema.safeParse(answer);
    if (started.success) {
      await followChange(context, connection, started.data);
      return;
    }
    const view = poolSchema.parse(answer);
    context.stderr(`${id}: node pool ${view.name} already is as asked\n`);
    render(context, view, () => poolTable([view]));
  },
};

const remove: Command = {
  kind: 'command',
  name: 'remove',
  summary: 'delete a node pool and its nodes; --wait follows it to the end',
  args: '<cluster> <pool>',
  options: { ...CONNECTION_OPTIONS, ...TIMEOUT_OPTIONS, ...OUTPUT },
  run: async (context) => {
    const [id, pool] = twoArgs(context, 'askp node-pools remove <cluster> <pool>');
    const connection = resolveConnection(context);
    const accepted = await requestChange(connection, 'DELETE', poolPath(id, pool));
    await followChange(context, connection, accepted);
  },
};

const nodePools: CommandGroup = {
  kind: 'group',
  name: 'node-pools',
  summary: "a managed cluster's node pools: list, add, scale, remove",
  children: [list, add, scale, remove],
};

export { nodePools };
