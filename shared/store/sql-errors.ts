import { DomainError } from '../domain/errors.js';

/** SQLSTATE 23505, as both `pg` and PGlite report it on their error objects. */
const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';

/**
 * Runs a write and turns a unique-key clash into CONFLICT. The driver error is deliberately not
 * kept as the cause: PGlite's carries the query parameters, which may include a webhook secret.
 */
const conflictOnDuplicate = async <T>(
  write: () => Promise<T>,
  message: string,
  options: { field?: string } = {},
): Promise<T> => {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('CONFLICT', message, options);
    throw error;
  }
};

export { conflictOnDuplicate, isUniqueViolation };
