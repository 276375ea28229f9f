// Lays a workflow graph out left to right with dagre. Each scope (the top level, and the tasks of each
// expanded group) is laid out on its own, since edges never cross a group's border in CDF: a group's
// tasks are placed first and the group becomes one large node of the scope around it. Inside a scope,
// each set of connected tasks is laid out by dagre and the sets are packed in rows, so a fan-out of 500
// independent tasks becomes a grid rather than one column 500 tasks tall (and costs no crossing search).
import { type GraphNode, type WorkflowGraph } from './model';

/** The part of dagre's API used here (its types are ES-module only; its CommonJS build has the same API). */
interface DagreGraph {
  setGraph(label: Record<string, unknown>): DagreGraph;
  graph(): { width?: number; height?: number };
  setDefaultEdgeLabel(label: () => object): DagreGraph;
  setNode(id: string, label: { width: number; height: number }): DagreGraph;
  setEdge(from: string, to: string): DagreGraph;
  node(id: string): { x: number; y: number; width: number; height: number };
  edge(from: string, to: string): { points?: { x: number; y: number }[] };
}
interface Dagre {
  graphlib: { Graph: new () => DagreGraph };
  layout(graph: DagreGraph): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dagre = require('@dagrejs/dagre') as Dagre;

export interface LayoutSizes {
  readonly nodeWidth: number;
  readonly nodeHeight: number;
  /** A collapsed group (its status bar below the task line). */
  readonly collapsedHeight: number;
  /** Space above a group's tasks for its own title line. */
  readonly groupHeader: number;
  readonly groupPadding: number;
  /** Between nodes of one rank, and between ranks. */
  readonly nodeGap: number;
  readonly rankGap: number;
}

export const DEFAULT_SIZES: LayoutSizes = { nodeWidth: 208, nodeHeight: 52, collapsedHeight: 72, groupHeader: 56, groupPadding: 14, nodeGap: 14, rankGap: 48 };

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

export interface GraphLayout {
  /** Top-left corners and sizes of the nodes drawn (a collapsed group's tasks are not drawn). */
  readonly boxes: ReadonlyMap<string, Box>;
  readonly edges: readonly PlacedEdge[];
  readonly width: number;
  readonly height: number;
}

interface ScopeLayout {
  boxes: Map<string, Box>;
  edges: PlacedEdge[];
  width: number;
  height: number;
}

/**
 * `expanded` names the groups whose tasks are drawn; the rest are drawn collapsed. A group without tasks
 * (a dynamic task that has not run) is an ordinary node.
 */
export function layoutGraph(graph: WorkflowGraph, expanded: ReadonlySet<string>, sizes: LayoutSizes = DEFAULT_SIZES): GraphLayout {
  const children = new Map<string | undefined, GraphNode[]>();
  for (const n of graph.nodes) {
    const list = children.get(n.parent) ?? [];
    list.push(n);
    children.set(n.parent, list);
  }
  const edgesByScope = new Map<string | undefined, { from: string; to: string }[]>();
  const parentOf = new Map(graph.nodes.map((n) => [n.id, n.parent]));
  for (const e of graph.edges) {
    const scope = parentOf.get(e.from);
    if (scope !== parentOf.get(e.to) || !parentOf.has(e.from) || !parentOf.has(e.to)) continue;
    const list = edgesByScope.get(scope) ?? [];
    list.push(e);
    edgesByScope.set(scope, list);
  }

  const layoutScope = (scope: string | undefined): ScopeLayout => {
    const nodes = children.get(scope) ?? [];
    const inner = new Map<string, ScopeLayout>();
    const size = new Map<string, { width: number; height: number }>();
    for (const n of nodes) {
      const hasTasks = (children.get(n.id)?.length ?? 0) > 0;
      if (n.group && hasTasks && expanded.has(n.id)) {
        const l = layoutScope(n.id);
        inner.set(n.id, l);
        size.set(n.id, { width: Math.max(sizes.nodeWidth, l.width + 2 * sizes.groupPadding), height: l.height + sizes.groupHeader + sizes.groupPadding });
      } else {
        size.set(n.id, { width: sizes.nodeWidth, height: n.group && hasTasks ? sizes.collapsedHeight : sizes.nodeHeight });
      }
    }
    const placed = placeScope(nodes.map((n) => n.id), edgesByScope.get(scope) ?? [], size, sizes);
    // Move each expanded group's tasks into its box.
    for (const [id, l] of inner) {
      const box = placed.boxes.get(id)!;
      const dx = box.x + (box.width - l.width) / 2;
      const dy = box.y + sizes.groupHeader;
      for (const [childId, b] of l.boxes) placed.boxes.set(childId, { ...b, x: b.x + dx, y: b.y + dy });
      for (const e of l.edges) placed.edges.push({ ...e, points: e.points.map((p) => ({ x: p.x + dx, y: p.y + dy })) });
    }
    return placed;
  };

  const top = layoutScope(undefined);
  return { boxes: top.boxes, edges: top.edges, width: top.width, height: top.height };
}

/** Connected sets of a scope's nodes, each in graph order, the sets in the order of their first node. */
function components(ids: readonly string[], edges: readonly { from: string; to: string }[]): string[][] {
  const root = new Map(ids.map((id) => [id, id]));
  const find = (id: string): string => {
    let r = id;
    while (root.get(r) !== r) r = root.get(r)!;
    root.set(id, r);
    return r;
  };
  for (const e of edges) {
    const a = find(e.from);
    const b = find(e.to);
    if (a !== b) root.set(b, a);
  }
  const sets = new Map<string, string[]>();
  for (const id of ids) {
    const r = find(id);
    const list = sets.get(r) ?? [];
    list.push(id);
    sets.set(r, list);
  }
  return [...sets.values()];
}

function placeScope(ids: readonly string[], edges: readonly { from: string; to: string }[], size: ReadonlyMap<string, { width: number; height: number }>, sizes: LayoutSizes): ScopeLayout {
  const parts = components(ids, edges).map((set) => placeComponent(set, edges, size, sizes));
  if (parts.length === 1) return parts[0];
  // Shelf packing: rows of components, each row as wide as a roughly square (4:3) layout allows.
  const area = parts.reduce((a, p) => a + (p.width + sizes.nodeGap) * (p.height + sizes.nodeGap), 0);
  const widest = parts.reduce((a, p) => Math.max(a, p.width), 0);
  const rowWidth = Math.max(widest, Math.sqrt(area * (4 / 3)));
  const out: ScopeLayout = { boxes: new Map(), edges: [], width: 0, height: 0 };
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const p of parts) {
    if (x > 0 && x + p.width > rowWidth) {
      x = 0;
      y += rowHeight + sizes.nodeGap;
      rowHeight = 0;
    }
    for (const [id, b] of p.boxes) out.boxes.set(id, { ...b, x: b.x + x, y: b.y + y });
    for (const e of p.edges) out.edges.push({ ...e, points: e.points.map((pt) => ({ x: pt.x + x, y: pt.y + y })) });
    out.width = Math.max(out.width, x + p.width);
    rowHeight = Math.max(rowHeight, p.height);
    x += p.width + sizes.nodeGap;
  }
  out.height = y + rowHeight;
  return out;
}

function placeComponent(set: readonly string[], allEdges: readonly { from: string; to: string }[], size: ReadonlyMap<string, { width: number; height: number }>, sizes: LayoutSizes): ScopeLayout {
  if (set.length === 1) {
    const s = size.get(set[0])!;
    return { boxes: new Map([[set[0], { x: 0, y: 0, ...s }]]), edges: [], width: s.width, height: s.height };
  }
  const members = new Set(set);
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: sizes.nodeGap, ranksep: sizes.rankGap, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const id of set) g.setNode(id, { ...size.get(id)! });
  const edges = allEdges.filter((e) => members.has(e.from) && members.has(e.to));
  for (const e of edges) g.setEdge(e.from, e.to);
  dagre.layout(g);
  const boxes = new Map<string, Box>();
  for (const id of set) {
    const n = g.node(id);
    boxes.set(id, { x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width, height: n.height });
  }
  const placedEdges = edges.map((e) => ({ from: e.from, to: e.to, points: (g.edge(e.from, e.to).points ?? []).map((p) => ({ x: p.x, y: p.y })) }));
  const graphLabel = g.graph();
  return { boxes, edges: placedEdges, width: graphLabel.width ?? 0, height: graphLabel.height ?? 0 };
}
