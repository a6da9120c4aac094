import * as z from 'zod';

/**
 * What the end-to-end change files read back over HTTP, loosely: a change after creation, a
 * cluster's list of them (GET …/changes) and its timeline (GET …/events).
 */
const changeView = z.looseObject({
  id: z.string(),
  kind: z.string(),
  state: z.string(),
  ackTaskId: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
const changeList = z.object({ id: z.string(), changes: z.array(changeView) });
const eventList = z.looseObject({
  events: z.array(z.looseObject({ type: z.string(), message: z.string(), state: z.string() })),
});

export { changeList, changeView, eventList };
