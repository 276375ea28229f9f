// The tools that change something in CDF: run a version, cancel, retry, complete an async task. Each plans
// the call first (the run command's input checks, then reads that name what will change), shows a
// confirmation naming the connection, project, workflow, version and input, and sends only what the user
// confirmed: a call whose connection, ids or input file changed after the confirmation is refused unsent.
import * as vscode from 'vscode';
import { type ExecutionDetailed } from '../../core/schemas/executions';
import { InputError } from '../../core/errors';
import { isAsyncWaiting } from '../../core/executions/taskTree';
import {
  canonicalJson,
  fingerprint,
  fitToTokens,
  formatExecution,
  inlineRunInput,
  inputPreview,
  isProblemTask,
  MAX_WAIT_SECONDS,
  parseToolInput,
  retrieveExecution,
  retrieveVersion,
  taskUpdateStatus,
  TOOL,
  type ToolInput,
  versionName,
} from '../../core/lm';
import { checkUserRunMetadata, missingInputReferences, type MissingInputReference, type RunInput } from '../../core/run';
import { type TaskExecution, type TaskUpdateStatus } from '../../core/schemas/tasks';
import { escapeMarkdown, fencedBlock, inlineCode } from '../details/markdown';
import { type ExecutionRef } from '../executions/tracker';
import { type RunInputChecker } from '../run/inputFile';
import { answer, answerBudget, type AnswerBudget, ConfirmedCalls, type LmServices, readContext, redacted, resolveTarget, signalOf, type ToolTarget } from './support';
import { resolveWorkspaceFile } from './workspaceFiles';

export type WriteToolName = typeof TOOL.runWorkflow | typeof TOOL.cancelExecution | typeof TOOL.retryExecution | typeof TOOL.completeAsyncTask;

interface Plan {
  readonly target: ToolTarget;
  /** What the call will send, to the byte: the confirmation covers exactly this. */
  readonly fingerprint: string;
}

interface WriteToolSpec<N extends WriteToolName, P extends Plan> {
  /** Checks the input and reads what the confirmation names; sends nothing. */
  plan(input: ToolInput<N>, signal: AbortSignal): Promise<P>;
  confirmation(plan: P): { title: string; message: string };
  /** The progress message while it runs. */
  progress(plan: P): string;
  /** Sends the change and describes the outcome. */
  send(plan: P, input: ToolInput<N>, signal: AbortSignal, budget: AnswerBudget): Promise<string>;
}

/** Where a change goes: `connection **X** (project **p**, https://...)`. */
function whereMarkdown(t: ToolTarget): string {
  return `connection **${escapeMarkdown(t.connection.name)}** (CDF project **${escapeMarkdown(t.project)}** at ${inlineCode(t.baseUrl)})`;
}

function writeTool<N extends WriteToolName, P extends Plan>(services: LmServices, confirmed: ConfirmedCalls, name: N, spec: WriteToolSpec<N, P>): vscode.LanguageModelTool<unknown> {
  const keyOf = (input: unknown) => `${name}\u0000${canonicalJson(input)}`;
  return {
    async prepareInvocation(options, token) {
      const { signal, stop } = signalOf(token);
      try {
        const plan = await spec.plan(parseToolInput(name, options.input), signal);
        confirmed.remember(keyOf(options.input), plan.fingerprint);
        const { title, message } = spec.confirmation(plan);
        return {
          invocationMessage: spec.progress(plan),
          confirmationMessages: { title: redacted(title, plan.target.client), message: new vscode.MarkdownString(redacted(message, plan.target.client)) },
        };
      } catch {
        // Nothing will be sent: invoke plans again and answers with what is wrong.
        return { invocationMessage: `Checking the ${name} call` };
      } finally {
        stop.dispose();
      }
    },
    invoke: (options, token) =>
      answer(services, name, token, async (signal, use) => {
        const input = parseToolInput(name, options.input);
        const plan = await spec.plan(input, signal);
        use(plan.target.client);
        if (!confirmed.take(keyOf(options.input), plan.fingerprint)) {
          throw new InputError(
            `Nothing was sent: the user has not confirmed this call as it stands now (the connection, the ids or the input file changed since it was confirmed, ` +
              `or it was never confirmed). Call ${name} again so VS Code asks the user.`,
          );
        }
        return spec.send(plan, input, signal, answerBudget(options));
      }),
  };
}

