import type { ClusterSpec } from './cluster-spec.js';
import { MAX_TTL_SECONDS, MIN_TTL_SECONDS, parseDurationSeconds } from './cluster-spec.js';
import { DomainError } from './errors.js';

/**
 * When a new provision expires: from its `ttl` (relative to `now`) or its absolute `expiresAt`
 * (which must lie at least 15 minutes ahead, the shortest `ttl`, and within 30 days), else from
 * the tenant's default ttl. `null`:
 * it never expires. The request schema already refuses `ttl` together with `expiresAt`.
 */
const resolveCreateExpiry = (
  request: { ttl?: string | undefined; expiresAt?: string | undefined },
  now: Date,
  defaultTtl: string | null = null,
): Date | null => {
  if (request.expiresAt !== undefined) {
    const at = new Date(request.expiresAt);
    const ahead = at.getTime() - now.getTime();
    if (Number.isNaN(ahead) || ahead < MIN_TTL_SECONDS * 1000 || ahead > MAX_TTL_SECONDS * 1000) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'expiresAt must be at least 15 minutes ahead (the shortest ttl) and within 30 days',
        { field: 'expiresAt' },
      );
    }
    return at;
  }
  const ttl = request.ttl ?? defaultTtl ?? undefined;
  const seconds = ttl === undefined ? undefined : parseDurationSeconds(ttl);
  return seconds === undefined ? null : new Date(now.getTime() + seconds * 1000);
};

/**
 * A new provision's lifetime: its expiry (see resolveCreateExpiry) and the spec it stores, with
 * the tenant's defaults filled in where the request named no policy (a default ttl only when
 * neither ttl nor expiresAt was given) and without `expiresAt`, which the row keeps instead.
 */
const lifetimeOf = (
  spec: ClusterSpec,
  defaults: { defaultTtl: string | null; defaultIdleAfter: string | null },
  now: Date,
): { spec: ClusterSpec; expiresAt: Date | null } => {
  const { expiresAt: absolute, ...rest } = spec;
  const ttl = absolute === undefined ? (spec.ttl ?? defaults.defaultTtl ?? undefined) : undefined;
  const idleAfter = spec.idleAfter ?? defaults.defaultIdleAfter ?? undefined;
  return {
    spec: {
      ...rest,
      ...(ttl === undefined ? {} : { ttl }),
      ...(idleAfter === undefined ? {} : { idleAfter }),
    },
    expiresAt: resolveCreateExpiry({ ttl, expiresAt: absolute }, now),
  };
};

export { lifetimeOf, resolveCreateExpiry };
