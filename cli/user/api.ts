import * as z from 'zod';
import { CliError, EXIT_CODES } from '../exit-codes.js';
import type { Connection } from './connection.js';

/** One call to the REST API; a problem answer becomes a CliError with its detail and field. */
const problemSchema = z.looseObject({
  detail: z.string().optional(),
  title: z.string().optional(),
  field: z.string().optional(),
});

const callApi = async (
  connection: Connection,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> => {
  let response: Response;
  try {
    response = await fetch(`${connection.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${connection.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new CliError(EXIT_CODES.unreachable, `the API at ${connection.url} did not answer`);
  }
  const text = await response.text();
  const parsed: unknown = text === '' ? null : JSON.parse(text);
  if (!response.ok) {
    const problem = problemSchema.safeParse(parsed);
    const detail = problem.success ? (problem.data.detail ?? problem.data.title) : undefined;
    const field = problem.success && problem.data.field ? ` (field ${problem.data.field})` : '';
    throw new CliError(
      response.status === 401 ? EXIT_CODES.config : EXIT_CODES.apiError,
      `${method} ${path}: ${response.status} ${detail ?? ''}${field}`.trim(),
    );
  }
  return parsed;
};

const clusterSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  region: z.string(),
  state: z.string(),
  clusterId: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  progress: z
    .object({ stage: z.string().nullable(), completedStages: z.number(), totalStages: z.number() })
    .nullable()
    .optional(),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
});

const eventSchema = z.looseObject({
  sequence: z.number(),
  type: z.string(),
  state: z.string(),
  message: z.string(),
  at: z.string(),
});

type ClusterView = z.output<typeof clusterSchema>;
type EventView = z.output<typeof eventSchema>;

const getCluster = async (connection: Connection, id: string): Promise<ClusterView> =>
  clusterSchema.parse(await callApi(connection, 'GET', `/v1/clusters/${encodeURIComponent(id)}`));

/** Every event, following the pages (the timeline is paged). */
const listEvents = async (connection: Connection, id: string): Promise<EventView[]> => {
  const events: EventView[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
    const page = z
      .looseObject({ events: z.array(eventSchema), nextCursor: z.string().nullable().optional() })
      .parse(
        await callApi(connection, 'GET', `/v1/clusters/${encodeURIComponent(id)}/events${query}`),
      );
    events.push(...page.events);
    cursor = page.nextCursor ?? null;
  } while (cursor);
  return events;
};

export type { ClusterView, EventView };
export { callApi, clusterSchema, getCluster, listEvents };
