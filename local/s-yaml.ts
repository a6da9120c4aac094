import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { type SYaml, sYamlSchema } from './s-yaml-schema.js';

/**
 * Reads s.yaml the way Serverless Devs does for the parts we use: `${env('NAME')}`,
 * `${env('NAME', 'default')}` and `${vars.path}`. A string that is exactly one `${vars.x}` takes
 * the variable's value whole (objects included), as `s` does.
 */
type Env = Readonly<Record<string, string | undefined>>;

const EXPRESSION = /\$\{([^}]+)\}/g;
const WHOLE = /^\$\{([^}]+)\}$/;

const evaluate = (expression: string, env: Env, vars: Record<string, unknown>): unknown => {
  const text = expression.trim();
  const call = /^env\(\s*'([^']+)'\s*(?:,\s*'([^']*)'\s*)?\)$/.exec(text);
  if (call?.[1]) {
    const value = env[call[1]];
    if (value !== undefined) return value;
    if (call[2] !== undefined) return call[2];
    throw new Error(`s.yaml: environment variable ${call[1]} is required (used as \${${text}})`);
  }
  if (text.startsWith('vars.')) {
    let value: unknown = vars;
    for (const part of text.slice(5).split('.')) {
      value =
        value !== null && typeof value === 'object'
          ? (value as Record<string, unknown>)[part]
          : undefined;
    }
    if (value === undefined) throw new Error(`s.yaml: \${${text}} is not defined`);
    return value;
  }
  throw new Error(`s.yaml: the local host does not understand \${${text}}`);
};

const resolve = (value: unknown, env: Env, vars: Record<string, unknown>): unknown => {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole?.[1]) return resolve(evaluate(whole[1], env, vars), env, vars);
    return value.replace(EXPRESSION, (_match, expression: string) =>
      String(evaluate(expression, env, vars)),
    );
  }
  if (Array.isArray(value)) return value.map((item) => resolve(item, env, vars));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, resolve(item, env, vars)]),
    );
  }
  return value;
};

const parseSYaml = (text: string, env: Env): SYaml => {
  const raw: unknown = parse(text);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new Error('s.yaml: not a YAML mapping');
  const rawVars = (raw as Record<string, unknown>).vars;
  const vars = resolve(rawVars ?? {}, env, {}) as Record<string, unknown>;
  const resolved = resolve({ ...raw, vars }, env, vars);
  const result = sYamlSchema.safeParse(resolved);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`s.yaml: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return result.data;
};

const loadSYaml = async (path: string, env: Env): Promise<SYaml> =>
  parseSYaml(await readFile(path, 'utf8'), env);

export { loadSYaml, parseSYaml };
