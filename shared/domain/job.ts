import * as z from 'zod';

/**
 * A queue job: a wake-up call, not the truth. The row holds everything else, so a job may arrive
 * twice, late or out of order and the worker decides from the row's state alone.
 */
const jobSchema = z
  .object({
    v: z.literal(1),
    kind: z.enum(['create', 'delete', 'change']),
    provisionId: z.string().regex(/^prv_[0-9a-z]{20,32}$/, 'provisionId looks like prv_…'),
  })
  .strict();

type Job = z.infer<typeof jobSchema>;
type JobKind = Job['kind'];

export type { Job, JobKind };
export { jobSchema };
