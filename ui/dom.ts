/**
 * A few DOM helpers. Text always goes in as text nodes (never innerHTML), so a cluster name or
 * label a tenant chose cannot become markup.
 */

type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | boolean | ((event: Event) => void) | undefined>;

const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] => {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
};

const mount = (root: HTMLElement, ...children: Child[]): void => {
  root.replaceChildren();
  for (const child of children)
    if (child !== null && child !== undefined && child !== false) root.append(child);
};

const fieldValue = (root: ParentNode, selector: string): string => {
  const element = root.querySelector(selector);
  if (
    element instanceof HTMLInputElement ||
    element instanceof HTMLSelectElement ||
    element instanceof HTMLTextAreaElement
  )
    return element.value;
  return '';
};

const checked = (root: ParentNode, selector: string): boolean => {
  const element = root.querySelector(selector);
  return element instanceof HTMLInputElement && element.checked;
};

/** "3m", "2h 5m", "4d 1h": a duration for people. */
const duration = (ms: number): string => {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return `${Math.max(0, Math.floor(ms / 1000))}s`;
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
};

const badge = (text: string): HTMLSpanElement => h('span', { class: `badge ${text}` }, text);

export type { Child };
export { badge, checked, duration, fieldValue, h, mount };
