// The read-only language-model tools: each reads what it needs with the client (never a write) and
// answers with bounded text. The VS Code side resolves the connection and wraps the text.
import { collect } from '../api/paging';
import { type CdfClient } from '../client';
import { checkDefinition } from '../definition';
import { CdfApiError, InputError } from '../errors';
import { functionCallOf } from '../executions/taskTree';
import { type ExecutionDetailed, type ExecutionFilter } from '../schemas/executions';
import { type FunctionCall } from '../schemas/functions';
import { type WorkflowVersion } from '../schemas/workflows';
import { fitToTokens, oneLine, type TokenCounter } from './budget';
import { formatExecution, formatExecutionList, isProblemTask, type TextContext, versionName, where } from './executionText';
import { formatFindings } from './definitionCheck';
import { formatFunctionLogs } from './functionLogsText';
import { executionStatuses, parseTimeBound, taskStatuses, TOOL, type ToolInput } from './inputs';
import { formatVersionDefinition, formatWorkflowList, formatWorkflowVersions, newestFirst } from './workflowText';

/** A connection's client and names, the clock and the answer's budget in tokens. */
export interface ReadContext extends Omit<TextContext, 'maxChars'> {
  readonly client: CdfClient;
  readonly signal?: AbortSignal;
  readonly maxTokens: number;
  /** The caller's model's token count, when VS Code passes one; else the estimate. */
  readonly countTokens?: TokenCounter;
}

/** Renders an answer within the context's token budget. */
export function fit(ctx: ReadContext, render: (text: TextContext) => string): Promise<string> {
  return fitToTokens((maxChars) => render({ connection: ctx.connection, project: ctx.project, now: ctx.now, maxChars }), ctx.maxTokens, ctx.countTokens);
}

const isNotFound = (e: unknown): e is CdfApiError => e instanceof CdfApiError && e.reason === 'not-found';

/** A workflow, or an InputError that names the workflows there are. */
export async function retrieveWorkflow(ctx: ReadContext, workflowExternalId: string) {
  try {
    return await ctx.client.workflows.retrieve(workflowExternalId, { signal: ctx.signal });
  } catch (e) {
    if (!isNotFound(e)) throw e;
    const names = (await collect(ctx.client.workflows.iterate({ limit: 1000, signal: ctx.signal }))).map((w) => w.externalId).sort();
    throw new InputError(
      `There is no workflow "${workflowExternalId}" on ${where(ctx)}. ` +
        (names.length ? `Workflows there: ${oneLine(names.join(', '), 1500)}.` : 'It has no workflows yet.'),
    );
  }
}

/** A version, or an InputError that names the versions of its workflow (or the workflows). */
export async function retrieveVersion(ctx: ReadContext, workflowExternalId: string, version: string): Promise<WorkflowVersion> {
  try {
    return await ctx.client.versions.retrieve(workflowExternalId, version, { signal: ctx.signal });
  } catch (e) {
    if (!isNotFound(e)) throw e;
    const versions = await collect(ctx.client.versions.iterate({ workflowFilters: [{ externalId: workflowExternalId }], limit: 1000, signal: ctx.signal }));
    if (versions.length === 0) await retrieveWorkflow(ctx, workflowExternalId);
    throw new InputError(
      `Workflow "${workflowExternalId}" has no version "${version}" on ${where(ctx)}. ` +
        (versions.length ? `Its versions, newest first: ${versions.sort(newestFirst).map((v) => v.version).join(', ')}.` : 'It has no versions yet.'),
    );
  }
}

/** An execution, or an InputError saying it is not on this connection. */
export async function retrieveExecution(ctx: ReadContext, executionId: string): Promise<ExecutionDetailed> {
  try {
    return await ctx.client.executions.retrieve(executionId, { signal: ctx.signal });
  } catch (e) {
    if (!isNotFound(e)) throw e;
    throw new InputError(
      `There is no execution "${executionId}" on ${where(ctx)}. Find execution ids with ${TOOL.listExecutions}; if it ran on another connection, pass that connection.`,
    );
  }
}

