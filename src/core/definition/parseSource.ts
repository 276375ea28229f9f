// Parsing YAML (the `yaml` library) and JSON (jsonc-parser) into the shared SourceNode tree, with syntax
// errors at their ranges. Long Toolkit version files are parsed in pieces: the `workflowDefinition.tasks`
// sequence is cut at its items, and an item whose text did not change since the last parse is not parsed
// again, so diagnostics after an edit cost one task's parse, not the whole file's.
import { type Node as JsonNode, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Document, Node as YamlNode } from 'yaml';
import { yamlLib } from './yamlLib';
import { type SourceNode, type SourceProperty } from './source';

export interface SyntaxProblem {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** The parser could not read the structure past this point: findings about the content would mislead. */
  readonly fatal?: boolean;
  /** Offsets in the parsed text. */
  readonly start: number;
  readonly end: number;
}

export interface ParsedSource {
  readonly root: SourceNode | undefined;
  readonly problems: readonly SyntaxProblem[];
}

/** Offsets of the parsed text to offsets of the text the user wrote, and which ranges came from templates. */
export interface OffsetMapping {
  toOriginal(offset: number, bias?: 'start' | 'end'): number;
  isTemplated(start: number, end: number): boolean;
}

const IDENTITY: OffsetMapping = { toOriginal: (o) => o, isTemplated: () => false };

// ---------------------------------------------------------------------------------------------- JSON

export function parseJsonSource(text: string, options: { allowComments?: boolean } = {}): ParsedSource {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: !options.allowComments, allowEmptyContent: true });
  const problems: SyntaxProblem[] = errors.map((e) => ({
    severity: 'error',
    message: jsonErrorMessage(printParseErrorCode(e.error)),
    start: e.offset,
    end: e.offset + Math.max(1, e.length),
  }));
  return { root: tree ? fromJson(tree) : undefined, problems };
}

function jsonErrorMessage(code: string): string {
  // jsonc-parser's codes read as words: 'CommaExpected' -> 'Comma expected'.
  const words = code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `JSON syntax error: ${words.charAt(0).toUpperCase()}${words.slice(1)}.`;
}

function fromJson(node: JsonNode): SourceNode {
  const start = node.offset;
  const end = node.offset + node.length;
  switch (node.type) {
    case 'object': {
      const properties: SourceProperty[] = [];
      for (const p of node.children ?? []) {
        const [key, value] = p.children ?? [];
        if (!key || typeof key.value !== 'string') continue;
        properties.push({ key: key.value, keyStart: key.offset, keyEnd: key.offset + key.length, value: value ? fromJson(value) : undefined });
      }
      return { kind: 'object', start, end, properties };
    }
    case 'array':
      return { kind: 'array', start, end, items: (node.children ?? []).map(fromJson) };
    case 'string':
      return { kind: 'scalar', start, end, value: node.value as string, quoted: true };
    case 'number':
    case 'boolean':
    case 'null':
      return { kind: 'scalar', start, end, value: node.value as number | boolean | null, quoted: false };
    default:
      return { kind: 'scalar', start, end, value: null, quoted: false };
  }
}

// ---------------------------------------------------------------------------------------------- YAML

/** Keeps the parsed items of a long task list between parses of the same document. */
export class YamlChunkCache {
  /** Chunk text -> its parsed document, from the last parse only (older entries are dropped). */
  chunks = new Map<string, Document.Parsed>();
}

/** Below this size a whole parse is fast enough; above it the task list is parsed item by item. */
const CHUNKED_PARSE_MIN_LENGTH = 6000;

export function parseYamlSource(text: string, mapping: OffsetMapping = IDENTITY, cache?: YamlChunkCache): ParsedSource {
  if (cache && text.length >= CHUNKED_PARSE_MIN_LENGTH) {
    const chunked = parseYamlChunked(text, mapping, cache);
    if (chunked) return chunked;
  }
  const doc = parseOne(text);
  return { root: fromYamlDocument(doc, 0, mapping), problems: yamlProblems(doc, 0) };
}

