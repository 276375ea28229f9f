// Executions as compact text for a language model: a summary, the tasks that went wrong with their reasons
// and inputs, then one line per task, within the answer's budget. Every cut says what was left out and the
// call that fetches it.
import { elapsed, formatDuration, formatTimestamp } from '../executions/format';
import { childTasks, functionCallOf, isAsyncWaiting, retriesOf, taskDefinitionOf, topLevelTasks } from '../executions/taskTree';
import { type Execution, type ExecutionDetailed } from '../schemas/executions';
import { type TaskExecution } from '../schemas/tasks';
import { BoundedText, compactJson, oneLine, plural } from './budget';
import { TOOL } from './inputs';

/** Where an answer comes from and how long it may be. */
export interface TextContext {
  readonly connection: string;
  readonly project: string;
  /** Clock time the answer was made (durations of running work count to it). */
  readonly now: number;
  readonly maxChars: number;
}

/** Room kept for the notes that say what was cut and how to get it. */
export const NOTE_RESERVE = 480;

/** Task statuses that need a look: the task failed, timed out, or failed and was skipped. */
export const PROBLEM_TASK_STATUSES: readonly string[] = ['FAILED', 'FAILED_WITH_TERMINAL_ERROR', 'TIMED_OUT', 'COMPLETED_WITH_ERRORS'];

export function isProblemTask(t: TaskExecution): boolean {
  return PROBLEM_TASK_STATUSES.includes(t.status);
}

/** `daily-asset-sync@2` */
export function versionName(e: Pick<Execution, 'workflowExternalId' | 'version'>): string {
  return `${e.workflowExternalId}@${e.version ?? '?'}`;
}

/** `connection "Local sandbox" (project sandbox)` */
export function where(ctx: Pick<TextContext, 'connection' | 'project'>): string {
  return `connection "${ctx.connection}" (project ${ctx.project})`;
}

function took(start: number | null | undefined, end: number | null | undefined, now: number): string {
  const ms = elapsed(start, end, now);
  return ms === undefined ? '' : `${formatDuration(ms)}${end ? '' : ' so far'}`;
}

