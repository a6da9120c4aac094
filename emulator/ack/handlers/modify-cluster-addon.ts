import { refuseUnlessReadyForChange } from '../change-tasks.js';
import { checkConfig, existingCluster, installedAddon } from '../cluster-addons.js';
import { ackErrors } from '../errors.js';
import { isRecord, requiredString } from '../validators.js';
import type { AckHandler } from './handler.js';

/**
 * ModifyClusterAddon `POST /clusters/{cluster_id}/components/{component_id}/config` with
 * `{config}`: replaces an installed addon's config. The SDK reads no answer body (`bodyType:
 * "none"`, ModifyClusterAddonResponse has only headers and status): ACK gives no task to follow.
 * The emulator applies the config in the call (UNVERIFIED: ACK may apply it in the background,
 * ListClusterAddonInstances then saying `updating`) and answers an empty 200.
 *
 * Refused like a change task: a cluster not running or busy with a change task (ErrorClusterState),
 * an addon not installed and a config that is not a JSON object (InvalidParameter, UNVERIFIED).
 */
const modifyClusterAddon: AckHandler = (request, context) => {
  const cluster = existingCluster(context, request.params.ClusterId ?? '');
  const name = request.params.ComponentId ?? '';
  const body = request.body ?? {};
  if (!isRecord(body)) throw ackErrors.invalidParameter('The request body must be a JSON object.');
  const config = requiredString(body, 'config');
  const addon = installedAddon(cluster, name);
  checkConfig(name, config);
  refuseUnlessReadyForChange(context, cluster, context.now());
  context.store.save({
    clusters: [
      {
        ...cluster,
        addons: cluster.addons.map((entry) => (entry === addon ? { ...entry, config } : entry)),
      },
    ],
  });
  return { status: 200, body: {} };
};

export { modifyClusterAddon };
