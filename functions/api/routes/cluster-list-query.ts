import * as z from 'zod';
import { REGION_PATTERN } from '../../../shared/domain/cluster-spec.js';
import { PROVISION_STATES } from '../../../shared/domain/provision-state.js';
import { isStorableText } from '../../../shared/http/json-value.js';
import { commaList, cursorParam, limitParam } from '../../../shared/http/query.js';

/** `label=key=value`: the key by the label key rule, the value up to 128 characters. */
const labelFilter = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}=.{0,128}$/s, 'label filters look like key=value')
  .refine(isStorableText, 'label filters must not contain U+0000 or unpaired surrogates')
  .transform((text) => {
    const at = text.indexOf('=');
    return { key: text.slice(0, at), value: text.slice(at + 1) };
  });

/** The query of `GET /v1/clusters`. */
const clusterListQuerySchema = z
  .object({
    state: commaList(z.enum(PROVISION_STATES))
      .optional()
      .describe(
        `only these states (${PROVISION_STATES.join(', ')}); repeat the parameter or separate with commas`,
      ),
    label: commaList(labelFilter)
      .optional()
      .describe(
        'key=value; repeat (or separate with commas) to require several labels, all of which ' +
          'must match',
      ),
    region: z
      .string()
      .regex(REGION_PATTERN, 'region looks like cn-hangzhou')
      .optional()
      .describe('only clusters in this region, e.g. cn-hangzhou'),
    name: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,63}$/, 'name is a prefix of a cluster name: letters, digits or -')
      .optional()
      .describe('only clusters whose name starts with this (a prefix, case-sensitive)'),
    includeDeleted: z
      .enum(['true', 'false'], 'includeDeleted is true or false')
      .transform((text) => text === 'true')
      .optional()
      .describe(
        'also list deleted and cancelled clusters (default false); a `state` filter naming ' +
          'them lists them too',
      ),
    limit: limitParam,
    cursor: cursorParam,
  })
  .strict();

/** The events page of `GET /v1/clusters/{id}/events`. */
const MAX_EVENTS_PAGE = 1000;

const eventListQuerySchema = z
  .object({
    limit: z
      .string()
      .regex(/^\d{1,4}$/, `limit is a whole number from 1 to ${MAX_EVENTS_PAGE}`)
      .transform(Number)
      .pipe(z.number().int().min(1).max(MAX_EVENTS_PAGE))
      .optional()
      .describe(`events per page, 1–${MAX_EVENTS_PAGE} (default ${MAX_EVENTS_PAGE})`),
    cursor: cursorParam,
  })
  .strict();

export { clusterListQuerySchema, eventListQuerySchema, MAX_EVENTS_PAGE };
