import { ackErrors } from './errors.js';
import type { StoredTag } from './types.js';

/**
 * ACK's tag rules, shared by CreateCluster and TagResources: at most 20 tags per cluster, non-empty
 * string keys, string values, and neither may start with `aliyun`, `acs:`, `http://` or
 * `https://` (SDK doc of CreateClusterRequest.tags).
 */

const MAX_TAGS = 20;
const RESERVED_TAG_PREFIXES = ['aliyun', 'acs:', 'http://', 'https://'];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const validateTags = (value: unknown): StoredTag[] => {
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
    const tagValue = entry.value ?? '';
    if (typeof tagValue !== 'string')
      throw ackErrors.invalidParameter(`Tag ${entry.key} value must be a string.`);
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

export { MAX_TAGS, validateTags };
