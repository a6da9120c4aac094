import { ackErrors } from './errors.js';
import type { StoredTag } from './types.js';

/**
 * ACK's tag rules, shared by CreateCluster and TagResources: at most 20 tags per cluster, unique
 * non-empty keys of up to 64 characters, values of up to 128, and neither may start with
 * `aliyun`, `acs:`, `http://` or `https://` (CreateClusterRequest `tags` doc in
 * @alicloud/cs20151215). TagResources is stricter about values: "the value cannot be an empty
 * string" and "cannot contain http:// or https://" (TagResourcesRequest `tags` doc), while
 * CreateCluster's "label values can be empty".
 */

const MAX_TAGS = 20;
const MAX_KEY_LENGTH = 64;
const MAX_VALUE_LENGTH = 128;
const RESERVED_TAG_PREFIXES = ['aliyun', 'acs:', 'http://', 'https://'];

interface TagRules {
  /** CreateCluster: true; TagResources: false. */
  allowEmptyValues: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const checkValue = (key: string, value: string, rules: TagRules): void => {
  if (value === '' && !rules.allowEmptyValues) {
    throw ackErrors.invalidParameter(`tags: the value of ${key} cannot be an empty string.`);
  }
  if ([...value].length > MAX_VALUE_LENGTH) {
    throw ackErrors.invalidParameter(
      `tags: the value of ${key} is longer than ${MAX_VALUE_LENGTH}.`,
    );
  }
  if (!rules.allowEmptyValues && /https?:\/\//i.test(value)) {
    throw ackErrors.invalidParameter(
      `tags: the value of ${key} cannot contain http:// or https://.`,
    );
  }
};

const validateTags = (value: unknown, rules: TagRules): StoredTag[] => {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw ackErrors.invalidParameter('tags must be an array of {key, value}.');
  if (value.length > MAX_TAGS)
    throw ackErrors.invalidParameter(`At most ${MAX_TAGS} tags are allowed.`);
  const tags: StoredTag[] = [];
  for (const entry of value) {
    if (!isRecord(entry) || typeof entry.key !== 'string' || entry.key === '') {
      throw ackErrors.invalidParameter('Each tag needs a non-empty string key.');
    }
    if ([...entry.key].length > MAX_KEY_LENGTH) {
      throw ackErrors.invalidParameter(
        `tags: the key ${entry.key} is longer than ${MAX_KEY_LENGTH}.`,
      );
    }
    const tagValue = entry.value ?? '';
    if (typeof tagValue !== 'string')
      throw ackErrors.invalidParameter(`Tag ${entry.key} value must be a string.`);
    checkValue(entry.key, tagValue, rules);
    for (const text of [entry.key, tagValue]) {
      const reserved = RESERVED_TAG_PREFIXES.find((prefix) =>
        text.toLowerCase().startsWith(prefix),
      );
      if (reserved !== undefined) {
        throw ackErrors.invalidParameter(
          `Tag keys and values cannot start with ${reserved}: ${text}`,
        );
      }
    }
    if (tags.some((tag) => tag.key === entry.key)) {
      throw ackErrors.invalidParameter(`Duplicate tag key ${entry.key}.`);
    }
    tags.push({ key: entry.key, value: tagValue });
  }
  return tags;
};

export type { TagRules };
export { MAX_TAGS, validateTags };
