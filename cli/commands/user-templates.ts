import { stringify as toYaml } from 'yaml';
import * as z from 'zod';
import type { Command, CommandContext, CommandGroup } from '../command.js';
import { CliError, EXIT_CODES } from '../exit-codes.js';
import { callApi } from '../user/api.js';
import { CONNECTION_OPTIONS, resolveConnection } from '../user/connection.js';
import { createFields, SPEC_OPTIONS } from '../user/create-body.js';
import { ago, columns, OUTPUT, onlyArg, render } from '../user/output.js';

/**
 * `askp templates …`: the tenant's cluster templates (`/v1/templates`), named create fields that
 * `askp create --template <name>` starts from. A template's fields come from a YAML/JSON file and
 * the same flags as `create` (but the cluster name: a template is for many clusters).
 */
const templateSchema = z.looseObject({
  name: z.string(),
  spec: z.record(z.string(), z.unknown()),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const pageSchema = z.looseObject({
  items: z.array(templateSchema),
  nextCursor: z.string().nullable(),
});
type TemplateView = z.output<typeof templateSchema>;

const templatePath = (name: string): string => `/v1/templates/${encodeURIComponent(name)}`;
const nameArg = (context: CommandContext, command: string): string =>
  onlyArg(context, `askp templates ${command} <template name>`);

const templateTable = (templates: readonly TemplateView[]): string =>
  columns([
    ['NAME', 'VERSION', 'UPDATED', 'FIELDS'],
    ...templates.map((t) => [
      t.name,
      String(t.version),
      ago(t.updatedAt),
      Object.keys(t.spec).sort().join(','),
    ]),
  ]);

/** The template's fields: the file and the flags as a create would read them, less the name. */
const specOf = (context: CommandContext, command: string): Record<string, unknown> => {
  const { name, template, ...spec } = createFields(context);
  if (name !== undefined || template !== undefined)
    throw new CliError(
      EXIT_CODES.usage,
      `askp templates ${command}: a template holds no cluster name and no template; remove them from the file`,
    );
  return spec;
};

const list: Command = {
  kind: 'command',
  name: 'list',
  summary: "the tenant's templates (every page)",
  options: { ...CONNECTION_OPTIONS, ...OUTPUT },
  run: async (context) => {
    const connection = resolveConnection(context);
    const items: TemplateView[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: '100' });
      if (cursor) query.set('cursor', cursor);
      const page = pageSchema.parse(await callApi(connection, 'GET', `/v1/templates?${query}`));
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    render(context, items, () => templateTable(items));
  },
};

const show: Command = {
  kind: 'command',
  name: 'show',
  summary: 'one template: its version and fields',
  args: '<name>',
  options: { ...CONNECTION_OPTIONS, ...OUTPUT },
  run: async (context) => {
    const name = nameArg(context, 'show');
    const template = templateSchema.parse(
      await callApi(resolveConnection(context), 'GET', templatePath(name)),
    );
    render(context, template, () => `${templateTable([template])}\n${toYaml(template.spec)}`);
  },
};

const create: Command = {
  kind: 'command',
  name: 'create',
  summary: 'save a template from a YAML/JSON file of create fields and flags',
  args: '<name>',
  options: { ...CONNECTION_OPTIONS, ...SPEC_OPTIONS, ...OUTPUT },
  run: async (context) => {
    const name = nameArg(context, 'create');
    const spec = specOf(context, 'create');
    const template = templateSchema.parse(
      await callApi(resolveConnection(context), 'POST', '/v1/templates', { name, spec }),
    );
    context.stderr(`saved template ${template.name} (version ${template.version})\n`);
    render(context, template, () => templateTable([template]));
  },
};

const update: Command = {
  kind: 'command',
  name: 'update',
  summary: "replace a template's fields (a new version; made when missing)",
  args: '<name>',
  options: { ...CONNECTION_OPTIONS, ...SPEC_OPTIONS, ...OUTPUT },
  run: async (context) => {
    const name = nameArg(context, 'update');
    const spec = specOf(context, 'update');
    const template = templateSchema.parse(
      await callApi(resolveConnection(context), 'PUT', templatePath(name), { spec }),
    );
    context.stderr(`template ${template.name} is at version ${template.version}\n`);
    render(context, template, () => templateTable([template]));
  },
};

const remove: Command = {
  kind: 'command',
  name: 'delete',
  summary: 'delete a template (clusters made from it keep their spec)',
  args: '<name>',
  options: CONNECTION_OPTIONS,
  run: async (context) => {
    const name = nameArg(context, 'delete');
    await callApi(resolveConnection(context), 'DELETE', templatePath(name));
    context.stderr(`deleted template ${name}\n`);
  },
};

const templates: CommandGroup = {
  kind: 'group',
  name: 'templates',
  summary: 'cluster templates: named create fields that create --template starts from',
  children: [list, show, create, update, remove],
};

export { templates };
