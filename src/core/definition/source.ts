// One tree with source ranges for YAML and JSON alike: every language feature (diagnostics, completion,
// hover, symbols, navigation) reads this tree, never the parser's own nodes. Offsets are UTF-16 offsets
// into the text the user wrote (templates already mapped back, see templates.ts).

export type SourceNode = SourceObject | SourceArray | SourceScalar;

interface SourceBase {
  /** Offset of the node's first character. */
  readonly start: number;
  /** Offset just after the node's last character. */
  readonly end: number;
  /** True when the node's text comes (partly) from a `{{ variable }}` that was substituted or masked. */
  readonly templated?: boolean;
}

export interface SourceProperty {
  readonly key: string;
  readonly keyStart: number;
  readonly keyEnd: number;
  /** Undefined when the parser kept no value at all (a JSON key without a value). */
  readonly value: SourceNode | undefined;
}

export interface SourceObject extends SourceBase {
  readonly kind: 'object';
  readonly properties: readonly SourceProperty[];
}

export interface SourceArray extends SourceBase {
  readonly kind: 'array';
  readonly items: readonly SourceNode[];
}

export interface SourceScalar extends SourceBase {
  readonly kind: 'scalar';
  readonly value: string | number | boolean | null;
  /** The scalar was written in quotes (YAML '...'/"..." or any JSON string). */
  readonly quoted: boolean;
}

/** A step of a path: a key of an object or an index of an array. */
export type PathSegment = string | number;

export function property(node: SourceNode | undefined, key: string): SourceProperty | undefined {
  if (node?.kind !== 'object') return undefined;
  // The first occurrence wins, as in JSON.parse and the YAML library's toJS (duplicates are reported apart).
  return node.properties.find((p) => p.key === key);
}

export function child(node: SourceNode | undefined, key: string): SourceNode | undefined {
  return property(node, key)?.value;
}

/** The node at a path, e.g. ['workflowDefinition', 'tasks', 2, 'dependsOn']. */
export function nodeAtPath(root: SourceNode | undefined, path: readonly PathSegment[]): SourceNode | undefined {
  let node = root;
  for (const segment of path) {
    if (node === undefined) return undefined;
    if (typeof segment === 'number') node = node.kind === 'array' ? node.items[segment] : undefined;
    else node = child(node, segment);
  }
  return node;
}

/**
 * The innermost node that contains an offset, and the way down to it. An offset on a key gives the object
 * with `onKey` set; at the end of a node counts as inside it (the cursor after the last character).
 */
export interface NodeLocation {
  /** From the root down: each node with the segment that leads to the next. */
  readonly chain: readonly { node: SourceNode; segment?: PathSegment }[];
  readonly node: SourceNode;
  readonly path: readonly PathSegment[];
  /** Set when the offset is on a key of `node` (an object). */
  readonly onKey?: SourceProperty;
}

export function locate(root: SourceNode | undefined, offset: number): NodeLocation | undefined {
  if (!root || offset < root.start || offset > root.end) return undefined;
  const chain: { node: SourceNode; segment?: PathSegment }[] = [];
  const path: PathSegment[] = [];
  let node: SourceNode = root;
  for (;;) {
    if (node.kind === 'object') {
      const onKey = node.properties.find((p) => offset >= p.keyStart && offset <= p.keyEnd);
      if (onKey) {
        chain.push({ node });
        return { chain, node, path, onKey };
      }
      const inside = node.properties.find((p) => p.value && offset >= p.value.start && offset <= p.value.end);
      if (!inside?.value) break;
      chain.push({ node, segment: inside.key });
      path.push(inside.key);
      node = inside.value;
    } else if (node.kind === 'array') {
      const index = node.items.findIndex((item) => offset >= item.start && offset <= item.end);
      const item = node.items[index];
      if (!item) break;
      chain.push({ node, segment: index });
      path.push(index);
      node = item;
    } else {
      break;
    }
  }
  chain.push({ node });
  return { chain, node, path };
}

/** The plain value of a node (objects keep the first of duplicate keys, as the parsers do). */
export function toValue(node: SourceNode | undefined): unknown {
  if (node === undefined) return null;
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'array':
      return node.items.map(toValue);
    case 'object': {
      const out: Record<string, unknown> = {};
      const props = node.properties;
      for (let i = 0; i < props.length; i++) {
        const p = props[i];
        // The first of duplicate keys wins; `in` would also see Object.prototype's names.
        if (out[p.key] === undefined || !Object.prototype.hasOwnProperty.call(out, p.key)) out[p.key] = toValue(p.value);
      }
      return out;
    }
  }
}

/** Calls `visit` for every node below and including `node`, with its path. */
export function walk(node: SourceNode | undefined, visit: (node: SourceNode, path: readonly PathSegment[]) => void, path: PathSegment[] = []): void {
  if (!node) return;
  visit(node, path);
  if (node.kind === 'object') {
    for (const p of node.properties) {
      path.push(p.key);
      walk(p.value, visit, path);
      path.pop();
    }
  } else if (node.kind === 'array') {
    node.items.forEach((item, i) => {
      path.push(i);
      walk(item, visit, path);
      path.pop();
    });
  }
}

/** A checker path such as `tasks[2].parameters["x-y"].a` as segments: ['tasks', 2, 'parameters', 'x-y', 'a']. */
export function parseJsonPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const pattern = /([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\./gy;
  let match: RegExpExecArray | null;
  pattern.lastIndex = 0;
  while (pattern.lastIndex < path.length && (match = pattern.exec(path)) !== null) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[3] !== undefined) segments.push(JSON.parse(match[3]) as string);
  }
  return segments;
}
