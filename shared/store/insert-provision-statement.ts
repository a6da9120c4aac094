import type { Kysely, Selectable } from 'kysely';
import type { AuditRecord } from '../domain/audit.js';
import type { Job } from '../domain/job.js';
import type { NewProvisionEvent } from '../domain/provision.js';
import { auditRow } from './audit-store.js';
import { outboxRow } from './outbox-row.js';
import { PREPARE } from './prepared-pool.js';
import { eventRow, newProvisionRow } from './provision-row.js';
import type { Database, ProvisionsTable } from './schema.js';
import type { NewProvision } from './store.port.js';

/**
 * A plain create (no quota to check under the tenant's lock, no janitor notice, no
 * Idempotency-Key to complete) in one statement: the provision, its first event, its outbox entry
 * and the request's audit record as data-modifying CTEs. One statement is one round trip and one
 * commit, where `begin`, four inserts and `commit` were six; it is as atomic as the transaction
 * (a statement commits whole or not at all), and the foreign keys of the event and the outbox
 * entry on the provision are checked at the end of the statement, after all four inserts.
 */
interface InsertProvisionInput {
  provision: NewProvision;
  event: NewProvisionEvent;
  job: Job;
  outboxId: string;
  audit?: AuditRecord;
}

/**
 * The statement, unexecuted. Prepared (a named statement per text, planned once per connection,
 * shared/store/prepared-pool.ts): unnamed, PostgreSQL parsed and planned the four CTEs on every
 * create. Every value is a parameter and every column list is fixed, so there are two texts (with
 * and without the audit record), whatever the create: test/unit/insert-provision-statement.test.ts.
 */
const insertProvisionQuery = (db: Kysely<Database>, input: InsertProvisionInput) => {
  const { provision, audit } = input;
  const written = db
    .with('p', (q) => q.insertInto('provisions').values(newProvisionRow(provision)).returningAll())
    .with('e', (q) =>
      q
        .insertInto('provision_events')
        .values(eventRow(provision.id, 1, input.event))
        .returning('sequence'),
    )
    .with('o', (q) =>
      q
        .insertInto('outbox')
        .values(outboxRow({ id: input.outboxId, job: input.job, at: provision.createdAt }))
        .returning('id'),
    );
  if (audit === undefined) return written.selectFrom('p').selectAll().modifyEnd(PREPARE);
  return written
    .with('a', (q) =>
      q
        .insertInto('audit_records')
        .values(auditRow(audit))
        .onConflict((conflict) => conflict.column('id').doNothing())
        .returning('id'),
    )
    .selectFrom('p')
    .selectAll()
    .modifyEnd(PREPARE);
};

const insertProvisionStatement = (
  db: Kysely<Database>,
  input: InsertProvisionInput,
): Promise<Selectable<ProvisionsTable>> =>
  insertProvisionQuery(db, input).executeTakeFirstOrThrow();

export { insertProvisionQuery, insertProvisionStatement };
