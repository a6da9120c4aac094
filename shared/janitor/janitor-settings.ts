import type { Config } from '../config.js';
import type { TimeBudget } from '../time-budget.js';
import type { JanitorSettings } from './run-janitor.js';

/**
 * A janitor run's settings from Config. Examining one provision makes at most two ACK calls in a
 * row that may each take the ACK timeout (a kubeconfig, then a deletion or a tag change) besides
 * quick database writes, so a provision is not started with less than that left in the budget.
 */
const janitorSettings = (config: Config, owner: string, budget: TimeBudget): JanitorSettings => ({
  dryRun: config.janitor.dryRun,
  warnSeconds: config.janitor.warnSeconds,
  leaseSeconds: config.janitor.leaseSeconds,
  orphanGraceSeconds: config.janitor.orphanGraceSeconds,
  retain: config.deletion.retain,
  regions: config.janitor.regions,
  systemNamespaces: config.janitor.systemNamespaces,
  activitySource: config.janitor.activitySource,
  owner,
  budget,
  examineMs: config.ack.timeoutMs * 2,
});

export { janitorSettings };
