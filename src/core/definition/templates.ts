// Toolkit `{{ variable }}` templates (TOOLKIT.md §5): substituted into the raw text before YAML parsing, as
// `cdf build` does, with a map from the substituted text back to the text the user wrote, so every finding
// and every range lands on the template the user can edit. A variable without a value is masked by a plain
// scalar of the same length, so the file still parses and its other findings keep their places.

/** A value from `config.<env>.yaml`: what the Toolkit accepts (TOOLKIT.md §5). */
export type ToolkitVariableValue = string | number | boolean | null | readonly (string | number | boolean)[];

export interface TemplatePlaceholder {
  /** The variable name, e.g. `workflow` in `{{ workflow }}`. */
  readonly name: string;
  /** The placeholder in the original text, braces included. */
  readonly start: number;
  readonly end: number;
  /** Whether a value was substituted; false means it was masked. */
  readonly resolved: boolean;
  /** The value used, when resolved. */
  readonly value?: ToolkitVariableValue;
}

export interface TemplateSubstitution {
  /** The text after substitution (equal to the input when there is no placeholder). */
  readonly text: string;
  readonly placeholders: readonly TemplatePlaceholder[];
  /** Maps an offset of `text` to an offset of the original; `end` bias puts a range end at the placeholder's end. */
  toOriginal(offset: number, bias?: 'start' | 'end'): number;
  /** Maps an offset of the original text to `text` (inside a placeholder: the start of its replacement). */
  toSubstituted(offset: number): number;
  /** True when [start, end) of the substituted text overlaps a replaced placeholder. */
  isTemplated(start: number, end: number): boolean;
}

interface Segment {
  readonly origStart: number;
  readonly origEnd: number;
  readonly newStart: number;
  readonly newEnd: number;
}

// The Toolkit's variable names are word characters; `{{ anything else }}` is still a placeholder to report.
const PLACEHOLDER = /\{\{\s*([^{}\s]*)\s*\}\}/g;

/** The `{{ ... }}` placeholders of a text, without substituting. */
export function findPlaceholders(text: string): { name: string; start: number; end: number }[] {
  const found: { name: string; start: number; end: number }[] = [];
  if (!text.includes('{{')) return found;
  for (const m of text.matchAll(PLACEHOLDER)) found.push({ name: m[1] ?? '', start: m.index, end: m.index + m[0].length });
  return found;
}

/**
 * Substitutes `{{ name }}` with `variables` the way the Toolkit's build does for YAML files: strings that are
 * all digits or end with ":" become double-quoted (quotes written around the placeholder are absorbed), a
 * list alone on its line becomes `- item` lines at that indent, elsewhere an inline list, and null `null`.
 * A placeholder without a value (or any placeholder when `variables` is undefined) is masked.
 */
export function substituteTemplates(text: string, variables?: ReadonlyMap<string, ToolkitVariableValue>): TemplateSubstitution {
  const found = findPlaceholders(text);
  if (found.length === 0) return identity(text);
  const segments: Segment[] = [];
  const placeholders: TemplatePlaceholder[] = [];
  let out = '';
  let last = 0;
  for (const p of found) {
    const value = variables?.get(p.name);
    const has = variables !== undefined && variables.has(p.name) && /^[A-Za-z0-9_-]+$/.test(p.name);
    let origStart = p.start;
    let origEnd = p.end;
    let replacement: string;
    if (!has) {
      replacement = mask(p.end - p.start);
    } else if (isList(value)) {
      const lineStart = text.lastIndexOf('\n', p.start - 1) + 1;
      const lineEnd = lineEndOf(text, p.end);
      const before = text.slice(lineStart, p.start);
      if (/^[ \t]*$/.test(before) && /^\s*$/.test(text.slice(p.end, lineEnd))) {
        replacement = value.map((item, i) => `${i === 0 ? '' : `\n${before}`}- ${blockSequenceScalar(item)}`).join('');
        origEnd = lineEnd;
      } else {
        replacement = pythonList(value);
      }
    } else if (typeof value === 'string' && (/^\d+$/.test(value) || value.endsWith(':'))) {
      replacement = `"${value}"`;
      const q = text[p.start - 1];
      if ((q === "'" || q === '"') && text[p.end] === q) {
        origStart -= 1;
        origEnd += 1;
      }
    } else {
      replacement = pythonStr(value as Exclude<ToolkitVariableValue, readonly unknown[]>);
    }
    if (origStart < last) continue; // overlapping placeholders: the first wins
    out += text.slice(last, origStart);
    segments.push({ origStart, origEnd, newStart: out.length, newEnd: out.length + replacement.length });
    out += replacement;
    last = origEnd;
    placeholders.push({ name: p.name, start: p.start, end: p.end, resolved: has, ...(has ? { value: value } : {}) });
  }
  out += text.slice(last);
  return mapped(out, segments, placeholders);
}

function isList(value: ToolkitVariableValue | undefined): value is readonly (string | number | boolean)[] {
  return Array.isArray(value);
}

function identity(text: string): TemplateSubstitution {
  return { text, placeholders: [], toOriginal: (o) => o, toSubstituted: (o) => o, isTemplated: () => false };
}

function mapped(text: string, segments: readonly Segment[], placeholders: readonly TemplatePlaceholder[]): TemplateSubstitution {
  // The last segment starting at or before `offset` in the chosen coordinate, by binary search.
  const find = (offset: number, key: 'newStart' | 'origStart'): number => {
    let lo = 0;
    let hi = segments.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((segments[mid])[key] <= offset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  };
  return {
    text,
    placeholders,
    toOriginal(offset, bias = 'start') {
      const i = find(offset, 'newStart');
      if (i < 0) return offset;
      const s = segments[i];
      if (offset >= s.newEnd) return s.origEnd + (offset - s.newEnd);
      // Inside a replacement: the whole placeholder stands for it.
      return bias === 'end' && offset > s.newStart ? s.origEnd : s.origStart;
    },
    toSubstituted(offset) {
      const i = find(offset, 'origStart');
      if (i < 0) return offset;
      const s = segments[i];
      if (offset >= s.origEnd) return s.newEnd + (offset - s.origEnd);
      return s.newStart;
    },
    isTemplated(start, end) {
      // Segments are sorted and disjoint: only the last one starting before the range's end can overlap it.
      const i = find(Math.max(end, start + 1) - 1, 'newStart');
      return i >= 0 && (segments[i]).newEnd > start;
    },
  };
}

function lineEndOf(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i < 0 ? text.length : i;
}

/** A plain scalar of `length` characters that is valid in block and flow context and inside quotes. */
function mask(length: number): string {
  return '_'.repeat(Math.max(1, length));
}

/** Python's str() of a scalar, which is what the Toolkit writes. */
function pythonStr(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  return value;
}

/** Python's str() of a list: `['a', 1, True]`. */
function pythonList(values: readonly (string | number | boolean)[]): string {
  return `[${values.map((v) => (typeof v === 'string' ? pythonRepr(v) : pythonStr(v))).join(', ')}]`;
}

function pythonRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  const escaped = value.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
  return `${quote}${escaped}${quote}`;
}

/** How the Toolkit writes one item of a list placed alone on its line. */
function blockSequenceScalar(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (/^\d+$/.test(value) || value.endsWith(':') || ['true', 'false', 'null', 'yes', 'no', 'on', 'off'].includes(value.toLowerCase())) {
    return JSON.stringify(value);
  }
  if (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(value)) return value;
  return JSON.stringify(value);
}
