import type { Insertable } from 'kysely';
import type { Job } from '../domain/job.js';
import type { OutboxTable } from './schema.js';

/** An outbox entry as it is inserted: owed, never sent, never tried. */
const outboxRow = (input: { id: string; job: Job; at: Date }): Insertable<OutboxTable> => ({
  id: input.id,
  provision_id: input.job.provisionId,
  kind: input.job.kind,
  body: JSON.stringify(input.job),
  created_at: input.at,
  sent_at: null,
  attempts: 0,
  last_attempt_at: null,
});

export { outboxRow };
