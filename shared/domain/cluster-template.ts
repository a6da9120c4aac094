import * as z from 'zod';
import { createRequestFields } from './cluster-spec.js';

/**
 * A tenant's cluster template: a named, versioned set of create fields (every field of
 * `POST /v1/clusters` but the cluster's `name`) that a create starts from with
 * `"template": "<name>"`; the request's own fields override the template's. A template holds
 * exactly the fields it was given, each checked by the create rule for that field; the rules
 * that tie fields together (ttl or expiresAt, zoneId with network "auto") and what ACK offers
 * (versions, addons) are checked when a cluster is created from it, on the merged request.
 */
const TEMPLATE_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

const templateNameSchema = z
  .string()
  .regex(TEMPLATE_NAME_PATTERN, 'template names are 1–63 lower-case letters, digits or "-"');

const { name: _clusterName, expiresAt: _absoluteExpiry, ...templateFields } = createRequestFields;

/**
 * `name` is the cluster's own and `expiresAt` an instant that a reusable template would carry
 * into every cluster after it has passed; a template gives `ttl` instead.
 */
const templateSpecSchema = z
  .object(templateFields)
  .partial()
  .strict()
  .describe('create fields but the cluster name (and ttl rather than expiresAt)');

const templateRequestSchema = z
  .object({ name: templateNameSchema, spec: templateSpecSchema })
  .strict();

const templateUpdateSchema = z.object({ spec: templateSpecSchema }).strict();

/**
 * `POST /v1/clusters`'s body as the API reference shows it: the create fields and `template`.
 * `region` is required unless the template gives it; the create rules run on the merge
 * (shared/templates/apply-template.ts), so this schema documents the body but is not the check.
 */
const createClusterBodySchema = z
  .object({
    ...createRequestFields,
    region: createRequestFields.region
      .optional()
      .describe('required, unless the template gives it'),
    template: templateNameSchema
      .optional()
      .describe("start from this template of the tenant's; the body's fields override it"),
  })
  .strict();

/** A template's fields as given (JSON), without the defaults the schema would add. */
type TemplateFields = Readonly<Record<string, unknown>>;

/**
 * The create request a template and a request make: the request's fields win, except `labels`,
 * which merge key by key (the request's value wins) so that a template's team or cost labels
 * survive a request that adds its own.
 */
const mergeTemplate = (
  template: TemplateFields,
  request: Readonly<Record<string, unknown>>,
): Record<string, unknown> => {
  const merged: Record<string, unknown> = { ...template, ...request };
  const templateLabels = template.labels;
  const requestLabels = request.labels;
  if (isPlainObject(templateLabels) && isPlainObject(requestLabels))
    merged.labels = { ...templateLabels, ...requestLabels };
  return merged;
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export type { TemplateFields };
export {
  createClusterBodySchema,
  mergeTemplate,
  TEMPLATE_NAME_PATTERN,
  templateNameSchema,
  templateRequestSchema,
  templateSpecSchema,
  templateUpdateSchema,
};
