// Execution actions: details, function logs, cancel, retry, run again with the same input, copy the id,
// complete an async task. Each takes a tree node, an ExecutionRef {connection, executionId} (from
// notifications), a details document's URI, or nothing (then the active details document, else a pick of
// recent executions of the active connection).
import * as vscode from 'vscode';
import { CancelledError, InputError } from '../../core/errors';
import { parseRunInput } from '../../core/run';
import { type Execution, type ExecutionDetailed, type ExecutionStatus, isRunningExecutionStatus, RETRYABLE_EXECUTION_STATUSES } from '../../core/schemas/executions';
import { type TaskExecution, TASK_UPDATE_STATUSES, type TaskUpdateStatus } from '../../core/schemas/tasks';
import { type CommandHandler } from '../boundary';
import { parseDetailsUri } from '../details/uris';
import { type Services } from '../services';
import { type PickItem } from '../ui';
import { formatRelative, statusLabel } from './format';
import { functionCallOf, noLogsReason } from './taskTree';
import { type ExecutionRef } from './tracker';

/** What a command learned from its argument: the execution, and its state when the caller had one. */
interface ExecutionTarget {
  readonly ref: ExecutionRef;
  readonly known?: Execution | ExecutionDetailed;
}

interface TaskTarget {
  readonly ref: ExecutionRef;
  readonly task: TaskExecution;
  readonly execution: ExecutionDetailed;
}

const CANCEL = 'Cancel Execution';
const CANCEL_WITH_REASON = 'Cancel Execution with Reason...';
const KEEP_RUNNING = 'Keep Running';
const CANCEL_REASON_MAX = 500;

function isRef(v: unknown): v is ExecutionRef {
  const r = v as Partial<ExecutionRef> | null | undefined;
  return typeof r === 'object' && r !== null && typeof r.connection === 'string' && typeof r.executionId === 'string';
}

/** A tree node (ExecutionNode or TaskNode: `.ref`, maybe `.execution`), a ref, or a details URI. */
export function executionTargetOf(arg: unknown): ExecutionTarget | undefined {
  if (arg instanceof vscode.Uri) {
    const target = parseDetailsUri(arg);
    return target?.kind === 'execution' ? { ref: target.ref } : undefined;
  }
  if (typeof arg !== 'object' || arg === null) return undefined;
  const node = arg as { ref?: unknown; execution?: unknown };
  if (isRef(node.ref)) {
    const known = node.execution as Execution | undefined;
    return { ref: { connection: node.ref.connection, executionId: node.ref.executionId }, known: known?.id === node.ref.executionId ? known : undefined };
  }
  if (isRef(arg)) return { ref: { connection: arg.connection, executionId: arg.executionId } };
  return undefined;
}

/** The document of the active editor tab, also when it shows rendered Markdown (a custom editor). */
function activeDocumentUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return input.uri;
  return vscode.window.activeTextEditor?.document.uri;
}

/** A task node of the tree: `.task`, `.execution` (detailed) and `.ref`. */
function taskTargetOf(arg: unknown): TaskTarget | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const node = arg as { task?: TaskExecution; execution?: ExecutionDetailed; ref?: unknown };
  if (!node.task || !node.execution || !isRef(node.ref)) return undefined;
  return { ref: node.ref, task: node.task, execution: node.execution };
}

