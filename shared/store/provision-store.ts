import type { Kysely, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import { DomainError } from '../domain/errors.js';
import type { Job } from '../domain/job.js';
import type { Transition } from '../domain/provision.js';
import { RELEASED_STATES } from '../tenancy/tenant-quota.js';
import { insertAudit } from './audit-store.js';
import { insertDeliveries } from './delivery-store.js';
import type { EventStore } from './event.port.js';
import { appendEventRow } from './event-writer.js';
import { completeClaim } from './idempotency-store.js';
import { insertProvisionStatement } from './insert-provision-statement.js';
import { writeJanitorMark } from './janitor-store.js';
import { outboxRow } from './outbox-row.js';
import type { ProvisionStore } from './provision.port.js';
import {
  eventFromRow,
  eventRow,
  newProvisionRow,
  patchColumns,
  provisionFromRow,
  settingsColumns,
  specFromColumn,
} from './provision-row.js';
import type { Database, ProvisionsTable } from './schema.js';
import { conflictOnDuplicate } from './sql-errors.js';
import type { NewWebhookDelivery } from './store.port.js';

/**
 * The compare-and-set write every provision change goes through. Under READ COMMITTED a second
 * writer naming the same version blocks on the row lock, then re-checks the WHERE against the
 * committed row, finds the version moved on and updates nothing: exactly one wins.
 * `updatedAt` follows the caller's clock whenever the caller says what time it is (an explicit
 * time or the event's); the database's only as a last resort, since the sweep compares
 * `updatedAt` with the injected clock.
 */
const compareAndSet = (
  trx: Kysely<Database>,
  input: {
    id: string;
    expectedVersion: number;
    columns: Updateable<ProvisionsTable>;
    at: Date | undefined;
  },
): Promise<Selectable<ProvisionsTable> | undefined> =>
  trx
    .updateTable('provisions')
    .set((eb) => ({
      ...input.columns,
      version: eb('version', '+', 1),
      updated_at: input.at ?? sql<Date>`now()`,
    }))
    .where('id', '=', input.id)
    .where('version', '=', input.expectedVersion)
    .returningAll()
    .executeTakeFirst();

/**
 * A transition inside the caller's transaction: the compare-and-set, its event and its webhook
 * deliveries. `undefined` when the version is stale (nothing written).
 */
const transitionRow = async (
  trx: Kysely<Database>,
  input: {
    id: string;
    expectedVersion: number;
    transition: Transition;
    webhooks: readonly NewWebhookDelivery[];
  },
): Promise<Selectable<ProvisionsTable> | undefined> => {
  const { id, transition } = input;
  const row = await compareAndSet(trx, {
    id,
    expectedVersion: input.expectedVersion,
    columns: { ...patchColumns(transition.patch), state: transition.to },
    at: transition.event.at,
  });
  if (row === undefined) return undefined;
  // A transition is a real change of state: always recorded, never folded into the last.
  await appendEventRow(trx, { provisionId: id, event: transition.event, skipRepeat: false });
  await insertDeliveries(trx, input.webhooks, transition.event.at);
  return row;
};

const insertOutboxRow = async (
  trx: Kysely<Database>,
  input: { id: string; job: Job; at: Date },
): Promise<void> => {
  await trx.insertInto('outbox').values(outboxRow(input)).execute();
};

/** A claim lost to a takeover must not leave a provision behind: roll the transaction back. */
const claimLost = (): DomainError =>
  new DomainError(
    'IDEMPOTENCY_IN_FLIGHT',
    'another request with this Idempotency-Key took over; retry to get its response',
    { retryAfterMs: 1000, field: 'Idempotency-Key' },
  );

const createProvisionStore = (
  db: Kysely<Database>,
  newId: (prefix: string) => string,
): ProvisionStore & EventStore => ({
  createProvision: async ({ provision, event, job, idempotency, marks = [], admit, audit }) => {
    if (job.provisionId !== provision.id) {
      throw new DomainError(
        'INTERNAL',
        `the outbox job names provision ${job.provisionId}, not ${provision.id}`,
      );
    }
    const outboxId = newId('obx');
    // Nothing to check or complete in between: the whole create is one statement.
    const plain = admit === undefined && marks.length === 0 && idempotency === undefined;
    const row = await conflictOnDuplicate(
      () =>
        plain
          ? insertProvisionStatement(db, {
              provision,
              event,
              job,
              outboxId,
              ...(audit ? { audit: audit() } : {}),
            })
          : db.transaction().execute(async (trx) => {
              if (admit !== undefined) {
                // The tenant's row lock queues concurrent creates of one tenant: each counts what
                // the ones before it committed, so a limit of 3 admits exactly 3 (READ COMMITTED
                // re-reads after the lock is granted).
                await trx
                  .selectFrom('tenants')
                  .select('id')
                  .where('id', '=', provision.tenantId)
                  .forUpdate()
                  .executeTakeFirst();
                const held = await trx
                  .selectFrom('provisions')
                  .select(['id', 'spec'])
                  .where('tenant_id', '=', provision.tenantId)
                  .where('state', 'not in', [...RELEASED_STATES])
                  .execute();
                admit(held.map((row) => specFromColumn(row.id, row.spec)));
              }
              const inserted = await trx
                .insertInto('provisions')
                .values(newProvisionRow(provision))
                .returningAll()
                .executeTakeFirstOrThrow();
              await trx
                .insertInto('provision_events')
                .values(eventRow(provision.id, 1, event))
                .execute();
              await insertOutboxRow(trx, { id: outboxId, job, at: provision.createdAt });
              for (const mark of marks) await writeJanitorMark(trx, provision.id, mark);
              if (audit !== undefined) await insertAudit(trx, audit());
              if (idempotency !== undefined) {
                const response = idempotency.respond(provisionFromRow(inserted));
                if (!(await completeClaim(trx, idempotency.claim, response))) throw claimLost();
              }
              return inserted;
            }),
      `provision ${provision.id} already exists`,
    );
    return { provision: provisionFromRow(row), outboxId };
  },

  getProvision: async ({ id, tenantId }) => {
    let query = db.selectFrom('provisions').selectAll().where('id', '=', id);
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId);
    const row = await query.executeTakeFirst();
    return row === undefined ? null : provisionFromRow(row);
  },

  applyTransition: async ({ id, expectedVersion, transition, webhooks = [] }) =>
    conflictOnDuplicate(
      () =>
        db.transaction().execute(async (trx) => {
          const row = await transitionRow(trx, { id, expectedVersion, transition, webhooks });
          return row === undefined ? null : provisionFromRow(row);
        }),
      `provision ${id}: its cluster id or a webhook delivery id is already taken`,
    ),

  applyTransitionWithJob: async ({ id, expectedVersion, transition, job, webhooks = [] }) => {
    if (job.provisionId !== id) {
      throw new DomainError(
        'INTERNAL',
        `the outbox job names provision ${job.provisionId}, not ${id}`,
      );
    }
    const outboxId = newId('obx');
    return conflictOnDuplicate(
      () =>
        db.transaction().execute(async (trx) => {
          const row = await transitionRow(trx, { id, expectedVersion, transition, webhooks });
          if (row === undefined) return null;
          await insertOutboxRow(trx, { id: outboxId, job, at: transition.event.at });
          return { provision: provisionFromRow(row), outboxId };
        }),
      `provision ${id}: a webhook delivery or outbox id is already taken`,
    );
  },

  updateProvisionSettings: async ({ id, expectedVersion, settings, event, marks = [] }) =>
    db.transaction().execute(async (trx) => {
      const row = await compareAndSet(trx, {
        id,
        expectedVersion,
        columns: settingsColumns(settings),
        at: event.at,
      });
      if (row === undefined) return null;
      await appendEventRow(trx, { provisionId: id, event, skipRepeat: false });
      for (const mark of marks) await writeJanitorMark(trx, id, mark);
      return provisionFromRow(row);
    }),

  updateProvision: async ({ id, expectedVersion, patch, event, at }) =>
    conflictOnDuplicate(
      () =>
        db.transaction().execute(async (trx) => {
          const row = await compareAndSet(trx, {
            id,
            expectedVersion,
            columns: patchColumns(patch),
            at: at ?? event?.at,
          });
          if (row === undefined) return null;
          if (event !== undefined) {
            await appendEventRow(trx, { provisionId: id, event, skipRepeat: true });
          }
          return provisionFromRow(row);
        }),
      `provision ${id}: its cluster id is already taken by another provision`,
    ),

  renewProvisionLease: async ({ id, owner, state, leaseUntil }) => {
    const result = await db
      .updateTable('provisions')
      .set({ lease_until: leaseUntil })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('state', '=', state)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  listProvisions: async ({ states, region, labels, namePrefix, tenantId, afterId, limit }) => {
    if (states.length === 0) return [];
    let query = db
      .selectFrom('provisions')
      .selectAll()
      .where('state', 'in', [...states]);
    if (region !== undefined) query = query.where('region', '=', region);
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId);
    if (namePrefix !== undefined) {
      // LIKE's own characters are escaped: the prefix is matched literally.
      const literal = namePrefix.replace(/[\\%_]/g, '\\$&');
      query = query.where('name', 'like', `${literal}%`);
    }
    if (afterId !== undefined) query = query.where('id', '>', afterId);
    if (labels !== undefined && Object.keys(labels).length > 0) {
      query = query.where(sql<boolean>`labels @> ${JSON.stringify(labels)}::jsonb`);
    }
    const rows = await query.orderBy('id').limit(limit).execute();
    return rows.map(provisionFromRow);
  },

  listEvents: async ({ provisionId, afterSequence = 0, limit }) => {
    const rows = await db
      .selectFrom('provision_events')
      .selectAll()
      .where('provision_id', '=', provisionId)
      .where('sequence', '>', afterSequence)
      .orderBy('sequence')
      .limit(limit)
      .execute();
    return rows.map(eventFromRow);
  },

  appendEvent: async ({ provisionId, event }) => {
    await db.transaction().execute(async (trx) => {
      // No compare-and-set here, so take the row lock explicitly: it orders this append against
      // transitions and other appends that number their events from the same "last".
      const locked = await trx
        .selectFrom('provisions')
        .select('id')
        .where('id', '=', provisionId)
        .forUpdate()
        .executeTakeFirst();
      if (locked === undefined) {
        throw new DomainError('NOT_FOUND', `provision ${provisionId} does not exist`);
      }
      await appendEventRow(trx, { provisionId, event, skipRepeat: true });
    });
  },
});

export { compareAndSet, createProvisionStore, insertOutboxRow, transitionRow };
