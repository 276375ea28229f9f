// Explain a failure in one call: the failed and timed-out tasks with their reasons and resolved inputs,
// what the tasks upstream of them produced, the end of the failed function calls' logs, what never ran,
// and how the version fared lately. Everything is read (never written) and fits the answer's budget.
import { formatTimestamp } from '../executions/format';
import { functionCallOf, taskDefinitionOf } from '../executions/taskTree';
import { describeError } from './describeError';
import { InputError } from '../errors';
import { type Execution, type ExecutionDetailed, isTerminalExecutionStatus } from '../schemas/executions';
import { BoundedText, clip, compactJson, oneLine, plural } from './budget';
import { executionSummary, NOTE_RESERVE, type OrderedTask, orderedTasks, problemTasks, statusCounts, taskDetail, taskLine, versionName, where } from './executionText';
import { functionCallLines, logTail } from './functionLogsText';
import { TOOL, type ToolInput } from './inputs';
import { type ReadContext, readFunctionCall, retrieveExecution, retrieveWorkflow } from './read';

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

interface CallRead {
  readonly text: string[];
}

async function callSection(ctx: ReadContext, o: OrderedTask, e: ExecutionDetailed, maxChars: number): Promise<CallRead> {
  const call = functionCallOf(o.task);
  if (!call) return { text: [] };
  try {
    const read = await readFunctionCall(ctx, call.functionId, call.callId);
    const fn = (o.task.input as { function?: { externalId?: unknown } } | undefined)?.function?.externalId;
    const head = functionCallLines(read.call, read.response, { functionExternalId: typeof fn === 'string' ? fn : undefined, where: where(ctx), now: ctx.now }, { trace: 800, response: 300 })
      // The first line repeats the connection and task; the section is under the task already.
      .map((l, i) => (i === 0 ? `  function call ${read.call.id} of function ${read.call.functionId}${typeof fn === 'string' ? ` (${fn})` : ''}: ${read.call.status}.` : `  ${l}`));
    const used = head.reduce((n, l) => n + l.length + 1, 0);
    const more = `  (earlier lines: ${TOOL.getFunctionLogs} {"executionId": "${e.id}", "taskExternalId": "${o.task.externalId}", "contains": "<text>"})`;
    const tail = logTail(read.logs, Math.max(0, maxChars - used - more.length - 60), 400, '    ');
    const lines = [...head];
    if (read.logs.length === 0) lines.push('  logs: none.');
    else {
      lines.push(`  logs: ${plural(read.logs.length, 'line')}; the last ${tail.length}:`);
      lines.push(...tail);
      if (tail.length < read.logs.length) lines.push(more);
    }
    return { text: lines };
  } catch (err) {
    return { text: [`  function call ${call.callId} of function ${call.functionId}: its logs could not be read (${oneLine(describeError(err), 300)}).`] };
  }
}

