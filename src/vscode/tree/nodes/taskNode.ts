// One task execution: status icon, type, duration, retries from its definition, reason for failure. The
// tasks a dynamic or subworkflow task started are its children. No requests: everything comes with the
// execution's details.
import * as vscode from 'vscode';
import { type ExecutionDetailed } from '../../../core/schemas/executions';
import { type TaskExecution } from '../../../core/schemas/tasks';
import { inlineCode, truncate } from '../../details/markdown';
import { elapsed, formatDuration, formatTimestamp, statusIcon, statusLabel } from '../../executions/format';
import { childTasks, functionCallOf, isAsyncTask, isAsyncWaiting, retriesOf, taskDefinitionOf } from '../../executions/taskTree';
import { type ExecutionRef } from '../../executions/tracker';
import { escapeMarkdown, TreeNode } from '../node';
import { type ExecutionNode } from './executionNode';

/** contextValue tokens of a task (package.json's menus match them). */
export function taskContextValue(execution: ExecutionDetailed, task: TaskExecution): string {
  const tokens = ['task'];
  if (functionCallOf(task)) tokens.push('functionCall');
  if (isAsyncWaiting(execution, task)) tokens.push('asyncWaiting');
  return tokens.join(' ');
}

export class TaskNode extends TreeNode {
  constructor(
    override readonly parent: ExecutionNode | TaskNode,
    readonly executionNode: ExecutionNode,
    readonly task: TaskExecution,
    /** The execution state this task belongs to (definitions, siblings, children). */
    readonly execution: ExecutionDetailed,
  ) {
    super(parent);
  }

  get id(): string {
    return `${this.executionNode.id}/t/${this.task.id}`;
  }

  get connection(): string {
    return this.executionNode.connection;
  }

  get ref(): ExecutionRef {
    return this.executionNode.ref;
  }

  private get children(): TaskExecution[] {
    return childTasks(this.execution, this.task);
  }

  getTreeItem(): vscode.TreeItem {
    const t = this.task;
    const hasChildren = this.children.length > 0;
    const item = new vscode.TreeItem(t.externalId, hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const took = elapsed(t.startTime, t.endTime);
    const retries = retriesOf(taskDefinitionOf(this.execution, t));
    const failed = /FAILED|TIMED_OUT|CANCELED/.test(t.status);
    item.description = [
      t.taskType,
      took !== undefined ? formatDuration(took) : undefined,
      isAsyncWaiting(this.execution, t) ? 'waiting for completion' : undefined,
      failed && retries ? `${retries} ${retries === 1 ? 'retry' : 'retries'} allowed` : undefined,
      failed && t.reasonForIncompletion ? truncate(t.reasonForIncompletion, 80) : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = statusIcon(t.status);
    item.tooltip = this.tooltip();
    item.contextValue = taskContextValue(this.execution, t);
    return item;
  }

  private tooltip(): vscode.MarkdownString {
    const t = this.task;
    const definition = taskDefinitionOf(this.execution, t) as { name?: unknown; description?: unknown; retries?: unknown; timeout?: unknown; onFailure?: unknown } | undefined;
    const took = elapsed(t.startTime, t.endTime);
    const call = functionCallOf(t);
    const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    const lines = [
      `**${escapeMarkdown(t.externalId)}** (${escapeMarkdown(t.taskType)}): $(${statusIcon(t.status).id}) ${escapeMarkdown(statusLabel(t.status))}`,
      text(definition?.name) ? escapeMarkdown(text(definition?.name)!) : undefined,
      text(definition?.description) ? escapeMarkdown(text(definition?.description)!) : undefined,
      t.reasonForIncompletion ? `Reason: ${escapeMarkdown(t.reasonForIncompletion)}` : undefined,
      [
        t.startTime ? `Started ${escapeMarkdown(formatTimestamp(t.startTime))}` : undefined,
        t.endTime ? `Ended ${escapeMarkdown(formatTimestamp(t.endTime))}` : undefined,
        took !== undefined ? `${t.endTime ? 'Took' : 'Running for'} ${escapeMarkdown(formatDuration(took))}` : undefined,
      ]
        .filter(Boolean)
        .join('  \n'),
      [
        typeof definition?.retries === 'number' ? `Retries allowed: ${definition.retries}` : undefined,
        typeof definition?.timeout === 'number' ? `Timeout: ${definition.timeout} s` : undefined,
        text(definition?.onFailure) ? `On failure: ${escapeMarkdown(text(definition?.onFailure)!)}` : undefined,
      ]
        .filter(Boolean)
        .join('  \n'),
      call ? `Function call ${inlineCode(String(call.callId))} of function ${inlineCode(String(call.functionId))}` : undefined,
      isAsyncTask(this.execution, t) ? (t.status === 'IN_PROGRESS' ? 'Waits for *Complete Async Task...* (or its caller) to complete it.' : 'Completed asynchronously.') : undefined,
      t.parentTaskExternalId ? `Started by ${inlineCode(t.parentTaskExternalId)}` : undefined,
      `Task execution id ${inlineCode(t.id)}`,
    ];
    return new vscode.MarkdownString(lines.filter(Boolean).join('\n\n'), true);
  }

  override getChildren(): Promise<TreeNode[]> {
    return Promise.resolve(this.children.map(c => new TaskNode(this, this.executionNode, c, this.execution)));
  }
}
