import type { z } from 'zod';
import { DomainError, ValidationError } from '../domain/errors.js';
import type { HttpRequest } from './fc-http-event.js';
import { duplicateKey, jsonProblem, readJson } from './json-value.js';

/**
 * Parses a JSON body against a zod schema. Every problem is reported with the field it concerns
 * (`network.vpcId`), the first one also as `field`, so a caller can fix a request at once.
 * `application/json` and any `+json` type (`application/merge-patch+json`) are accepted.
 */
const parseJsonBody = <TSchema extends z.ZodType>(
  request: HttpRequest,
  schema: TSchema,
): z.output<TSchema> => {
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
  const result = schema.safeParse(read.value);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => {
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

export { parseJsonBody };
