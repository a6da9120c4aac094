import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import * as z from 'zod';
import type { JanitorWarning } from '../domain/janitor-policy.js';
import { insertDeliveries } from './delivery-store.js';
import { appendEventRow } from './event-writer.js';
import type { JanitorMarkWrite, JanitorStore } from './janitor.port.js';
import { parseColumn, provisionFromRow } from './provision-row.js';
import type { Database, ProvisionsTable } from './schema.js';
import type { JanitorCandidate } from './store.port.js';
import type { TenantStore } from './tenant.port.js';

const reasonSchema = z.enum(['ttl', 'idle']);

interface WarningColumns {
  mark_reason: string | null;
  mark_warned_at: Date | null;
  mark_delete_at: Date | null;
  mark_expires_at_basis: Date | null;
  mark_idle_after_basis: number | null;
}

interface MarkColumns extends WarningColumns {
  mark_activity_seen_at: Date | null;
  running_since: Date | string | null;
}

/** What warningOf reads, selected from `janitor_marks as m` joined to a provision. */
const WARNING_SELECTION = [
  'm.reason as mark_reason',
  'm.warned_at as mark_warned_at',
  'm.delete_at as mark_delete_at',
  'm.expires_at_basis as mark_expires_at_basis',
  'm.idle_after_basis as mark_idle_after_basis',
] as const;

const warningOf = (row: WarningColumns & { id: string }): JanitorWarning | null => {
  if (row.mark_reason === null || row.mark_warned_at === null || row.mark_delete_at === null) {
    return null;
  }
  return {
    reason: parseColumn(reasonSchema, row.mark_reason, {
      table: 'janitor_marks',
      id: row.id,
      column: 'reason',
    }),
    warnedAt: row.mark_warned_at,
    deleteAt: row.mark_delete_at,
    expiresAtBasis: row.mark_expires_at_basis,
    idleAfterBasis: row.mark_idle_after_basis,
  };
};

/** An aggregate over timestamptz comes back as a Date from `pg`, and may be text elsewhere. */
const dateOrNull = (value: Date | string | null): Date | null => {
  if (value === null) return null;
  return value instanceof Date ? value : new Date(value);
};

const candidateFromRow = (row: Selectable<ProvisionsTable> & MarkColumns): JanitorCandidate => ({
  provision: provisionFromRow(row),
  warning: warningOf(row),
  runningSince: dateOrNull(row.running_since),
  activitySeenAt: row.mark_activity_seen_at,
});

/**
 * The compare-and-set every janitor decision goes through: the provision's version moves on, so
 * a PATCH or a transition racing the decision either lands before it (and the janitor's write
 * finds the version stale) or after it (and re-reads).
 */
const bumpVersion = async (
  trx: Kysely<Database>,
  input: { id: string; expectedVersion: number; at: Date },
): Promise<Selectable<ProvisionsTable> | undefined> =>
  trx
    .updateTable('provisions')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: input.at }))
    .where('id', '=', input.id)
    .where('version', '=', input.expectedVersion)
    .returningAll()
    .executeTakeFirst();

/**
 * Writes a warning or its cancellation, with its event and webhook deliveries, inside the
 * caller's transaction (which has already moved the provision's version on).
 */
const writeJanitorMark = async (
  trx: Kysely<Database>,
  id: string,
  write: JanitorMarkWrite,
): Promise<void> => {
  const { event } = write;
  if (write.kind === 'warn') {
    const { warning } = write;
    const mark = {
      reason: warning.reason,
      warned_at: warning.warnedAt,
      delete_at: warning.deleteAt,
      expires_at_basis: warning.expiresAtBasis,
      idle_after_basis: warning.idleAfterBasis,
      warning_event_id: write.warningEventId,
      updated_at: event.at,
    };
    await trx
      .insertInto('janitor_marks')
      .values({ provision_id: id, activity_seen_at: null, ...mark })
      .onConflict((conflict) => conflict.column('provision_id').doUpdateSet(mark))
      .execute();
  } else {
    await trx
      .updateTable('janitor_marks')
      .set({
        reason: null,
        warned_at: null,
        delete_at: null,
        expires_at_basis: null,
        idle_after_basis: null,
        warning_event_id: null,
        updated_at: event.at,
      })
      .where('provision_id', '=', id)
      .execute();
  }
  await appendEventRow(trx, { provisionId: id, event, skipRepeat: false });
  await insertDeliveries(trx, write.webhooks, event.at);
};

