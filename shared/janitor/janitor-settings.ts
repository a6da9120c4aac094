import type { Config } from '../config.js';
import type { TimeBudget } from '../time-budget.js';
import type { JanitorSettings } from './run-janitor.js';

/**
 * A janitor run's settings from Config. Examining one provision makes calls in a row that may each
 * take the ACK timeout: reading its pods (a kubeconfig, or DescribeClusterDetail then one ECI
 * listing per vSwitch, the ECI client sharing that timeout), then an ownership check and a
 * deletion or a tag change, besides quick database writes. A provision is not started with less
 * than three of them left in the budget; a slower one is cut short by the function's timeout,
 * which every step survives (architecture.md, "Timer runs end themselves").
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
  examineMs: config.ack.timeoutMs * 3,
});

export { janitorSettings };
