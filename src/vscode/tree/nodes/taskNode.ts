// One task execution: status icon, type, duration, retries from its definition, reason for failure. The
// tasks a dynamic or subworkflow task started are its children. No requests: everything comes with the
// execution's details.
import * as vscode from 'vscode';
import { type ExecutionDetailed } from '../../../core/schemas/executions';
import { type TaskDefinition, type TaskExecution } from '../../../core/schemas/tasks';
import { inlineCode, truncate } from '../../details/markdown';
import { elapsed, formatDuration, formatTimestamp, statusIcon, statusLabel } from '../../executions/format';
import { childTasks, functionCallOf, isAsyncTask, isAsyncWaiting, noLogsReason, retriesOf, taskDefinitionOf } from '../../executions/taskTree';
import { type ExecutionRef } from '../../executions/tracker';
import { escapeMarkdown, TreeNode } from '../node';
import { type ExecutionNode } from './executionNode';

/** contextValue tokens of a task (package.json's menus match them). */
export function taskContextValue(execution: ExecutionDetailed, task: TaskExecution): string {
  const tokens = ['task'];
  // Every function task offers its logs; one without a call says why there are none.
  if (task.taskType === 'function') tokens.push('functionTask');
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
    // The status in words first: an icon alone says nothing to a screen reader or a colour-blind eye.
    item.description = [
      isAsyncWaiting(this.execution, t) ? 'Waiting for completion' : statusLabel(t.status),
      t.taskType,
      took !== undefined ? formatDuration(took) : undefined,
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
      t.taskType === 'function' && !call ? `No function logs: ${escapeMarkdown(noLogsReason(t) ?? '')}` : undefined,
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

/**
 * A task of the version that a running execution has not started yet: greyed, with what it waits for.
 * Not a CDF task execution (it has no id): its menu offers what is about the execution.
 */
export class NotStartedTaskNode extends TreeNode {
  constructor(
    override readonly parent: ExecutionNode,
    readonly definition: TaskDefinition,
    readonly execution: ExecutionDetailed,
  ) {
    super(parent);
  }

  get id(): string {
    return `${this.parent.id}/pending/${this.definition.externalId}`;
  }

  /** The execution it belongs to (its menu's Show Execution Details takes it). */
  get ref(): ExecutionRef {
    return this.parent.ref;
  }

  getTreeItem(): vscode.TreeItem {
    const d = this.definition;
    const item = new vscode.TreeItem(d.externalId, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const done = new Set(this.execution.executedTasks.filter(t => /^COMPLETED/.test(t.status)).map(t => t.externalId));
    const waitsFor = (d.dependsOn ?? []).map(x => x.externalId).filter(x => !done.has(x));
    item.description = ['Not started', d.type, waitsFor.length ? `after ${waitsFor.join(', ')}` : undefined].filter(Boolean).join(' · ');
    item.iconPath = statusIcon('NOT_STARTED');
    const name = typeof d.name === 'string' && d.name ? `\n\n${escapeMarkdown(d.name)}` : '';
    item.tooltip = new vscode.MarkdownString(
      `**${escapeMarkdown(d.externalId)}** (${escapeMarkdown(d.type)}): not started yet${name}` +
        (waitsFor.length ? `\n\nWaits for ${waitsFor.map(inlineCode).join(', ')}` : '\n\nStarts when the engine schedules it'),
    );
    item.contextValue = 'taskNotStarted';
    return item;
  }
}
