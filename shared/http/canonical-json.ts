import { createHash } from 'node:crypto';
import { jsonProblem, readJson } from './json-value.js';

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, strings and numbers as
 * JSON.stringify writes them. Two bodies that mean the same JSON have the same canonical text,
 * whatever their key order or spacing. Only for values that passed `jsonProblem` (bounded depth).
 */
const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

/**
 * The Idempotency-Key fingerprint of a request body: SHA-256 of its canonical JSON, or of the
 * raw text when it is not (usable) JSON, so even a malformed body has a stable fingerprint.
 */
const bodyFingerprint = (body: string): string => {
  const read = readJson(body);
  const text =
    read.ok && jsonProblem(read.value) === undefined
      ? `json:${canonicalJson(read.value)}`
      : `raw:${body}`;
  return createHash('sha256').update(text, 'utf8').digest('hex');
};

export { bodyFingerprint, canonicalJson };
