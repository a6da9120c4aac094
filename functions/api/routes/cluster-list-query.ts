import { z } from 'zod';
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
    limit: limitParam,
    cursor: cursorParam,
  })
  .strict();

export { clusterListQuerySchema };
