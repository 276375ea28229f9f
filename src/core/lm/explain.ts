// Explain a failure in one call: the failed and timed-out tasks with their reasons and resolved inputs,
// what the tasks upstream of them produced, the end of the failed function calls' logs, what never ran,
// and how the version fared lately. Everything is read (never written) and fits the answer's budget.
import { formatTimestamp } from '../executions/format';
import { functionCallOf, taskDefinitionOf } from '../executions/taskTree';
import { describeError } from './describeError';
import { InputError } from '../errors';
import { type Execution, type ExecutionDetailed, isTerminalExecutionStatus } from '../schemas/executions';
import { BoundedText, clip, compactJson, oneLine, plural } from './budget';
import { executionSummary, NOTE_RESERVE, type OrderedTask, orderedTasks, problemTasks, statusCounts, taskDetail, taskLine, type TextContext, versionName, where } from './executionText';
import { functionCallLines, logTail } from './functionLogsText';
import { TOOL, type ToolInput } from './inputs';
import { fit, type ReadContext, readFunctionCall, retrieveExecution, retrieveWorkflow } from './read';

/** Failed tasks explained in full; the rest get a line each. */
const MAX_DETAILED = 4;
/** Failed function calls whose logs are read. */
const MAX_LOGS = 3;
const FAILED_EXECUTION_STATUSES = ['FAILED', 'TIMED_OUT', 'TERMINATED'] as const;

/** The execution to explain: the one named, or the latest that did not complete of a workflow (and version). */
async function executionToExplain(input: ToolInput<typeof TOOL.explainFailure>, ctx: ReadContext): Promise<ExecutionDetailed | string> {
  if (input.executionId !== undefined) return retrieveExecution(ctx, input.executionId);
  if (input.workflowExternalId === undefined) {
    if (input.version !== undefined) throw new InputError('A version needs its workflow: pass workflowExternalId too.');
    throw new InputError(`Name what to explain: executionId, or workflowExternalId (and version) for its latest failed execution. Recent failures: ${TOOL.listExecutions} {"status": "FAILED"}.`);
  }
  const workflowFilters = [{ externalId: input.workflowExternalId, ...(input.version !== undefined ? { version: input.version } : {}) }];
  const failed = await ctx.client.executions.list({ filter: { workflowFilters, status: [...FAILED_EXECUTION_STATUSES] }, limit: 1, signal: ctx.signal });
  const latest = failed.items[0];
  if (latest) return retrieveExecution(ctx, latest.id);
  await retrieveWorkflow(ctx, input.workflowExternalId);
  const recent = await ctx.client.executions.list({ filter: { workflowFilters }, limit: 5, signal: ctx.signal });
  const name = `${input.workflowExternalId}${input.version !== undefined ? `@${input.version}` : ''}`;
  return (
    `No execution of ${name} on ${where(ctx)} has failed, timed out or been terminated (as far as CDF keeps executions: about 3 months). ` +
    (recent.items.length
      ? `Its latest executions: ${recent.items.map((e) => `${e.id} ${e.status} created ${formatTimestamp(e.createdTime)}`).join('; ')}.`
      : 'It has no executions.')
  );
}

/** Tasks the failed task's definition depends on, as they ran in this execution. */
function upstreamOf(e: ExecutionDetailed, o: OrderedTask, ordered: readonly OrderedTask[]): OrderedTask[] {
  const def = taskDefinitionOf(e, o.task) as { dependsOn?: unknown } | undefined;
  const deps = Array.isArray(def?.dependsOn) ? (def.dependsOn as { externalId?: unknown }[]).map((d) => d.externalId).filter((x): x is string => typeof x === 'string') : [];
  const parent = o.parents[o.parents.length - 1];
  return deps.flatMap((id) => ordered.filter((x) => x.task.externalId === id && x.parents[x.parents.length - 1] === parent).slice(0, 1));
}

/** A failed function task's call as read: status, logs and response, or why they could not be read. */
type CallRead = { readonly call: Awaited<ReturnType<typeof readFunctionCall>>; readonly functionExternalId?: string } | { readonly error: string; readonly callId: number; readonly functionId: number };

