import type { JanitorRun } from '../domain/janitor-run.js';
import type { JanitorRunStore } from '../store/janitor-run.port.js';

/** Janitor run ids: `jnr_` and a time-ordered id (shared/ids.ts). */
const JANITOR_RUN_ID_PATTERN = /^jnr_[0-9a-z]{20,32}$/;

/**
 * `GET /v1/admin/janitor/runs` (scope admin): the janitor's reports, newest first, a page at a
 * time; `nextBeforeId` is null on the last page.
 */
const listJanitorRuns = async (
  deps: { store: JanitorRunStore },
  input: { beforeId?: string; limit: number },
): Promise<{ items: JanitorRun[]; nextBeforeId: string | null }> => {
  const rows = await deps.store.listJanitorRuns({
    ...(input.beforeId === undefined ? {} : { beforeId: input.beforeId }),
    limit: input.limit + 1,
  });
  const items = rows.slice(0, input.limit);
  return { items, nextBeforeId: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
};

export { JANITOR_RUN_ID_PATTERN, listJanitorRuns };
