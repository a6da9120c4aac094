import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { pollerTickSettings, runPollerTick } from '../shared/provisioning/run-poller-tick.js';
import { createMnsJobQueue } from '../shared/queue/mns-job-queue.js';
import { openDatabase } from '../shared/store/database.js';
import { createKyselyStore } from '../shared/store/kysely-store.js';
import { migrateToLatest } from '../shared/store/migrate.js';
import { budgetUntil } from '../shared/time-budget.js';
import { createWebhookSender } from '../shared/webhooks/webhook-sender.js';
import { seedAckClusters, seedProvisioning } from '../test/support/in-flight-seed.js';
import { StatementCounter } from '../test/support/statement-counter.js';
import { round, scratchSchema } from './support.js';

/**
 * The poller's whole tick (runPollerTick: sweep, refresh, changes, webhooks, key purge) with N
 * creations in flight, PostgreSQL and the ACK emulator through the real SDK, under the budget
 * the function has (60 s timeout less the 10 s reserve), `ASKP_POLLER_BATCH` = N. Two ticks:
 * a steady one (ACK reports every cluster as the store has it: no state writes expected), then,
 * with the emulator's clock moved past the creations' end, one where every cluster changed
 * (each becomes `running`). Statements are counted by kind (a transaction's BEGIN/COMMIT not).
 */
const TIMEOUT_SECONDS = 60;
const RESERVE_SECONDS = 10;

interface TickFigures {
  wallMs: number;
  cpuMs: number;
  statements: number;
  writes: number;
  byKind: Record<string, number>;
  examined: number;
  changed: number;
  left: number;
  leftSteps: string[];
}

const WRITE_KINDS = new Set(['Insert', 'Update', 'Delete']);

const benchPollerTick = async (
  count: number,
): Promise<{
  lines: string[];
  result: { inFlight: number; steady: TickFigures; allChanged: TickFigures };
}> => {
  let shiftMs = 0;
  const clock = () => Date.now() + shiftMs;
  const dir = await mkdtemp(join(tmpdir(), 'askp-bench-tick-'));
  const scratch = await scratchSchema();
  const seeded = await seedAckClusters(count, dir, clock);
  const opened = await openDatabase({ databaseUrl: scratch.url });
  try {
    await migrateToLatest(opened.db);
    const counter = new StatementCounter();
    const store = createKyselyStore({ db: opened.db.withPlugin(counter) });
    await seedProvisioning(
      { store, db: opened.db },
      { tenantName: 'bench', clusterIds: seeded.clusterIds },
    );
    const config = loadConfig({
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI-bench',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'bench-secret',
      // Nothing is due in the outbox during the bench: the queue is never called.
      ASKP_MNS_ENDPOINT: 'http://127.0.0.1:1',
      ASKP_MNS_ACCOUNT_ID: '1',
      ASKP_POLLER_BATCH: String(count),
    });
    const deps = {
      store,
      queue: createMnsJobQueue({
        endpoint: 'http://127.0.0.1:1',
        accountId: '1',
        queueName: 'bench',
        credentials: { accessKeyId: 'LTAI-bench', accessKeySecret: 'bench-secret' },
      }),
      clusterApi: seeded.clusterApi,
      webhookSender: createWebhookSender({ timeoutMs: 10_000, allowHttp: false, allowedCidrs: [] }),
      // The service's clock follows the emulator's, so event times stay in order.
      clock: { now: () => new Date(clock()) },
      logger: createLogger({ level: 'error', write: () => {} }),
    };
    const tick = async (): Promise<TickFigures> => {
      counter.reset();
      const cpu = process.cpuUsage();
      const started = performance.now();
      const budget = budgetUntil(Date.now() + (TIMEOUT_SECONDS - RESERVE_SECONDS) * 1000);
      const result = await runPollerTick(deps, pollerTickSettings(config), budget);
      const used = process.cpuUsage(cpu);
      const refresh = (result.steps as Record<string, unknown>).refresh as
        | { examined: number; changed: number; left: number }
        | undefined;
      const byKind = Object.fromEntries(counter.byKind);
      return {
        wallMs: round(performance.now() - started, 1),
        cpuMs: round((used.user + used.system) / 1000, 1),
        statements: counter.count,
        writes: [...counter.byKind].reduce(
          (n, [kind, c]) => n + (WRITE_KINDS.has(kind) ? c : 0),
          0,
        ),
        byKind,
        examined: refresh?.examined ?? 0,
        changed: refresh?.changed ?? 0,
        left: refresh?.left ?? 0,
        leftSteps: result.leftSteps,
      };
    };
    // A first tick records the creations' first stages (DescribeTaskInfo, ASKP_POLLER_TASK_READS).
    await tick();
    const steady = await tick();
    shiftMs = 2 * 3600 * 1000;
    const allChanged = await tick();
    const line = (label: string, f: TickFigures) =>
      `  ${label.padEnd(30)} ${f.wallMs.toFixed(0).padStart(7)} ms ${f.cpuMs.toFixed(0).padStart(6)} ms cpu  ${String(f.changed).padStart(6)} changed ${String(f.left).padStart(6)} left  ${String(f.statements).padStart(6)} statements (${f.writes} insert/update/delete)${f.leftSteps.length > 0 ? `  left: ${f.leftSteps.join(',')}` : ''}`;
    const budgetMs = (TIMEOUT_SECONDS - RESERVE_SECONDS) * 1000;
    return {
      lines: [
        `poller: the whole tick (runPollerTick) with ${count} in flight, ASKP_POLLER_BATCH=${count}, budget ${budgetMs / 1000} s (${TIMEOUT_SECONDS} s timeout less the ${RESERVE_SECONDS} s reserve)`,
        line('steady (nothing changed)', steady),
        `    by kind: ${JSON.stringify(steady.byKind)}`,
        line('every cluster changed', allChanged),
        `    by kind: ${JSON.stringify(allChanged.byKind)}`,
        `  headroom: steady ${((1 - steady.wallMs / budgetMs) * 100).toFixed(0)}% of the budget left; every cluster changed ${((1 - allChanged.wallMs / budgetMs) * 100).toFixed(0)}%`,
      ],
      result: { inFlight: count, steady, allChanged },
    };
  } finally {
    await opened.close();
    await seeded.ack.close();
    await scratch.drop();
    await rm(dir, { recursive: true, force: true });
  }
};

export { benchPollerTick };
