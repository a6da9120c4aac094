import type { MiddlewareObj } from '@middy/core';
import type { CredentialsSource } from '../cloud/credentials.js';

/**
 * The first thing every invocation does: hand the function role's STS credentials Function
 * Compute put in its `context.credentials` to the instance's CredentialsSource
 * (cloud/credentials.ts), before the app is built or any client signs a request. Those
 * credentials expire; an instance lives on for many invocations, and each brings fresh ones.
 * Without a source (tests that build a handler around a ready app) nothing happens.
 */
const invocationCredentials = <TResult>(
  source: CredentialsSource | undefined,
): MiddlewareObj<unknown, TResult> => ({
  before: (request) => {
    if (source === undefined) return;
    const context: unknown = request.context;
    if (typeof context === 'object' && context !== null && 'credentials' in context) {
      source.update(context.credentials);
    }
  },
});

export { invocationCredentials };
