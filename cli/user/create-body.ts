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
const CREATE_BODY_OPTIONS = {
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
} as const;

const createBody = (context: CommandContext, command: string): Record<string, unknown> => {
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
  ] as const) {
    const value = str(context, flag);
    if (value) body[field] = value;
  }
  if (context.options.public === true) body.endpointPublicAccess = true;
  if (!body.name || !body.region)
    throw new CliError(
      EXIT_CODES.usage,
      `${command} needs --name and --region (or a --file with them)`,
    );
  return body;
};

export { CREATE_BODY_OPTIONS, createBody };
