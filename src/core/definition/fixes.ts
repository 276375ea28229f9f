// Text edits for the quick fixes whose fix is clear, in YAML and JSON: the nearest id for a typo, the
// missing dependsOn entry for a referenced task, a duplicate task removed.
import { type DefinitionDocument } from './document';
import { type SourceNode, type SourceObject, property } from './source';

export interface TextEdit {
  /** Offsets in the document's text. */
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface DefinitionFix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The fix a user most likely wants (VS Code offers it first). */
  readonly preferred?: boolean;
}

/** Replaces a scalar's text with another value, keeping its quoting style. */
export function replaceScalar(doc: DefinitionDocument, node: SourceNode, value: string): TextEdit {
  const written = doc.text.slice(node.start, node.end);
  const quote = written.startsWith('"') ? '"' : written.startsWith("'") ? "'" : '';
  let text = value;
  if (doc.format === 'json' || quote === '"') text = JSON.stringify(value);
  else if (quote === "'") text = `'${value.replace(/'/g, "''")}'`;
  else if (needsYamlQuotes(value)) text = JSON.stringify(value);
  return { start: node.start, end: node.end, newText: text };
}

export function renameKey(doc: DefinitionDocument, keyStart: number, keyEnd: number, key: string): TextEdit {
  const written = doc.text.slice(keyStart, keyEnd);
  const quoted = written.startsWith('"') || doc.format === 'json';
  return { start: keyStart, end: keyEnd, newText: quoted ? JSON.stringify(key) : key };
}

/** Adds `{externalId: target}` to a task's dependsOn, creating the list when the task has none. */
export function addDependency(doc: DefinitionDocument, task: SourceObject, target: string): TextEdit | undefined {
  const deps = property(task, 'dependsOn');
  const value = deps?.value;
  if (doc.format === 'json') {
    const entry = `{"externalId": ${JSON.stringify(target)}}`;
    if (value?.kind === 'array') {
      const last = value.items[value.items.length - 1];
      return last ? { start: last.end, end: last.end, newText: `, ${entry}` } : { start: value.start + 1, end: value.end - 1, newText: entry };
    }
    if (deps) return { start: deps.value?.start ?? deps.keyEnd, end: deps.value?.end ?? deps.keyEnd, newText: `[${entry}]` };
    const last = task.properties[task.properties.length - 1];
    if (!last) return { start: task.start + 1, end: task.end - 1, newText: `"dependsOn": [${entry}]` };
    const indent = indentAt(doc, last.keyStart);
    return { start: last.value?.end ?? last.keyEnd, end: last.value?.end ?? last.keyEnd, newText: `,\n${' '.repeat(indent)}"dependsOn": [${entry}]` };
  }
  const id = needsYamlQuotes(target) ? JSON.stringify(target) : target;
  if (value?.kind === 'array') {
    const last = value.items[value.items.length - 1];
    const flow = doc.text[value.start] === '[';
    if (flow) {
      return last ? { start: last.end, end: last.end, newText: `, {externalId: ${id}}` } : { start: value.start + 1, end: value.end - 1, newText: `{externalId: ${id}}` };
    }
    if (last) {
      const dash = indentAt(doc, last.start - 2 >= 0 && doc.text.slice(last.start - 2, last.start) === '- ' ? last.start - 2 : last.start);
      const at = lineEndAfter(doc, last.end);
      return { start: at, end: at, newText: `\n${' '.repeat(dash)}- externalId: ${id}` };
    }
  }
  if (deps) {
    const keyIndent = indentAt(doc, deps.keyStart);
    const valueEnd = deps.value && deps.value.end > deps.keyEnd ? deps.value.end : deps.keyEnd + 1;
    return { start: deps.keyStart, end: valueEnd, newText: `dependsOn:\n${' '.repeat(keyIndent + 2)}- externalId: ${id}` };
  }
  const first = task.properties[0];
  const last = task.properties[task.properties.length - 1];
  if (!first || !last) return undefined;
  const keyIndent = indentAt(doc, first.keyStart);
  if (doc.text[task.start] === '{') {
    return { start: last.value?.end ?? last.keyEnd, end: last.value?.end ?? last.keyEnd, newText: `, dependsOn: [{externalId: ${id}}]` };
  }
  const at = lineEndAfter(doc, last.value?.end ?? last.keyEnd);
  return { start: at, end: at, newText: `\n${' '.repeat(keyIndent)}dependsOn:\n${' '.repeat(keyIndent + 2)}- externalId: ${id}` };
}

/** Removes one entry of a list (a duplicate task), with its line(s) in YAML or its comma in JSON. */
export function removeListItem(doc: DefinitionDocument, list: SourceNode & { kind: 'array' }, index: number): TextEdit | undefined {
  const item = list.items[index];
  if (!item) return undefined;
  if (doc.format === 'json' || doc.text[list.start] === '[') {
    const prev = list.items[index - 1];
    const next = list.items[index + 1];
    if (prev) return { start: prev.end, end: item.end, newText: '' };
    if (next) return { start: item.start, end: next.start, newText: '' };
    return { start: item.start, end: item.end, newText: '' };
  }
  const start = lineStartOf(doc, item.start);
  const next = list.items[index + 1];
  const end = next ? lineStartOf(doc, next.start) : Math.min(doc.text.length, lineEndAfter(doc, item.end) + 1);
  return { start, end, newText: '' };
}

function needsYamlQuotes(value: string): boolean {
  return value === '' || !/^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$/.test(value) || /^(true|false|null|yes|no|on|off|~|\d+(\.\d+)?)$/i.test(value);
}

function lineStartOf(doc: DefinitionDocument, offset: number): number {
  return doc.text.lastIndexOf('\n', offset - 1) + 1;
}

/** The end of the line holding the last non-space character before `offset` (a node's end may sit on the next line). */
function lineEndAfter(doc: DefinitionDocument, offset: number): number {
  let o = Math.min(offset, doc.text.length);
  while (o > 0 && /\s/.test(doc.text[o - 1] ?? '')) o--;
  const nl = doc.text.indexOf('\n', o);
  return nl < 0 ? doc.text.length : nl;
}

function indentAt(doc: DefinitionDocument, offset: number): number {
  return offset - lineStartOf(doc, offset);
}
