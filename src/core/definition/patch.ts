// The deployed resource written into the file's own text: only values that differ are replaced, removed or
// added, so comments, quoting, templates and layout stay as they are, and an unchanged definition gives the
// file's text exactly. Compare with Deployed shows this text against the file: what differs, nothing else.
//
//   patchResource(document, resource, target) -> the document's text with `resource` changed into `target`
//     (`target` is the deployed resource aligned to the file, see alignResource in normalize.ts), or
//     undefined when the file's layout is one this cannot patch (the caller then renders the resource).
import { applyEdits, type FormattingOptions, modify } from 'jsonc-parser';
import { type DefinitionDocument, type DefinitionResource } from './document';
import { type PathSegment, type SourceArray, type SourceNode, type SourceObject, type SourceProperty, toValue } from './source';
import { deepEqual, isPlainObject } from './types';
import { yamlLib } from './yamlLib';

type Parent = { readonly kind: 'property'; readonly property: SourceProperty } | { readonly kind: 'item' } | { readonly kind: 'root' };

type Op =
  | { readonly kind: 'replace'; readonly node: SourceNode; readonly parent: Parent; readonly path: readonly PathSegment[]; readonly value: unknown }
  | { readonly kind: 'removeProperty'; readonly property: SourceProperty; readonly path: readonly PathSegment[] }
  | { readonly kind: 'addProperty'; readonly object: SourceObject; readonly key: string; readonly path: readonly PathSegment[]; readonly value: unknown }
  | { readonly kind: 'removeItem'; readonly array: SourceArray; readonly index: number; readonly path: readonly PathSegment[] }
  | { readonly kind: 'appendItem'; readonly array: SourceArray; readonly path: readonly PathSegment[]; readonly value: unknown };

class Unpatchable extends Error {}

const idOf = (v: unknown): string | undefined => (isPlainObject(v) && typeof v['externalId'] === 'string' ? v['externalId'] : undefined);

/** Lists of objects known by externalId (tasks, dependsOn): matched by id, not by position. */
function isIdentifiedList(items: readonly unknown[]): boolean {
  return items.length > 0 && items.every((i) => idOf(i) !== undefined) && new Set(items.map(idOf)).size === items.length;
}

function diff(node: SourceNode, target: unknown, parent: Parent, path: readonly PathSegment[], ops: Op[]): void {
  if (deepEqual(toValue(node), target)) return;
  if (node.kind === 'object' && isPlainObject(target)) {
    const seen = new Set<string>();
    for (const property of node.properties) {
      if (seen.has(property.key)) continue; // a duplicate key: the first one counts
      seen.add(property.key);
      const at = [...path, property.key];
      if (!Object.prototype.hasOwnProperty.call(target, property.key)) ops.push({ kind: 'removeProperty', property, path: at });
      else if (property.value) diff(property.value, target[property.key], { kind: 'property', property }, at, ops);
      else throw new Unpatchable('a key without a value');
    }
    for (const [key, value] of Object.entries(target)) if (!seen.has(key)) ops.push({ kind: 'addProperty', object: node, key, path: [...path, key], value });
    return;
  }
  if (node.kind === 'array' && Array.isArray(target)) {
    const current = node.items.map(toValue);
    if (isIdentifiedList(current) && isIdentifiedList(target)) {
      const wanted = new Map(target.map((t) => [idOf(t)!, t]));
      node.items.forEach((item, index) => {
        const id = idOf(current[index])!;
        if (!wanted.has(id)) ops.push({ kind: 'removeItem', array: node, index, path: [...path, index] });
        else diff(item, wanted.get(id), { kind: 'item' }, [...path, index], ops);
      });
      const present = new Set(current.map(idOf));
      for (const t of target) if (!present.has(idOf(t))) ops.push({ kind: 'appendItem', array: node, path, value: t });
      return;
    }
    if (current.length === target.length) {
      node.items.forEach((item, index) => diff(item, target[index], { kind: 'item' }, [...path, index], ops));
      return;
    }
  }
  ops.push({ kind: 'replace', node, parent, path, value: target });
}

/** Where an op starts in the text: ops are applied from the last to the first. */
function position(op: Op): number {
  switch (op.kind) {
    case 'replace':
      return op.node.start;
    case 'removeProperty':
      return op.property.keyStart;
    case 'addProperty':
      return op.object.end;
    case 'removeItem':
      return op.array.items[op.index]?.start ?? op.array.start;
    case 'appendItem':
      return op.array.end;
  }
}

