import { type Kysely, sql } from 'kysely';
import type { NewProvisionEvent } from '../domain/provision.js';
import { eventRow } from './provision-row.js';
import type { Database } from './schema.js';

/**
 * Appends one timeline event inside the caller's transaction, numbered last + 1. The caller must
 * already hold the provision row's lock (a compare-and-set UPDATE or SELECT … FOR UPDATE): that
 * lock is what keeps two writers from taking the same number.
 *
 * With `skipRepeat`, an event with the same type and message as the last one is dropped: the
 * poller sees the same ACK step on several ticks and the timeline should show it once.
 * Returns whether a row was written.
 */
const appendEventRow = async (
  trx: Kysely<Database>,
  input: { provisionId: string; event: NewProvisionEvent; skipRepeat: boolean },
): Promise<boolean> => {
  if (!input.skipRepeat) {
    // Nothing to compare with: the number is taken in the insert itself, one round trip fewer
    // (a poller tick where thousands of clusters changed writes thousands of these).
    await trx
      .insertInto('provision_events')
      .values({
        ...eventRow(input.provisionId, 0, input.event),
        sequence: sql<number>`(select coalesce(max(e.sequence), 0) + 1 from provision_events e
          where e.provision_id = ${input.provisionId})`,
      })
      .execute();
    return true;
  }
  const last = await trx
    .selectFrom('provision_events')
    .select(['sequence', 'type', 'message'])
    .where('provision_id', '=', input.provisionId)
    .orderBy('sequence', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (
    input.skipRepeat &&
    last !== undefined &&
    last.type === input.event.type &&
    last.message === input.event.message
  ) {
    return false;
  }
  await trx
    .insertInto('provision_events')
    .values(eventRow(input.provisionId, (last?.sequence ?? 0) + 1, input.event))
    .execute();
  return true;
};

export { appendEventRow };