async function readCall(ctx: ReadContext, o: OrderedTask): Promise<CallRead | undefined> {
  const call = functionCallOf(o.task);
  if (!call) return undefined;
  try {
    const fn = (o.task.input as { function?: { externalId?: unknown } } | undefined)?.function?.externalId;
    return { call: await readFunctionCall(ctx, call.functionId, call.callId), functionExternalId: typeof fn === 'string' ? fn : undefined };
  } catch (err) {
    return { error: oneLine(describeError(err), 300), ...call };
  }
}

/** The call's lines under its task: status, error, response, then as much of the end of its logs as fits. */
function callLines(read: CallRead, o: OrderedTask, e: ExecutionDetailed, c: { where: string; now: number }, maxChars: number): string[] {
  if ('error' in read) return [`  function call ${read.callId} of function ${read.functionId}: its logs could not be read (${read.error}).`];
  const { call, logs, response } = read.call;
  const fn = read.functionExternalId;
  const head = functionCallLines(call, response, { functionExternalId: fn, where: c.where, now: c.now }, { trace: 800, response: 300 })
    // The first line repeats the connection and task; the section is under the task already.
    .map((l, i) => (i === 0 ? `  function call ${call.id} of function ${call.functionId}${fn ? ` (${fn})` : ''}: ${call.status}.` : `  ${l}`));
  const used = head.reduce((n, l) => n + l.length + 1, 0);
  const more = `  (earlier lines: ${TOOL.getFunctionLogs} {"executionId": "${e.id}", "taskExternalId": "${o.task.externalId}", "contains": "<text>"})`;
  const tail = logTail(logs, Math.max(0, maxChars - used - more.length - 60), 400, '    ');
  const lines = [...head];
  if (logs.length === 0) lines.push('  logs: none.');
  else {
    lines.push(`  logs: ${plural(logs.length, 'line')}; the last ${tail.length}:`);
    lines.push(...tail);
    if (tail.length < logs.length) lines.push(more);
  }
  return lines;
}

interface Gathered {
  readonly e: ExecutionDetailed;
  readonly ordered: readonly OrderedTask[];
  readonly problems: readonly OrderedTask[];
  readonly calls: ReadonlyMap<OrderedTask, CallRead>;
  readonly history: readonly Execution[];
}

/** Reads everything an explanation needs (all reads, in parallel where they can be). */
async function gather(e: ExecutionDetailed, ctx: ReadContext): Promise<Gathered> {
  const ordered = orderedTasks(e);
  const problems = problemTasks(e, ordered);
  const workflowFilters = e.version ? [{ externalId: e.workflowExternalId, version: e.version }] : [{ externalId: e.workflowExternalId }];
  const withCalls = problems.slice(0, MAX_DETAILED).filter((o) => functionCallOf(o.task)).slice(0, MAX_LOGS);
  const [reads, history] = await Promise.all([
    Promise.all(withCalls.map(async (o) => [o, await readCall(ctx, o)] as const)),
    isTerminalExecutionStatus(e.status)
      ? ctx.client.executions.list({ filter: { workflowFilters }, limit: 10, signal: ctx.signal }).then(
          (p) => p.items,
          (): Execution[] => [],
        )
      : Promise.resolve<Execution[]>([]),
  ]);
  const calls = new Map<OrderedTask, CallRead>();
  for (const [o, read] of reads) if (read) calls.set(o, read);
  return { e, ordered, problems, calls, history };
}