/** Waits up to `seconds` for an execution to end (following it as a details document does); undefined if it still runs. */
async function waitForEnd(services: LmServices, ref: ExecutionRef, seconds: number | undefined, signal: AbortSignal): Promise<ExecutionDetailed | undefined> {
  if (!seconds) return undefined;
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), Math.min(seconds, MAX_WAIT_SECONDS) * 1000);
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort);
  try {
    return await services.tracker.observe(ref, stop.signal);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

/** After a change: the execution's final state when it ended within the wait, else how to follow it. */
async function outcome(services: LmServices, plan: Plan, ref: ExecutionRef, seconds: number | undefined, signal: AbortSignal, budget: AnswerBudget, head: string[]): Promise<string> {
  const final = await waitForEnd(services, ref, seconds, signal);
  if (signal.aborted) throw new vscode.CancellationError();
  const follow = `Its state: ${TOOL.getExecution} {"executionId": "${ref.executionId}"}; if it fails: ${TOOL.explainFailure} {"executionId": "${ref.executionId}"}.`;
  if (!final) {
    const waited = seconds ? ` It was still running after ${seconds} s.` : '';
    return `${head.join('\n')}\nThe run is followed in VS Code; a notification says how it ends.${waited} ${follow}`;
  }
  const now = Date.now();
  return fitToTokens(
    (maxChars) => {
      const start = `${head.join('\n')}\nIt ended ${final.status}:\n`;
      return `${start}${formatExecution(final, {}, { connection: plan.target.connection.name, project: plan.target.project, now, maxChars: Math.max(0, maxChars - start.length) })}`;
    },
    budget.maxTokens,
    budget.countTokens,
  );
}

interface RunPlan extends Plan {
  readonly workflowExternalId: string;
  readonly version: string;
  readonly input: RunInput;
  readonly source: string;
  readonly metadata: Record<string, string>;
  readonly missing: readonly MissingInputReference[];
}

function missingText(missing: readonly MissingInputReference[]): string {
  return missing.map((m) => `${m.path} (${m.taskExternalIds.length === 1 ? 'task' : 'tasks'} ${m.taskExternalIds.join(', ')})`).join(', ');
}

function runTool(services: LmServices, confirmed: ConfirmedCalls, checker: RunInputChecker): vscode.LanguageModelTool<unknown> {
  return writeTool<typeof TOOL.runWorkflow, RunPlan>(services, confirmed, TOOL.runWorkflow, {
    async plan(input, signal) {
      // The run command's checks, in its order, before any request: the input, then the metadata.
      let runInput: RunInput;
      let source: string;
      if (input.inputPath !== undefined && input.input !== undefined) {
        throw new InputError('Give the input once: inputPath (a JSON file in the workspace) or input (inline JSON), not both.');
      }
      if (input.inputPath !== undefined) {
        const checked = await checker.check(await resolveWorkspaceFile(input.inputPath));
        runInput = checked;
        source = checked.name;
      } else if (input.input !== undefined) {
        runInput = inlineRunInput(input.input);
        source = 'inline JSON';
      } else {
        runInput = { input: {}, bytes: 2 };
        source = 'no input (an empty object)';
      }
      const metadata = input.metadata === undefined ? {} : checkUserRunMetadata(input.metadata);
      const target = await resolveTarget(services, input.connection);
      const version = await retrieveVersion(readContext(target, { maxTokens: 0 }, signal), input.workflowExternalId, input.version);
      const missing = missingInputReferences(version.workflowDefinition, runInput.input);
      return {
        target,
        workflowExternalId: version.workflowExternalId,
        version: version.version,
        input: runInput,
        source,
        metadata,
        missing,
        fingerprint: fingerprint([target.connection.name, target.baseUrl, target.project, version.workflowExternalId, version.version, runInput.input, metadata]),
      };
    },
    confirmation(p) {
      const lines = [
        `Start an execution of **${escapeMarkdown(p.workflowExternalId)}** version **${escapeMarkdown(p.version)}** on ${whereMarkdown(p.target)}.`,
        '',
        `**Input**: ${escapeMarkdown(p.source)}, ${p.input.bytes.toLocaleString('en-US')} bytes as sent${Object.keys(p.input.input).length ? ':' : '.'}`,
      ];
      if (Object.keys(p.input.input).length) lines.push('', fencedBlock(inputPreview(p.input.input), 'json'));
      const meta = Object.entries(p.metadata);
      lines.push('', `**Metadata**: ${meta.length ? meta.map(([k, v]) => `${inlineCode(k)} = ${inlineCode(v)}`).join(', ') : 'none'}`);
      if (p.missing.length) {
        lines.push('', `**Warning**: the version reads input keys the input lacks: ${escapeMarkdown(missingText(p.missing))}. Those tasks get no value and may fail.`);
      }
      return { title: `Run ${p.workflowExternalId} version ${p.version} in ${p.target.project}?`, message: lines.join('\n') };
    },
    progress: (p) => `Starting ${p.workflowExternalId}@${p.version} on ${p.target.connection.name}`,
    async send(p, input, signal, budget) {
      const execution = await p.target.client.executions.run(p.workflowExternalId, p.version, { input: p.input.input, metadata: p.metadata, signal });
      const ref: ExecutionRef = { connection: p.target.connection.name, executionId: execution.id };
      services.log.info(
        `Started execution ${execution.id} of ${p.workflowExternalId}@${p.version} on "${ref.connection}" from a language-model tool call (${p.input.bytes.toLocaleString('en-US')} bytes of input from ${p.source}).`,
      );
      services.tracker.follow(ref, execution).catch((e: unknown) => services.log.warn(`Following execution ${execution.id}: ${e instanceof Error ? e.message : String(e)}`));
      services.tree.refresh({ connection: ref.connection, workflowExternalId: p.workflowExternalId, version: p.version });
      const head = [
        `Started execution ${execution.id} of ${p.workflowExternalId} version ${p.version} on connection "${ref.connection}" (project ${p.target.project}); status ${execution.status}.`,
        `input: ${p.source}, ${p.input.bytes.toLocaleString('en-US')} bytes; metadata: ${Object.keys(p.metadata).length ? Object.entries(p.metadata).map(([k, v]) => `${k}=${v}`).join(', ') : 'none'}.`,
      ];
      if (p.missing.length) head.push(`warning: the version reads input keys the input lacks: ${missingText(p.missing)}; those tasks get no value and may fail.`);
      return outcome(services, p, ref, input.waitSeconds, signal, budget, head);
    },
  });
}

interface ExecutionPlan extends Plan {
  readonly execution: ExecutionDetailed;
}

function executionFacts(e: ExecutionDetailed): string {
  const started = e.startTime ?? e.createdTime;
  return `execution ${inlineCode(e.id)}, created ${new Date(e.createdTime).toISOString()}${e.startTime ? `, started ${new Date(started).toISOString()}` : ''}`;
}

/** Reads the execution again after a change and tells the tree and open details documents. */
async function reread(services: LmServices, p: Plan, executionId: string, signal: AbortSignal): Promise<ExecutionDetailed> {
  const after = await p.target.client.executions.retrieve(executionId, { signal });
  services.tracker.publish({ connection: p.target.connection.name, execution: after });
  return after;
}

function cancelTool(services: LmServices, confirmed: ConfirmedCalls): vscode.LanguageModelTool<unknown> {
  type CancelPlan = ExecutionPlan & { readonly reason?: string };
  return writeTool<typeof TOOL.cancelExecution, CancelPlan>(services, confirmed, TOOL.cancelExecution, {
    async plan(input, signal) {
      const target = await resolveTarget(services, input.connection);
      const e = await retrieveExecution(readContext(target, { maxTokens: 0 }, signal), input.executionId);
      if (e.status !== 'RUNNING') {
        throw new InputError(`Execution ${e.id} of ${versionName(e)} has already ended (${e.status}); there is nothing to cancel.`);
      }
      const reason = input.reason?.trim() || undefined;
      return { target, execution: e, reason, fingerprint: fingerprint([target.connection.name, target.baseUrl, target.project, e.id, reason ?? null]) };
    },
    confirmation(p) {
      const e = p.execution;
      const running = e.executedTasks.filter((t) => t.status === 'IN_PROGRESS' || t.status === 'SCHEDULED').map((t) => t.externalId);
      const lines = [
        `Cancel the running ${executionFacts(e)} of **${escapeMarkdown(e.workflowExternalId)}** version **${escapeMarkdown(e.version ?? '?')}** on ${whereMarkdown(p.target)}.`,
        '',
        `Tasks that have not started will not run${running.length ? `; running tasks (${escapeMarkdown(running.join(', '))}) are marked canceled` : ''}. ` +
          'Work they started elsewhere (function calls, transformation jobs) keeps running.',
        '',
        `**Reason**: ${p.reason ? escapeMarkdown(p.reason) : "none (CDF's default)"}`,
      ];
      return { title: `Cancel ${versionName(e)} in ${p.target.project}?`, message: lines.join('\n') };
    },
    progress: (p) => `Cancelling execution ${p.execution.id}`,
    async send(p, _input, signal) {
      await p.target.client.executions.cancel(p.execution.id, { reason: p.reason, signal });
      const after = await reread(services, p, p.execution.id, signal);
      services.log.info(`Cancelled execution ${p.execution.id} of ${versionName(after)} on "${p.target.connection.name}" from a language-model tool call.`);
      return (
        `Cancelled execution ${after.id} of ${versionName(after)} on connection "${p.target.connection.name}" (project ${p.target.project}); its status is now ${after.status}` +
        `${after.reasonForIncompletion ? ` (reason: ${after.reasonForIncompletion})` : ''}. Function calls and transformation jobs it started keep running.`
      );
    },
  });
}

const RETRYABLE = ['FAILED', 'TIMED_OUT', 'TERMINATED'];

function retryTool(services: LmServices, confirmed: ConfirmedCalls): vscode.LanguageModelTool<unknown> {
  return writeTool<typeof TOOL.retryExecution, ExecutionPlan>(services, confirmed, TOOL.retryExecution, {
    async plan(input, signal) {
      const target = await resolveTarget(services, input.connection);
      const e = await retrieveExecution(readContext(target, { maxTokens: 0 }, signal), input.executionId);
      if (!RETRYABLE.includes(e.status)) {
        throw new InputError(`Execution ${e.id} of ${versionName(e)} is ${e.status}; only a failed, timed-out or terminated execution can be retried.`);
      }
      return { target, execution: e, fingerprint: fingerprint([target.connection.name, target.baseUrl, target.project, e.id]) };
    },
    confirmation(p) {
      const e = p.execution;
      const again = e.executedTasks.filter((t) => isProblemTask(t) || t.status === 'CANCELED').map((t) => `${t.externalId} (${t.status})`);
      const lines = [
        `Retry the ${e.status.toLowerCase().replace('_', ' ')} ${executionFacts(e)} of **${escapeMarkdown(e.workflowExternalId)}** version **${escapeMarkdown(e.version ?? '?')}** on ${whereMarkdown(p.target)}.`,
        '',
        `CDF runs the failed, timed-out and canceled tasks again${again.length ? ` (${escapeMarkdown(again.join(', '))})` : ''} and the tasks after them, with a new session of this connection's identity.`,
      ];
      if (e.reasonForIncompletion) lines.push('', `**It ${e.status === 'TERMINATED' ? 'was terminated' : 'failed'} because**: ${escapeMarkdown(e.reasonForIncompletion.slice(0, 500))}`);
      return { title: `Retry ${versionName(e)} in ${p.target.project}?`, message: lines.join('\n') };
    },
    progress: (p) => `Retrying execution ${p.execution.id}`,
    async send(p, input, signal, budget) {
      await p.target.client.executions.retry(p.execution.id, { signal });
      const after = await reread(services, p, p.execution.id, signal);
      const ref: ExecutionRef = { connection: p.target.connection.name, executionId: after.id };
      services.log.info(`Retried execution ${after.id} of ${versionName(after)} on "${ref.connection}" from a language-model tool call.`);
      services.tracker.follow(ref, after).catch((e: unknown) => services.log.warn(`Following execution ${after.id}: ${e instanceof Error ? e.message : String(e)}`));
      const head = [`Retried execution ${after.id} of ${versionName(after)} on connection "${ref.connection}" (project ${p.target.project}); status ${after.status}.`];
      return outcome(services, p, ref, input.waitSeconds, signal, budget, head);
    },
  });
}

function completeTaskTool(services: LmServices, confirmed: ConfirmedCalls): vscode.LanguageModelTool<unknown> {
  type CompletePlan = ExecutionPlan & { readonly task: TaskExecution; readonly status: TaskUpdateStatus; readonly output?: RunInput };
  return writeTool<typeof TOOL.completeAsyncTask, CompletePlan>(services, confirmed, TOOL.completeAsyncTask, {
    async plan(input, signal) {
      const status = taskUpdateStatus(input.status);
      const output = input.output === undefined ? undefined : inlineRunInput(input.output, 'task output');
      const target = await resolveTarget(services, input.connection);
      const e = await retrieveExecution(readContext(target, { maxTokens: 0 }, signal), input.executionId);
      const task = e.executedTasks.find((t) => t.externalId === input.taskExternalId);
      if (!task) {
        const waiting = e.executedTasks.filter((t) => isAsyncWaiting(e, t)).map((t) => t.externalId);
        throw new InputError(
          `No task "${input.taskExternalId}" ran in execution ${e.id} of ${versionName(e)}. ` +
            (waiting.length ? `Tasks waiting for completion: ${waiting.join(', ')}.` : 'No task of it waits for an async completion.'),
        );
      }
      if (!isAsyncWaiting(e, task)) {
        throw new InputError(
          task.status === 'IN_PROGRESS'
            ? `Task "${task.externalId}" is running but is not an async-complete function task (isAsyncComplete); CDF ends it by itself.`
            : `Task "${task.externalId}" is ${task.status}, not waiting for completion; there is nothing to complete.`,
        );
      }
      return {
        target,
        execution: e,
        task,
        status,
        output,
        fingerprint: fingerprint([target.connection.name, target.baseUrl, target.project, e.id, task.id, status, output?.input ?? null]),
      };
    },
    confirmation(p) {
      const e = p.execution;
      const lines = [
        `Set task **${escapeMarkdown(p.task.externalId)}** of the ${executionFacts(e)} of **${escapeMarkdown(e.workflowExternalId)}** version **${escapeMarkdown(e.version ?? '?')}** ` +
          `to **${p.status}** on ${whereMarkdown(p.target)}.`,
        '',
        p.status === 'COMPLETED'
          ? 'The task succeeds and the workflow continues with the tasks after it.'
          : p.status === 'FAILED'
            ? 'The task fails and is retried as its retries allow.'
            : 'The task fails at once, without retries.',
        '',
        `**Output** merged into the task's output: ${p.output ? `${p.output.bytes.toLocaleString('en-US')} bytes` : 'none'}`,
      ];
      if (p.output) lines.push('', fencedBlock(inputPreview(p.output.input), 'json'));
      return { title: `Set ${p.task.externalId} of ${versionName(e)} to ${p.status} in ${p.target.project}?`, message: lines.join('\n') };
    },
    progress: (p) => `Setting ${p.task.externalId} to ${p.status}`,
    async send(p, _input, signal) {
      await p.target.client.tasks.update(p.task.id, p.status, { output: p.output?.input, signal });
      const after = await reread(services, p, p.execution.id, signal);
      services.log.info(`Set async task ${p.task.externalId} of execution ${after.id} to ${p.status} from a language-model tool call.`);
      const task = after.executedTasks.find((t) => t.id === p.task.id);
      return (
        `Set task ${p.task.externalId} of execution ${after.id} (${versionName(after)}) on connection "${p.target.connection.name}" to ${p.status}; ` +
        `the task is now ${task?.status ?? 'unknown'} and the execution ${after.status}. Its state: ${TOOL.getExecution} {"executionId": "${after.id}"}.`
      );
    },
  });
}

export function writeTools(services: LmServices): Record<WriteToolName, vscode.LanguageModelTool<unknown>> {
  const confirmed = new ConfirmedCalls();
  return {
    // The run command's checker: a mistake in an input file is marked in the same place either way.
    [TOOL.runWorkflow]: runTool(services, confirmed, services.runs.checker),
    [TOOL.cancelExecution]: cancelTool(services, confirmed),
    [TOOL.retryExecution]: retryTool(services, confirmed),
    [TOOL.completeAsyncTask]: completeTaskTool(services, confirmed),
  };
}

