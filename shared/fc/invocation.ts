import * as z from 'zod';

/**
 * What a handler knows about its own invocation from the `context` Function Compute 3.0 passes
 * as the handler's second argument: the request id (FC writes it on every platform log line, so
 * ours carry it too) and the function's `timeout` in seconds (context.function.timeout; FC3
 * Node.js context reference, help.aliyun.com "Context" for Node.js). FC gives no remaining-time
 * call, so the deadline is the moment the handler started plus that timeout. A context without
 * them (a test calling the handler directly) gives no request id and no deadline.
 */
const fcContextSchema = z.looseObject({
  requestId: z.string().min(1).optional(),
  function: z.looseObject({ timeout: z.number().positive().optional() }).optional(),
});

interface Invocation {
  requestId: string | undefined;
  /** Epoch ms by which Function Compute stops the function; undefined when not known. */
  deadline: number | undefined;
  /** What every log line of this invocation carries. */
  logFields(): { requestId?: string };
}

const readInvocation = (context: unknown, now: () => number = Date.now): Invocation => {
  const parsed = fcContextSchema.safeParse(context);
  const requestId = parsed.success ? parsed.data.requestId : undefined;
  const timeoutSeconds = parsed.success ? parsed.data.function?.timeout : undefined;
  const deadline = timeoutSeconds === undefined ? undefined : now() + timeoutSeconds * 1000;
  return {
    requestId,
    deadline,
    logFields: () => (requestId === undefined ? {} : { requestId }),
  };
};

export type { Invocation };
export { readInvocation };
