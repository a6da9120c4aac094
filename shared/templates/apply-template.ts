import * as z from 'zod';
import { createClusterRequestSchema } from '../domain/cluster-spec.js';
import { mergeTemplate, templateNameSchema } from '../domain/cluster-template.js';
import { ValidationError } from '../domain/errors.js';
import { parseBodyValue } from '../http/json-body.js';
import type { TemplateStore } from '../store/template.port.js';

/**
 * The create request a `POST /v1/clusters` body makes: as it is, or, with `"template": "<name>"`,
 * the tenant's template with the body's fields over it (mergeTemplate). Either way the result is
 * checked by the create rules as one request, so a template can never carry a create past a rule;
 * the spec then records the template and the version used.
 */
const templateReferenceSchema = z.looseObject({ template: templateNameSchema.optional() });

type CreateRequest = z.output<typeof createClusterRequestSchema>;

const createRequestFromBody = async (
  deps: { store: TemplateStore },
  input: { tenantId: string; body: unknown },
): Promise<CreateRequest & { template?: { name: string; version: number } }> => {
  const { template: name, ...fields } = parseBodyValue(input.body, templateReferenceSchema);
  if (name === undefined) return parseBodyValue(fields, createClusterRequestSchema);
  const template = await deps.store.getTemplate({ tenantId: input.tenantId, name });
  if (!template) {
    const message = `no template named ${name}: GET /v1/templates lists yours`;
    throw new ValidationError(`template: ${message}`, [{ field: 'template', message }]);
  }
  const request = parseBodyValue(mergeTemplate(template.spec, fields), createClusterRequestSchema);
  return { ...request, template: { name: template.name, version: template.version } };
};

export { createRequestFromBody };
