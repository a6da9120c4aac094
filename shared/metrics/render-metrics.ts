import type { ServiceMetricsSnapshot } from '../store/service-metrics.port.js';

/**
 * The Prometheus text of a metrics snapshot, through prom-client. prom-client is imported here
 * only, and this module only by dynamic import from the /metrics route, so the API's cold start
 * loads neither. A fresh registry per scrape: every value is the store's, read just now, and no
 * instance keeps counters of its own that another instance would not see.
 */

/** Creations take minutes on ACK (seconds on the emulator); buckets span both. */
const TIME_TO_RUNNING_BUCKETS = [10, 20, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600];

const renderMetrics = async (
  snapshot: ServiceMetricsSnapshot,
): Promise<{ contentType: string; body: string }> => {
  const { Counter, Gauge, Histogram, Registry } = await import('prom-client');
  const registry = new Registry();
  const registers = [registry];

  const provisions = new Gauge({
    name: 'askp_provisions',
    help: 'Provisions by state and region.',
    labelNames: ['state', 'region'],
    registers,
  });
  for (const row of snapshot.provisions)
    provisions.set({ state: row.state, region: row.region }, row.count);

  const timeToRunning = new Histogram({
    name: 'askp_time_to_running_seconds',
    help: 'From accepted to running, over the most recent provisions that reached running.',
    buckets: TIME_TO_RUNNING_BUCKETS,
    registers,
  });
  for (const seconds of snapshot.timeToRunningSeconds) timeToRunning.observe(seconds);

  const ackCalls = new Counter({
    name: 'askp_ack_calls_total',
    help: 'ACK OpenAPI calls (HTTP attempts) by action and outcome code (OK or the error code).',
    labelNames: ['action', 'code'],
    registers,
  });
  const ackErrors = new Counter({
    name: 'askp_ack_errors_total',
    help: 'ACK OpenAPI calls that failed, by action and error code.',
    labelNames: ['action', 'code'],
    registers,
  });
  for (const row of snapshot.ackCalls) {
    ackCalls.inc({ action: row.action, code: row.code }, row.calls);
    if (row.code !== 'OK') ackErrors.inc({ action: row.action, code: row.code }, row.calls);
  }

  const retries = new Counter({
    name: 'askp_job_retries_total',
    help: 'Create-job deliveries beyond the first (create_delivery) and outbox re-sends (outbox_resend).',
    labelNames: ['kind'],
    registers,
  });
  for (const row of snapshot.jobRetries) retries.inc({ kind: row.kind }, row.count);

  new Gauge({
    name: 'askp_outbox_unsent',
    help: 'Outbox entries not yet sent to the queue.',
    registers,
  }).set(snapshot.outbox.unsent);
  new Gauge({
    name: 'askp_outbox_oldest_unsent_age_seconds',
    help: 'Age of the oldest outbox entry not yet sent (0 when none).',
    registers,
  }).set(snapshot.outbox.oldestUnsentAgeSeconds);

  new Gauge({
    name: 'askp_webhook_backlog',
    help: 'Webhook deliveries neither delivered nor abandoned.',
    registers,
  }).set(snapshot.webhooks.pending);
  new Gauge({
    name: 'askp_webhook_oldest_pending_age_seconds',
    help: 'Age of the oldest pending webhook delivery (0 when none).',
    registers,
  }).set(snapshot.webhooks.oldestPendingAgeSeconds);
  const attempts = new Counter({
    name: 'askp_webhook_attempts_total',
    help: 'Webhook delivery attempts by outcome (delivered, retry, abandoned).',
    labelNames: ['outcome'],
    registers,
  });
  for (const row of snapshot.webhooks.attemptsByOutcome)
    attempts.inc({ outcome: row.outcome }, row.count);

  new Counter({
    name: 'askp_janitor_runs_total',
    help: 'Janitor runs started.',
    registers,
  }).inc(snapshot.janitor.runs);
  const decisions = new Counter({
    name: 'askp_janitor_decisions_total',
    help: 'Janitor decisions by mode and outcome (warned, deleted, cancelled, skipped:<reason>).',
    labelNames: ['mode', 'outcome'],
    registers,
  });
  for (const row of snapshot.janitor.decisions)
    decisions.inc({ mode: row.mode, outcome: row.outcome }, row.count);

  return { contentType: registry.contentType, body: await registry.metrics() };
};

export { renderMetrics, TIME_TO_RUNNING_BUCKETS };
