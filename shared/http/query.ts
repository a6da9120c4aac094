import * as z from 'zod';
import { ValidationError } from '../domain/errors.js';
import { MAX_CURSOR_LENGTH } from './cursor.js';
import type { HttpRequest } from './fc-http-event.js';

/**
 * Query strings, validated like bodies: each route declares a strict zod object of string
 * inputs, so an unknown parameter is a 400 that names it. Function Compute joins a repeated
 * parameter's values with commas (`state=a&state=b` arrives as `a,b`), so lists are comma lists.
 */
type QuerySchema = z.ZodObject<z.ZodRawShape, z.core.$strict>;

const NO_QUERY = z.object({}).strict();

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

const limitParam = z
  .string()
  .regex(/^\d{1,3}$/, `limit is a whole number from 1 to ${MAX_LIMIT}`)
  .transform(Number)
  .pipe(z.number().int().min(1).max(MAX_LIMIT))
  .optional()
  .describe(`page size, 1–${MAX_LIMIT} (default ${DEFAULT_LIMIT})`);

const cursorParam = z
  .string()
  .max(MAX_CURSOR_LENGTH)
  .optional()
  .describe('the `nextCursor` of the previous page');

/** A comma list (or repeated parameter) of values, each parsed by `item`. */
const commaList = <TItem extends z.ZodType<unknown, string>>(item: TItem) =>
  z
    .string()
    .transform((text) => text.split(','))
    .pipe(z.array(item).min(1));

const parseQuery = <TSchema extends QuerySchema>(
  request: HttpRequest,
  schema: TSchema,
): z.output<TSchema> => {
  const result = schema.safeParse({ ...request.query });
  if (result.success) return result.data;
  const errors = result.error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: key, message: `unknown query parameter ${key}` }));
    }
    const field = String(issue.path[0] ?? 'query');
    return [{ field, message: `${field}: ${issue.message}` }];
  });
  const first = errors[0] ?? { field: 'query', message: 'the query string is invalid' };
  throw new ValidationError(first.message, errors);
};

export type { QuerySchema };
export { commaList, cursorParam, DEFAULT_LIMIT, limitParam, MAX_LIMIT, NO_QUERY, parseQuery };
