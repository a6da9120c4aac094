/**
 * Reading a request body as JSON, and the limits every JSON body must keep before anything else
 * looks at it: nesting at most MAX_DEPTH deep, and no string (value or key) holding U+0000 or a
 * lone surrogate — PostgreSQL's jsonb refuses both, so they would otherwise fail late, as a 500.
 */
const MAX_DEPTH = 64;

// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is exactly what is looked for.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Keys that name JavaScript's object machinery. JSON.parse makes them plain own properties, but
 * code that copies or merges objects (a schema's record, a spread, a merge patch) may treat them
 * as the prototype: one such key could change every object's behaviour. No field of ours is named
 * so, and dropping one silently would hide the attempt, so they are refused by name.
 */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Whether PostgreSQL can keep the text in a jsonb value (and any text column). */
const isStorableText = (text: string): boolean => !UNSTORABLE.test(text);

type JsonRead = { ok: true; value: unknown } | { ok: false };

type JsonProblem = { field: string; message: string } | undefined;

const readJson = (text: string): JsonRead => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

const join = (path: string, key: string | number): string =>
  path === '' ? String(key) : `${path}.${key}`;

/** The first place where the value breaks the limits, walked without recursion. */
const jsonProblem = (value: unknown): JsonProblem => {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === undefined) break;
    const field = item.path || 'body';
    if (typeof item.value === 'string' && UNSTORABLE.test(item.value)) {
      return { field, message: 'strings must not contain U+0000 or unpaired surrogates' };
    }
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= MAX_DEPTH) {
      // The whole body is at fault, not the 64th anonymous level of it (`0.0.0…`).
      return { field: 'body', message: `the JSON is nested more than ${MAX_DEPTH} levels deep` };
    }
    const entries: [string | number, unknown][] = Array.isArray(item.value)
      ? item.value.map((entry, index): [number, unknown] => [index, entry])
      : Object.entries(item.value);
    for (const [key, entry] of entries) {
      if (typeof key === 'string' && UNSTORABLE.test(key)) {
        return { field, message: 'keys must not contain U+0000 or unpaired surrogates' };
      }
      if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) {
        return { field: join(item.path, key), message: `the key "${key}" is not allowed` };
      }
      stack.push({ value: entry, path: join(item.path, key), depth: item.depth + 1 });
    }
  }
  return undefined;
};

type Frame =
  | { kind: 'object'; path: string; keys: Set<string>; key: string | undefined; expectKey: boolean }
  | { kind: 'array'; path: string; index: number };

const childPath = (frame: Frame | undefined): string => {
  if (frame === undefined) return '';
  return frame.kind === 'object'
    ? join(frame.path, frame.key ?? '')
    : join(frame.path, frame.index);
};

/**
 * The first key an object holds twice (`labels.team`), as a field path; `undefined` when none.
 * JSON.parse keeps the last value silently, so `{"ttl": "1h", "ttl": "30d"}` would mean whatever
 * the last copy says: RFC 8259 leaves such a body's meaning open, so we refuse it. Only for text
 * JSON.parse accepted (the scan trusts its syntax); walked without recursion.
 */
const duplicateKey = (text: string): string | undefined => {
  const stack: Frame[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    const top = stack.at(-1);
    if (char === '{' || char === '[') {
      const path = childPath(top);
      stack.push(
        char === '{'
          ? { kind: 'object', path, keys: new Set(), key: undefined, expectKey: true }
          : { kind: 'array', path, index: 0 },
      );
    } else if (char === '}' || char === ']') {
      stack.pop();
    } else if (char === ',') {
      if (top?.kind === 'array') top.index += 1;
      else if (top?.kind === 'object') top.expectKey = true;
    } else if (char === '"') {
      let end = index + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (top?.kind === 'object' && top.expectKey) {
        const key = String(JSON.parse(text.slice(index, end + 1)));
        if (top.keys.has(key)) return join(top.path, key);
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      index = end;
    }
    index += 1;
  }
  return undefined;
};

export type { JsonRead };
export { duplicateKey, isStorableText, jsonProblem, MAX_DEPTH, readJson };
