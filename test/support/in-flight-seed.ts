import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { type AckEmulator, startAckEmulator } from '../../emulator/ack/ack-emulator.js';
import { createAlicloudClusterApi } from '../../shared/ack/alicloud-cluster-api.js';
import type { ClusterApi } from '../../shared/ack/cluster-api.port.js';
import { createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';
import { planTransition } from '../../shared/domain/provision.js';
import { newId } from '../../shared/ids.js';
import type { Database } from '../../shared/store/schema.js';
import type { Store } from '../../shared/store/store.port.js';

/**
 * Many creations in flight, fast: one cluster made through the SDK against the ACK emulator,
 * cloned `count` times in the emulator's state file (fresh ids, names and task ids), and one
 * `provisioning` provision cloned as many times in the store with one statement per thousand
 * (jsonb_populate_record keeps every column of the template, whatever later migrations add).
 * Creations outlast the caller (an hour), so a poller tick finds every cluster as it last saw
 * it: the steady state of a tick, where the cost is reading ACK. For the poller bench and the
 * ACK-calls-per-tick test.
 */
const KEY = { accessKeyId: 'LTAI5tInFlightSeed', accessKeySecret: 'in-flight-seed-secret' };
const REGION = 'cn-hangzhou';

interface Seeded {
  ack: AckEmulator;
  clusterApi: ClusterApi;
  clusterIds: string[];
  region: string;
}

const apiFor = (ack: AckEmulator): ClusterApi =>
  createAlicloudClusterApi({ credentials: KEY, endpoint: ack.endpoint, protocol: 'http' });

const stateSchemaOf = (text: string) =>
  JSON.parse(text) as {
    version: 1;
    nextSeq: number;
    clusters: Record<string, unknown>[];
    tasks: Record<string, unknown>[];
  };

/** The emulator holding `count` creating clusters; the caller closes `ack`. */
const seedAckClusters = async (
  count: number,
  stateDir: string,
  /** The emulator's clock (default Date.now): moved past an hour, every creation has finished. */
  now?: () => number,
): Promise<Seeded> => {
  const stateFile = join(stateDir, 'ack-seed.json');
  const options = {
    ...KEY,
    createSeconds: 3600,
    askClusterQuota: count + 10,
    stateFile,
    ...(now === undefined ? {} : { now }),
  };
  const first = await startAckEmulator(options);
  try {
    await apiFor(first).createCluster({
      name: 'seed-0',
      regionId: REGION,
      serviceCidr: '172.21.0.0/20',
      zoneId: 'cn-hangzhou-j',
      endpointPublicAccess: false,
      snatEntry: true,
      clusterSpec: 'ack.standard',
      addons: [],
      tags: {},
      deletionProtection: false,
    });
  } finally {
    await first.close();
  }
  const state = stateSchemaOf(await readFile(stateFile, 'utf8'));
  const template = state.clusters[0];
  const task = state.tasks.find((t) => t.taskId === template?.createTaskId);
  if (!template || !task) throw new Error('the seed cluster was not written to the state file');
  const clusters: Record<string, unknown>[] = [];
  const tasks: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i += 1) {
    const clusterId = `c${randomBytes(16).toString('hex')}`;
    const taskId = `T-${randomBytes(12).toString('hex')}`;
    clusters.push({ ...template, clusterId, seq: i + 1, name: `seed-${i}`, createTaskId: taskId });
    tasks.push({ ...task, taskId, clusterId });
  }
  await writeFile(stateFile, JSON.stringify({ version: 1, nextSeq: count + 1, clusters, tasks }));
  const ack = await startAckEmulator(options);
  return {
    ack,
    clusterApi: apiFor(ack),
    clusterIds: clusters.map((c) => String(c.clusterId)),
    region: REGION,
  };
};

/** A tenant named `tenantName` and one `provisioning` provision of it per cluster id. */
const seedProvisioning = async (
  deps: { store: Store; db: Kysely<Database> },
  input: { tenantName: string; clusterIds: readonly string[]; region?: string },
): Promise<{ tenantId: string }> => {
  const tenantId = newId('ten');
  await deps.store.createTenant({
    id: tenantId,
    name: input.tenantName,
    webhookSecret: 'whsec_seed',
    at: new Date(),
  });
  const [firstId, ...rest] = input.clusterIds;
  if (firstId === undefined) return { tenantId };
  const region = input.region ?? REGION;
  const now = new Date();
  const templateId = newId('prv');
  const { provision } = await deps.store.createProvision({
    provision: {
      id: templateId,
      tenantId,
      name: 'seed',
      region,
      spec: createClusterRequestSchema.parse({ name: 'seed', region }),
      clusterName: `seed-${templateId.slice(-10)}`,
      labels: {},
      expiresAt: null,
      createdAt: now,
    },
    event: {
      type: 'provision.accepted',
      state: 'accepted',
      message: 'seeded',
      source: 'service',
      at: now,
    },
    job: { v: 1, kind: 'create', provisionId: templateId },
  });
  await deps.store.applyTransition({
    id: templateId,
    expectedVersion: provision.version,
    transition: planTransition(provision, 'provisioning', {
      reason: 'seed.created',
      message: `ACK is creating cluster ${firstId}`,
      now,
      patch: { clusterId: firstId, ackState: 'initial' },
    }),
  });
  for (let start = 0; start < rest.length; start += 1000) {
    const slice = rest.slice(start, start + 1000);
    const ids = slice.map(() => newId('prv'));
    await sql`
      insert into provisions
      select (jsonb_populate_record(p, jsonb_build_object(
        'id', v.id, 'name', 'seed', 'cluster_name', 'seed-' || right(v.id, 10),
        'cluster_id', v.cluster_id))).*
      from provisions p
      cross join unnest(${ids}::text[], ${[...slice]}::text[]) as v(id, cluster_id)
      where p.id = ${templateId}`.execute(deps.db);
  }
  return { tenantId };
};

export type { Seeded };
export { seedAckClusters, seedProvisioning };
