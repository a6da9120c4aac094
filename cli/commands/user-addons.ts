import * as z from 'zod';
import type { Command, CommandContext, CommandGroup } from '../command.js';
import { CliError, EXIT_CODES } from '../exit-codes.js';
import { callApi } from '../user/api.js';
import { changeAcceptedSchema, clusterPath, requestChange } from '../user/changes.js';
import { CONNECTION_OPTIONS, type Connection, resolveConnection } from '../user/connection.js';
import { columns, OUTPUT, onlyArg, render, str, twoArgs } from '../user/output.js';
import { TIMEOUT_OPTIONS } from '../user/wait.js';
import { followChange } from './user-changes.js';

/**
 * `askp addons list|install|upgrade|remove <cluster> …`: a cluster's addons after creation
 * (`/v1/clusters/{id}/addons`). Installing, upgrading (or reconfiguring) and removing are changes
 * like `upgrade`: the command exits 0 once the API accepted one, and with `--wait` follows it to
 * its end (exit 11 with the reason when ACK's task failed). `upgrade` without `--version` or
 * `--config` upgrades to the version ACK's catalog offers (the list's LATEST).
 */
const addonSchema = z.looseObject({
  name: z.string(),
  version: z.string().nullable(),
  state: z.string(),
  latestVersion: z.string().nullable(),
  upgradeAvailable: z.boolean(),
});
const addonListSchema = z.looseObject({
  id: z.string(),
  kubernetesVersion: z.string(),
  addons: z.array(addonSchema),
});
type AddonView = z.output<typeof addonSchema>;

const addonsPath = (id: string): string => `${clusterPath(id)}/addons`;
const addonPath = (id: string, name: string): string =>
  `${addonsPath(id)}/${encodeURIComponent(name)}`;

const addonTable = (addons: readonly AddonView[]): string =>
  columns([
    ['NAME', 'VERSION', 'STATE', 'LATEST', 'UPGRADE'],
    ...addons.map((a) => [
      a.name,
      a.version ?? '-',
      a.state,
      a.latestVersion ?? '-',
      a.upgradeAvailable ? 'yes' : 'no',
    ]),
  ]);

/** `--config '{"key": "value"}'`: a JSON object, or a usage error. */
const configOption = (context: CommandContext): Record<string, unknown> | undefined => {
  const text = str(context, 'config');
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(EXIT_CODES.usage, '--config is a JSON object, e.g. \'{"key": "value"}\'');
  }
  const object = z.record(z.string(), z.unknown()).safeParse(parsed);
  if (!object.success)
    throw new CliError(EXIT_CODES.usage, '--config is a JSON object, e.g. \'{"key": "value"}\'');
  return object.data;
};

const listAddons = async (connection: Connection, id: string) =>
  addonListSchema.parse(await callApi(connection, 'GET', addonsPath(id)));

const CHANGE_OPTIONS = {
  version: {
    type: 'string',
    value: '<version>',
    description: "the addon version: the one ACK's catalog offers (askp addons list, LATEST)",
  },
  config: {
    type: 'string',
    value: '<json>',
    description: "the addon's config as a JSON object (only the keys the service allows)",
  },
} as const;

const list: Command = {
  kind: 'command',
  name: 'list',
  summary: "a cluster's installed addons, their versions and whether ACK offers an upgrade",
  args: '<cluster>',
  options: { ...CONNECTION_OPTIONS, ...OUTPUT },
  run: async (context) => {
    const id = onlyArg(context, 'askp addons list <cluster>');
    const addons = await listAddons(resolveConnection(context), id);
    render(context, addons, () =>
      addons.addons.length === 0
        ? `${id} has no addons installed (Kubernetes ${addons.kubernetesVersion})\n`
        : addonTable(addons.addons),
    );
  },
};

const install: Command = {
  kind: 'command',
  name: 'install',
  summary: 'install an addon; --wait follows it to the end',
  args: '<cluster> <addon>',
  options: { ...CONNECTION_OPTIONS, ...CHANGE_OPTIONS, ...TIMEOUT_OPTIONS, ...OUTPUT },
  run: async (context) => {
    const usage = 'askp addons install <cluster> <addon> [--version <v>] [--config <json>]';
    const [id, name] = twoArgs(context, usage);
    const version = str(context, 'version');
    const config = configOption(context);
    const connection = resolveConnection(context);
    const accepted = await requestChange(connection, 'POST', addonsPath(id), {
      name,
      ...(version === undefined ? {} : { version }),
      ...(config === undefined ? {} : { config }),
    });
    await followChange(context, connection, accepted);
  },
};

const upgrade: Command = {
  kind: 'command',
  name: 'upgrade',
  summary: 'upgrade an addon (to the catalog version by default) or change its config',
  args: '<cluster> <addon>',
  options: { ...CONNECTION_OPTIONS, ...CHANGE_OPTIONS, ...TIMEOUT_OPTIONS, ...OUTPUT },
  run: async (context) => {
    const usage = 'askp addons upgrade <cluster> <addon> [--version <v>] [--config <json>]';
    const [id, name] = twoArgs(context, usage);
    const config = configOption(context);
    const connection = resolveConnection(context);
    let version = str(context, 'version');
    if (version === undefined && config === undefined) {
      const addon = (await listAddons(connection, id)).addons.find((a) => a.name === name);
      if (addon === undefined)
        throw new CliError(EXIT_CODES.usage, `${id} has no addon ${name} installed`);
      if (addon.latestVersion === null || !addon.upgradeAvailable) {
        context.stderr(`${id}: ${name} ${addon.version ?? ''} is what ACK offers; nothing to do\n`);
        render(context, addon, () => addonTable([addon]));
        return;
      }
      version = addon.latestVersion;
    }
    const answer = await callApi(connection, 'PATCH', addonPath(id, name), {
      ...(version === undefined ? {} : { version }),
      ...(config === undefined ? {} : { config }),
    });
    // 202 is a change under way; 200 the addon, which already was as asked.
    const started = changeAcceptedSchema.safeParse(answer);
    if (started.success) {
      await followChange(context, connection, started.data);
      return;
    }
    const view = addonSchema.parse(answer);
    context.stderr(`${id}: addon ${view.name} already is as asked\n`);
    render(context, view, () => addonTable([view]));
  },
};

const remove: Command = {
  kind: 'command',
  name: 'remove',
  summary: 'uninstall an addon; --wait follows it to the end',
  args: '<cluster> <addon>',
  options: { ...CONNECTION_OPTIONS, ...TIMEOUT_OPTIONS, ...OUTPUT },
  run: async (context) => {
    const [id, name] = twoArgs(context, 'askp addons remove <cluster> <addon>');
    const connection = resolveConnection(context);
    const accepted = await requestChange(connection, 'DELETE', addonPath(id, name));
    await followChange(context, connection, accepted);
  },
};

const addons: CommandGroup = {
  kind: 'group',
  name: 'addons',
  summary: "a cluster's addons: list, install, upgrade (or reconfigure), remove",
  children: [list, install, upgrade, remove],
};

export { addons };
