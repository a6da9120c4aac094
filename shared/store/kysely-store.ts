import { type Kysely, sql } from 'kysely';
import { newId as defaultNewId } from '../ids.js';
import type { SecretBoxSource } from '../secrets/secret-source.js';
import { createAuditStore } from './audit-store.js';
import { createChangeStore } from './change-store.js';
import { createCreationProgressStore } from './creation-progress-store.js';
import { createDeliveryStore } from './delivery-store.js';
import { createIdempotencyStore } from './idempotency-store.js';
import { createJanitorRunStore } from './janitor-run-store.js';
import { createJanitorStore } from './janitor-store.js';
import { createKubeconfigIssuanceStore } from './kubeconfig-issuance-store.js';
import { createOutboxStore } from './outbox-store.js';
import { createProvisionReadStore } from './provision-read-store.js';
import { createProvisionStore } from './provision-store.js';
import { createRateLimitStore } from './rate-limit-store.js';
import type { Database } from './schema.js';
import { createServiceKeyStore } from './service-key-store.js';
import { createServiceMetricsStore } from './service-metrics-store.js';
import type { Store } from './store.port.js';
import { createTemplateStore } from './template-store.js';
import { createTenantLimitsStore } from './tenant-limits-store.js';
import { createTenantStore } from './tenant-store.js';
import { createWebhookCircuitStore } from './webhook-circuit-store.js';
import { createWebhookEndpointStore } from './webhook-endpoint-store.js';

interface KyselyStoreOptions {
  /** An open, migrated database (openDatabase + migrateToLatest). */
  db: Kysely<Database>;
  /** Closes what `db` runs on; the store's own close() calls it. */
  close?: () => Promise<void>;
  /** Ids for rows the store creates itself (outbox entries). */
  newId?: (prefix: string) => string;
  /**
   * Seals tenants' webhook secrets at rest, or makes the box on first use (a KMS data key);
   * without one they are stored as they are.
   */
  secretBox?: SecretBoxSource;
}

/** The Store port on Kysely; the same code runs on `pg` and on PGlite. */
const createKyselyStore = (options: KyselyStoreOptions): Store => {
  const { db } = options;
  const close = options.close ?? (async () => {});
  return {
    ...createProvisionStore(db, options.newId ?? defaultNewId),
    ...createChangeStore(db, options.newId ?? defaultNewId),
    ...createProvisionReadStore(db),
    ...createOutboxStore(db),
    ...createDeliveryStore(db),
    ...createWebhookEndpointStore(db),
    ...createWebhookCircuitStore(db),
    ...createTenantStore(db, options.secretBox),
    ...createIdempotencyStore(db),
    ...createRateLimitStore(db),
    ...createJanitorStore(db),
    ...createJanitorRunStore(db),
    ...createCreationProgressStore(db),
    ...createServiceMetricsStore(db),
    ...createServiceKeyStore(db),
    ...createTenantLimitsStore(db),
    ...createTemplateStore(db),
    ...createAuditStore(db),
    ...createKubeconfigIssuanceStore(db),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => close(),
  };
};

export type { KyselyStoreOptions };
export { createKyselyStore };
