import { kubeErrors } from './errors.js';

/**
 * `labelSelector` and `fieldSelector` as list calls take them. Labels: equality (`=`, `==`,
 * `!=`), sets (`in`, `notin`) and existence (`key`, `!key`); not the numeric `gt`/`lt`, which
 * answer 400. Fields: `=`, `==`, `!=` on the fields the caller names; any other field answers
 * 400 `field label not supported`, as the API server does.
 */

type Predicate<T> = (value: T) => boolean;

const KEY = '[A-Za-z0-9](?:[-A-Za-z0-9_./]*[A-Za-z0-9])?';
const VALUE = '(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?';
const EXISTS = new RegExp(`^(${KEY})$`);
const NOT_EXISTS = new RegExp(`^!\\s*(${KEY})$`);
const EQUALITY = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`);
const SET = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^()]*)\\)$`);

/** Commas inside `( … )` belong to a set, not to the list of requirements. */
const splitRequirements = (selector: string): string[] => {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part !== '');
};

type Labels = Readonly<Record<string, string>>;

const labelRequirement = (text: string): Predicate<Labels> => {
  const unparsable = () => kubeErrors.badRequest(`unable to parse requirement: ${text}`);
  let match = NOT_EXISTS.exec(text);
  if (match?.[1] !== undefined) {
    const key = match[1];
    return (labels) => !(key in labels);
  }
  match = EXISTS.exec(text);
  if (match?.[1] !== undefined) {
    const key = match[1];
    return (labels) => key in labels;
  }
  match = EQUALITY.exec(text);
  if (match?.[1] !== undefined && match[2] !== undefined && match[3] !== undefined) {
    const [key, operator, value] = [match[1], match[2], match[3]];
    return operator === '!='
      ? (labels) => labels[key] !== value
      : (labels) => labels[key] === value;
  }
  match = SET.exec(text);
  if (match?.[1] !== undefined && match[2] !== undefined && match[3] !== undefined) {
    const [key, operator] = [match[1], match[2]];
    const values = new Set(match[3].split(',').map((value) => value.trim()));
    if (![...values].every((value) => new RegExp(`^${VALUE}$`).test(value))) throw unparsable();
    return operator === 'in'
      ? (labels) => labels[key] !== undefined && values.has(labels[key])
      : (labels) => labels[key] === undefined || !values.has(labels[key]);
  }
  throw unparsable();
};

/** An absent or empty selector matches everything. */
const parseLabelSelector = (selector: string | null): Predicate<Labels> => {
  const requirements = splitRequirements(selector ?? '').map(labelRequirement);
  return (labels) => requirements.every((requirement) => requirement(labels));
};

const FIELD = /^([A-Za-z.]+)\s*(==|=|!=)\s*(.*)$/;

const parseFieldSelector = <T>(
  selector: string | null,
  fields: Readonly<Record<string, (item: T) => string>>,
): Predicate<T> => {
  const requirements = splitRequirements(selector ?? '').map((text): Predicate<T> => {
    const match = FIELD.exec(text);
    if (match?.[1] === undefined || match[2] === undefined || match[3] === undefined) {
      throw kubeErrors.badRequest(`invalid selector: '${text}'; can't understand '${text}'`);
    }
    const [field, operator, value] = [match[1], match[2], match[3].trim()];
    const read = fields[field];
    if (read === undefined) throw kubeErrors.badRequest(`field label not supported: ${field}`);
    return operator === '!=' ? (item) => read(item) !== value : (item) => read(item) === value;
  });
  return (item) => requirements.every((requirement) => requirement(item));
};

export { parseFieldSelector, parseLabelSelector };
