import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseSYaml } from '../../local/s-yaml.js';
import type { Fc3Props, SYaml } from '../../local/s-yaml-schema.js';
import { RUNTIMES } from '../../local/s-yaml-schema.js';
import { loadConfig, VARIABLES } from '../../shared/config.js';

const S_YAML_TEXT = readFileSync(new URL('../../s.yaml', import.meta.url), 'utf8');
const FC3_SCHEMA_PATH = '/work/shared/reference/data/fc3-props.schema.json';

const DEPLOY_ENV = {
  ASKP_DEPLOY_REGION: 'ap-southeast-1',
  ASKP_ACCOUNT_ID: '1234567890',
  ASKP_VPC_ID: 'vpc-askp',
  ASKP_VSWITCH_ID: 'vsw-askp-a',
  ASKP_SECURITY_GROUP_ID: 'sg-askp',
  DATABASE_URL: 'postgres://askp:pw@pgm-1.pg.rds.aliyuncs.com:5432/askp',
  ASKP_MNS_ENDPOINT: 'https://1234567890.mns.ap-southeast-1.aliyuncs.com',
  ASKP_MNS_ACCOUNT_ID: '1234567890',
  ASKP_QUEUE_NAME: 'askp-jobs-prod',
  ASKP_LOG_LEVEL: 'warn',
};

const propsOf = (sYaml: SYaml, name: string): Fc3Props => {
  const resource = sYaml.resources[name];
  if (!resource) throw new Error(`s.yaml has no resource ${name}`);
  return resource.props;
};

