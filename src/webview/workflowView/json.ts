// Collapsible JSON: objects and arrays as <details> (native keyboard and screen reader support), their
// children built only when first opened, so a large task output costs nothing until looked at.
import { h } from './dom';

const MAX_CHILDREN = 500;

function preview(value: unknown): string {
  if (Array.isArray(value)) return `[${value.length}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    return `{${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', …' : ''}}`;
  }
  return '';
}

function scalar(value: unknown): HTMLElement {
  if (typeof value === 'string') return h('span', { class: 'json-string' }, JSON.stringify(value));
  if (typeof value === 'number') return h('span', { class: 'json-number' }, String(value));
  if (typeof value === 'boolean') return h('span', { class: 'json-boolean' }, String(value));
  return h('span', { class: 'json-null' }, 'null');
}

function entry(key: string | undefined, value: unknown, open: boolean): HTMLElement {
  const keyEl = key === undefined ? null : h('span', { class: 'json-key' }, `${key}: `);
  if (typeof value !== 'object' || value === null) return h('div', { class: 'json-row' }, keyEl, scalar(value));
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  if (entries.length === 0) return h('div', { class: 'json-row' }, keyEl, h('span', { class: 'json-null' }, Array.isArray(value) ? '[]' : '{}'));
  const details = h('details', { class: 'json-node' }, h('summary', {}, keyEl, h('span', { class: 'json-preview' }, preview(value))));
  const body = h('div', { class: 'json-children' });
  details.append(body);
  let built = false;
  const build = () => {
    if (built) return;
    built = true;
    for (const [k, v] of entries.slice(0, MAX_CHILDREN)) body.append(entry(k, v, false));
    if (entries.length > MAX_CHILDREN) body.append(h('div', { class: 'json-more' }, `… ${entries.length - MAX_CHILDREN} more (copy the value to see all)`));
  };
  details.addEventListener('toggle', () => {
    if (details.open) build();
  });
  if (open) {
    build();
    details.open = true;
  }
  return details;
}

/** A JSON value, its first level open. */
export function jsonView(value: unknown): HTMLElement {
  return h('div', { class: 'json' }, entry(undefined, value, true));
}
