// The graph a workflow view draws: tasks as nodes, dependsOn as edges, and the tasks of a dynamic or
// subworkflow task grouped under it. Built from a definition (no statuses) or from an execution (every
// task of the definition, started or not, with its status). Plain data: it crosses into the webview.

/** A task that has not started yet in a running (or ended) execution. */
export const NOT_STARTED = 'NOT_STARTED';

export interface GraphDiagnostic {
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
}

export interface GraphNode {
  /** Unique in the graph: the external id, prefixed by the group's id for tasks inside a group. */
  readonly id: string;
  readonly externalId: string;
  /** The id of the dynamic or subworkflow task this task belongs to. */
  readonly parent?: string;
  readonly name?: string;
  readonly type: string;
  /** A dynamic or subworkflow task: its tasks are drawn inside it (or counted when collapsed). */
  readonly group: boolean;
  /** What it runs, on one line: a function's external id, `GET /path`, `subworkflow wf@v`, ... */
  readonly detail?: string;
  /** A task status (TaskStatus), NOT_STARTED, or absent in a definition. */
  readonly status?: string;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly reason?: string;
  /** Retries allowed by the definition. */
  readonly retries?: number;
  /** Retries seen while the view followed the execution (CDF does not report attempts). */
  readonly retriesSeen?: number;
  readonly timeout?: number;
  readonly onFailure?: string;
  /** The task execution's id (for task updates). */
  readonly taskExecutionId?: string;
  /** An async function task waiting for its completion. */
  readonly asyncWaiting?: boolean;
  /** A function task that made a call: its logs can be shown. */
  readonly hasLogs?: boolean;
  /** Findings of the editor on this task (definition files). */
  readonly diagnostics?: readonly GraphDiagnostic[];
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
}

export interface WorkflowGraph {
  /** Definition order; a group's tasks follow the group. */
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** Separates a group's id from a task's external id in node ids (not a character external ids use). */
export const ID_SEPARATOR = '\u001f';

export function nodeId(externalId: string, parent?: string): string {
  return parent === undefined ? externalId : `${parent}${ID_SEPARATOR}${externalId}`;
}

/** What a layout depends on: the nodes, their groups and the edges, not the statuses. */
export function structureKey(graph: WorkflowGraph): string {
  const parts: string[] = [];
  for (const n of graph.nodes) parts.push(`${n.id}\u0000${n.parent ?? ''}\u0000${n.group ? 1 : 0}`);
  parts.push('\u0001');
  for (const e of graph.edges) parts.push(`${e.from}\u0000${e.to}`);
  return parts.join('\u0002');
}

/** Statuses that end a task for good (it may still be retried by an execution retry). */
export const FAILED_TASK_STATUSES: ReadonlySet<string> = new Set(['FAILED', 'FAILED_WITH_TERMINAL_ERROR', 'TIMED_OUT']);
export const RUNNING_TASK_STATUSES: ReadonlySet<string> = new Set(['IN_PROGRESS', 'SCHEDULED']);
export const DONE_TASK_STATUSES: ReadonlySet<string> = new Set([
  'COMPLETED',
  'COMPLETED_WITH_ERRORS',
  'FAILED',
  'FAILED_WITH_TERMINAL_ERROR',
  'TIMED_OUT',
  'CANCELED',
  'SKIPPED',
]);

/** Counts of a group's tasks by status, for a collapsed group. */
export function statusCounts(graph: WorkflowGraph, groupId: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of graph.nodes) {
    if (n.parent !== groupId) continue;
    const s = n.status ?? NOT_STARTED;
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return counts;
}
