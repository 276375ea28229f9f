// Small DOM helpers for the workflow view (plain DOM: no framework, no inline styles in markup, which the
// CSP forbids; geometry is set through the CSSOM).

type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

export function icon(name: string, extra = ''): HTMLSpanElement {
  return h('span', { class: `codicon codicon-${name}${extra ? ` ${extra}` : ''}`, 'aria-hidden': 'true' });
}

const SVG = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string> = {}): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

/** A toolbar or header button: an icon and a label (the label hidden when `iconOnly`, kept for screen readers). */
export function button(iconName: string, label: string, onClick: () => void, options: { iconOnly?: boolean; className?: string; title?: string } = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', class: `btn${options.iconOnly ? ' icon-only' : ''}${options.className ? ` ${options.className}` : ''}`, title: options.title ?? label, 'aria-label': label }, icon(iconName));
  if (!options.iconOnly) b.append(h('span', { class: 'btn-label' }, label));
  b.addEventListener('click', (e) => {
    e.stopPropagation();
    onClick();
  });
  return b;
}

// Formatters are costly to create: one of each, made on first use.
let timeFormat: Intl.DateTimeFormat | undefined;
let dateFormat: Intl.DateTimeFormat | undefined;

/** 18:48:06 in the local time zone, with the date in front unless it is today. */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined) return '';
  const d = new Date(ms);
  timeFormat ??= new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const time = timeFormat.format(d);
  if (d.toDateString() === new Date().toDateString()) return time;
  dateFormat ??= new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
  return `${dateFormat.format(d)} ${time}`;
}

/** CSS class of a status: s-completed, s-in-progress, s-not-started, s-none for definitions. */
export function statusClass(status: string | undefined): string {
  return status ? `s-${status.toLowerCase().replace(/_/g, '-')}` : 's-none';
}
