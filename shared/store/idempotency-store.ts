import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import * as z from 'zod';
import type { IdempotencyStore } from './idempotency.port.js';
import { parseColumn } from './provision-row.js';
import type { Database, IdempotencyKeysTable } from './schema.js';
import type { IdempotencyBegin, IdempotencyClaim, StoredResponse } from './store.port.js';

const headersSchema = z.record(z.string(), z.string());

/** How often `begin` looks again when the record it lost to vanished (released) meanwhile. */
const BEGIN_ATTEMPTS = 3;

const storedResponseOf = (row: Selectable<IdempotencyKeysTable>): StoredResponse | undefined => {
  if (row.status !== 'completed' || row.response_status === null || row.response_body === null) {
    return undefined;
  }
  const where = { table: 'idempotency_keys', id: `${row.tenant_id}/${row.key}`, column: 'headers' };
  return {
    status: row.response_status,
    headers: parseColumn(headersSchema, row.response_headers, where),
    body: row.response_body,
  };
};

/**
 * Marks a claimed record completed with its response. Used on its own and inside the transaction
 * that inserts a provision, so that the key and the provision commit together or not at all.
 */
const completeClaim = async (
  db: Kysely<Database>,
  claim: IdempotencyClaim,
  response: StoredResponse,
): Promise<boolean> => {
  const updated = await db
    .updateTable('idempotency_keys')
    .set({
      status: 'completed',
      response_status: response.status,
      response_headers: JSON.stringify(response.headers),
      response_body: response.body,
    })
    .where('tenant_id', '=', claim.tenantId)
    .where('key', '=', claim.key)
    .where('owner', '=', claim.owner)
    .where('status', '=', 'processing')
    .returning('key')
    .executeTakeFirst();
  return updated !== undefined;
};

const createIdempotencyStore = (db: Kysely<Database>): IdempotencyStore => ({
  beginIdempotentRequest: async ({ claim, fingerprint, now, lockedUntil, expiresAt }) => {
    for (let attempt = 0; attempt < BEGIN_ATTEMPTS; attempt += 1) {
      // Insert first: the primary key decides between racing instances. The conflict branch
      // takes over only a record nobody can still be using.
      const taken = await db
        .insertInto('idempotency_keys')
        .values({
          tenant_id: claim.tenantId,
          key: claim.key,
          fingerprint,
          status: 'processing',
          owner: claim.owner,
          locked_until: lockedUntil,
          response_status: null,
          response_headers: null,
          response_body: null,
          created_at: now,
          expires_at: expiresAt,
        })
        .onConflict((conflict) =>
          conflict
            .columns(['tenant_id', 'key'])
            .doUpdateSet({
              fingerprint,
              status: 'processing',
              owner: claim.owner,
              locked_until: lockedUntil,
              response_status: null,
              response_headers: null,
              response_body: null,
              created_at: now,
              expires_at: expiresAt,
            })
            .where((eb) =>
              eb.or([
                eb('idempotency_keys.expires_at', '<=', now),
                eb.and([
                  eb('idempotency_keys.status', '=', 'processing'),
                  eb('idempotency_keys.locked_until', '<=', now),
                  eb('idempotency_keys.fingerprint', '=', fingerprint),
                ]),
              ]),
            ),
        )
        .returning('owner')
        .executeTakeFirst();
      if (taken?.owner === claim.owner) return { outcome: 'started' };
      const existing = await db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('tenant_id', '=', claim.tenantId)
        .where('key', '=', claim.key)
        .executeTakeFirst();
      if (existing === undefined) continue;
      if (existing.fingerprint !== fingerprint) return { outcome: 'mismatch' };
      const response = storedResponseOf(existing);
      const begun: IdempotencyBegin = response
        ? { outcome: 'replay', response }
        : { outcome: 'in-flight' };
      return begun;
    }
    return { outcome: 'in-flight' };
  },

  completeIdempotentRequest: ({ claim, response }) => completeClaim(db, claim, response),

  renewIdempotencyClaim: async ({ claim, lockedUntil }) => {
    const result = await db
      .updateTable('idempotency_keys')
      .set({ locked_until: lockedUntil })
      .where('tenant_id', '=', claim.tenantId)
      .where('key', '=', claim.key)
      .where('owner', '=', claim.owner)
      .where('status', '=', 'processing')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  releaseIdempotentRequest: async (claim) => {
    await db
      .deleteFrom('idempotency_keys')
      .where('tenant_id', '=', claim.tenantId)
      .where('key', '=', claim.key)
      .where('owner', '=', claim.owner)
      .where('status', '=', 'processing')
      .execute();
  },

  deleteExpiredIdempotencyKeys: async ({ now, limit }) => {
    const deleted = await db
      .deleteFrom('idempotency_keys')
      .where(({ eb, refTuple, selectFrom }) =>
        eb(
          refTuple('tenant_id', 'key'),
          'in',
          selectFrom('idempotency_keys')
            .select(['tenant_id', 'key'])
            .where('expires_at', '<=', now)
            .limit(limit)
            .$asTuple('tenant_id', 'key'),
        ),
      )
      .returning(sql<number>`1`.as('one'))
      .execute();
    return deleted.length;
  },
});

export { completeClaim, createIdempotencyStore };
