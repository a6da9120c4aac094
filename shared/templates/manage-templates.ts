import type { Clock } from '../clock.js';
import { TEMPLATE_NAME_PATTERN, type TemplateFields } from '../domain/cluster-template.js';
import { DomainError } from '../domain/errors.js';
import type { ClusterTemplate, TemplateStore } from '../store/template.port.js';

/**
 * A tenant's cluster templates. Every operation is the caller's tenant's: another tenant's
 * template and a missing one are the same NOT_FOUND, and two tenants may use the same name.
 */
interface Deps {
  store: TemplateStore;
  clock: Clock;
}

/** Enough for every team's presets, and a bound on what one tenant keeps in the database. */
const MAX_TEMPLATES_PER_TENANT = 100;

const notFound = (name: string): DomainError =>
  new DomainError('NOT_FOUND', `template ${name} not found`);

const assertRoomForOne = async (deps: Deps, tenantId: string): Promise<void> => {
  const existing = await deps.store.listTemplates({ tenantId, limit: MAX_TEMPLATES_PER_TENANT });
  if (existing.length >= MAX_TEMPLATES_PER_TENANT)
    throw new DomainError(
      'CONFLICT',
      `a tenant has at most ${MAX_TEMPLATES_PER_TENANT} templates; delete one first`,
    );
};

const createTemplate = async (
  deps: Deps,
  input: { tenantId: string; name: string; spec: TemplateFields },
): Promise<ClusterTemplate> => {
  await assertRoomForOne(deps, input.tenantId);
  const created = await deps.store.createTemplate({ ...input, at: deps.clock.now() });
  if (!created)
    throw new DomainError(
      'CONFLICT',
      `template ${input.name} exists: PUT /v1/templates/${input.name} replaces it`,
      { field: 'name' },
    );
  return created;
};

/** Replaces a template's fields (its version goes up by one), or makes it. */
const putTemplate = async (
  deps: Deps,
  input: { tenantId: string; name: string; spec: TemplateFields },
): Promise<{ template: ClusterTemplate; created: boolean }> => {
  if (!(await deps.store.getTemplate(input))) await assertRoomForOne(deps, input.tenantId);
  return deps.store.putTemplate({ ...input, at: deps.clock.now() });
};

const getTemplate = async (
  deps: { store: TemplateStore },
  input: { tenantId: string; name: string },
): Promise<ClusterTemplate> => {
  const template = TEMPLATE_NAME_PATTERN.test(input.name)
    ? await deps.store.getTemplate(input)
    : null;
  if (!template) throw notFound(input.name);
  return template;
};

/** A page of templates in name order; `nextAfterName` is null on the last page. */
const listTemplates = async (
  deps: { store: TemplateStore },
  input: { tenantId: string; afterName?: string; limit: number },
): Promise<{ items: ClusterTemplate[]; nextAfterName: string | null }> => {
  const rows = await deps.store.listTemplates({ ...input, limit: input.limit + 1 });
  const items = rows.slice(0, input.limit);
  return {
    items,
    nextAfterName: rows.length > input.limit ? (items.at(-1)?.name ?? null) : null,
  };
};

/** Clusters made from it keep their spec, which names the template and its version. */
const deleteTemplate = async (
  deps: { store: TemplateStore },
  input: { tenantId: string; name: string },
): Promise<ClusterTemplate> => {
  const template = await getTemplate(deps, input);
  if (!(await deps.store.deleteTemplate(input))) throw notFound(input.name);
  return template;
};

export {
  createTemplate,
  deleteTemplate,
  getTemplate,
  listTemplates,
  MAX_TEMPLATES_PER_TENANT,
  putTemplate,
};