/** Counts by status, most frequent first: `COMPLETED 430, FAILED 2`. */
export function statusCounts(items: readonly { status: string }[]): string {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i.status, (counts.get(i.status) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
}

/** One line per execution in a list. */
export function executionLine(e: Execution, now: number): string {
  const parts = [`- ${e.id} ${versionName(e)} ${e.status}`, `created ${formatTimestamp(e.createdTime)}`];
  const t = took(e.startTime, e.endTime, now);
  if (t) parts.push(`took ${t}`);
  let line = parts.join(', ');
  if (e.reasonForIncompletion) line += `; reason: ${oneLine(e.reasonForIncompletion, 200)}`;
  return line;
}

/** The execution's own lines: status, times, reason, input, metadata. */
export function executionSummary(e: ExecutionDetailed, ctx: TextContext, inputChars = 800): string[] {
  const lines = [`Execution ${e.id}: ${versionName(e)} ${e.status} on ${where(ctx)}.`];
  const times = [`created ${formatTimestamp(e.createdTime)}`];
  if (e.startTime) times.push(`started ${formatTimestamp(e.startTime)}`);
  if (e.endTime) times.push(`ended ${formatTimestamp(e.endTime)}`);
  const t = took(e.startTime, e.endTime, ctx.now);
  if (t) times.push(`took ${t}`);
  lines.push(`${times.join(', ')}; read at ${formatTimestamp(ctx.now)}.`);
  if (e.reasonForIncompletion) lines.push(`reason: ${oneLine(e.reasonForIncompletion, 1000)}`);
  lines.push(`input: ${e.input === undefined || e.input === null ? 'none' : compactJson(e.input, inputChars)}`);
  const metadata = Object.entries(e.metadata ?? {});
  if (metadata.length) lines.push(`metadata: ${oneLine(metadata.map(([k, v]) => `${k}=${v}`).join(', '), 600)}`);
  return lines;
}

export interface OrderedTask {
  readonly task: TaskExecution;
  /** Parent task ids, outermost first (children of dynamic and subworkflow tasks). */
  readonly parents: readonly string[];
}

/** Tasks in the order CDF lists them, each followed by the tasks it started. */
export function orderedTasks(e: ExecutionDetailed): OrderedTask[] {
  const out: OrderedTask[] = [];
  const seen = new Set<TaskExecution>();
  const visit = (task: TaskExecution, parents: string[]) => {
    if (seen.has(task)) return;
    seen.add(task);
    out.push({ task, parents });
    for (const child of childTasks(e, task)) visit(child, [...parents, task.externalId]);
  };
  for (const t of topLevelTasks(e)) visit(t, []);
  // Anything the walk did not reach (odd parent links) still shows.
  for (const t of e.executedTasks) visit(t, []);
  return out;
}

function taskName(o: OrderedTask): string {
  return [...o.parents, o.task.externalId].join(' › ');
}

/** What the task calls or runs, from its definition: `function fn-extract`, `transformation tr-load`. */
function target(e: ExecutionDetailed, t: TaskExecution): string {
  const params = (taskDefinitionOf(e, t) as { parameters?: Record<string, unknown> } | undefined)?.parameters ?? t.input;
  const inner = (key: string, field: string): string | undefined => {
    const v = (params?.[key] as Record<string, unknown> | undefined)?.[field];
    return typeof v === 'string' ? v : undefined;
  };
  switch (t.taskType) {
    case 'function':
      return inner('function', 'externalId') ? `function ${inner('function', 'externalId')}` : 'function';
    case 'transformation':
      return inner('transformation', 'externalId') ? `transformation ${inner('transformation', 'externalId')}` : 'transformation';
    case 'cdf':
      return inner('cdfRequest', 'method') ? `cdf ${inner('cdfRequest', 'method')} ${inner('cdfRequest', 'resourcePath') ?? ''}`.trim() : 'cdf';
    case 'subworkflow': {
      const wf = inner('subworkflow', 'workflowExternalId');
      return wf ? `subworkflow ${wf}@${inner('subworkflow', 'version') ?? '?'}` : 'subworkflow';
    }
    default:
      return t.taskType;
  }
}

/** One line per task: `- load [transformation tr-load] COMPLETED 4 s`; a failed task's reason unless shown elsewhere. */
export function taskLine(e: ExecutionDetailed, o: OrderedTask, now: number, withReason = true): string {
  const t = o.task;
  let line = `- ${taskName(o)} [${target(e, t)}] ${t.status}`;
  const d = took(t.startTime, t.endTime, now);
  if (d) line += ` ${d}`;
  if (isAsyncWaiting(e, t)) line += ' (waiting for an async completion)';
  if (withReason && t.reasonForIncompletion && isProblemTask(t)) line += `; reason: ${oneLine(t.reasonForIncompletion, 160)}`;
  return line;
}

/** A task in detail: status and settings, reason, resolved input and output (each within `chars`). */
export function taskDetail(e: ExecutionDetailed, o: OrderedTask, now: number, chars: { reason: number; input: number; output: number }): string[] {
  const t = o.task;
  const def = taskDefinitionOf(e, t) as { timeout?: unknown; onFailure?: unknown; dependsOn?: unknown } | undefined;
  const facts: string[] = [`task id ${t.id}`];
  const d = took(t.startTime, t.endTime, now);
  if (d) facts.push(`${t.endTime ? 'took' : 'running for'} ${d}`);
  const retries = retriesOf(taskDefinitionOf(e, t));
  if (retries !== undefined) facts.push(`retries allowed ${retries}`);
  if (typeof def?.timeout === 'number') facts.push(`timeout ${def.timeout} s`);
  if (typeof def?.onFailure === 'string') facts.push(`onFailure ${def.onFailure}`);
  const deps = Array.isArray(def?.dependsOn) ? (def.dependsOn as { externalId?: unknown }[]).map((x) => String(x.externalId)) : [];
  if (deps.length) facts.push(`depends on ${deps.join(', ')}`);
  const call = functionCallOf(t);
  if (call) facts.push(`function id ${call.functionId} call id ${call.callId}`);
  if (isAsyncWaiting(e, t)) facts.push('waiting for an async completion');
  const lines = [`* ${taskName(o)} [${target(e, t)}] ${t.status}: ${facts.join('; ')}`];
  if (t.reasonForIncompletion) lines.push(`  reason: ${oneLine(t.reasonForIncompletion, chars.reason)}`);
  const children = childTasks(e, t);
  if (children.length) {
    // A dynamic or subworkflow task's input and output are its task list: the tasks it started say more.
    lines.push(`  started ${plural(children.length, 'task')}: ${statusCounts(children)}`);
    return lines;
  }
  if (chars.input > 0) lines.push(`  input: ${compactJson(t.input, chars.input)}`);
  if (chars.output > 0 && t.output !== undefined && !(typeof t.output === 'object' && t.output !== null && Object.keys(t.output).length === 0)) {
    lines.push(`  output: ${compactJson(t.output, chars.output)}`);
  }
  return lines;
}

/**
 * The tasks that went wrong, where it happened first: tasks that started no failed task of their own
 * before the dynamic and subworkflow tasks that failed because of them.
 */
export function problemTasks(e: ExecutionDetailed, ordered: readonly OrderedTask[]): OrderedTask[] {
  const problems = ordered.filter((o) => isProblemTask(o.task));
  const containers = new Set(problems.filter((p) => childTasks(e, p.task).some(isProblemTask)).map((p) => p.task));
  return [...problems.filter((p) => !containers.has(p.task)), ...problems.filter((p) => containers.has(p.task))];
}

export interface ExecutionView {
  readonly taskExternalId?: string;
  readonly taskStatus?: readonly string[];
  readonly taskOffset?: number;
}

/** An execution for get-execution: summary, the tasks that went wrong in detail, then every task, from the offset. */
export function formatExecution(e: ExecutionDetailed, view: ExecutionView, ctx: TextContext): string {
  const out = new BoundedText(ctx.maxChars);
  for (const line of executionSummary(e, ctx)) out.addClipped(line, NOTE_RESERVE);
  const ordered = orderedTasks(e);
  out.addClipped(`tasks: ${ordered.length} ran of ${e.workflowDefinition.tasks.length} defined${ordered.length ? ` (${statusCounts(ordered.map((o) => o.task))})` : ''}.`, NOTE_RESERVE);

  if (view.taskExternalId !== undefined) {
    const matches = ordered.filter((o) => o.task.externalId === view.taskExternalId);
    if (matches.length === 0) {
      const ids = ordered.map((o) => o.task.externalId);
      out.note(
        `No task "${view.taskExternalId}" ran in this execution. ` +
          (ids.length ? `Tasks that ran: ${oneLine(ids.join(', '), 1500)}.` : 'No task has run yet.'),
      );
      return out.toString();
    }
    for (const m of matches) {
      const room = Math.floor(out.remaining(NOTE_RESERVE) / matches.length);
      for (const line of taskDetail(e, m, ctx.now, { reason: 2000, input: Math.floor(room * 0.45), output: Math.floor(room * 0.45) })) out.addClipped(line, NOTE_RESERVE);
      const children = ordered.filter((o) => o.parents.includes(m.task.externalId));
      if (children.length) {
        out.addClipped(`  started ${plural(children.length, 'task')}: ${statusCounts(children.map((c) => c.task))}`, NOTE_RESERVE);
        let shown = 0;
        for (const c of children) {
          if (!out.add(`  ${taskLine(e, c, ctx.now)}`, NOTE_RESERVE)) break;
          shown++;
        }
        if (shown < children.length) out.note(`[truncated: ${children.length - shown} more started tasks; list them with ${TOOL.getExecution} {"executionId":"${e.id}","taskOffset":N}.]`);
      }
    }
    return out.toString();
  }

  const filter = view.taskStatus?.length ? view.taskStatus : undefined;
  const problems = filter ? [] : problemTasks(e, ordered);
  if (problems.length) {
    out.addClipped(`tasks that failed (${problems.length}):`, NOTE_RESERVE);
    // At most half of what is left: the task list needs room too.
    const stopAt = out.remaining(NOTE_RESERVE) / 2;
    const start = out.remaining(NOTE_RESERVE);
    let shown = 0;
    for (const p of problems) {
      if (start - out.remaining(NOTE_RESERVE) > stopAt) break;
      const lines = taskDetail(e, p, ctx.now, { reason: 600, input: 500, output: 300 });
      for (const line of lines) out.addClipped(line, NOTE_RESERVE);
      shown++;
    }
    if (shown < problems.length) {
      out.addClipped(`  (${problems.length - shown} more failed tasks: call ${TOOL.getExecution} with taskStatus ${JSON.stringify([...new Set(problems.map((p) => p.task.status))])} to list them, or taskExternalId for one in full.)`, NOTE_RESERVE);
    }
  }

  const list = filter ? ordered.filter((o) => filter.includes(o.task.status)) : ordered;
  const offset = Math.min(view.taskOffset ?? 0, list.length);
  if (list.length === 0) {
    out.note(filter ? `No task has status ${filter.join(' or ')}.` : e.status === 'RUNNING' ? 'No task has started yet.' : 'No task ran.');
    return out.toString();
  }
  out.addClipped(
    `${filter ? `tasks with status ${filter.join(' or ')}` : 'all tasks'}${offset > 0 ? `, from number ${offset + 1}` : ''} (${list.length}):`,
    NOTE_RESERVE,
  );
  let next = offset;
  // Without a filter the failed tasks' reasons are in the section above.
  while (next < list.length && out.add(taskLine(e, list[next], ctx.now, filter !== undefined), NOTE_RESERVE)) next++;
  if (next < list.length) {
    const rest = list.slice(next);
    out.note(
      `[truncated: tasks ${next + 1}–${list.length} of ${list.length} not shown (${statusCounts(rest.map((o) => o.task))}). ` +
        `Next page: ${TOOL.getExecution} ${JSON.stringify({ executionId: e.id, ...(filter ? { taskStatus: filter } : {}), taskOffset: next })}; ` +
        'or filter with taskStatus, or one task in full with taskExternalId.]',
    );
  }
  return out.toString();
}

export interface ExecutionListView {
  readonly filters: string;
  /** More executions match than were read. */
  readonly more: boolean;
}

export function formatExecutionList(items: readonly Execution[], view: ExecutionListView, ctx: TextContext): string {
  const out = new BoundedText(ctx.maxChars);
  out.addClipped(
    `Executions on ${where(ctx)}, newest first, read at ${formatTimestamp(ctx.now)}${view.filters ? `; filter: ${view.filters}` : ''}: ` +
      `${items.length}${view.more ? ' shown, more match' : ''}${items.length ? ` (${statusCounts(items)})` : ''}.`,
    NOTE_RESERVE,
  );
  if (items.length === 0) {
    out.note('No execution matches. Widen the filter (status, createdAfter) or list workflows with ' + `${TOOL.listWorkflows}.`);
    return out.toString();
  }
  let shown = 0;
  while (shown < items.length && out.add(executionLine(items[shown], ctx.now), NOTE_RESERVE)) shown++;
  const oldest = items[items.length - 1];
  if (shown < items.length) {
    out.note(`[truncated: ${items.length - shown} more executions not shown; ask for fewer with limit, or narrow with status or createdBefore.]`);
  } else if (view.more && oldest) {
    out.note(`More executions match: call ${TOOL.listExecutions} again with createdBefore "${new Date(oldest.createdTime).toISOString()}" for older ones.`);
  }
  out.note(`Details of one: ${TOOL.getExecution} {"executionId": "<id>"}; why one failed: ${TOOL.explainFailure}.`);
  return out.toString();
}
