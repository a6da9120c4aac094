import * as z from 'zod';

/**
 * The rules of the `fc3` component's props that this project uses, written from the component's
 * JSON Schema (devsapp/fc3 src/schema.json) and the FC 3.0 API docs. The component itself only
 * logs schema problems (FC rejects them at deploy time), so our tests check them before that.
 */
const RUNTIMES = [
  'nodejs16',
  'nodejs18',
  'nodejs20',
  'custom.debian10',
  'custom.debian11',
  'custom.debian12',
] as const;
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS'] as const;
const ENV_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

const httpTrigger = z
  .object({
    triggerName: z.string().min(1),
    triggerType: z.literal('http'),
    qualifier: z.string().optional(),
    triggerConfig: z
      .object({
        authType: z.enum(['anonymous', 'function', 'jwt']),
        disableURLInternet: z.boolean().optional(),
        methods: z.array(z.enum(HTTP_METHODS)).min(1),
      })
      .strict(),
  })
  .strict();

const timerTrigger = z
  .object({
    triggerName: z.string().min(1),
    triggerType: z.literal('timer'),
    qualifier: z.string().optional(),
    triggerConfig: z
      .object({
        // `@every 1m` / `@every 2h`, or six fields (seconds first), UTC unless CRON_TZ= is given.
        cronExpression: z
          .string()
          .regex(
            /^(@every \d+[mh]|(CRON_TZ=\S+ )?(\S+ ){5}\S+)$/,
            'cronExpression is "@every <n>m|h" or six cron fields',
          ),
        enable: z.boolean(),
        payload: z
          .string()
          .max(128 * 1024)
          .optional(),
      })
      .strict(),
  })
  .strict();

const mnsEventBridgeTrigger = z
  .object({
    triggerName: z.string().min(1),
    triggerType: z.literal('eventbridge'),
    qualifier: z.string().optional(),
    triggerConfig: z
      .object({
        triggerEnable: z.boolean(),
        asyncInvocationType: z.boolean(),
        eventRuleFilterPattern: z.string(),
        eventSourceConfig: z.object({
          eventSourceType: z.literal('MNS'),
          eventSourceParameters: z.object({
            sourceMNSParameters: z
              .object({
                QueueName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,119}$/),
                IsBase64Decode: z.boolean().optional(),
                RegionId: z.string().optional(),
              })
              .strict(),
          }),
        }),
        eventSinkConfig: z
          .object({ deliveryOption: z.object({ eventSchema: z.enum(['CloudEvents', 'RawData']) }) })
          .optional(),
        runOptions: z
          .object({
            mode: z.enum(['event-streaming', 'event-driven']),
            batchWindow: z
              .object({
                CountBasedWindow: z.number().int().min(1).max(10_000),
                TimeBasedWindow: z.number().int().min(0).max(15),
              })
              .optional(),
            retryStrategy: z
              .object({ PushRetryStrategy: z.enum(['BACKOFF_RETRY', 'EXPONENTIAL_DECAY_RETRY']) })
              .optional(),
            errorsTolerance: z.enum(['ALL', 'NONE']).optional(),
            /** Where EventBridge puts an event it gave up on (RunOptions.deadLetterQueue.Arn). */
            deadLetterQueue: z
              .object({
                Arn: z
                  .string()
                  .regex(
                    /^acs:mns:[a-z0-9-]+:\d*:\/queues\/[A-Za-z0-9][A-Za-z0-9-]{0,119}$/,
                    'deadLetterQueue.Arn is acs:mns:<region>:<account id>:/queues/<queue>',
                  ),
              })
              .strict()
              .optional(),
          })
          .optional(),
      })
      .strict(),
  })
  .strict();

const triggerSchema = z.discriminatedUnion('triggerType', [
  httpTrigger,
  timerTrigger,
  mnsEventBridgeTrigger,
]);

const fc3PropsSchema = z
  .object({
    region: z.string().regex(/^[a-z]{2}(-[a-z0-9]+){1,3}$/),
    functionName: z
      .string()
      .regex(
        /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/,
        'functionName: letters, digits, _ and -, 64 at most',
      ),
    description: z.string().max(256).optional(),
    runtime: z.enum(RUNTIMES),
    code: z.string().min(1),
    handler: z.string().regex(/^[\w.-]+\.\w+$/, 'handler is file.export, e.g. index.handler'),
    memorySize: z
      .number()
      .int()
      .min(128)
      .max(32_768)
      .refine((n) => n % 64 === 0, 'memorySize is a multiple of 64'),
    timeout: z.number().int().min(1).max(86_400),
    internetAccess: z.boolean().optional(),
    role: z.string().optional(),
    // One VPC, its vSwitches and a security group, or `auto` (fc3's IVpcConfig).
    vpcConfig: z
      .union([
        z.literal('auto'),
        z
          .object({
            vpcId: z.string(),
            vSwitchIds: z.union([z.array(z.string()).min(1), z.literal('auto')]),
            securityGroupId: z.string(),
          })
          .strict(),
      ])
      .optional(),
    // An SLS project and logstore, or `auto` (fc3's ILogConfig).
    logConfig: z
      .union([
        z.literal('auto'),
        z
          .object({
            project: z.string().min(1),
            logstore: z.string().min(1),
            enableRequestMetrics: z.boolean().optional(),
            enableInstanceMetrics: z.boolean().optional(),
            enableLlmMetrics: z.boolean().optional(),
            logBeginRule: z.enum(['DefaultRegex', 'None']).optional(),
          })
          .strict(),
      ])
      .optional(),
    // FC's limit: names are letters/digits/_, values strings, 4 KB in all; FC_* is reserved.
    environmentVariables: z
      .record(
        z
          .string()
          .regex(ENV_NAME)
          .refine((name) => !name.startsWith('FC_'), 'FC_* names are reserved'),
        z.string(),
      )
      .refine(
        (vars) => JSON.stringify(vars).length <= 4096,
        'environmentVariables are at most 4 KB',
      ),
    triggers: z.array(triggerSchema).min(1),
  })
  .strict();

const sYamlSchema = z
  .object({
    edition: z.literal('3.0.0'),
    name: z.string().min(1),
    access: z.string().optional(),
    vars: z.record(z.string(), z.unknown()).optional(),
    actions: z.record(z.string(), z.unknown()).optional(),
    resources: z.record(
      z.string(),
      z.object({ component: z.literal('fc3'), props: fc3PropsSchema }).strict(),
    ),
  })
  .strict();

type Fc3Props = z.infer<typeof fc3PropsSchema>;
type Fc3Trigger = z.infer<typeof triggerSchema>;
type SYaml = z.infer<typeof sYamlSchema>;

export type { Fc3Props, Fc3Trigger, SYaml };
export { fc3PropsSchema, RUNTIMES, sYamlSchema };
