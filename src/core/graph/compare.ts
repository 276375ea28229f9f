// Two executions side by side: each normalised to the JSON a diff reads well (input, metadata, and every
// task in graph order with its status, duration and output), and one line on what changed.
import { RUN_ID_METADATA_KEY } from '../api/runReconcile';
import { type ExecutionLike, graphOfExecution } from './build';
import { formatDuration, statusWord } from './format';
import { ID_SEPARATOR } from './model';

/** What comparing reads of an execution; the client's ExecutionDetailed fits it. */
export interface ComparedExecution extends ExecutionLike {
  readonly id: string;
  readonly workflowExternalId: string;
  readonly version?: string | null;
  readonly startTime?: number | null;
  readonly endTime?: number | null;
  readonly createdTime: number;
  readonly reasonForIncompletion?: string | null;
  readonly input?: unknown;
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface NormalisedTask {
  /** `group › task` for a group's tasks. */
  readonly task: string;
  readonly type: string;
  readonly status: string;
  readonly duration: string | null;
  readonly reason?: string;
  readonly output?: unknown;
}

export interface NormalisedExecution {
  readonly workflow: string;
  readonly version: string | null;
  readonly status: string;
  readonly duration: string | null;
  readonly reason?: string;
  readonly input: unknown;
  readonly metadata: Record<string, string>;
  readonly tasks: readonly NormalisedTask[];
}

/** Output fields that name one run's call, job or simulation run: they differ every time and say nothing. */
const PER_RUN_OUTPUT_KEYS: Readonly<Record<string, readonly string[]>> = {
  function: ['callId'],
  transformation: ['jobId'],
  simulation: ['runId', 'logId'],
};

function sortedJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedJson);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortedJson((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

function durationOf(start: number | null | undefined, end: number | null | undefined): string | null {
  return start != null && end != null ? formatDuration(end - start) : null;
}

export function normaliseExecution(e: ComparedExecution): NormalisedExecution {
  const graph = graphOfExecution(e);
  const outputs = new Map<string, unknown>();
  for (const t of e.executedTasks) {
    const parent = t.parentTaskExternalId && t.parentTaskExternalId !== t.externalId ? t.parentTaskExternalId : undefined;
    outputs.set(parent === undefined ? t.externalId : `${parent}${ID_SEPARATOR}${t.externalId}`, t.output);
  }
  const tasks = graph.nodes.map((n): NormalisedTask => {
    let output = outputs.get(n.id);
    const drop = PER_RUN_OUTPUT_KEYS[n.type];
    if (drop && typeof output === 'object' && output !== null && !Array.isArray(output)) {
      output = Object.fromEntries(Object.entries(output).filter(([k]) => !drop.includes(k)));
    }
    return {
      task: n.parent === undefined ? n.externalId : n.id.split(ID_SEPARATOR).join(' › '),
      type: n.type,
      status: statusWord(n.status ?? 'NOT_STARTED'),
      duration: durationOf(n.startTime, n.endTime),
      ...(n.reason ? { reason: n.reason } : {}),
      ...(output !== undefined ? { output: sortedJson(output) } : {}),
    };
  });
  const metadata: Record<string, string> = {};
  for (const key of Object.keys(e.metadata ?? {}).sort()) if (key !== RUN_ID_METADATA_KEY) metadata[key] = e.metadata![key]!;
  return {
    workflow: e.workflowExternalId,
    version: e.version ?? null,
    status: statusWord(e.status),
    duration: durationOf(e.startTime, e.endTime),
    ...(e.reasonForIncompletion ? { reason: e.reasonForIncompletion } : {}),
    input: sortedJson(e.input ?? {}),
    metadata,
    tasks,
  };
}

function msOf(start: number | null | undefined, end: number | null | undefined): number | undefined {
  return start != null && end != null ? end - start : undefined;
}

/** One line: the execution's status, tasks whose status differs, the task that slowed down most, input and outputs. */
export function compareSummary(a: ComparedExecution, b: ComparedExecution): string {
  const na = normaliseExecution(a);
  const nb = normaliseExecution(b);
  const parts: string[] = [];
  parts.push(na.status === nb.status ? `Both ${na.status.toLowerCase()}` : `Status ${na.status} → ${nb.status}`);

  const before = new Map(na.tasks.map((t) => [t.task, t]));
  const changed = nb.tasks.filter((t) => before.has(t.task) && before.get(t.task)!.status !== t.status);
  const added = nb.tasks.filter((t) => !before.has(t.task)).length;
  const removed = na.tasks.filter((t) => !nb.tasks.some((u) => u.task === t.task)).length;
  if (changed.length === 0) parts.push('no task changed status');
  else {
    const shown = changed.slice(0, 5).map((t) => `${t.task} (${before.get(t.task)!.status} → ${t.status})`);
    parts.push(`${changed.length} ${changed.length === 1 ? 'task' : 'tasks'} changed status: ${shown.join(', ')}${changed.length > 5 ? ', …' : ''}`);
  }
  if (added) parts.push(`${added} ${added === 1 ? 'task' : 'tasks'} only in the second`);
  if (removed) parts.push(`${removed} ${removed === 1 ? 'task' : 'tasks'} only in the first`);

  const graphA = graphOfExecution(a);
  const graphB = graphOfExecution(b);
  const timesA = new Map(graphA.nodes.map((n) => [n.id, msOf(n.startTime, n.endTime)]));
  let growth: { id: string; from: number; to: number } | undefined;
  for (const n of graphB.nodes) {
    if (n.group) continue;
    const from = timesA.get(n.id);
    const to = msOf(n.startTime, n.endTime);
    if (from === undefined || to === undefined || to <= from) continue;
    if (!growth || to - from > growth.to - growth.from) growth = { id: n.id, from, to };
  }
  if (growth) {
    parts.push(`slowest growth: ${growth.id.split(ID_SEPARATOR).join(' › ')} ${formatDuration(growth.from)} → ${formatDuration(growth.to)} (+${formatDuration(growth.to - growth.from)})`);
  }
  parts.push(JSON.stringify(na.input) === JSON.stringify(nb.input) ? 'same input' : 'input differs');
  const outputsDiffer = nb.tasks.filter((t) => before.has(t.task) && JSON.stringify(before.get(t.task)!.output) !== JSON.stringify(t.output)).length;
  if (outputsDiffer) parts.push(`${outputsDiffer} ${outputsDiffer === 1 ? 'output differs' : 'outputs differ'}`);
  const sentence = parts.join('; ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}
