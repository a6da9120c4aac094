import * as z from 'zod';
import {
  createClusterRequestSchema,
  idleAfterSchema,
  labelKey,
  labelValue,
} from '../domain/cluster-spec.js';

/**
 * The body of `PATCH /v1/clusters/{id}`, JSON merge patch style (RFC 7396): a field left out
 * stays as it is, `null` clears what can be cleared (the expiry, the labels). `labels` is merged
 * the same way, key by key: a key set to `null` is removed, any other is added or replaced, and
 * `labels: null` removes them all. The field rules are the create request's own.
 */
const create = createClusterRequestSchema.shape;

const updateClusterRequestSchema = z
  .object({
    name: create.name.optional(),
    deletionProtection: z.boolean().optional(),
    ttl: create.ttl
      .unwrap()
      .nullable()
      .optional()
      .describe('from now, e.g. "8h"; sets expiresAt; null removes the expiry'),
    expiresAt: z.iso
      .datetime({ offset: true })
      .nullable()
      .optional()
      .describe('an absolute expiry within 30 days; null removes it'),
    labels: z
      .record(labelKey, labelValue.nullable())
      .nullable()
      .optional()
      .describe(
        'merged key by key (RFC 7396): a key set to null is removed, others are added or ' +
          'replaced; null removes every label',
      ),
    endpointPublicAccess: z
      .boolean()
      .optional()
      .describe(
        "open (true) or close (false) the API server's public endpoint: ACK binds or unbinds its " +
          'EIP in a task; answered 202 with the change, the cluster updating until it ends',
      ),
    idleAfter: idleAfterSchema
      .nullable()
      .optional()
      .describe(
        'the idle policy, e.g. "2h"; null removes it (the janitor then only applies the expiry)',
      ),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'name at least one field to change',
    path: [],
  })
  .refine((body) => body.ttl === undefined || body.expiresAt === undefined, {
    message: 'give ttl or expiresAt, not both',
    path: ['expiresAt'],
  });

type UpdateClusterRequest = z.output<typeof updateClusterRequestSchema>;

export type { UpdateClusterRequest };
export { updateClusterRequestSchema };
