// What the cursor is on while the user types, when the text may not parse: in YAML the line being typed
// is replaced by a neutral `key: 0` (or `- 0`) and the result parsed (the long-list cache keeps that one
// task's parse); in JSON jsonc-parser's getLocation reads partial text. The result is a path from the
// document root, whether a key or a value is being typed, the text typed so far and the range to replace.
import { getLocation } from 'jsonc-parser';
import { type DefinitionDocument } from './document';
import { type YamlChunkCache, parseYamlSource } from './parseSource';
import { type PathSegment, type SourceNode, locate, nodeAtPath } from './source';

export interface CursorContext {
  /** From the document root: the object whose key is typed, or the value's own path. */
  readonly path: readonly PathSegment[];
  readonly mode: 'key' | 'value';
  /** What is typed of the key or value so far (quotes excluded). */
  readonly prefix: string;
  /** The range a completion replaces (quotes included in JSON). */
  readonly replace: { readonly start: number; readonly end: number };
  /** JSON: strings are inserted with quotes. */
  readonly json: boolean;
  /** Inside `${...` in a string: the offset of `$` and the text after `${` up to the cursor. */
  readonly reference?: { readonly start: number; readonly typed: string };
  /** YAML: a new list entry (`- `) is typed. */
  readonly listItem?: boolean;
  /** The tree to read siblings from (the patched one in YAML). */
  readonly root: SourceNode | undefined;
}

const PATCH_KEY = 'zzcdfzz';

export function cursorContext(doc: DefinitionDocument, offset: number, cache?: YamlChunkCache): CursorContext | undefined {
  return doc.format === 'json' ? jsonContext(doc, offset) : yamlContext(doc, offset, cache);
}

/** `${` before the cursor on the same line with no `}` after it: the reference being typed. */
function openReference(line: string, lineStart: number): { start: number; typed: string } | undefined {
  const i = line.lastIndexOf('${');
  if (i < 0 || line.indexOf('}', i) >= 0) return undefined;
  return { start: lineStart + i, typed: line.slice(i + 2) };
}

function yamlContext(doc: DefinitionDocument, offset: number, cache?: YamlChunkCache): CursorContext | undefined {
  const text = doc.text;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const nl = text.indexOf('\n', offset);
  const lineEnd = nl < 0 ? text.length : nl;
  const before = text.slice(lineStart, offset);
  if (/^\s*#/.test(before)) return undefined;
  const after = text.slice(offset, lineEnd);
  const reference = openReference(before, lineStart);

  // `  - key: value`, `  key: value`, `  - value`, `  key`, `  - ` or nothing.
  const keyed = /^(\s*(?:-\s+)*)((?:"[^"]*"|'[^']*'|[^\s:#'"][^:#]*?))\s*:(?:\s+|$)(.*)$/.exec(before);
  let patched: string;
  let mode: 'key' | 'value';
  let prefix: string;
  let replaceStart: number;
  let probe: number;
  let listItem = false;
  if (keyed && (keyed[3] !== undefined && (keyed[3] !== '' || /:\s+$/.test(before)))) {
    // Typing a value after `key: `.
    const indent = keyed[1] ?? '';
    const key = keyed[2] ?? '';
    const valueText = keyed[3] ?? '';
    mode = 'value';
    prefix = valueText.replace(/^["']/, '');
    replaceStart = offset - valueText.length;
    patched = `${indent}${key}: 0`;
    probe = lineStart + indent.length + key.length + 2;
  } else {
    const item = /^(\s*)(-\s+)?((?:-\s+)*)([^\s:#]*)$/.exec(before);
    if (!item) return undefined;
    const dash = item[2] !== undefined || (item[3] ?? '') !== '';
    const indent = `${item[1] ?? ''}${item[2] ?? ''}${item[3] ?? ''}`;
    const word = item[4] ?? '';
    prefix = word;
    replaceStart = offset - word.length;
    if (dash && word === '' && !/\S/.test(after)) {
      // `- ` alone: a new entry, which may be a scalar (a dependsOn id) or a mapping.
      mode = 'value';
      listItem = true;
      patched = `${indent}0`;
      probe = lineStart + indent.length;
    } else {
      mode = 'key';
      patched = `${indent}${word}${PATCH_KEY}: 0`;
      probe = lineStart + indent.length;
    }
  }
  const restOfLine = /^[^\s#]*/.exec(after)?.[0] ?? '';
  const replaceEnd = mode === 'key' ? offset + (/^[^\s:#]*/.exec(after)?.[0].length ?? 0) : offset + restOfLine.length;
  // A value already written parses as it is: the document's own tree answers without a second parse.
  if (mode === 'value' && !listItem && !doc.syntaxProblems.some((p) => p.fatal)) {
    const own = locate(doc.root, replaceStart);
    if (own && !own.onKey && own.node.kind === 'scalar' && own.node.start <= replaceStart && own.node.end >= offset) {
      return { path: [...own.path], mode, prefix, replace: { start: replaceStart, end: Math.max(offset, replaceEnd) }, json: false, root: doc.root, ...(reference ? { reference } : {}) };
    }
  }
  const patchedText = text.slice(0, lineStart) + patched + text.slice(lineEnd);
  const parsed = parseYamlSource(patchedText, undefined, cache);
  const loc = locate(parsed.root, probe);
  if (!loc) return undefined;
  let path: PathSegment[];
  if (mode === 'key') {
    // The patched key `<word>zzcdfzz` is a key of the object being typed in.
    path = loc.onKey ? [...loc.path] : [...loc.path];
    if (!loc.onKey && loc.node.kind === 'object') path = [...loc.path];
  } else {
    path = [...loc.path];
    if (loc.onKey) path.push(loc.onKey.key);
  }
  const root = parsed.root;
  const json = false;
  return {
    path,
    mode,
    prefix,
    replace: { start: replaceStart, end: Math.max(offset, replaceEnd) },
    json,
    root,
    ...(listItem ? { listItem } : {}),
    ...(reference ? { reference } : {}),
  };
}

function jsonContext(doc: DefinitionDocument, offset: number): CursorContext | undefined {
  const text = doc.text;
  const location = getLocation(text, offset);
  const node = location.previousNode;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const path = location.path.filter((s) => s !== '') as PathSegment[];
  let replace = { start: offset, end: offset };
  let prefix = '';
  if (node && offset >= node.offset && offset <= node.offset + node.length) {
    replace = { start: node.offset, end: node.offset + node.length };
    if (node.type === 'string') prefix = text.slice(node.offset + 1, offset);
    else prefix = text.slice(node.offset, offset);
  }
  if (location.isAtPropertyKey) {
    const objectPath = location.path.slice(0, -1) as PathSegment[];
    return { path: objectPath, mode: 'key', prefix, replace, json: true, root: doc.root };
  }
  const reference = node?.type === 'string' ? openReference(text.slice(Math.max(lineStart, node.offset + 1), offset), Math.max(lineStart, node.offset + 1)) : undefined;
  // A value inside an array with nothing typed: path ends with the index.
  const fixedPath = path.length > 0 && nodeAtPath(doc.root, path) === undefined && location.path[location.path.length - 1] === '' ? path : path;
  return { path: fixedPath, mode: 'value', prefix, replace, json: true, root: doc.root, ...(reference ? { reference } : {}) };
}