export function patchResource(document: DefinitionDocument, resource: DefinitionResource, target: unknown): string | undefined {
  const ops: Op[] = [];
  try {
    diff(resource.node, target, { kind: 'root' }, resource.path, ops);
    if (ops.length === 0) return document.text;
    // Later ops first: each one's offsets (and JSON array indexes) are still those of the text it was computed on.
    ops.sort((a, b) => position(b) - position(a));
    return document.format === 'json' ? patchJson(document.text, ops) : patchYaml(document.text, ops);
  } catch (error) {
    if (error instanceof Unpatchable) return undefined;
    throw error;
  }
}

// ---- JSON ------------------------------------------------------------------------------------------------

function jsonFormatting(text: string): FormattingOptions {
  const indented = /\n([ \t]+)\S/.exec(text);
  const ws = indented?.[1] ?? '  ';
  return { insertSpaces: !ws.startsWith('\t'), tabSize: ws.startsWith('\t') ? 1 : ws.length, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

function patchJson(text: string, ops: readonly Op[]): string {
  const formattingOptions = jsonFormatting(text);
  let out = text;
  for (const op of ops) {
    const [path, value, insert] =
      op.kind === 'replace' || op.kind === 'addProperty'
        ? [op.path, op.value, false]
        : op.kind === 'appendItem'
          ? [[...op.path, -1], op.value, true]
          : [op.path, undefined, false];
    out = applyEdits(out, modify(out, [...path], value, { formattingOptions, isArrayInsertion: insert }));
  }
  return out;
}

// ---- YAML ------------------------------------------------------------------------------------------------

interface Layout {
  readonly text: string;
  readonly eol: string;
  /** Block sequences indented under their key (`tasks:\n  - ...`) rather than at its column. */
  readonly indentSeq: boolean;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just after the line break that ends the line holding `offset` (or the end of the text). */
function nextLineStart(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i + 1;
}

/** A node's end without the blanks and line breaks a block node's range may carry after its content. */
function contentEnd(text: string, end: number): number {
  let e = end;
  while (e > 0 && /\s/.test(text[e - 1] ?? '')) e--;
  return e;
}

/** The start of the line after a node's last line. */
function endOfLastLine(text: string, end: number): number {
  return nextLineStart(text, contentEnd(text, end));
}

const column = (text: string, offset: number): number => offset - lineStart(text, offset);

const isFlow = (text: string, node: SourceNode): boolean => node.kind !== 'scalar' && (text[node.start] === '{' || text[node.start] === '[');

function stringifyYaml(value: unknown, layout: Layout, flow = false): string {
  return yamlLib()
    .stringify(value, { indent: 2, indentSeq: layout.indentSeq, lineWidth: 0, singleQuote: true, aliasDuplicateObjects: false, ...(flow ? { collectionStyle: 'flow' as const } : {}) })
    .replace(/\n$/, '');
}

const isEmptyCollection = (v: unknown): boolean => (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);
const isBlockValue = (v: unknown): boolean => (Array.isArray(v) || isPlainObject(v)) && !isEmptyCollection(v);

/** A value on one line: a scalar keeps the file's quotes where it had them. */
function inline(value: unknown, layout: Layout, original?: SourceNode): string {
  if (typeof value === 'string' && original?.kind === 'scalar' && original.quoted && !original.templated) {
    const quote = layout.text[original.start];
    if (quote === "'") return `'${value.replace(/'/g, "''")}'`;
    if (quote === '"') return JSON.stringify(value);
  }
  return stringifyYaml(value, layout, isBlockValue(value));
}

/** A block collection's lines, each but the first prefixed with `indent` spaces. */
function block(value: unknown, layout: Layout, indent: number): string {
  const pad = ' '.repeat(indent);
  return stringifyYaml(value, layout)
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : pad + line))
    .join(layout.eol);
}

/** `key: value` at column `indent`, as complete lines. */
function propertyLines(key: string, value: unknown, layout: Layout, indent: number): string {
  const pad = ' '.repeat(indent);
  const name = stringifyYaml(key, layout);
  if (!isBlockValue(value)) return `${pad}${name}: ${inline(value, layout)}${layout.eol}`;
  const inner = Array.isArray(value) && !layout.indentSeq ? indent : indent + 2;
  return `${pad}${name}:${layout.eol}${' '.repeat(inner)}${block(value, layout, inner)}${layout.eol}`;
}

function colonAfter(text: string, property: SourceProperty): number {
  const colon = text.indexOf(':', property.keyEnd);
  if (colon < 0) throw new Unpatchable('no colon after a key');
  return colon;
}

function yamlEdit(layout: Layout, op: Op): { start: number; end: number; text: string } {
  const { text, eol } = layout;
  switch (op.kind) {
    case 'replace': {
      const { parent, value } = op;
      const node = { ...op.node, end: contentEnd(text, op.node.end) };
      const blockNode = node.kind !== 'scalar' && !isFlow(text, node);
      if (!isBlockValue(value)) {
        // A scalar or an empty collection: on the key's line.
        if (blockNode && parent.kind === 'property') return { start: colonAfter(text, parent.property) + 1, end: node.end, text: ` ${inline(value, layout, node)}` };
        return { start: node.start, end: node.end, text: inline(value, layout, node) };
      }
      if (blockNode) return { start: node.start, end: node.end, text: block(value, layout, column(text, node.start)) };
      if (parent.kind === 'property') {
        const keyColumn = column(text, parent.property.keyStart);
        const indent = Array.isArray(value) && !layout.indentSeq ? keyColumn : keyColumn + 2;
        return { start: colonAfter(text, parent.property) + 1, end: node.end, text: `${eol}${' '.repeat(indent)}${block(value, layout, indent)}` };
      }
      return { start: node.start, end: node.end, text: inline(value, layout) };
    }
    case 'removeProperty': {
      const { property } = op;
      const start = lineStart(text, property.keyStart);
      if (text.slice(start, property.keyStart).trim() !== '') throw new Unpatchable('a key that does not start its line');
      return { start, end: endOfLastLine(text, property.value?.end ?? property.keyEnd), text: '' };
    }
    case 'addProperty': {
      const { object } = op;
      const last = object.properties[object.properties.length - 1];
      if (!last || isFlow(text, object)) throw new Unpatchable('a key added to a flow or empty mapping');
      const at = endOfLastLine(text, last.value?.end ?? last.keyEnd);
      return { start: at, end: at, text: propertyLines(op.key, op.value, layout, column(text, object.properties[0].keyStart)) };
    }
    case 'removeItem': {
      const item = op.array.items[op.index];
      if (!item || isFlow(text, op.array)) throw new Unpatchable('an item removed from a flow sequence');
      return { start: lineStart(text, item.start), end: endOfLastLine(text, item.end), text: '' };
    }
    case 'appendItem': {
      const lastItem = op.array.items[op.array.items.length - 1];
      if (!lastItem || isFlow(text, op.array)) throw new Unpatchable('an item added to a flow or empty sequence');
      const dash = text.lastIndexOf('-', lastItem.start);
      if (dash < lineStart(text, lastItem.start)) throw new Unpatchable('an item that does not start with a dash on its line');
      const dashColumn = column(text, dash);
      const at = endOfLastLine(text, lastItem.end);
      const body = isBlockValue(op.value) ? block(op.value, layout, dashColumn + 2) : inline(op.value, layout);
      return { start: at, end: at, text: `${' '.repeat(dashColumn)}- ${body}${eol}` };
    }
  }
}

function patchYaml(text: string, ops: readonly Op[]): string {
  const layout: Layout = {
    text,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    // The file's own habit, read from its first block sequence under a key.
    indentSeq: /^( *)[^\s#-][^\n]*:[ \t]*\r?\n\1 +- /m.test(text),
  };
  // Last to first, and of two at one place the one reaching further first, so an insertion lands before
  // the text a removal at the same place took away.
  // Two insertions at one place (a key added to a task and one to its parameters, both after the task's
  // last line): the outer one goes first, so the inner one ends up before it, inside its mapping.
  const edits = ops
    .map((op) => ({ ...yamlEdit(layout, op), depth: op.path.length + (op.kind === 'appendItem' ? 1 : 0) }))
    .sort((a, b) => b.start - a.start || b.end - a.end || a.depth - b.depth);
  let out = text;
  let previousStart = Number.POSITIVE_INFINITY;
  for (const edit of edits) {
    if (edit.end > previousStart) throw new Unpatchable('overlapping edits');
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
    previousStart = edit.start;
  }
  if (layout.eol === '\r\n') out = out.replace(/\r?\n/g, '\r\n');
  return out;
}
