import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import type { Env } from '../../shared/config.js';
import type { CommandContext } from '../command.js';
import { CliError, EXIT_CODES } from '../exit-codes.js';

/**
 * Where the user commands find the API and the key, first found wins: `--url` / `--api-key`,
 * then ASKP_URL / ASKP_API_KEY, then the profile file (`askp config --save`), then, for the key
 * alone, `.data/api-key` in the current directory (what `npm start` writes), so the quick start
 * needs no set-up. The URL defaults to the local stack.
 */
const DEFAULT_URL = 'http://127.0.0.1:9000';

const profileSchema = z.object({ url: z.string().url().optional(), apiKey: z.string().optional() });
type Profile = z.output<typeof profileSchema>;

const profilePath = (env: Env): string =>
  join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'askp', 'config.json');

const readProfile = (env: Env): Profile => {
  let text: string;
  try {
    text = readFileSync(profilePath(env), 'utf8');
  } catch {
    return {};
  }
  const parsed = profileSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new CliError(EXIT_CODES.config, `the profile ${profilePath(env)} is not valid`);
  return parsed.data;
};

const readLocalKey = (): string | undefined => {
  try {
    const key = readFileSync(join('.data', 'api-key'), 'utf8').trim();
    return key === '' ? undefined : key;
  } catch {
    return undefined;
  }
};

interface Connection {
  url: string;
  apiKey: string;
  /** Where the key came from, for `askp config` (never the key itself). */
  keySource: string;
}

const text = (context: CommandContext, name: string): string | undefined => {
  const value = context.options[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

const resolveConnection = (context: CommandContext): Connection => {
  const profile = readProfile(context.env);
  const url = (
    text(context, 'url') ??
    (context.env.ASKP_URL || profile.url) ??
    DEFAULT_URL
  ).replace(/\/+$/, '');
  const candidates: [string | undefined, string][] = [
    [text(context, 'api-key'), '--api-key'],
    [context.env.ASKP_API_KEY || undefined, 'ASKP_API_KEY'],
    [profile.apiKey, profilePath(context.env)],
    [readLocalKey(), '.data/api-key'],
  ];
  const found = candidates.find(([key]) => key !== undefined);
  if (!found?.[0])
    throw new CliError(
      EXIT_CODES.config,
      'no API key: pass --api-key, set ASKP_API_KEY, or run "askp config --save --api-key …"',
    );
  return { url, apiKey: found[0], keySource: found[1] };
};

/** The options every user command takes. */
const CONNECTION_OPTIONS = {
  url: {
    type: 'string',
    value: '<url>',
    description: `the API (default ${DEFAULT_URL})`,
    env: 'ASKP_URL',
  },
  'api-key': {
    type: 'string',
    value: '<key>',
    description: 'an API key, askp_<id>_<secret>',
    env: 'ASKP_API_KEY',
  },
} as const;

export type { Connection, Profile };
export { CONNECTION_OPTIONS, DEFAULT_URL, profilePath, readProfile, resolveConnection };