function parseOne(text: string): Document.Parsed {
  return yamlLib().parseDocument(text, { prettyErrors: false, keepSourceTokens: false, uniqueKeys: true, strict: true });
}

/** Errors that leave the rest of the document intact; after any other error the parser's later ones only echo it. */
const LOCAL_YAML_ERRORS = new Set(['DUPLICATE_KEY', 'BAD_ALIAS', 'BAD_DIRECTIVE', 'TAB_AS_INDENT', 'KEY_OVER_1024_CHARS', 'MULTILINE_IMPLICIT_KEY']);

function yamlProblems(doc: Document.Parsed, base: number): SyntaxProblem[] {
  const out: SyntaxProblem[] = [];
  let fatalSeen = false;
  for (const e of doc.errors) {
    const local = LOCAL_YAML_ERRORS.has(e.code);
    if (!local && fatalSeen) continue;
    if (!local) fatalSeen = true;
    out.push({ severity: 'error', message: yamlMessage(e.message), start: base + e.pos[0], end: base + Math.max(e.pos[1], e.pos[0] + 1), fatal: !local });
  }
  for (const e of doc.warnings) out.push({ severity: 'warning', message: yamlMessage(e.message), start: base + e.pos[0], end: base + Math.max(e.pos[1], e.pos[0] + 1) });
  return out;
}

function yamlMessage(message: string): string {
  const text = message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message;
  return `YAML syntax error: ${text}${/[.!?]$/.test(text) ? '' : '.'}`;
}

function fromYamlDocument(doc: Document.Parsed, base: number, mapping: OffsetMapping): SourceNode | undefined {
  const contents = doc.contents as YamlNode | null;
  if (!contents) return undefined;
  return new YamlConverter(doc, base, mapping).convert(contents);
}

class YamlConverter {
  constructor(
    private readonly doc: Document.Parsed,
    private readonly base: number,
    private readonly mapping: OffsetMapping,
  ) {}

  private range(range: readonly [number, number, number] | null | undefined, fallback: number): { start: number; end: number; templated: boolean } {
    const s = this.base + (range ? range[0] : fallback);
    const e = this.base + (range ? range[1] : fallback);
    const templated = this.mapping.isTemplated(s, e);
    return { start: this.mapping.toOriginal(s, 'start'), end: this.mapping.toOriginal(e, 'end'), templated };
  }

  convert(node: YamlNode, depth = 0): SourceNode {
    if (depth > 200) return { kind: 'scalar', ...this.range(node.range, 0), value: null, quoted: false };
    if (yamlLib().isAlias(node)) {
      const target = node.resolve(this.doc);
      const here = this.range(node.range, 0);
      if (!target) return { kind: 'scalar', ...here, value: null, quoted: false };
      // An alias reads as its anchor's value but sits where the alias is written.
      return relocate(this.convert(target, depth + 1), here.start, here.end);
    }
    if (yamlLib().isMap(node)) {
      const r = this.range(node.range, 0);
      const properties: SourceProperty[] = [];
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        const key = yamlLib().isScalar(keyNode) ? String(keyNode.value) : keyNode ? JSON.stringify(keyNode.toJSON()) : '';
        const kr = this.range(keyNode?.range, r.start - this.base);
        const valueNode = pair.value as YamlNode | null;
        const value: SourceNode = valueNode
          ? this.convert(valueNode, depth + 1)
          : { kind: 'scalar', start: kr.end, end: kr.end, value: null, quoted: false };
        properties.push({ key, keyStart: kr.start, keyEnd: kr.end, value });
      }
      return { kind: 'object', ...r, properties };
    }
    if (yamlLib().isSeq(node)) {
      const r = this.range(node.range, 0);
      const empty: SourceNode = { kind: 'scalar', start: r.start, end: r.start, value: null, quoted: false };
      const items = node.items.map((item) => (item ? this.convert(item as YamlNode, depth + 1) : empty));
      return { kind: 'array', ...r, items };
    }
    const r = this.range(node.range, 0);
    if (yamlLib().isScalar(node)) {
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      return { kind: 'scalar', ...r, value: scalarValue(node.value), quoted };
    }
    return { kind: 'scalar', ...r, value: null, quoted: false };
  }
}

