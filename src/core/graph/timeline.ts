// The timeline of an execution: each task's bar from start to end (running tasks up to now), the slowest
// task, and the critical path: the chain of dependencies that decided when the execution ended.
import { type GraphNode, NOT_STARTED, type WorkflowGraph } from './model';

export interface TimelineRow {
  readonly id: string;
  /** Indent: 0 at the top level, 1 for a group's tasks. */
  readonly depth: number;
  readonly start?: number;
  /** The end, or `now` for a task still running. */
  readonly end?: number;
  readonly running: boolean;
}

export interface Timeline {
  readonly rows: readonly TimelineRow[];
  /** Earliest start and latest end (or now) over all rows; undefined when nothing started. */
  readonly start?: number;
  readonly end?: number;
  /** The leaf task that took longest. */
  readonly slowest?: string;
  /** Node ids on the critical path, from first to last. */
  readonly criticalPath: readonly string[];
}

/** Rows in start order (tasks that have not started last, in graph order). */
export function timelineOf(graph: WorkflowGraph, now: number): Timeline {
  const rows: TimelineRow[] = [];
  let start: number | undefined;
  let end: number | undefined;
  let slowest: { id: string; ms: number } | undefined;
  for (const n of graph.nodes) {
    const running = n.startTime !== undefined && n.endTime === undefined && n.status !== NOT_STARTED && n.status !== 'SKIPPED' && n.status !== 'CANCELED';
    const rowEnd = n.endTime ?? (running ? Math.max(now, n.startTime ?? now) : undefined);
    rows.push({ id: n.id, depth: n.parent === undefined ? 0 : 1, ...(n.startTime !== undefined ? { start: n.startTime } : {}), ...(rowEnd !== undefined ? { end: rowEnd } : {}), running });
    if (n.startTime !== undefined) {
      start = start === undefined ? n.startTime : Math.min(start, n.startTime);
      if (rowEnd !== undefined) end = end === undefined ? rowEnd : Math.max(end, rowEnd);
      if (!n.group && rowEnd !== undefined && (!slowest || rowEnd - n.startTime > slowest.ms)) slowest = { id: n.id, ms: rowEnd - n.startTime };
    }
  }
  const order = new Map(graph.nodes.map((n, i) => [n.id, i]));
  rows.sort((a, b) => {
    if (a.start === undefined || b.start === undefined) return a.start === undefined ? (b.start === undefined ? order.get(a.id)! - order.get(b.id)! : 1) : -1;
    return a.start - b.start || order.get(a.id)! - order.get(b.id)!;
  });
  return { rows, ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}), ...(slowest ? { slowest: slowest.id } : {}), criticalPath: criticalPath(graph, now) };
}

/**
 * The chain that ended last: from the task (of the top level) that ended last, back through the dependency
 * that ended last, and so on; a group on the chain contributes its own chain of tasks before it.
 */
export function criticalPath(graph: WorkflowGraph, now: number): string[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const predecessors = new Map<string, string[]>();
  for (const e of graph.edges) {
    const list = predecessors.get(e.to) ?? [];
    list.push(e.from);
    predecessors.set(e.to, list);
  }
  const children = new Map<string | undefined, GraphNode[]>();
  for (const n of graph.nodes) {
    const list = children.get(n.parent) ?? [];
    list.push(n);
    children.set(n.parent, list);
  }
  const endOf = (n: GraphNode | undefined): number | undefined => {
    if (!n || n.startTime === undefined) return undefined;
    return n.endTime ?? Math.max(now, n.startTime);
  };
  const latest = (candidates: readonly GraphNode[]): GraphNode | undefined => {
    let best: GraphNode | undefined;
    for (const c of candidates) {
      const e = endOf(c);
      if (e !== undefined && (best === undefined || e > endOf(best)!)) best = c;
    }
    return best;
  };
  const chain = (scope: string | undefined): string[] => {
    const path: string[] = [];
    const seen = new Set<string>();
    let current = latest(children.get(scope) ?? []);
    while (current && !seen.has(current.id)) {
      seen.add(current.id);
      path.push(current.id);
      if (current.group) path.push(...chain(current.id).reverse());
      current = latest((predecessors.get(current.id) ?? []).map((id) => byId.get(id)).filter((n): n is GraphNode => n !== undefined));
    }
    return path.reverse();
  };
  return chain(undefined);
}
