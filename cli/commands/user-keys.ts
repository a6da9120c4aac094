import * as z from 'zod';
import type { Command, CommandGroup } from '../command.js';
import { CliError, EXIT_CODES } from '../exit-codes.js';
import { callApi } from '../user/api.js';
import { CONNECTION_OPTIONS, resolveConnection } from '../user/connection.js';
import { ago, columns, OUTPUT, onlyArg, render, str } from '../user/output.js';

/**
 * `askp keys list|create|revoke`: API keys through the admin API (`/v1/admin/api-keys`, scope
 * `admin`). A new key's secret goes to stdout alone (as `askp admin bootstrap` prints it), so
 * `KEY=$(askp keys create …)` captures it; it is never printed anywhere else.
 */
const keySchema = z.looseObject({
  id: z.string(),
  tenantId: z.string(),
  scopes: z.array(z.string()),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});

type KeyView = z.output<typeof keySchema>;

const keyTable = (keys: KeyView[]): string =>
  columns([
    ['ID', 'TENANT', 'SCOPES', 'CREATED', 'EXPIRES', 'REVOKED'],
    ...keys.map((k) => [
      k.id,
      k.tenantId,
      k.scopes.join(','),
      ago(k.createdAt),
      k.expiresAt ? ago(k.expiresAt) : '-',
      k.revokedAt ? ago(k.revokedAt) : '-',
    ]),
  ]);

const list: Command = {
  kind: 'command',
  name: 'list',
  summary: 'API keys (every page), never their secrets',
  options: {
    ...CONNECTION_OPTIONS,
    tenant: { type: 'string', value: '<tnt_…>', description: "only this tenant's keys" },
    ...OUTPUT,
  },
  run: async (context) => {
    const connection = resolveConnection(context);
    const pageSchema = z.looseObject({
      items: z.array(keySchema),
      nextCursor: z.string().nullable(),
    });
    const keys: KeyView[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: '100' });
      const tenant = str(context, 'tenant');
      if (tenant) query.set('tenantId', tenant);
      if (cursor) query.set('cursor', cursor);
      const page = pageSchema.parse(
        await callApi(connection, 'GET', `/v1/admin/api-keys?${query}`),
      );
      keys.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    render(context, keys, () => keyTable(keys));
  },
};

const create: Command = {
  kind: 'command',
  name: 'create',
  summary: 'issue a key for a tenant; prints the key once, on stdout',
  options: {
    ...CONNECTION_OPTIONS,
    tenant: { type: 'string', value: '<tnt_…>', description: 'the tenant the key acts for' },
    scopes: {
      type: 'string',
      value: '<scope,…>',
      description: 'clusters:read, clusters:write, kubeconfig:read, admin (comma-separated)',
    },
    'expires-at': {
      type: 'string',
      value: '<instant>',
      description: 'an RFC 3339 instant in the future (default: never)',
    },
    ...OUTPUT,
  },
  run: async (context) => {
    const tenantId = str(context, 'tenant');
    const scopes = str(context, 'scopes');
    if (!tenantId || !scopes)
      throw new CliError(EXIT_CODES.usage, 'keys create needs --tenant and --scopes');
    const expiresAt = str(context, 'expires-at');
    const issued = keySchema.extend({ key: z.string() }).parse(
      await callApi(resolveConnection(context), 'POST', '/v1/admin/api-keys', {
        tenantId,
        scopes: scopes.split(',').map((scope) => scope.trim()),
        ...(expiresAt ? { expiresAt } : {}),
      }),
    );
    // The table form is the key alone: the one thing a script captures and a person must store.
    render(context, issued, () => `${issued.key}\n`);
    context.stderr(`issued ${issued.id} for ${issued.tenantId}: shown this once, store it now\n`);
  },
};

const revoke: Command = {
  kind: 'command',
  name: 'revoke',
  summary: 'revoke a key at once (it answers 401 from then on)',
  args: '<key id>',
  options: { ...CONNECTION_OPTIONS, ...OUTPUT },
  run: async (context) => {
    const id = onlyArg(context, 'askp keys revoke <key id>');
    const key = keySchema.parse(
      await callApi(
        resolveConnection(context),
        'POST',
        `/v1/admin/api-keys/${encodeURIComponent(id)}:revoke`,
      ),
    );
    render(context, key, () => keyTable([key]));
  },
};

const keys: CommandGroup = {
  kind: 'group',
  name: 'keys',
  summary: 'API keys: list, create, revoke (an admin key)',
  children: [list, create, revoke],
};

export { keys };
