import type { SharedParts } from '../shared/app/parts.js';
import { type Env, loadConfig } from '../shared/config.js';
import type { Logger } from '../shared/logger.js';
import { createMnsJobQueue } from '../shared/queue/mns-job-queue.js';
import { createFcContext } from './fc-context.js';
import { loadHandlerFactory } from './function-registry.js';
import { type HttpTriggerServer, startHttpTrigger } from './http-trigger.js';
import { startMnsTrigger } from './mns-trigger.js';
import type { Fc3Props, SYaml } from './s-yaml-schema.js';
import { startTimerTrigger } from './timer-trigger.js';

/**
 * Runs the functions of s.yaml in this process with Function Compute's calling conventions:
 * each gets its own environment (s.yaml's environmentVariables plus the credentials FC would
 * inject), its own handler instance, and is invoked by its triggers with FC's event shapes.
 */
interface FunctionHostOptions {
  sYaml: SYaml;
  /** Credentials and other values FC itself puts in a function's environment. */
  runtimeEnv: Env;
  shared: SharedParts;
  logger: Logger;
  http: { host: string; port: number };
  timerIntervalSeconds: number | undefined;
  /** Per function (s.yaml resource name): its timers' interval, over `timerIntervalSeconds`. */
  timerIntervalsByFunction?: Readonly<Record<string, number>>;
}

interface FunctionHost {
  apiUrl: string | undefined;
  stop(): Promise<void>;
}

const functionEnv = (props: Fc3Props, runtimeEnv: Env): Env => {
  const env: Record<string, string | undefined> = { ...runtimeEnv };
  for (const [name, value] of Object.entries(props.environmentVariables))
    if (value !== '') env[name] = value;
  return env;
};

const startFunctionHost = async (options: FunctionHostOptions): Promise<FunctionHost> => {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    return await startAll(options, stops);
  } catch (error) {
    // A resource that cannot start must not leave the ones before it running.
    await stopAll().catch(() => undefined);
    throw error;
  }
};

const startAll = async (
  options: FunctionHostOptions,
  stops: (() => Promise<void>)[],
): Promise<FunctionHost> => {
  let httpServer: HttpTriggerServer | undefined;
  for (const [resource, { props }] of Object.entries(options.sYaml.resources)) {
    const env = functionEnv(props, options.runtimeEnv);
    const handler = (await loadHandlerFactory(props.code))(env, options.shared);
    const log = options.logger.child({ fn: resource });
    const invoke = (event: Buffer) => handler(event, createFcContext(props, env));
    const onError = (error: unknown) => log.error('invocation failed', { error });
    for (const trigger of props.triggers) {
      if (trigger.triggerType === 'http') {
        if (httpServer)
          throw new Error('the local host serves one HTTP-triggered function; s.yaml has more');
        httpServer = await startHttpTrigger({ ...options.http, invoke, onError });
        const server = httpServer;
        stops.push(() => server.close());
      } else if (trigger.triggerType === 'eventbridge') {
        const source =
          trigger.triggerConfig.eventSourceConfig.eventSourceParameters.sourceMNSParameters;
        const config = loadConfig(env);
        const queue = createMnsJobQueue({
          ...config.mns,
          queueName: source.QueueName,
          credentials: config.credentials,
        });
        const mns = startMnsTrigger({
          queue,
          queueName: source.QueueName,
          region: props.region,
          batchSize: Math.min(
            16,
            trigger.triggerConfig.runOptions?.batchWindow?.CountBasedWindow ?? 1,
          ),
          base64Decode: source.IsBase64Decode ?? true,
          invoke,
          onError,
        });
        stops.push(() => mns.stop());
      } else if (trigger.triggerConfig.enable) {
        const timer = startTimerTrigger({
          triggerName: trigger.triggerName,
          cronExpression: trigger.triggerConfig.cronExpression,
          payload: trigger.triggerConfig.payload,
          intervalSeconds:
            options.timerIntervalsByFunction?.[resource] ?? options.timerIntervalSeconds,
          invoke,
          onError,
        });
        stops.push(() => timer.stop());
      }
      log.info('trigger started', { trigger: trigger.triggerName, type: trigger.triggerType });
    }
  }
  return {
    apiUrl: httpServer?.url,
    stop: async () => {
      for (const stop of stops.reverse()) await stop();
    },
  };
};

export type { FunctionHost, FunctionHostOptions };
export { startFunctionHost };
