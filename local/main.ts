import { createLogger } from '../shared/logger.js';
import { loadLocalSettings } from './local-settings.js';
import { startLocalStack } from './stack.js';

/**
 * `npm start`: the whole service on this machine, with no cloud account. Prints where everything
 * listens and the admin API key; Ctrl-C stops it cleanly. State lives in ASKP_DATA_DIR (.data).
 */
const main = async (): Promise<void> => {
  const settings = loadLocalSettings(process.env);
  const logger = createLogger({
    level: process.env.ASKP_LOG_LEVEL === 'debug' ? 'debug' : 'info',
    fields: { fn: 'local' },
  });
  const stack = await startLocalStack({
    env: process.env,
    dataDir: settings.ASKP_DATA_DIR,
    apiPort: settings.PORT,
    ackPort: settings.ASKP_ACK_PORT,
    mnsPort: settings.ASKP_MNS_PORT,
    kubePort: settings.ASKP_KUBE_PORT,
    createSeconds: settings.ASKP_EMULATOR_CREATE_SECONDS,
    ...(settings.ASKP_TIMER_INTERVAL_SECONDS !== undefined
      ? { timerIntervalSeconds: settings.ASKP_TIMER_INTERVAL_SECONDS }
      : { timerIntervalsByFunction: { poller: settings.ASKP_POLLER_INTERVAL_SECONDS } }),
    logger,
  });
  process.stdout.write(
    [
      '',
      'ask-provisioner is running locally',
      `  API          ${stack.apiUrl}`,
      `  ACK emulator ${stack.ack.url}`,
      `  MNS emulator ${stack.mns.url}`,
      `  ECI emulator ${stack.eci.url} (the janitor reads pods of network "auto" clusters here)`,
      `  Kubernetes   ${stack.kube.url}/clusters/<clusterId> (kubeconfigs from the API)`,
      `  data         ${settings.ASKP_DATA_DIR}`,
      `  API key      ${stack.apiKey}   (also in ${settings.ASKP_DATA_DIR}/api-key)`,
      `  webhooks are signed with the secret in ${settings.ASKP_DATA_DIR}/webhook-secret`,
      '',
      `  curl -s -H "Authorization: Bearer $(cat ${settings.ASKP_DATA_DIR}/api-key)" ${stack.apiUrl}/healthz`,
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('stop failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
};

main().catch((error: unknown) => {
  process.stderr.write(
    `npm start failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
