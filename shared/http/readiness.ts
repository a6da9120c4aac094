import * as z from 'zod';
import { isDomainError } from '../domain/errors.js';
import { type HttpResponse, jsonResponse } from './fc-http-event.js';

/**
 * Readiness (`GET /readyz`), beside liveness (`/healthz`): whether this instance can serve now,
 * i.e. its dependencies answer. The API's only hard dependency is the database (ACK and MNS are
 * reached per request and their failures are per-request 503s). The reply names each dependency
 * and whether it is up, never why in detail (an error text could hold a host or a user name).
 */
const DEPENDENCIES = ['config', 'database'] as const;

type Dependency = (typeof DEPENDENCIES)[number];

const readinessSchema = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    checks: z
      .record(z.enum(DEPENDENCIES), z.enum(['up', 'down']))
      .describe('each dependency checked, `up` or `down`'),
    down: z.array(z.enum(DEPENDENCIES)).describe('the dependencies that are down'),
  })
  .strict();

/** How long the database may take to answer `select 1` before it counts as down. */
const CHECK_TIMEOUT_MS = 3000;

const withTimeout = (check: Promise<void>): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
    check.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });

const reply = (checks: Partial<Record<Dependency, 'up' | 'down'>>): HttpResponse => {
  const down = DEPENDENCIES.filter((name) => checks[name] === 'down');
  return jsonResponse(
    down.length === 0 ? 200 : 503,
    { status: down.length === 0 ? 'ready' : 'unavailable', checks, down },
    { 'cache-control': 'no-store' },
  );
};

/** The answer when the app itself was built: ask the database. */
const checkReadiness = async (store: { ping(): Promise<void> }): Promise<HttpResponse> => {
  const database = await withTimeout(store.ping()).then(
    () => 'up' as const,
    () => 'down' as const,
  );
  return reply({ config: 'up', database });
};

/**
 * The answer when building the app failed: a bad configuration, or else the database (opening
 * and migrating it is the only other thing the build does that can fail).
 */
const notReady = (error: unknown): HttpResponse =>
  isDomainError(error) && error.code === 'CONFIG_INVALID'
    ? reply({ config: 'down' })
    : reply({ config: 'up', database: 'down' });

export { checkReadiness, notReady, readinessSchema };