export async function explainFailureText(input: ToolInput<typeof TOOL.explainFailure>, ctx: ReadContext): Promise<string> {
  const found = await executionToExplain(input, ctx);
  if (typeof found === 'string') return clip(found, ctx.maxChars);
  const e = found;
  const ordered = orderedTasks(e);
  const problems = problemTasks(e, ordered);
  const detailed = problems.slice(0, MAX_DETAILED);
  const workflowFilters = e.version ? [{ externalId: e.workflowExternalId, version: e.version }] : [{ externalId: e.workflowExternalId }];

  const out = new BoundedText(ctx.maxChars);
  const verdict =
    e.status === 'RUNNING'
      ? `is still running${problems.length ? `, and ${plural(problems.length, 'task')} already failed` : ''}`
      : e.status === 'COMPLETED'
        ? problems.length
          ? `completed, but ${plural(problems.length, 'task')} failed and ${problems.length === 1 ? 'was' : 'were'} skipped (onFailure skipTask)`
          : 'completed: nothing failed'
        : `ended ${e.status}${problems.length ? ` with ${plural(problems.length, 'failed task')}` : ''}`;
  out.addClipped(`Why execution ${e.id} of ${versionName(e)} ${verdict}.`, NOTE_RESERVE);
  for (const line of executionSummary(e, ctx, 500).slice(1)) out.addClipped(line, NOTE_RESERVE);

  // Each explained task gets an equal share of the room left after the summary, minus a tail for history and next steps.
  const tailRoom = 900;
  const share = detailed.length ? Math.floor((out.remaining(NOTE_RESERVE) - tailRoom) / detailed.length) : 0;
  const [sections, history] = await Promise.all([
    Promise.all(
      detailed.map(async (o, i) => {
        const part = new BoundedText(Math.max(0, share));
        for (const line of taskDetail(e, o, ctx.now, { reason: 800, input: Math.floor(share * 0.2), output: Math.floor(share * 0.1) })) part.addClipped(line);
        const upstream = upstreamOf(e, o, ordered);
        if (upstream.length) {
          const each = Math.floor((share * 0.2) / upstream.length);
          part.addClipped(`  upstream: ${upstream.map((u) => `${u.task.externalId} ${u.task.status} output ${compactJson(u.task.output, each)}`).join('; ')}`);
        }
        if (i < MAX_LOGS) for (const line of (await callSection(ctx, o, e, part.remaining())).text) part.addClipped(line);
        return part.toString();
      }),
    ),
    isTerminalExecutionStatus(e.status)
      ? ctx.client.executions.list({ filter: { workflowFilters }, limit: 10, signal: ctx.signal }).then(
          (p) => p.items,
          (): Execution[] => [],
        )
      : Promise.resolve<Execution[]>([]),
  ]);

  if (problems.length) out.addClipped(`tasks that failed (${problems.length}):`, NOTE_RESERVE);
  for (const s of sections) out.addClipped(s, NOTE_RESERVE);
  for (const o of problems.slice(MAX_DETAILED)) {
    if (!out.add(taskLine(e, o, ctx.now), NOTE_RESERVE)) {
      out.note(`[truncated: more failed tasks; list them with ${TOOL.getExecution} {"executionId": "${e.id}", "taskStatus": ["FAILED", "TIMED_OUT"]}.]`);
      break;
    }
  }
  const canceled = ordered.filter((o) => o.task.status === 'CANCELED' || o.task.status === 'SKIPPED');
  if (canceled.length) out.addClipped(`did not run (canceled or skipped): ${oneLine(canceled.map((o) => `${o.task.externalId} (${o.task.status})`).join(', '), 600)}`, NOTE_RESERVE);
  const ran = new Set(e.executedTasks.map((t) => t.externalId));
  const never = e.workflowDefinition.tasks.filter((t) => !ran.has(t.externalId)).map((t) => t.externalId);
  if (never.length && e.status !== 'RUNNING') out.addClipped(`never started: ${oneLine(never.join(', '), 600)}`, NOTE_RESERVE);
  if (history.length > 1) {
    const others = history.filter((h) => h.id !== e.id);
    const lastGood = others.find((h) => h.status === 'COMPLETED');
    out.addClipped(
      `recent executions of ${versionName(e)} (newest ${history.length}): ${statusCounts(history)}; ` +
        (lastGood ? `the latest that completed: ${lastGood.id}, created ${formatTimestamp(lastGood.createdTime)}.` : 'none of them completed.'),
      NOTE_RESERVE,
    );
  }
  const next: string[] = [];
  if (FAILED_EXECUTION_STATUSES.includes(e.status as (typeof FAILED_EXECUTION_STATUSES)[number])) next.push(`re-run the failed tasks with ${TOOL.retryExecution} {"executionId": "${e.id}"}`);
  next.push(`every task: ${TOOL.getExecution} {"executionId": "${e.id}"}`);
  out.note(`next: ${next.join('; ')}.`);
  return out.toString();
}