const createJanitorStore = (
  db: Kysely<Database>,
): JanitorStore & Pick<TenantStore, 'getTenantDefaults' | 'setTenantDefaults'> => ({
  getTenantDefaults: async (tenantId) => {
    const row = await db
      .selectFrom('tenants')
      .select(['default_ttl', 'default_idle_after'])
      .where('id', '=', tenantId)
      .executeTakeFirst();
    return {
      defaultTtl: row?.default_ttl ?? null,
      defaultIdleAfter: row?.default_idle_after ?? null,
    };
  },

  setTenantDefaults: async ({ tenantId, defaults }) => {
    const row = await db
      .updateTable('tenants')
      .set({ default_ttl: defaults.defaultTtl, default_idle_after: defaults.defaultIdleAfter })
      .where('id', '=', tenantId)
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  },

  acquireJanitorLease: async ({ name, owner, now, leaseUntil }) => {
    // Insert first; the conflict branch takes over only an expired lease (or renews our own).
    const taken = await db
      .insertInto('janitor_leases')
      .values({ name, owner, lease_until: leaseUntil, acquired_at: now })
      .onConflict((conflict) =>
        conflict
          .column('name')
          .doUpdateSet({ owner, lease_until: leaseUntil, acquired_at: now })
          .where((eb) =>
            eb.or([
              eb('janitor_leases.lease_until', '<=', now),
              eb('janitor_leases.owner', '=', owner),
            ]),
          ),
      )
      .returning('owner')
      .executeTakeFirst();
    if (taken?.owner === owner) return { acquired: true };
    const holder = await db
      .selectFrom('janitor_leases')
      .select(['owner', 'lease_until'])
      .where('name', '=', name)
      .executeTakeFirst();
    // Released between the two statements: say so as held, the next run takes it.
    return { acquired: false, owner: holder?.owner ?? '', leaseUntil: holder?.lease_until ?? now };
  },

  releaseJanitorLease: async ({ name, owner }) => {
    await db
      .deleteFrom('janitor_leases')
      .where('name', '=', name)
      .where('owner', '=', owner)
      .execute();
  },

  listJanitorCandidates: async ({ afterId, limit }) => {
    let query = db
      .selectFrom('provisions as p')
      .leftJoin('janitor_marks as m', 'm.provision_id', 'p.id')
      .selectAll('p')
      .select([...WARNING_SELECTION, 'm.activity_seen_at as mark_activity_seen_at'])
      .select((eb) =>
        eb
          .selectFrom('provision_events as e')
          .select((inner) => inner.fn.min<Date>('e.at').as('first_running_at'))
          .whereRef('e.provision_id', '=', 'p.id')
          .where('e.state', '=', 'running')
          .as('running_since'),
      )
      .where('p.state', '=', 'running');
    if (afterId !== undefined) query = query.where('p.id', '>', afterId);
    const rows = await query.orderBy('p.id').limit(limit).execute();
    return rows.map(candidateFromRow);
  },

  listProvisionRegions: async () => {
    const rows = await db.selectFrom('provisions').select('region').distinct().execute();
    return rows.map((row) => row.region).sort();
  },

  recordJanitorWarning: async ({ id, expectedVersion, warning, warningEventId, event, webhooks }) =>
    db.transaction().execute(async (trx) => {
      const row = await bumpVersion(trx, { id, expectedVersion, at: event.at });
      if (row === undefined) return null;
      await writeJanitorMark(trx, id, { kind: 'warn', warning, warningEventId, event, webhooks });
      return provisionFromRow(row);
    }),

  cancelJanitorWarning: async ({ id, expectedVersion, event, webhooks = [] }) =>
    db.transaction().execute(async (trx) => {
      const row = await bumpVersion(trx, { id, expectedVersion, at: event.at });
      if (row === undefined) return null;
      await writeJanitorMark(trx, id, { kind: 'cancel', event, webhooks });
      return provisionFromRow(row);
    }),

  getJanitorWarning: async ({ id }) => {
    const row = await db
      .selectFrom('janitor_marks')
      .select([
        'reason as mark_reason',
        'warned_at as mark_warned_at',
        'delete_at as mark_delete_at',
        'expires_at_basis as mark_expires_at_basis',
        'idle_after_basis as mark_idle_after_basis',
      ])
      .where('provision_id', '=', id)
      .executeTakeFirst();
    return row === undefined ? null : warningOf({ ...row, id });
  },

  recordJanitorActivity: async ({ id, seenAt }) => {
    await db
      .insertInto('janitor_marks')
      .values({
        provision_id: id,
        reason: null,
        warned_at: null,
        delete_at: null,
        expires_at_basis: null,
        idle_after_basis: null,
        warning_event_id: null,
        activity_seen_at: seenAt,
        updated_at: seenAt,
      })
      .onConflict((conflict) =>
        conflict.column('provision_id').doUpdateSet({
          activity_seen_at: sql<Date>`greatest(janitor_marks.activity_seen_at, excluded.activity_seen_at)`,
          updated_at: sql<Date>`greatest(janitor_marks.updated_at, excluded.updated_at)`,
        }),
      )
      .execute();
  },
});

export { createJanitorStore, WARNING_SELECTION, warningOf, writeJanitorMark };
