import * as z from 'zod';
import { templateNameSchema, templateSpecSchema } from '../domain/cluster-template.js';
import type { ClusterTemplate } from '../store/template.port.js';

/** The public shape of a cluster template: the fields as given, with its version. */
const timestamp = z.iso.datetime();

const templateViewSchema = z
  .object({
    name: templateNameSchema,
    spec: templateSpecSchema,
    version: z.number().int().describe('1 when made; every PUT adds one'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .strict();

const templateListSchema = z
  .object({ items: z.array(templateViewSchema), nextCursor: z.string().nullable() })
  .strict();

const templateView = (template: ClusterTemplate): z.input<typeof templateViewSchema> => ({
  name: template.name,
  spec: template.spec,
  version: template.version,
  createdAt: template.createdAt.toISOString(),
  updatedAt: template.updatedAt.toISOString(),
});

export { templateListSchema, templateView, templateViewSchema };