export function executionCommands(s: Services): Record<string, CommandHandler> {
  const documents = s.details;

  const client = async (connection: string) => (await s.connections.client(connection)).client;

  /** The argument's execution; from the palette the active details document, else a pick. */
  const resolve = async (arg: unknown, purpose: { title: string; statuses?: ExecutionStatus[] }): Promise<ExecutionTarget> => {
    const target = executionTargetOf(arg) ?? executionTargetOf(activeDocumentUri());
    if (target) return target;
    if (arg !== undefined) throw new InputError(`${purpose.title} works on an execution: pick one in the CDF Workflows view.`);
    return pickExecution(purpose);
  };

  const pickExecution = async (purpose: { title: string; statuses?: ExecutionStatus[] }): Promise<ExecutionTarget> => {
    const connection = s.connections.resolve();
    const items = (async (): Promise<PickItem<Execution>[]> => {
      const page = await (await client(connection.name)).executions.list({ filter: purpose.statuses ? { status: purpose.statuses } : {}, limit: 50 });
      if (page.items.length === 0) {
        const which = purpose.statuses ? purpose.statuses.map(st => statusLabel(st).toLowerCase()).join(' or ') : '';
        throw new InputError(`There is no ${which ? `${which} ` : ''}execution in ${connection.name} to ${purpose.title.toLowerCase()}.`);
      }
      return page.items.map(e => ({
        label: `${e.workflowExternalId}@${e.version ?? '?'}`,
        description: `${statusLabel(e.status)} · ${formatRelative(e.startTime ?? e.createdTime)}`,
        detail: e.id,
        value: e,
      }));
    })();
    const e = await s.ui().pick({ title: purpose.title, placeholder: `Recent executions in ${connection.name}`, matchOnDescription: true, matchOnDetail: true, items });
    return { ref: { connection: connection.name, executionId: e.id }, known: e };
  };

  /** Reads the execution and tells the tree and open documents. */
  const reread = async (ref: ExecutionRef): Promise<ExecutionDetailed> => {
    const execution = await (await client(ref.connection)).executions.retrieve(ref.executionId);
    s.tracker.publish({ connection: ref.connection, execution });
    return execution;
  };

  const nameOf = (e: Execution | ExecutionDetailed | undefined, ref: ExecutionRef) => (e ? `${e.workflowExternalId}@${e.version ?? '?'}` : `execution ${ref.executionId}`);

  return {
    'cdfWorkflows.showExecutionDetails': async (arg?: unknown) => {
      const { ref } = await resolve(arg, { title: 'Show Execution Details' });
      return documents.openExecution(ref);
    },

    'cdfWorkflows.showFunctionLogs': async (arg?: unknown) => {
      const plain = arg as { connection?: unknown; functionId?: unknown; callId?: unknown } | undefined;
      if (plain && typeof plain.connection === 'string' && typeof plain.functionId === 'number' && typeof plain.callId === 'number') {
        return documents.openFunctionLogs(plain.connection, { functionId: plain.functionId, callId: plain.callId });
      }
      const target = taskTargetOf(arg);
      if (!target) throw new InputError('Show Function Logs works on a function task that has called its function: pick one under an execution in the CDF Workflows view.');
      const call = functionCallOf(target.task);
      if (!call) {
        // Not an error of the user's: say why there is nothing to show.
        await s.ui().ask('info', `No function logs for ${target.task.externalId}: ${noLogsReason(target.task) ?? 'CDF reports no function call.'}`, {});
        return;
      }
      return documents.openFunctionLogs(target.ref.connection, call, { task: target.task, execution: target.execution });
    },

    'cdfWorkflows.cancelExecution': async (arg?: unknown) => {
      const { ref, known } = await resolve(arg, { title: 'Cancel Execution', statuses: ['RUNNING'] });
      const name = nameOf(known, ref);
      const since = known ? ` started ${formatRelative(known.startTime ?? known.createdTime)}` : '';
      const choice = await s.ui().ask(
        'warning',
        `Cancel the execution of ${name}${since}?`,
        {
          modal: true,
          detail:
            'Tasks that have not started will not run and running tasks are marked canceled, but work they started elsewhere (function calls, transformation jobs) keeps running.',
          cancel: KEEP_RUNNING,
        },
        CANCEL,
        CANCEL_WITH_REASON,
      );
      if (choice !== CANCEL && choice !== CANCEL_WITH_REASON) throw new CancelledError();
      let reason: string | undefined;
      if (choice === CANCEL_WITH_REASON) {
        reason = (
          await s.ui().input({
            title: `Cancel the execution of ${name}`,
            prompt: `Reason, kept as the execution's reason for incompletion (at most ${CANCEL_REASON_MAX} characters; empty for CDF's default)`,
            validate: v => (v.length > CANCEL_REASON_MAX ? `The reason is ${v.length} characters; CDF allows ${CANCEL_REASON_MAX}. Shorten it.` : undefined),
          })
        ).trim() || undefined;
      }
      s.tracker.noteCancelRequested(ref);
      await (await client(ref.connection)).executions.cancel(ref.executionId, { reason });
      const after = await reread(ref);
      s.log.info(`Cancelled execution ${ref.executionId} of ${nameOf(after, ref)} on ${ref.connection}${reason ? ' with a reason' : ''}.`);
      // A run the user follows says so in its end notification; any other gets a quiet confirmation.
      if (!s.tracker.isFollowedByUser(ref)) vscode.window.setStatusBarMessage(`$(circle-slash) Cancelled ${nameOf(after, ref)}`, 4000);
    },

    'cdfWorkflows.retryExecution': async (arg?: unknown) => {
      const { ref, known } = await resolve(arg, { title: 'Retry Execution', statuses: [...RETRYABLE_EXECUTION_STATUSES] });
      // The client creates a fresh session for the retry's nonce: both on one client.
      await s.connections.use(ref.connection, ({ client: c }) => c.executions.retry(ref.executionId));
      const after = await reread(ref);
      s.log.info(`Retried execution ${ref.executionId} of ${nameOf(after ?? known, ref)} on ${ref.connection}.`);
      s.tracker.follow(ref, after).catch((e: unknown) => s.log.warn(`Stopped following execution ${ref.executionId}: ${e instanceof Error ? e.message : String(e)}`));
    },

    'cdfWorkflows.followExecution': async (arg?: unknown) => {
      const { ref, known } = await resolve(arg, { title: 'Follow Execution', statuses: ['RUNNING'] });
      // Followed like a run the user started: read by id to its end, then a notification. Not awaited: the
      // command is done once following has started.
      void s.tracker.follow(ref, known);
      s.log.info(`Following execution ${ref.executionId} of ${nameOf(known, ref)} on ${ref.connection}.`);
      return ref;
    },

    'cdfWorkflows.runAgainWithSameInput': async (arg?: unknown) => {
      const { ref, known } = await resolve(arg, { title: 'Run Again with Same Input' });
      const execution = known && 'input' in known ? (known as ExecutionDetailed) : await (await client(ref.connection)).executions.retrieve(ref.executionId);
      const input = execution.input === undefined || execution.input === null ? {} : execution.input;
      const doc = await vscode.workspace.openTextDocument({ language: 'json', content: `${JSON.stringify(input, null, 2)}\n` });
      await vscode.window.showTextDocument(doc, { preview: false });
      const target = execution.version ? { connection: ref.connection, workflowExternalId: execution.workflowExternalId, version: execution.version } : undefined;
      if (!target) return doc.uri;
      const run = `Run ${target.workflowExternalId}@${target.version}`;
      void s
        .ui()
        .ask('info', `The input of ${target.workflowExternalId}@${target.version} is open as an untitled JSON file: edit it, then run it.`, {}, run)
        .then(choice => (choice === run ? vscode.commands.executeCommand('cdfWorkflows.runWith', doc.uri, target) : undefined))
        .then(undefined, (e: unknown) => s.log.warn(`Run again: ${e instanceof Error ? e.message : String(e)}`));
      return doc.uri;
    },

    'cdfWorkflows.copyTaskExecutionId': async (arg?: unknown) => {
      const target = taskTargetOf(arg);
      if (!target) throw new InputError('Copy Task Execution ID works on a task under an execution in the CDF Workflows view.');
      await vscode.env.clipboard.writeText(target.task.id);
      vscode.window.setStatusBarMessage(`$(copy) Copied the task execution id of ${target.task.externalId}`, 4000);
      return target.task.id;
    },

    'cdfWorkflows.showFollowedRun': async () => {
      const runs = s.tracker.followedRuns;
      if (runs.length === 0) throw new InputError('No run is being followed right now: runs you start are followed until they end.');
      const run =
        runs.length === 1
          ? runs[0]
          : await s.ui().pick({
              title: 'Show Followed Run',
              placeholder: 'Runs followed until they end',
              items: runs.map(r => ({ label: nameOf(r.execution, r.ref), description: `${r.execution ? statusLabel(r.execution.status) : ''} · ${r.ref.connection}`, value: r })),
            });
      await vscode.commands.executeCommand('cdfWorkflows.explorer.focus');
      if (run.execution) await s.tree.revealExecution(run.ref, run.execution, { expand: true });
    },

    'cdfWorkflows.copyExecutionId': async (arg?: unknown) => {
      const { ref } = await resolve(arg, { title: 'Copy Execution ID' });
      await vscode.env.clipboard.writeText(ref.executionId);
      vscode.window.setStatusBarMessage(`$(copy) Copied execution id ${ref.executionId}`, 4000);
      return ref.executionId;
    },

    'cdfWorkflows.completeAsyncTask': async (arg?: unknown) => {
      const target = taskTargetOf(arg);
      if (!target) throw new InputError('Complete Async Task works on a function task waiting for completion: pick one under a running execution in the CDF Workflows view.');
      const { task, ref } = target;
      const title = `Complete Async Task ${task.externalId}`;
      const status = await s.ui().pick<TaskUpdateStatus>({
        title,
        step: 1,
        totalSteps: 2,
        placeholder: 'How the task ends',
        items: TASK_UPDATE_STATUSES.map(st => ({
          label: statusLabel(st),
          description: st,
          detail:
            st === 'COMPLETED'
              ? 'The task succeeds and the workflow continues'
              : st === 'FAILED'
                ? 'The task fails and is retried as its retries allow'
                : 'The task fails at once, without retries',
          value: st,
        })),
      });
      const output = await pickOutput(s, title);
      await (await client(ref.connection)).tasks.update(task.id, status, { output: output?.value });
      const after = await reread(ref);
      s.log.info(`Set async task ${task.externalId} of execution ${ref.executionId} to ${status}${output ? ` with the output of ${output.source}` : ''}.`);
      // The task was picked under its expanded execution: the rest of its tasks stay live there.
      if (isRunningExecutionStatus(after.status)) s.tracker.followExpanded(ref, after);
      vscode.window.setStatusBarMessage(`$(pass) Task ${task.externalId}: ${statusLabel(status)}`, 4000);
    },
  };
}