export async function listWorkflowsText(input: ToolInput<typeof TOOL.listWorkflows>, ctx: ReadContext): Promise<string> {
  if (input.version !== undefined && input.workflowExternalId === undefined) {
    throw new InputError('A version needs its workflow: pass workflowExternalId too.');
  }
  if (input.workflowExternalId !== undefined && input.version !== undefined) {
    const v = await retrieveVersion(ctx, input.workflowExternalId, input.version);
    const problems = checkDefinition(v.workflowDefinition);
    return fit(ctx, (t) => formatVersionDefinition(v, problems, t));
  }
  if (input.workflowExternalId !== undefined) {
    const workflow = await retrieveWorkflow(ctx, input.workflowExternalId);
    const versions = await collect(ctx.client.versions.iterate({ workflowFilters: [{ externalId: workflow.externalId }], limit: 1000, signal: ctx.signal }));
    versions.sort(newestFirst);
    return fit(ctx, (t) => formatWorkflowVersions(workflow, versions, t));
  }
  const [workflows, versions] = await Promise.all([
    collect(ctx.client.workflows.iterate({ limit: 1000, signal: ctx.signal })),
    collect(ctx.client.versions.iterate({ limit: 1000, signal: ctx.signal })),
  ]);
  const byWorkflow = new Map<string, WorkflowVersion[]>();
  for (const v of versions.sort(newestFirst)) byWorkflow.set(v.workflowExternalId, [...(byWorkflow.get(v.workflowExternalId) ?? []), v]);
  workflows.sort((a, b) => a.externalId.localeCompare(b.externalId));
  return fit(ctx, (t) => formatWorkflowList(workflows, byWorkflow, t));
}

export async function listExecutionsText(input: ToolInput<typeof TOOL.listExecutions>, ctx: ReadContext): Promise<string> {
  if (input.version !== undefined && input.workflowExternalId === undefined) {
    throw new InputError('A version needs its workflow: pass workflowExternalId too.');
  }
  const status = executionStatuses(input.status);
  const filter: ExecutionFilter = {};
  const described: string[] = [];
  if (input.workflowExternalId !== undefined) {
    filter.workflowFilters = [{ externalId: input.workflowExternalId, ...(input.version !== undefined ? { version: input.version } : {}) }];
    described.push(`workflow ${input.workflowExternalId}${input.version !== undefined ? ` version ${input.version}` : ''}`);
  }
  if (status.length) {
    filter.status = status;
    described.push(`status ${status.join(' or ')}`);
  }
  if (input.createdAfter !== undefined) {
    filter.createdTimeStart = parseTimeBound(input.createdAfter, 'createdAfter', ctx.now);
    described.push(`created after ${new Date(filter.createdTimeStart).toISOString()}`);
  }
  if (input.createdBefore !== undefined) {
    filter.createdTimeEnd = parseTimeBound(input.createdBefore, 'createdBefore', ctx.now);
    described.push(`created before ${new Date(filter.createdTimeEnd).toISOString()}`);
  }
  if (filter.createdTimeStart !== undefined && filter.createdTimeEnd !== undefined && filter.createdTimeStart > filter.createdTimeEnd) {
    throw new InputError('createdAfter is later than createdBefore: swap them.');
  }
  const page = await ctx.client.executions.list({ filter, limit: input.limit ?? 20, signal: ctx.signal });
  return fit(ctx, (t) => formatExecutionList(page.items, { filters: described.join(', '), more: page.nextCursor !== undefined }, t));
}

export async function getExecutionText(input: ToolInput<typeof TOOL.getExecution>, ctx: ReadContext): Promise<string> {
  const taskStatus = taskStatuses(input.taskStatus);
  const e = await retrieveExecution(ctx, input.executionId);
  return fit(ctx, (t) => formatExecution(e, { taskExternalId: input.taskExternalId, taskStatus, taskOffset: input.taskOffset }, t));
}

interface CallTarget {
  readonly functionId: number;
  readonly callId: number;
  readonly functionExternalId?: string;
  readonly about?: string;
}