const errorOf = (text: string, env: Record<string, string> = {}): string => {
  try {
    parseSYaml(text, env);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('parseSYaml accepted the document');
};

const TIMER = {
  triggerName: 'tick',
  triggerType: 'timer',
  triggerConfig: { cronExpression: '@every 1m', enable: true },
};

/** A small s.yaml of our own, with one fc3 function; `props` and `top` replace parts of it. */
const fixture = (props: Record<string, unknown> = {}, top: Record<string, unknown> = {}): string =>
  stringify({
    edition: '3.0.0',
    name: 'fixture',
    ...top,
    resources: {
      fn: {
        component: 'fc3',
        props: {
          region: 'cn-hangzhou',
          functionName: 'fixture-fn',
          runtime: 'nodejs20',
          code: './dist/fn',
          handler: 'index.handler',
          memorySize: 512,
          timeout: 30,
          environmentVariables: {},
          triggers: [TIMER],
          ...props,
        },
      },
    },
  });

describe('parseSYaml on the repository s.yaml', () => {
  it('parses with an environment that sets nothing', () => {
    expect(() => parseSYaml(S_YAML_TEXT, {})).not.toThrow();
  });

  it('declares exactly the functions api, worker, poller and janitor', () => {
    const sYaml = parseSYaml(S_YAML_TEXT, {});
    expect(Object.keys(sYaml.resources).sort()).toEqual(['api', 'janitor', 'poller', 'worker']);
    expect(sYaml.edition).toBe('3.0.0');
  });

  it.each(['api', 'worker', 'poller', 'janitor'])(
    'builds %s for nodejs20 from ./dist/<name> with handler index.handler',
    (name) => {
      const props = propsOf(parseSYaml(S_YAML_TEXT, {}), name);
      expect(props.runtime).toBe('nodejs20');
      expect(props.code).toBe(`./dist/${name}`);
      expect(props.handler).toBe('index.handler');
      expect(props.functionName).toBe(`askp-${name}`);
    },
  );

  it('gives api an HTTP trigger', () => {
    const [trigger, ...others] = propsOf(parseSYaml(S_YAML_TEXT, {}), 'api').triggers;
    expect(others).toHaveLength(0);
    expect(trigger?.triggerType).toBe('http');
    if (trigger?.triggerType === 'http') {
      expect(trigger.triggerConfig.methods).toEqual(
        expect.arrayContaining(['GET', 'POST', 'PATCH', 'DELETE']),
      );
    }
  });

  it('gives worker an EventBridge trigger whose source is the MNS queue', () => {
    const [trigger, ...others] = propsOf(parseSYaml(S_YAML_TEXT, {}), 'worker').triggers;
    expect(others).toHaveLength(0);
    expect(trigger?.triggerType).toBe('eventbridge');
    if (trigger?.triggerType === 'eventbridge') {
      const source = trigger.triggerConfig.eventSourceConfig;
      expect(source.eventSourceType).toBe('MNS');
      expect(source.eventSourceParameters.sourceMNSParameters.QueueName).toBe('provision-jobs');
      // The worker decodes the base64 job itself (shared/queue/job-codec.ts).
      expect(source.eventSourceParameters.sourceMNSParameters.IsBase64Decode).toBe(false);
    }
  });

  it('gives poller an enabled timer trigger', () => {
    const [trigger, ...others] = propsOf(parseSYaml(S_YAML_TEXT, {}), 'poller').triggers;
    expect(others).toHaveLength(0);
    expect(trigger?.triggerType).toBe('timer');
    if (trigger?.triggerType === 'timer') expect(trigger.triggerConfig.enable).toBe(true);
  });

  it('gives janitor an enabled timer trigger every 15 minutes, and a lease shorter than a run', () => {
    const props = propsOf(parseSYaml(S_YAML_TEXT, {}), 'janitor');
    const [trigger, ...others] = props.triggers;
    expect(others).toHaveLength(0);
    expect(trigger?.triggerType).toBe('timer');
    if (trigger?.triggerType === 'timer') {
      expect(trigger.triggerConfig.enable).toBe(true);
      expect(trigger.triggerConfig.cronExpression).toBe('@every 15m');
    }
    const config = loadConfig({
      ...props.environmentVariables,
      ...DEPLOY_ENV,
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.id',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'sts-secret',
    });
    // A live run renews its lease by heartbeat for as long as it runs; a killed run blocks the
    // next for one lease, which must be far less than a whole run may take.
    expect(config.janitor.leaseSeconds).toBeLessThan(props.timeout ?? Number.POSITIVE_INFINITY);
  });

  it('uses the defaults when nothing is set', () => {
    const sYaml = parseSYaml(S_YAML_TEXT, {});
    for (const name of ['api', 'worker', 'poller', 'janitor']) {
      const props = propsOf(sYaml, name);
      expect(props.region).toBe('cn-hangzhou');
      expect(props.environmentVariables.ASKP_QUEUE_NAME).toBe('provision-jobs');
      expect(props.environmentVariables.ASKP_LOG_LEVEL).toBe('info');
    }
  });

  it('takes the values from the environment when they are set', () => {
    const sYaml = parseSYaml(S_YAML_TEXT, DEPLOY_ENV);
    for (const name of ['api', 'worker', 'poller', 'janitor']) {
      const props = propsOf(sYaml, name);
      expect(props.region).toBe('ap-southeast-1');
      expect(props.role).toBe(`acs:ram::1234567890:role/askp-${name}`);
      expect(props.environmentVariables).toMatchObject({
        DATABASE_URL: DEPLOY_ENV.DATABASE_URL,
        ASKP_MNS_ENDPOINT: DEPLOY_ENV.ASKP_MNS_ENDPOINT,
        ASKP_MNS_ACCOUNT_ID: '1234567890',
        ASKP_QUEUE_NAME: 'askp-jobs-prod',
        ASKP_LOG_LEVEL: 'warn',
      });
    }
    const [trigger] = propsOf(sYaml, 'worker').triggers;
    if (trigger?.triggerType !== 'eventbridge') throw new Error('worker lost its trigger');
    expect(
      trigger.triggerConfig.eventSourceConfig.eventSourceParameters.sourceMNSParameters.QueueName,
    ).toBe('askp-jobs-prod');
  });

  it('passes the functions only variables that shared/config.ts knows', () => {
    const known = new Set(Object.keys(VARIABLES));
    for (const name of ['api', 'worker', 'poller', 'janitor']) {
      for (const variable of Object.keys(
        propsOf(parseSYaml(S_YAML_TEXT, {}), name).environmentVariables,
      )) {
        expect(known.has(variable), `${name}: ${variable}`).toBe(true);
      }
    }
  });

  it('gives the functions an environment that loadConfig accepts once deploy values are set', () => {
    const sYaml = parseSYaml(S_YAML_TEXT, DEPLOY_ENV);
    for (const name of ['api', 'worker', 'poller', 'janitor']) {
      const config = loadConfig({
        ...propsOf(sYaml, name).environmentVariables,
        // Function Compute supplies the role's STS credentials at run time.
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.id',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'sts-secret',
        ALIBABA_CLOUD_SECURITY_TOKEN: 'sts-token',
      });
      expect(config.mns.queueName).toBe('askp-jobs-prod');
      expect(config.logLevel).toBe('warn');
    }
  });
});

describe('parseSYaml expressions', () => {
  it(`uses the default of \${env('X', 'd')} when X is unset, and X when set`, () => {
    const text = fixture({ region: `\${env('REGION', 'cn-shanghai')}` });
    expect(propsOf(parseSYaml(text, {}), 'fn').region).toBe('cn-shanghai');
    expect(propsOf(parseSYaml(text, { REGION: 'cn-beijing' }), 'fn').region).toBe('cn-beijing');
  });

  it('accepts an empty default and double spaces inside the call', () => {
    const text = fixture({ role: `\${ env( 'ROLE' ,  '' ) }` });
    expect(propsOf(parseSYaml(text, {}), 'fn').role).toBe('');
  });

  it('substitutes expressions inside a longer string', () => {
    const text = fixture(
      { description: `askp in \${env('REGION', 'cn-hangzhou')} (\${vars.stage})` },
      {
        vars: { stage: 'dev' },
      },
    );
    expect(propsOf(parseSYaml(text, {}), 'fn').description).toBe('askp in cn-hangzhou (dev)');
  });

  it(`replaces a string that is exactly \${vars.x} by the whole value, objects included`, () => {
    const text = fixture(
      { environmentVariables: `\${vars.environment}`, region: `\${vars.place.region}` },
      {
        vars: {
          place: { region: 'cn-shenzhen' },
          environment: { ASKP_LOG_LEVEL: `\${env('LEVEL', 'debug')}`, ASKP_QUEUE_NAME: 'q' },
        },
      },
    );
    const props = propsOf(parseSYaml(text, {}), 'fn');
    expect(props.environmentVariables).toEqual({ ASKP_LOG_LEVEL: 'debug', ASKP_QUEUE_NAME: 'q' });
    expect(props.region).toBe('cn-shenzhen');
  });

  it(`keeps non-string values of \${vars.x} as they are`, () => {
    const text = fixture({ memorySize: `\${vars.memory}` }, { vars: { memory: 1024 } });
    expect(propsOf(parseSYaml(text, {}), 'fn').memorySize).toBe(1024);
  });

  it.each([`\${foo.bar}`, `\${env(REGION)}`, `\${config("x")}`])(
    'rejects the unknown expression %s, naming it',
    (expression) => {
      const message = errorOf(fixture({ description: expression }));
      expect(message).toContain(expression);
      expect(message).toContain('does not understand');
    },
  );

  it('rejects a missing required environment variable, naming it', () => {
    const message = errorOf(fixture({ region: `\${env('ASKP_NOT_SET')}` }));
    expect(message).toContain('ASKP_NOT_SET');
    expect(message).toContain('required');
    expect(
      parseSYaml(fixture({ region: `\${env('ASKP_NOT_SET')}` }), { ASKP_NOT_SET: 'cn-beijing' }),
    ).toBeDefined();
  });

  it(`rejects an undefined \${vars.x}, naming it`, () => {
    const message = errorOf(fixture({ region: `\${vars.nowhere.region}` }, { vars: { other: 1 } }));
    expect(message).toContain('vars.nowhere.region');
  });

  it('rejects a document that is not a mapping', () => {
    expect(errorOf('- a\n- b\n')).toContain('s.yaml');
    expect(errorOf('just text')).toContain('not a YAML mapping');
  });
});

describe('parseSYaml schema checks name the path', () => {
  const PROPS = 'resources.fn.props';

  it('accepts the fixture as it is', () => {
    expect(propsOf(parseSYaml(fixture(), {}), 'fn').functionName).toBe('fixture-fn');
  });

  it.each([
    ['memorySize 100 (below 128)', { memorySize: 100 }, `${PROPS}.memorySize`],
    ['memorySize 130 (not a multiple of 64)', { memorySize: 130 }, `${PROPS}.memorySize`],
    ['memorySize 32832 (above 32768)', { memorySize: 32_832 }, `${PROPS}.memorySize`],
    ['timeout 0', { timeout: 0 }, `${PROPS}.timeout`],
    ['timeout 86401', { timeout: 86_401 }, `${PROPS}.timeout`],
    ['runtime nodejs99', { runtime: 'nodejs99' }, `${PROPS}.runtime`],
    [
      'a numeric env var value',
      { environmentVariables: { PORT: 9000 } },
      `${PROPS}.environmentVariables.PORT`,
    ],
    [
      'an FC_ env var',
      { environmentVariables: { FC_REGION: 'x' } },
      `${PROPS}.environmentVariables.FC_REGION`,
    ],
    ['a bad handler', { handler: 'index' }, `${PROPS}.handler`],
    ['an unknown field', { memory: 512 }, PROPS],
    ['no triggers', { triggers: [] }, `${PROPS}.triggers`],
    [
      'a bad cronExpression',
      { triggers: [{ ...TIMER, triggerConfig: { cronExpression: '* * * * *', enable: true } }] },
      `${PROPS}.triggers.0.triggerConfig.cronExpression`,
    ],
    [
      'an unknown trigger type',
      { triggers: [{ ...TIMER, triggerType: 'cron' }] },
      `${PROPS}.triggers.0.triggerType`,
    ],
  ])('rejects %s', (_why, props, path) => {
    const message = errorOf(fixture(props));
    expect(message.startsWith(`s.yaml: ${path}:`), message).toBe(true);
  });

  it('rejects a component other than fc3', () => {
    const text = fixture().replace('component: fc3', 'component: fc');
    expect(errorOf(text)).toContain('resources.fn.component');
  });

  it('accepts the cron forms FC documents', () => {
    for (const cronExpression of [
      '@every 5m',
      '@every 2h',
      '0 */5 * * * *',
      'CRON_TZ=Asia/Shanghai 0 0 8 * * *',
    ]) {
      const text = fixture({
        triggers: [{ ...TIMER, triggerConfig: { cronExpression, enable: true } }],
      });
      expect(() => parseSYaml(text, {}), cronExpression).not.toThrow();
    }
  });
});

// ---- Cross-check against the fc3 component's own JSON Schema (read at test time, not copied) ----

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const objectAt = (value: unknown, ...path: string[]): JsonObject => {
  let current: unknown = value;
  for (const key of path) current = isObject(current) ? current[key] : undefined;
  if (!isObject(current)) throw new Error(`fc3 schema: no object at ${path.join('.')}`);
  return current;
};

const stringsAt = (value: unknown, ...path: string[]): string[] => {
  const parent = objectAt(value, ...path.slice(0, -1));
  const list = parent[path[path.length - 1] ?? ''];
  if (!Array.isArray(list)) throw new Error(`fc3 schema: no list at ${path.join('.')}`);
  return list.map(String);
};

/** Follows `$ref: #/definitions/X` once. */
const deref = (schema: JsonObject, node: JsonObject): JsonObject => {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  const name = ref.replace('#/definitions/', '');
  return objectAt(schema, 'definitions', name);
};

/** `required`, plus the `if / then / else` chain on `properties.<x>.enum|pattern` the schema uses. */
const requiredFor = (node: JsonObject, props: JsonObject): string[] => {
  const required = Array.isArray(node.required) ? node.required.map(String) : [];
  if (!isObject(node.if)) return required;
  const conditions = isObject(node.if.properties) ? node.if.properties : {};
  const holds = Object.entries(conditions).every(([key, condition]) => {
    if (!isObject(condition)) return true;
    const value = props[key];
    if (Array.isArray(condition.enum) && !condition.enum.includes(value)) return false;
    if (typeof condition.pattern === 'string') {
      return typeof value === 'string' && new RegExp(condition.pattern).test(value);
    }
    return true;
  });
  const branch = holds ? node.then : node.else;
  return [...required, ...(isObject(branch) ? requiredFor(branch, props) : [])];
};

/** The parts of the fc3 props schema this project relies on, checked by hand. */
const fc3SchemaProblems = (schema: JsonObject, name: string, props: JsonObject): string[] => {
  const problems: string[] = [];
  const fail = (text: string) => problems.push(`${name}: ${text}`);
  const properties = objectAt(schema, 'properties');

  for (const key of requiredFor(schema, props)) {
    if (props[key] === undefined) fail(`required field ${key} is missing`);
  }
  for (const key of Object.keys(props)) {
    if (!(key in properties)) fail(`field ${key} is not in the fc3 schema`);
  }

  const runtimes = stringsAt(schema, 'definitions', 'IRuntime', 'enum');
  if (!runtimes.includes(String(props.runtime)))
    fail(`runtime ${String(props.runtime)} is not in IRuntime`);
  const regions = stringsAt(schema, 'definitions', 'IRegion', 'enum');
  if (!regions.includes(String(props.region)))
    fail(`region ${String(props.region)} is not in IRegion`);

  for (const field of ['memorySize', 'timeout']) {
    const rule = objectAt(properties, field);
    const value = props[field];
    if (typeof value !== 'number') {
      fail(`${field} is not a number`);
      continue;
    }
    if (rule.type === 'integer' && !Number.isInteger(value))
      fail(`${field} ${value} is not an integer`);
    if (typeof rule.minimum === 'number' && value < rule.minimum)
      fail(`${field} ${value} < ${rule.minimum}`);
    if (typeof rule.maximum === 'number' && value > rule.maximum)
      fail(`${field} ${value} > ${rule.maximum}`);
    if (typeof rule.multipleOf === 'number' && value % rule.multipleOf !== 0) {
      fail(`${field} ${value} is not a multiple of ${rule.multipleOf}`);
    }
  }

  const env = props.environmentVariables;
  if (env !== undefined) {
    const kv = deref(schema, objectAt(properties, 'environmentVariables'));
    if (kv.type === 'object' && !isObject(env)) fail('environmentVariables is not an object');
    for (const [key, value] of Object.entries(isObject(env) ? env : {})) {
      if (typeof value !== 'string') fail(`environmentVariables.${key} is not a string`);
    }
  }

  const triggerDef = objectAt(schema, 'definitions', 'ITrigger');
  const triggerTypes = stringsAt(schema, 'definitions', 'ITriggerType', 'enum');
  const configDefs: Record<string, string> = {
    http: 'IHttpTriggerConfig',
    timer: 'ITimerTriggerConfig',
    eventbridge: 'IEventBridge',
  };
  const triggers = Array.isArray(props.triggers) ? props.triggers : [];
  triggers.forEach((trigger: unknown, index) => {
    const at = `triggers.${index}`;
    if (!isObject(trigger)) {
      fail(`${at} is not an object`);
      return;
    }
    for (const key of requiredFor(triggerDef, trigger)) {
      if (trigger[key] === undefined) fail(`${at}.${key} is missing`);
    }
    const triggerProps = objectAt(triggerDef, 'properties');
    for (const key of Object.keys(trigger)) {
      if (!(key in triggerProps)) fail(`${at}.${key} is not in ITrigger`);
    }
    const type = String(trigger.triggerType);
    if (!triggerTypes.includes(type)) fail(`${at}.triggerType ${type} is not in ITriggerType`);
    const defName = configDefs[type];
    if (!defName) {
      fail(`${at}: no cross-check written for trigger type ${type}`);
      return;
    }
    const configDef = objectAt(schema, 'definitions', defName);
    const config = isObject(trigger.triggerConfig) ? trigger.triggerConfig : {};
    for (const key of requiredFor(configDef, config)) {
      if (config[key] === undefined) fail(`${at}.triggerConfig.${key} is missing (${defName})`);
    }
    const configProps = objectAt(configDef, 'properties');
    for (const [key, value] of Object.entries(config)) {
      const rule = configProps[key];
      if (!isObject(rule)) {
        fail(`${at}.triggerConfig.${key} is not in ${defName}`);
        continue;
      }
      if (Array.isArray(rule.enum) && !rule.enum.includes(value)) {
        fail(`${at}.triggerConfig.${key} ${String(value)} is not in its enum`);
      }
      if (rule.type === 'boolean' && typeof value !== 'boolean')
        fail(`${at}.triggerConfig.${key} is not a boolean`);
      if (rule.type === 'string' && typeof value !== 'string')
        fail(`${at}.triggerConfig.${key} is not a string`);
      const items = rule.items;
      if (Array.isArray(value) && isObject(items) && Array.isArray(items.enum)) {
        for (const item of value) {
          if (!items.enum.includes(item))
            fail(`${at}.triggerConfig.${key} has ${String(item)}, not in its enum`);
        }
      }
    }
  });
  return problems;
};

/** Reads the schema, or explains why the cross-check cannot run. */
const readFc3Schema = (): JsonObject | undefined => {
  if (!existsSync(FC3_SCHEMA_PATH)) {
    console.log(`fc3 schema cross-check not run: ${FC3_SCHEMA_PATH} is absent`);
    return undefined;
  }
  const parsed: unknown = JSON.parse(readFileSync(FC3_SCHEMA_PATH, 'utf8'));
  if (!isObject(parsed)) throw new Error(`${FC3_SCHEMA_PATH} is not a JSON object`);
  return parsed;
};

describe('the repository s.yaml against the fc3 component JSON Schema', () => {
  it.each([
    ['nothing set', {}],
    ['deploy values set', DEPLOY_ENV],
  ])('satisfies the parts of the fc3 props schema we rely on, with %s', (_label, env) => {
    const schema = readFc3Schema();
    if (!schema) return;
    const sYaml = parseSYaml(S_YAML_TEXT, env);
    const problems = Object.entries(sYaml.resources).flatMap(([name, resource]) =>
      fc3SchemaProblems(schema, name, resource.props as unknown as JsonObject),
    );
    expect(problems).toEqual([]);
  });

  it('offers only runtimes the fc3 component knows', () => {
    const schema = readFc3Schema();
    if (!schema) return;
    const known = stringsAt(schema, 'definitions', 'IRuntime', 'enum');
    for (const runtime of RUNTIMES) expect(known, runtime).toContain(runtime);
  });

  it('detects a violation when there is one (the cross-check is not vacuous)', () => {
    const schema = readFc3Schema();
    if (!schema) return;
    const props = propsOf(parseSYaml(S_YAML_TEXT, {}), 'poller') as unknown as JsonObject;
    const broken: JsonObject = { ...props, memorySize: 100, runtime: 'nodejs99' };
    delete broken.handler;
    const problems = fc3SchemaProblems(schema, 'poller', broken);
    expect(problems.some((problem) => problem.includes('memorySize'))).toBe(true);
    expect(problems.some((problem) => problem.includes('runtime'))).toBe(true);
    expect(problems.some((problem) => problem.includes('handler'))).toBe(true);
  });
});
