import type { z } from 'zod';
import { DomainError, ValidationError } from '../domain/errors.js';
import type { HttpRequest } from './fc-http-event.js';
import { duplicateKey, jsonProblem, readJson } from './json-value.js';

/**
 * A union (e.g. `network`: "auto" or {vpcId, vswitchIds}) reports "Invalid input" at its own
 * path. When exactly one branch got past the shape check (all its issues lie deeper), that is the
 * branch the caller meant: its issues name the field, e.g. `network.vswitchIds`.
 */
const unionBranchIssues = (issue: z.core.$ZodIssue): z.core.$ZodIssue[] => {
  if (issue.code !== 'invalid_union') return [issue];
  const deeper = issue.errors.filter(
    (branch) => branch.length > 0 && branch.every((inner) => inner.path.length > 0),
  );
  const [meant] = deeper;
  if (deeper.length !== 1 || meant === undefined) return [issue];
  return meant.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }));
};

/**
 * The request's JSON body, checked for what no schema sees: the media type, valid JSON, a key
 * twice in one object, depth and unsafe keys. `application/json` and any `+json` type
 * (`application/merge-patch+json`) are accepted.
 */
const readJsonBody = (request: HttpRequest): unknown => {
  const contentType = request.header('content-type') ?? '';
  if (!/^application\/([\w.-]+\+)?json\s*(;|$)/i.test(contentType)) {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'the request body must be application/json', {
      field: 'Content-Type',
    });
  }
  const read = readJson(request.body);
  if (!read.ok) {
    throw new DomainError('VALIDATION_FAILED', 'the request body is not valid JSON', {
      field: 'body',
    });
  }
  const duplicate = duplicateKey(request.body);
  if (duplicate !== undefined) {
    const message = 'this key appears more than once in its object';
    throw new ValidationError(`${duplicate}: ${message}`, [{ field: duplicate, message }]);
  }
  const unsafe = jsonProblem(read.value);
  if (unsafe) {
    throw new ValidationError(`${unsafe.field}: ${unsafe.message}`, [unsafe]);
  }
  return read.value;
};

/**
 * Parses a value read from a body against a zod schema. Every problem is reported with the
 * field it concerns (`network.vpcId`), the first one also as `field`, so a caller can fix a
 * request at once.
 */
const parseBodyValue = <TSchema extends z.ZodType>(
  value: unknown,
  schema: TSchema,
): z.output<TSchema> => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = result.error.issues.flatMap(unionBranchIssues).map((issue) => {
    const path = issue.path.map(String).join('.');
    const keys = 'keys' in issue && Array.isArray(issue.keys) ? issue.keys.map(String) : [];
    const field =
      issue.code === 'unrecognized_keys' && keys.length > 0
        ? [path, keys[0]].filter(Boolean).join('.')
        : path || 'body';
    return { field, message: issue.message };
  });
  const first = errors[0] ?? { field: 'body', message: 'invalid' };
  throw new ValidationError(`${first.field}: ${first.message}`, errors);
};

/** Reads the JSON body and parses it against a zod schema (readJsonBody, then parseBodyValue). */
const parseJsonBody = <TSchema extends z.ZodType>(
  request: HttpRequest,
  schema: TSchema,
): z.output<TSchema> => parseBodyValue(readJsonBody(request), schema);

export { parseBodyValue, parseJsonBody, readJsonBody };
