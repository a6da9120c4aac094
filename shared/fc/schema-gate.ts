import type { MiddlewareObj } from '@middy/core';
import { isDomainError } from '../domain/errors.js';
import type { Logger } from '../logger.js';

/** What a timer tick answers when it did nothing because the schema is behind. */
interface SkippedTick {
  outcome: 'skipped';
  reason: 'schema-outdated';
  detail: string;
}

/**
 * Timer-triggered functions (poller, janitor) when the database schema is behind this release:
 * log the same message the API's 503 carries (naming `askp admin migrate`) and end the tick
 * normally, doing nothing. Throwing would only make Function Compute retry an asynchronous
 * invocation (timers are asynchronous) that cannot succeed before an operator migrates; the next
 * tick checks again. Any other error still fails the invocation.
 */
const skipTickWhenSchemaOutdated = <TResult>(
  logger: Logger,
): MiddlewareObj<unknown, TResult | SkippedTick> => ({
  name: 'skipTickWhenSchemaOutdated',
  onError: (request) => {
    const { error } = request;
    if (!isDomainError(error) || error.code !== 'SCHEMA_OUTDATED') return;
    logger.error('tick skipped: the database schema is behind this release', {
      code: error.code,
      detail: error.message,
    });
    request.error = null;
    request.response = { outcome: 'skipped', reason: 'schema-outdated', detail: error.message };
  },
});

export type { SkippedTick };
export { skipTickWhenSchemaOutdated };
