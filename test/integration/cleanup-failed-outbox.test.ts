import { describe, expect, it } from 'vitest';
import type { ClusterApi } from '../../shared/ack/cluster-api.port.js';
import { createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';
import { planTransition } from '../../shared/domain/provision.js';
import { newId } from '../../shared/ids.js';
import { createLogger } from '../../shared/logger.js';
import { refreshClusters } from '../../shared/provisioning/refresh-clusters.js';
import { sweepOutbox } from '../../shared/provisioning/sweep-outbox.js';
import { decodeJob } from '../../shared/queue/job-codec.js';
import { createMnsJobQueue } from '../../shared/queue/mns-job-queue.js';
import { openDatabase } from '../../shared/store/database.js';
import { createKyselyStore } from '../../shared/store/kysely-store.js';
import { migrateToLatest } from '../../shared/store/migrate.js';
import type { Store } from '../../shared/store/store.port.js';
import type { TestClock } from '../support/emulator-harness.js';
import { clusterInput, REGION, startHarness } from './ack-harness.js';
import { ACCOUNT, KEY, QUEUE, startMnsHarness } from './mns-harness.js';

/**
 * The poller's clean-up of a failed creation starts the deletion the way every deletion starts:
 * `deleting` and the delete job's outbox entry in one transaction. So a send that is lost (here:
 * the real MNS SDK against a queue that does not exist) is re-sent by the outbox sweep after
 * its 30 seconds, not after the 5-minute rule for provisions stuck in `deleting`.
 * Real ACK SDK against the ACK emulator, real MNS SDK against the MNS emulator, PGlite store.
 */

const RESEND_AFTER_SECONDS = 30;
const STUCK_AFTER_SECONDS = 300;

const openStore = async (): Promise<Store> => {
  const opened = await openDatabase({ databaseUrl: 'pglite://memory' });
  await migrateToLatest(opened.db);
  return createKyselyStore({ db: opened.db, close: opened.close });
};

/** A provision handed to ACK under a name the emulator dooms to fail. */
const doomedProvision = async (store: Store, api: ClusterApi, clock: TestClock) => {
  const id = newId('prv');
  const now = new Date(clock.now());
  const { provision, outboxId } = await store.createProvision({
    provision: {
      id,
      tenantId: 'ten_cleanup',
      name: 'doomed',
      region: REGION,
      spec: createClusterRequestSchema.parse({ name: 'doomed', region: REGION }),
      clusterName: `doomed-${id.slice(-10)}`,
      labels: {},
      expiresAt: null,
      createdAt: now,
    },
    event: { type: 'accepted', state: 'accepted', message: 'accepted', source: 'service', at: now },
    job: { v: 1, kind: 'create', provisionId: id },
  });
  // The worker got its create job: only the deletion's job is owed from here on.
  await store.markOutboxSent({ id: outboxId, at: now });
  const created = await api.createCluster(
    clusterInput({ name: provision.clusterName, tags: { 'askp.provision-id': id } }),
  );
  const moved = await store.applyTransition({
    id,
    expectedVersion: provision.version,
    transition: planTransition(provision, 'provisioning', {
      reason: 'worker.cluster_created',
      message: 'created',
      now,
      patch: { clusterId: created.clusterId, taskId: created.taskId, ackState: 'initial' },
    }),
  });
  if (!moved) throw new Error('the transition to provisioning lost its compare-and-set');
  return moved;
};

describe('cleaning up a failed creation', () => {
  it('writes the delete job to the outbox with the move to deleting, so the 30-second re-send recovers a lost send', async () => {
    const { api, clock } = await startHarness({ createSeconds: 30, failNamePattern: /^doomed-/ });
    const { emulator: mns } = await startMnsHarness({}, clock);
    const queueOptions = { endpoint: mns.url, accountId: ACCOUNT, credentials: KEY };
    const lostQueue = createMnsJobQueue({ ...queueOptions, queueName: 'no-such-queue' });
    const queue = createMnsJobQueue({ ...queueOptions, queueName: QUEUE });
    const store = await openStore();
    const deps = {
      store,
      clusterApi: api,
      clock: { now: () => new Date(clock.now()) },
      logger: createLogger({ level: 'error' }),
    };
    const provision = await doomedProvision(store, api, clock);

    clock.advanceSeconds(60); // the creation has failed in ACK
    await refreshClusters(
      { ...deps, cleanupFailed: { queue: lostQueue } },
      { batch: 100, taskReads: 10 },
    );

    const failedAt = clock.now();
    expect(await store.getProvision({ id: provision.id })).toMatchObject({ state: 'deleting' });
    const owed = await store.listUnsentOutbox({ before: new Date(failedAt + 1), limit: 10 });
    expect(owed).toEqual([
      expect.objectContaining({
        provisionId: provision.id,
        kind: 'delete',
        body: { v: 1, kind: 'delete', provisionId: provision.id },
        sentAt: null,
      }),
    ]);
    expect(mns.peekAll(QUEUE)).toEqual([]);

    const sweep = () =>
      sweepOutbox(
        { ...deps, queue },
        {
          resendAfterSeconds: RESEND_AFTER_SECONDS,
          stuckAfterSeconds: STUCK_AFTER_SECONDS,
          limit: 10,
        },
      );
    clock.advanceSeconds(RESEND_AFTER_SECONDS - 1);
    expect(await sweep()).toEqual({ resent: 0, failed: 0, stuckResent: 0 });
    clock.advanceSeconds(2); // 31 s after the lost send, long before the 5-minute stuck rule
    expect(await sweep()).toEqual({ resent: 1, failed: 0, stuckResent: 0 });

    const [message, ...others] = await queue.receive({ max: 16, waitSeconds: 0 });
    expect(others).toEqual([]);
    expect(message && decodeJob(message.body)).toEqual({
      v: 1,
      kind: 'delete',
      provisionId: provision.id,
    });
    expect(await store.listUnsentOutbox({ before: new Date(clock.now()), limit: 10 })).toEqual([]);
  });
});
