import type { TemplateFields } from '../domain/cluster-template.js';

/** A tenant's cluster template (`/v1/templates`). */
interface ClusterTemplate {
  tenantId: string;
  name: string;
  /** The create fields as given, without defaults. */
  spec: TemplateFields;
  /** 1 when made; every replacement adds one. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A tenant's cluster templates, named per tenant. */
interface TemplateStore {
  /** Null when the tenant already has a template of that name. */
  createTemplate(input: {
    tenantId: string;
    name: string;
    spec: TemplateFields;
    at: Date;
  }): Promise<ClusterTemplate | null>;
  /** Replaces the spec (version + 1), or makes the template (version 1): `created` says which. */
  putTemplate(input: {
    tenantId: string;
    name: string;
    spec: TemplateFields;
    at: Date;
  }): Promise<{ template: ClusterTemplate; created: boolean }>;
  getTemplate(input: { tenantId: string; name: string }): Promise<ClusterTemplate | null>;
  /** One tenant's templates in name order. */
  listTemplates(input: {
    tenantId: string;
    afterName?: string;
    limit: number;
  }): Promise<ClusterTemplate[]>;
  /** False when the tenant has no such template. */
  deleteTemplate(input: { tenantId: string; name: string }): Promise<boolean>;
}

export type { ClusterTemplate, TemplateStore };
