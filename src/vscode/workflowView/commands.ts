// Commands of the workflow view: Show Graph (an execution, a task, a version or a definition file),
// Open Execution (what clicking an execution does: the graph or the text, as cdfWorkflows.executions.openIn
// says), and Compare Executions (two selected in the tree, or the second picked from a list).
import * as vscode from 'vscode';
import { InputError } from '../../core/errors';
import { nodeId } from '../../core/graph/model';
import { type Execution, type ExecutionDetailed } from '../../core/schemas/executions';
import { type WorkflowVersion } from '../../core/schemas/workflows';
import { type CommandHandler } from '../boundary';
import { config } from '../config';
import { executionTargetOf } from '../executions/commands';
import { formatRelative, statusLabel } from '../executions/format';
import { type ExecutionRef } from '../executions/tracker';
import { type Services } from '../services';
import { type PickItem } from '../ui';

/** A version node of the tree: `.version` (WorkflowVersion) and its connection. */
function versionOf(arg: unknown): { connection: string; version: WorkflowVersion } | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const n = arg as { version?: WorkflowVersion; connection?: unknown };
  const v = n.version;
  if (!v || typeof v !== 'object' || typeof v.workflowExternalId !== 'string' || typeof v.version !== 'string' || typeof n.connection !== 'string') return undefined;
  return { connection: n.connection, version: v };
}

/** A task node of the tree: its task and the execution it belongs to. */
function taskOf(arg: unknown): { ref: ExecutionRef; nodeId: string } | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const n = arg as { task?: { externalId?: unknown; parentTaskExternalId?: unknown }; ref?: ExecutionRef };
  if (!n.task || typeof n.task.externalId !== 'string' || !n.ref) return undefined;
  const parent = typeof n.task.parentTaskExternalId === 'string' && n.task.parentTaskExternalId !== n.task.externalId ? n.task.parentTaskExternalId : undefined;
  return { ref: { connection: n.ref.connection, executionId: n.ref.executionId }, nodeId: nodeId(n.task.externalId, parent) };
}

export function workflowViewCommands(s: Services): Record<string, CommandHandler> {
  const views = s.workflowViews;
  const client = async (connection: string) => (await s.connections.client(connection)).client;

  const showGraph = async (arg?: unknown): Promise<void> => {
    const task = taskOf(arg);
    if (task) return views.openExecution(task.ref, { select: task.nodeId });
    const version = versionOf(arg);
    if (version) {
      return views.openVersion({ connection: version.connection, workflowExternalId: version.version.workflowExternalId, version: version.version.version }, version.version);
    }
    const uri = arg instanceof vscode.Uri ? arg : undefined;
    if (uri && uri.scheme !== 'cdf-workflows') return views.openFile(uri);
    const target = executionTargetOf(arg) ?? (arg === undefined ? executionTargetOf(vscode.window.activeTextEditor?.document.uri) : undefined);
    if (target) return views.openExecution(target.ref);
    const editor = vscode.window.activeTextEditor;
    if (arg === undefined && editor && ['yaml', 'json', 'jsonc'].includes(editor.document.languageId)) return views.openFile(editor.document.uri);
    if (arg !== undefined) throw new InputError('Show Graph works on an execution, a task, a version or a definition file: pick one in the CDF Workflows view or open the file.');
    const picked = await pickExecution('Show Graph');
    return views.openExecution(picked.ref);
  };

  const pickExecution = async (title: string, options: { like?: Execution | ExecutionDetailed; exclude?: string; connection?: string } = {}): Promise<{ ref: ExecutionRef; known: Execution }> => {
    const connection = options.connection ?? s.connections.resolve().name;
    const like = options.like;
    const items = (async (): Promise<PickItem<Execution>[]> => {
      const c = await client(connection);
      const filter = like ? { workflowFilters: [{ externalId: like.workflowExternalId }] } : {};
      const page = await c.executions.list({ filter, limit: 50 });
      const list = page.items.filter((e) => e.id !== options.exclude);
      if (list.length === 0) {
        throw new InputError(like ? `${like.workflowExternalId} has no other execution in ${connection} to compare with.` : `There is no execution in ${connection}.`);
      }
      // The same version first: that is what a comparison usually wants.
      list.sort((a, b) => Number(b.version === like?.version) - Number(a.version === like?.version));
      return list.map((e) => ({
        label: `${e.workflowExternalId}@${e.version ?? '?'}`,
        description: `${statusLabel(e.status)} · ${formatRelative(e.startTime ?? e.createdTime)}`,
        detail: e.id,
        value: e,
      }));
    })();
    const e = await s.ui().pick({ title, placeholder: like ? `Executions of ${like.workflowExternalId} in ${connection}` : `Recent executions in ${connection}`, matchOnDescription: true, matchOnDetail: true, items });
    return { ref: { connection, executionId: e.id }, known: e };
  };

  return {
    'cdfWorkflows.showWorkflowView': showGraph,

    'cdfWorkflows.openExecution': async (arg?: unknown) => {
      const target = executionTargetOf(arg);
      if (!target) return showGraph(arg);
      if (config.executionsOpenIn() === 'text') return vscode.commands.executeCommand('cdfWorkflows.showExecutionDetails', target.ref);
      return views.openExecution(target.ref);
    },

    // From the tree: (clicked node, selected nodes); from the palette or a view: an ExecutionRef or nothing.
    'cdfWorkflows.compareExecutions': async (arg?: unknown, selection?: unknown) => {
      const selected = (Array.isArray(selection) ? selection : []).map((n) => executionTargetOf(n)).filter((t) => t !== undefined);
      let first = executionTargetOf(arg) ?? selected[0];
      let second = selected.find((t) => first && t.ref.executionId !== first.ref.executionId);
      if (selected.length > 2) throw new InputError(`Compare Executions compares two executions; ${selected.length} are selected.`);
      if (!first) first = await pickExecution('Compare Executions: the first execution');
      if (second && second.ref.connection !== first.ref.connection) throw new InputError('Compare Executions compares two executions of one connection.');
      const a = await (await client(first.ref.connection)).executions.retrieve(first.ref.executionId);
      if (!second) second = await pickExecution(`Compare ${a.workflowExternalId}@${a.version ?? '?'} (${formatRelative(a.startTime ?? a.createdTime)}) with`, { like: a, exclude: a.id, connection: first.ref.connection });
      const b = await (await client(second.ref.connection)).executions.retrieve(second.ref.executionId);
      // Older run on the left, so the diff reads as what changed since.
      const [left, right] = (a.startTime ?? a.createdTime) <= (b.startTime ?? b.createdTime) ? [a, b] : [b, a];
      return views.compare(first.ref.connection, left, right);
    },
  };
}