/** The explanation within `t.maxChars`: each explained task gets an equal share of what the summary leaves. */
function formatExplanation({ e, ordered, problems, calls, history }: Gathered, t: TextContext): string {
  const detailed = problems.slice(0, MAX_DETAILED);
  const out = new BoundedText(t.maxChars);
  const verdict =
    e.status === 'RUNNING'
      ? `is still running${problems.length ? `, and ${plural(problems.length, 'task')} already failed` : ''}`
      : e.status === 'COMPLETED'
        ? problems.length
          ? `completed, but ${plural(problems.length, 'task')} failed and ${problems.length === 1 ? 'was' : 'were'} skipped (onFailure skipTask)`
          : 'completed: nothing failed'
        : `ended ${e.status}${problems.length ? ` with ${plural(problems.length, 'failed task')}` : ''}`;
  out.addClipped(`Why execution ${e.id} of ${versionName(e)} ${verdict}.`, NOTE_RESERVE);
  for (const line of executionSummary(e, t, 500).slice(1)) out.addClipped(line, NOTE_RESERVE);

  // Room for the lines after the tasks (history, what did not run, next steps).
  const tailRoom = 900;
  const share = detailed.length ? Math.floor((out.remaining(NOTE_RESERVE) - tailRoom) / detailed.length) : 0;
  if (problems.length) out.addClipped(`tasks that failed (${problems.length}):`, NOTE_RESERVE);
  for (const o of detailed) {
    const part = new BoundedText(Math.max(0, share));
    for (const line of taskDetail(e, o, t.now, { reason: 800, input: Math.floor(share * 0.2), output: Math.floor(share * 0.1) })) part.addClipped(line);
    const upstream = upstreamOf(e, o, ordered);
    if (upstream.length) {
      const each = Math.floor((share * 0.2) / upstream.length);
      part.addClipped(`  upstream: ${upstream.map((u) => `${u.task.externalId} ${u.task.status} output ${compactJson(u.task.output, each)}`).join('; ')}`);
    }
    const read = calls.get(o);
    if (read) for (const line of callLines(read, o, e, { where: where(t), now: t.now }, part.remaining())) part.addClipped(line);
    out.addClipped(part.toString(), NOTE_RESERVE);
  }
  for (const o of problems.slice(MAX_DETAILED)) {
    if (!out.add(taskLine(e, o, t.now), NOTE_RESERVE)) {
      out.note(`[truncated: more failed tasks; list them with ${TOOL.getExecution} {"executionId": "${e.id}", "taskStatus": ["FAILED", "TIMED_OUT"]}.]`);
      break;
    }
  }
  const notRun = ordered.filter((o) => o.task.status === 'CANCELED' || o.task.status === 'SKIPPED');
  if (notRun.length) out.addClipped(`did not run (canceled or skipped): ${oneLine(notRun.map((o) => `${o.task.externalId} (${o.task.status})`).join(', '), 600)}`, NOTE_RESERVE);
  const ran = new Set(e.executedTasks.map((x) => x.externalId));
  const never = e.workflowDefinition.tasks.filter((x) => !ran.has(x.externalId)).map((x) => x.externalId);
  if (never.length && e.status !== 'RUNNING') out.addClipped(`never started: ${oneLine(never.join(', '), 600)}`, NOTE_RESERVE);
  if (history.length > 1) {
    const lastGood = history.find((h) => h.id !== e.id && h.status === 'COMPLETED');
    out.addClipped(
      `recent executions of ${versionName(e)} (newest ${history.length}): ${statusCounts(history)}; ` +
        (lastGood ? `the latest that completed: ${lastGood.id}, created ${formatTimestamp(lastGood.createdTime)}.` : 'none of them completed.'),
      NOTE_RESERVE,
    );
  }
  const next: string[] = [];
  if ((FAILED_EXECUTION_STATUSES as readonly string[]).includes(e.status)) next.push(`re-run the failed tasks with ${TOOL.retryExecution} {"executionId": "${e.id}"}`);
  next.push(`every task: ${TOOL.getExecution} {"executionId": "${e.id}"}`);
  out.note(`next: ${next.join('; ')}.`);
  return out.toString();
}

export async function explainFailureText(input: ToolInput<typeof TOOL.explainFailure>, ctx: ReadContext): Promise<string> {
  const found = await executionToExplain(input, ctx);
  if (typeof found === 'string') return fit(ctx, (t) => clip(found, t.maxChars));
  const gathered = await gather(found, ctx);
  return fit(ctx, (t) => formatExplanation(gathered, t));
}
