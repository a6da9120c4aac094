import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { OutboxStore } from './outbox.port.js';
import { outboxFromRow } from './record-rows.js';
import type { Database } from './schema.js';

const createOutboxStore = (db: Kysely<Database>): OutboxStore => ({
  markOutboxSent: async ({ id, at }) => {
    // The first send wins: a late duplicate of the same job must not move the recorded time.
    await db
      .updateTable('outbox')
      .set({ sent_at: at })
      .where('id', '=', id)
      .where('sent_at', 'is', null)
      .execute();
  },

  markOutboxSentMany: async ({ ids, at }) => {
    if (ids.length === 0) return;
    await db
      .updateTable('outbox')
      .set({ sent_at: at })
      .where('id', 'in', [...ids])
      .where('sent_at', 'is', null)
      .execute();
  },

  listUnsentOutbox: async ({ before, limit }) => {
    const rows = await db
      .selectFrom('outbox')
      .selectAll()
      .where('sent_at', 'is', null)
      .where(sql<Date>`coalesce(last_attempt_at, created_at)`, '<', before)
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(outboxFromRow);
  },

  recordOutboxAttempt: async ({ id, at }) => {
    await db
      .updateTable('outbox')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), last_attempt_at: at }))
      .where('id', '=', id)
      .execute();
  },
});

export { createOutboxStore };