/** The task's output: the active JSON editor, a JSON file, or none; checked like a run input. */
async function pickOutput(s: Services, title: string): Promise<{ value: Record<string, unknown>; source: string } | undefined> {
  const editor = vscode.window.activeTextEditor;
  const active = editor && ['json', 'jsonc'].includes(editor.document.languageId) ? editor.document : undefined;
  type Source = 'active' | 'file' | 'none';
  const items: PickItem<Source>[] = [];
  if (active) items.push({ label: `Active Editor (${vscode.workspace.asRelativePath(active.uri, false)})`, description: 'its JSON object is merged into the task output', value: 'active' });
  items.push({ label: 'Choose a JSON File...', value: 'file' }, { label: 'No Output', description: 'only the status', value: 'none' });
  const source = await s.ui().pick<Source>({ title, step: 2, totalSteps: 2, placeholder: 'Output to merge into the task output (a JSON object, at most 100 KB)', items });
  if (source === 'none') return undefined;
  let text: string;
  let name: string;
  if (source === 'active' && active) {
    text = active.getText();
    name = vscode.workspace.asRelativePath(active.uri, false);
  } else {
    const uri = await s.ui().openFile({ title: `${title}: output`, filters: { JSON: ['json'] } });
    const open = vscode.workspace.textDocuments.find(d => d.uri.toString() === uri.toString());
    text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    name = vscode.workspace.asRelativePath(uri, false);
  }
  try {
    return { value: parseRunInput(text).input, source: name };
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`The output in ${name} cannot be sent: ${e.message.replace(/^The run input/, 'it')}`);
    throw e;
  }
}
