import type { JanitorWarning } from '../domain/janitor-policy.js';
import type { Provision } from '../domain/provision.js';
import type { StoredCreationProgress } from './creation-progress.port.js';

/** One provision with what its view shows beside it. */
interface ProvisionRead {
  provision: Provision;
  /** Where its creation stands, while it is `provisioning` and the poller has read the task. */
  progress: StoredCreationProgress | undefined;
  /** The janitor's standing warning (its planned deletion), if any. */
  warning: JanitorWarning | null;
}

/**
 * The API's hot read: `GET /v1/clusters/{id}` in one statement (the provision joined with its
 * creation progress and janitor mark), so that a warm read costs one database round trip.
 */
interface ProvisionReadStore {
  /** The tenant's provision, or null (another tenant's looks missing). */
  readProvision(input: { id: string; tenantId: string }): Promise<ProvisionRead | null>;
}

export type { ProvisionRead, ProvisionReadStore };
