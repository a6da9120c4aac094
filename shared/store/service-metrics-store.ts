import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from './schema.js';
import type { ServiceMetricsSnapshot, ServiceMetricsStore } from './service-metrics.port.js';

/** bigint and numeric come back as strings from `pg`; every count is read through this. */
const num = (value: unknown): number => {
  const parsed = typeof value === 'number' ? value : Number(value ?? 0);
  return Number.isFinite(parsed) ? parsed : 0;
};

const ageSeconds = (now: Date, oldest: unknown): number => {
  if (oldest === null || oldest === undefined) return 0;
  const at = oldest instanceof Date ? oldest : new Date(String(oldest));
  return Number.isNaN(at.getTime()) ? 0 : Math.max(0, (now.getTime() - at.getTime()) / 1000);
};

const createServiceMetricsStore = (db: Kysely<Database>): ServiceMetricsStore => ({
  addAckCalls: async (counts) => {
    if (counts.length === 0) return;
    const rows = counts.map(
      ({ action, code, calls }) => sql`(${action}, ${code}, ${calls}::bigint)`,
    );
    await sql`insert into ack_call_counts (action, code, calls) values ${sql.join(rows)}
      on conflict (action, code) do update set calls = ack_call_counts.calls + excluded.calls`.execute(
      db,
    );
  },

  readServiceMetrics: async ({ now, timeToRunningLimit }): Promise<ServiceMetricsSnapshot> => {
    const provisions = await db
      .selectFrom('provisions')
      .select(['state', 'region', (eb) => eb.fn.countAll().as('count')])
      .groupBy(['state', 'region'])
      .execute();
    // The transition to running is the event with state running and type ack.running.
    const durations = await sql<{ seconds: unknown }>`
      select extract(epoch from (e.at - p.created_at)) as seconds
      from provision_events e join provisions p on p.id = e.provision_id
      where e.state = 'running' and e.type = 'ack.running'
      order by e.at desc limit ${timeToRunningLimit}`.execute(db);
    const ackCalls = await sql<{ action: string; code: string; calls: unknown }>`
      select action, code, calls::float8 as calls from ack_call_counts`.execute(db);
    const retries = await sql<{ create_delivery: unknown; outbox_resend: unknown }>`
      select
        (select coalesce(sum(greatest(attempts - 1, 0)), 0) from provisions)::float8 as create_delivery,
        (select coalesce(sum(greatest(attempts - 1, 0)), 0) from outbox)::float8 as outbox_resend`.execute(
      db,
    );
    const outbox = await sql<{ unsent: unknown; oldest: unknown }>`
      select count(*)::float8 as unsent, min(created_at) as oldest from outbox where sent_at is null`.execute(
      db,
    );
    const pending = await sql<{ pending: unknown; oldest: unknown }>`
      select count(*)::float8 as pending, min(created_at) as oldest from webhook_deliveries
      where delivered_at is null and abandoned_at is null`.execute(db);
    const outcomes = await sql<{ outcome: string; count: unknown }>`
      select outcome, count(*)::float8 as count from webhook_attempts group by outcome`.execute(db);
    const runs = await sql<{
      mode: string;
      runs: unknown;
      warned: unknown;
      deleted: unknown;
      cancelled: unknown;
    }>`
      select mode, count(*)::float8 as runs, sum(warned)::float8 as warned,
        sum(deleted)::float8 as deleted, sum(cancelled)::float8 as cancelled
      from janitor_runs group by mode`.execute(db);
    const skipped = await sql<{ mode: string; reason: string; count: unknown }>`
      select r.mode, s.key as reason, sum((s.value->>'count')::int)::float8 as count
      from janitor_runs r, jsonb_each(r.skipped) s group by r.mode, s.key`.execute(db);
    const retryRow = retries.rows[0];
    const outboxRow = outbox.rows[0];
    const pendingRow = pending.rows[0];
    return {
      provisions: provisions.map((row) => ({
        state: row.state,
        region: row.region,
        count: num(row.count),
      })),
      timeToRunningSeconds: durations.rows.map((row) => num(row.seconds)),
      ackCalls: ackCalls.rows.map((row) => ({
        action: row.action,
        code: row.code,
        calls: num(row.calls),
      })),
      jobRetries: [
        { kind: 'create_delivery', count: num(retryRow?.create_delivery) },
        { kind: 'outbox_resend', count: num(retryRow?.outbox_resend) },
      ],
      outbox: {
        unsent: num(outboxRow?.unsent),
        oldestUnsentAgeSeconds: ageSeconds(now, outboxRow?.oldest),
      },
      webhooks: {
        pending: num(pendingRow?.pending),
        oldestPendingAgeSeconds: ageSeconds(now, pendingRow?.oldest),
        attemptsByOutcome: outcomes.rows.map((row) => ({
          outcome: row.outcome,
          count: num(row.count),
        })),
      },
      janitor: {
        runs: runs.rows.reduce((sum, row) => sum + num(row.runs), 0),
        decisions: [
          ...runs.rows.flatMap((row) =>
            (['warned', 'deleted', 'cancelled'] as const).map((outcome) => ({
              mode: row.mode,
              outcome,
              count: num(row[outcome]),
            })),
          ),
          ...skipped.rows.map((row) => ({
            mode: row.mode,
            outcome: `skipped:${row.reason}`,
            count: num(row.count),
          })),
        ],
      },
    };
  },
});

export { createServiceMetricsStore };
