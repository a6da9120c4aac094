import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { CommandContext } from '../command.js';
import { CliError, EXIT_CODES } from '../exit-codes.js';
import { str } from './output.js';

/**
 * The body of `POST /v1/clusters` (and of `POST /v1/clusters:preflight`, which takes the same)
 * from a YAML/JSON file and flags, the flags winning. `create` and `preflight` share it so that a
 * preflight checks exactly what the same command line would create.
 */
/** The create fields but the cluster's name: what a template may hold too. */
const SPEC_OPTIONS = {
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
} as const;

const CREATE_BODY_OPTIONS = {
  name: { type: 'string', value: '<name>', description: 'the cluster name' },
  ...SPEC_OPTIONS,
  template: {
    type: 'string',
    value: '<name>',
    description: "start from the tenant's template (askp templates); flags and file override",
  },
} as const;

/** The create fields from `--file` and the flags (flags win), whatever command sends them. */
const createFields = (context: CommandContext): Record<string, unknown> => {
  const file = str(context, 'file');
  const body: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new CliError(EXIT_CODES.usage, `${file} cannot be read`);
    }
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch {
      throw new CliError(EXIT_CODES.usage, `${file} is neither YAML nor JSON`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new CliError(EXIT_CODES.usage, `${file} holds no create body (an object)`);
    Object.assign(body, parsed);
  }
  for (const [flag, field] of [
    ['name', 'name'],
    ['region', 'region'],
    ['kubernetes-version', 'kubernetesVersion'],
    ['ttl', 'ttl'],
    ['template', 'template'],
  ] as const) {
    const value = str(context, flag);
    if (value) body[field] = value;
  }
  if (context.options.public === true) body.endpointPublicAccess = true;
  return body;
};

const createBody = (context: CommandContext, command: string): Record<string, unknown> => {
  const body = createFields(context);
  // A template may give the region; the API says so when neither does.
  if (!body.name || (!body.region && !body.template))
    throw new CliError(
      EXIT_CODES.usage,
      `${command} needs --name and --region or --template (or a --file with them)`,
    );
  return body;
};

export { CREATE_BODY_OPTIONS, createBody, createFields, SPEC_OPTIONS };