/** Which call the logs tool reads: ids given, the named task's call, or the one failed function task of the execution. */
async function callTarget(input: ToolInput<typeof TOOL.getFunctionLogs>, ctx: ReadContext): Promise<CallTarget> {
  if (input.functionId !== undefined || input.callId !== undefined) {
    if (input.functionId === undefined || input.callId === undefined) throw new InputError('Pass both functionId and callId, or executionId and taskExternalId.');
    return { functionId: input.functionId, callId: input.callId };
  }
  if (input.executionId === undefined) {
    throw new InputError('Name the call: executionId and taskExternalId of a function task, or functionId and callId.');
  }
  const e = await retrieveExecution(ctx, input.executionId);
  const calls = e.executedTasks.filter((t) => functionCallOf(t));
  let task = input.taskExternalId !== undefined ? e.executedTasks.find((t) => t.externalId === input.taskExternalId) : undefined;
  if (input.taskExternalId !== undefined && !task) {
    throw new InputError(`No task "${input.taskExternalId}" ran in execution ${e.id}. Function tasks that called their function: ${calls.map((t) => t.externalId).join(', ') || 'none'}.`);
  }
  if (!task) {
    const failed = calls.filter(isProblemTask);
    const only = failed.length === 1 ? failed[0] : calls.length === 1 ? calls[0] : undefined;
    if (!only) {
      throw new InputError(
        calls.length
          ? `Execution ${e.id} has ${calls.length} function calls; pass taskExternalId, one of: ${oneLine(calls.map((t) => `${t.externalId} (${t.status})`).join(', '), 1500)}.`
          : `No task of execution ${e.id} has called a function yet.`,
      );
    }
    task = only;
  }
  const call = functionCallOf(task);
  if (!call) {
    throw new InputError(
      task.taskType === 'function'
        ? `Task "${task.externalId}" (${task.status}) has not called its function yet, so it has no logs.`
        : `Task "${task.externalId}" is a ${task.taskType} task: only function tasks have call logs. Read its reason with ${TOOL.getExecution}.`,
    );
  }
  const fn = (task.input as { function?: { externalId?: unknown } } | undefined)?.function?.externalId;
  return { ...call, functionExternalId: typeof fn === 'string' ? fn : undefined, about: `for task ${task.externalId} of execution ${e.id} (${versionName(e)})` };
}

/** The status, error and response of a call and its logs, read in parallel. */
export async function readFunctionCall(ctx: ReadContext, functionId: number, callId: number): Promise<{ call: FunctionCall; logs: Awaited<ReturnType<CdfClient['functions']['callLogs']>>; response: unknown }> {
  const [call, logs] = await Promise.all([
    ctx.client.functions.retrieveCall(functionId, callId, { signal: ctx.signal }),
    ctx.client.functions.callLogs(functionId, callId, { signal: ctx.signal }),
  ]);
  const response = call.status === 'Completed' ? (await ctx.client.functions.callResponse(functionId, callId, { signal: ctx.signal })).response : undefined;
  return { call, logs, response };
}

export async function functionLogsText(input: ToolInput<typeof TOOL.getFunctionLogs>, ctx: ReadContext): Promise<string> {
  const target = await callTarget(input, ctx);
  let read;
  try {
    read = await readFunctionCall(ctx, target.functionId, target.callId);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    throw new InputError(`There is no call ${target.callId} of function ${target.functionId} on ${where(ctx)} (calls are kept for a limited time).`);
  }
  return fit(ctx, (t) =>
    formatFunctionLogs(
      read.call,
      read.logs,
      read.response,
      { about: target.about, functionExternalId: target.functionExternalId, where: where(ctx), now: ctx.now },
      { contains: input.contains, tailLines: input.tailLines },
      t.maxChars,
    ),
  );
}

/** A deployed version's definition, checked like a definition file. */
export async function checkVersionText(ctx: ReadContext, workflowExternalId: string, version: string): Promise<string> {
  const v = await retrieveVersion(ctx, workflowExternalId, version);
  const problems = checkDefinition(v.workflowDefinition);
  return fit(ctx, (t) => formatFindings(`${workflowExternalId} version ${version} as deployed on ${where(ctx)}`, v.workflowDefinition.tasks.length, problems, t.maxChars));
}
