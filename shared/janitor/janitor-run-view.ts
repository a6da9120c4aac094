import * as z from 'zod';
import { SKIP_REASONS } from '../domain/janitor-policy.js';
import type { JanitorRun } from '../domain/janitor-run.js';

/**
 * The public shape of a janitor run's report. The zod schema is the contract the OpenAPI
 * document is generated from; `janitorRunView` is typed by it.
 */
const timestamp = z.iso.datetime();

const janitorRunViewSchema = z
  .object({
    id: z.string().describe('jnr_…'),
    startedAt: timestamp,
    finishedAt: timestamp.nullable().describe('null while running, or if the run died'),
    mode: z.enum(['dry-run', 'live']).describe('in a dry run the counts are what it would do'),
    examined: z.number().int().describe('running provisions looked at'),
    warned: z.number().int().describe('cluster.expiring warnings sent'),
    deleted: z.number().int().describe('provisions moved to deleting'),
    cancelled: z.number().int().describe('warnings withdrawn (PATCH, keep label, activity)'),
    skipped: z
      .record(z.string(), z.object({ count: z.number().int(), ids: z.array(z.string()) }).strict())
      .describe(`by reason: ${SKIP_REASONS.join(', ')}`),
    orphans: z
      .array(
        z
          .object({
            clusterId: z.string(),
            regionId: z.string(),
            name: z.string(),
            provisionId: z.string(),
            why: z.string(),
            action: z
              .enum(['listed', 'waiting', 'would-reap', 'reaped', 'reap-failed'])
              .describe(
                'listed: not ours to delete (unknown provision, deletion protection); waiting: reaped after reapAfter; would-reap: a dry run; reaped: DeleteCluster accepted',
              ),
            reapAfter: timestamp.optional(),
            detail: z.string().optional(),
          })
          .strict(),
      )
      .describe(
        'clusters tagged ours that no live provision owns (a dead provision, a duplicate); reaped after the grace period',
      ),
    actions: z.array(
      z
        .object({
          provisionId: z.string(),
          action: z.enum(['warn', 'wait', 'cancel', 'delete', 'skip']),
          reason: z.string(),
          detail: z.string(),
          deleteAt: timestamp.optional(),
        })
        .strict(),
    ),
    error: z.string().nullable(),
  })
  .strict();

const janitorRunListSchema = z
  .object({
    items: z.array(janitorRunViewSchema),
    nextCursor: z
      .string()
      .nullable()
      .describe('pass as `cursor` for the next page; null on the last page'),
  })
  .strict();

type JanitorRunView = z.output<typeof janitorRunViewSchema>;

const janitorRunView = (run: JanitorRun): JanitorRunView => ({
  id: run.id,
  startedAt: run.startedAt.toISOString(),
  finishedAt: run.finishedAt?.toISOString() ?? null,
  mode: run.mode,
  examined: run.examined,
  warned: run.warned,
  deleted: run.deleted,
  cancelled: run.cancelled,
  skipped: run.skipped,
  orphans: run.orphans,
  actions: run.actions,
  error: run.error,
});

export type { JanitorRunView };
export { janitorRunListSchema, janitorRunView, janitorRunViewSchema };