function scalarValue(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  // Custom tags (`!!binary`, timestamps with a schema that has them) read as their source text.
  return v instanceof Date ? v.toISOString() : JSON.stringify(v) ?? null;
}

function relocate(node: SourceNode, start: number, end: number): SourceNode {
  return { ...node, start, end };
}

// --------------------------------------------------------------------------------- chunked YAML parse

interface TaskListRegion {
  /** Offset of the `tasks` key. */
  readonly keyStart: number;
  /** Start of the first item's line and end of the last item (line starts). */
  readonly start: number;
  readonly end: number;
  /** Line-start offsets of each item. */
  readonly items: readonly number[];
}

/**
 * Finds the block sequence under `workflowDefinition:` → `tasks:` by its lines. Undefined whenever the layout
 * is not the plain one (flow style, several definitions, tabs), so the caller parses the whole text instead.
 */
export function findTaskListRegion(text: string): TaskListRegion | undefined {
  const defMatches = [...text.matchAll(/^([ ]*)(?:- )?workflowDefinition[ ]*:[ ]*(?:#.*)?$/gm)];
  if (defMatches.length !== 1) return undefined;
  const def = defMatches[0] as RegExpMatchArray;
  const defLineEnd = lineEnd(text, (def.index ?? 0) + def[0].length);
  const lines = linesFrom(text, defLineEnd + 1);
  // The children of workflowDefinition share the indent of its first child line.
  let childIndent = -1;
  let tasksKey: { keyStart: number; lineEnd: number; indent: number } | undefined;
  for (const line of lines) {
    if (isBlankOrComment(line.text)) continue;
    const indent = indentOf(line.text);
    if (indent < 0) return undefined;
    if (childIndent < 0) childIndent = indent;
    if (indent < childIndent) break;
    if (indent === childIndent) {
      const m = /^([ ]*)tasks[ ]*:[ ]*(?:#.*)?$/.exec(line.text);
      if (m) {
        tasksKey = { keyStart: line.start + indent, lineEnd: line.end, indent };
        break;
      }
    }
  }
  const keyColumn = (def[1]?.length ?? 0) + (/^[ ]*- /.test(def[0]) ? 2 : 0);
  if (!tasksKey || childIndent <= keyColumn) return undefined;
  const items: number[] = [];
  let itemIndent = -1;
  // Trailing blank and comment lines stay with the text after the list, as a whole parse has them.
  let end = text.length;
  // Scanned by character: this runs on every keystroke over thousands of lines.
  for (let start = tasksKey.lineEnd + 1; start < text.length; ) {
    const info = lineInfo(text, start);
    if (!info.blank) {
      if (info.indent < 0) return undefined;
      if (itemIndent < 0) {
        if (info.indent < tasksKey.indent || !info.dash) return undefined;
        itemIndent = info.indent;
      }
      if (info.indent < itemIndent || (info.indent === itemIndent && !info.dash)) break;
      if (info.indent === itemIndent) items.push(start);
      end = Math.min(text.length, info.end + 1);
    }
    start = info.end + 1;
  }
  if (items.length < 2) return undefined;
  return { keyStart: tasksKey.keyStart, start: items[0], end, items };
}

/** A line's end, indent in spaces (-1 with a tab), whether it is blank or a comment, and whether it starts with `- `. */
function lineInfo(text: string, start: number): { end: number; indent: number; blank: boolean; dash: boolean } {
  const end = lineEnd(text, start);
  let i = start;
  let tab = false;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 9) tab = true;
    else if (c !== 32) break;
  }
  const first = i < end ? text.charCodeAt(i) : -1;
  const blank = first === -1 || first === 35 /* # */ || (first === 13 && i + 1 === end);
  const next = i + 1 < end ? text.charCodeAt(i + 1) : -1;
  const dash = first === 45 /* - */ && (next === -1 || next === 32 || next === 13);
  return { end, indent: tab ? -1 : i - start, blank, dash };
}

function* linesFrom(text: string, from: number): Generator<{ start: number; end: number; text: string }> {
  let start = from;
  while (start <= text.length && start >= 0) {
    const end = lineEnd(text, start);
    yield { start, end, text: text.slice(start, end) };
    if (end >= text.length) return;
    start = end + 1;
  }
}

function lineEnd(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i < 0 ? text.length : i;
}

function isBlankOrComment(line: string): boolean {
  return /^[ ]*(?:#.*)?\r?$/.test(line);
}

/** Indent in spaces; -1 when the line is indented with a tab (the chunked parse then gives up). */
function indentOf(line: string): number {
  const m = /^([ \t]*)/.exec(line);
  const ws = m?.[1] ?? '';
  return ws.includes('\t') ? -1 : ws.length;
}

function parseYamlChunked(text: string, mapping: OffsetMapping, cache: YamlChunkCache): ParsedSource | undefined {
  const region = findTaskListRegion(text);
  if (!region) return undefined;
  const next = new Map<string, Document.Parsed>();
  const docOf = (chunk: string): Document.Parsed => {
    const doc = next.get(chunk) ?? cache.chunks.get(chunk) ?? parseOne(chunk);
    next.set(chunk, doc);
    return doc;
  };
  // The text around the list, with the list cut out: `tasks:` then has an empty value.
  const skeletonText = text.slice(0, region.start) + text.slice(region.end);
  const skeleton = docOf(skeletonText);
  if (skeleton.errors.length > 0 || skeleton.warnings.length > 0) return undefined;
  const items: SourceNode[] = [];
  for (let i = 0; i < region.items.length; i++) {
    const start = region.items[i];
    const end = region.items[i + 1] ?? region.end;
    const doc = docOf(text.slice(start, end));
    const seq = doc.contents as YamlNode | null;
    if (doc.errors.length > 0 || doc.warnings.length > 0 || !yamlLib().isSeq(seq) || seq.items.length !== 1) return undefined;
    items.push(new YamlConverter(doc, start, mapping).convert(seq.items[0] as YamlNode));
  }
  cache.chunks = next;
  const cut = region.end - region.start;
  const shifted: OffsetMapping = {
    toOriginal: (o, bias) => mapping.toOriginal(o >= region.start ? o + cut : o, bias),
    isTemplated: (s, e) => mapping.isTemplated(s >= region.start ? s + cut : s, e >= region.start ? e + cut : e),
  };
  const root = fromYamlDocument(skeleton, 0, shifted);
  const keyStart = mapping.toOriginal(region.keyStart);
  const last = items[items.length - 1];
  // The sequence starts at its first dash, as in a whole parse.
  const list: SourceNode = { kind: 'array', start: mapping.toOriginal(region.start + indentOf(text.slice(region.start, lineEnd(text, region.start)))), end: last.end, templated: items.some((n) => n.templated), items };
  const spliced = splice(root, keyStart, list);
  return spliced ? { root: spliced, problems: [] } : undefined;
}

/** Puts `value` as the value of the property whose key starts at `keyStart`; undefined when there is none. */
function splice(node: SourceNode | undefined, keyStart: number, value: SourceNode): SourceNode | undefined {
  if (!node || node.kind === 'scalar') return undefined;
  if (node.kind === 'array') {
    for (let i = 0; i < node.items.length; i++) {
      const done = splice(node.items[i], keyStart, value);
      if (done) return { ...node, end: Math.max(node.end, done.end), items: node.items.map((item, j) => (j === i ? done : item)) };
    }
    return undefined;
  }
  for (let i = 0; i < node.properties.length; i++) {
    const p = node.properties[i];
    if (p.keyStart === keyStart) {
      const properties = node.properties.map((q, j) => (j === i ? { ...q, value } : q));
      return { ...node, end: Math.max(node.end, value.end), properties };
    }
    const done = splice(p.value, keyStart, value);
    if (done) return { ...node, end: Math.max(node.end, done.end), properties: node.properties.map((q, j) => (j === i ? { ...q, value: done } : q)) };
  }
  return undefined;
}
