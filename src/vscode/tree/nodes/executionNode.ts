// One execution of a version: status icon (spinning while it runs), relative start time and duration.
// Children: its task executions, read with the execution's details (one request) unless a followed or
// finished state is already at hand.
import * as vscode from 'vscode';
import { type Execution, type ExecutionDetailed } from '../../../core/schemas/executions';
import { inlineCode } from '../../details/markdown';
import { elapsed, formatDuration, formatRelative, formatTimestamp, statusIcon, statusLabel } from '../../executions/format';
import { topLevelTasks } from '../../executions/taskTree';
import { type ExecutionRef } from '../../executions/tracker';
import { type TreeContext } from '../context';
import { escapeMarkdown, LoadingNode, MessageNode, type TreeNode } from '../node';
import { TaskNode } from './taskNode';
import { type VersionNode } from './versionNode';

export function isDetailed(e: Execution | ExecutionDetailed): e is ExecutionDetailed {
  return Array.isArray((e as Partial<ExecutionDetailed>).executedTasks) && (e as Partial<ExecutionDetailed>).workflowDefinition !== undefined;
}

/** contextValue tokens of an execution in a status (package.json's menus match them). */
export function executionContextValue(status: string): string {
  const tokens = ['execution'];
  if (status === 'RUNNING') tokens.push('running', 'cancelable');
  else if (status === 'FAILED' || status === 'TIMED_OUT' || status === 'TERMINATED') tokens.push('retryable');
  return tokens.join(' ');
}

export class ExecutionNode extends LoadingNode {
  private state: Execution | ExecutionDetailed;
  private detailedState: ExecutionDetailed | undefined;

  constructor(override readonly parent: VersionNode, execution: Execution | ExecutionDetailed) {
    super(parent, parent.ctx.changes);
    this.state = execution;
    this.detailedState = isDetailed(execution) ? execution : undefined;
  }

  get ctx(): TreeContext {
    return this.parent.ctx;
  }

  get id(): string {
    return `${this.parent.id}/x/${this.state.id}`;
  }

  get connection(): string {
    return this.parent.connection;
  }

  get ref(): ExecutionRef {
    return { connection: this.connection, executionId: this.state.id };
  }

  /** The latest known state (summary or detailed). */
  get execution(): Execution | ExecutionDetailed {
    return this.state;
  }

  /** The latest detailed state, once read. */
  get detailed(): ExecutionDetailed | undefined {
    return this.detailedState;
  }

  getTreeItem(): vscode.TreeItem {
    const e = this.state;
    const item = new vscode.TreeItem(statusLabel(e.status), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const started = e.startTime ?? e.createdTime;
    const took = elapsed(e.startTime, e.endTime);
    const waiting = e.status === 'RUNNING' && !e.startTime;
    item.description = [waiting ? `queued ${formatRelative(e.createdTime)}` : formatRelative(started), took !== undefined ? formatDuration(took) : undefined]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = statusIcon(e.status);
    item.tooltip = executionTooltip(e);
    item.contextValue = executionContextValue(e.status);
    // The graph or the text, as cdfWorkflows.executions.openIn says.
    item.command = { command: 'cdfWorkflows.openExecution', title: 'Open Execution', arguments: [this.ref] };
    return item;
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    let detailed = this.detailedState;
    const fresh = detailed && (detailed.status !== 'RUNNING' || this.ctx.services.tracker.isFollowing(this.ref));
    if (!detailed || !fresh) {
      const { client } = await this.ctx.services.connections.client(this.connection);
      detailed = await client.executions.retrieve(this.state.id);
      const moved = detailed.status !== this.state.status || detailed.endTime !== this.state.endTime;
      this.state = detailed;
      this.detailedState = detailed;
      this.parent.remember(detailed);
      // Our own label is stale when the state moved on: re-render it after these children are handed out.
      if (moved) setImmediate(() => this.changes.changed(this));
    }
    return this.taskNodes(detailed);
  }

  private taskNodes(detailed: ExecutionDetailed): TreeNode[] {
    const top = topLevelTasks(detailed);
    if (top.length === 0) {
      return [new MessageNode(this, 'no-tasks', detailed.status === 'RUNNING' ? 'No task has started yet' : 'No tasks ran')];
    }
    return top.map(t => new TaskNode(this, this, t, detailed));
  }

  /**
   * A newer state (from following, or after an action): re-renders this node and, when it carries the
   * tasks, its children without a request. `notify` false when the caller fires the change itself.
   */
  update(execution: Execution | ExecutionDetailed, notify = true): void {
    if (execution.id !== this.state.id) return;
    this.state = execution;
    if (isDetailed(execution)) this.detailedState = execution;
    else if (this.detailedState && this.detailedState.status !== execution.status) this.detailedState = undefined;
    this.forgetChildren();
    if (notify) this.changes.changed(this);
  }

  /** Refresh: read the details again on the next expansion. */
  override invalidate(): void {
    this.detailedState = undefined;
    super.invalidate();
  }
}

export function executionTooltip(e: Execution | ExecutionDetailed): vscode.MarkdownString {
  const took = elapsed(e.startTime, e.endTime);
  const times = [
    `Created ${escapeMarkdown(formatTimestamp(e.createdTime))}`,
    e.startTime ? `Started ${escapeMarkdown(formatTimestamp(e.startTime))}` : e.status === 'RUNNING' ? 'Waiting to start' : undefined,
    e.endTime ? `Ended ${escapeMarkdown(formatTimestamp(e.endTime))}` : undefined,
    took !== undefined ? `${e.endTime ? 'Took' : 'Running for'} ${escapeMarkdown(formatDuration(took))}` : undefined,
  ].filter(Boolean);
  const metadata = Object.entries(e.metadata ?? {});
  const lines = [
    `**${escapeMarkdown(e.workflowExternalId)}**${e.version ? ` version **${escapeMarkdown(e.version)}**` : ''}: $(${statusIcon(e.status).id}) ${escapeMarkdown(statusLabel(e.status))}`,
    e.reasonForIncompletion ? `Reason: ${escapeMarkdown(e.reasonForIncompletion)}` : undefined,
    times.join('  \n'),
    metadata.length ? `Metadata: ${metadata.map(([k, v]) => `${inlineCode(k)}=${inlineCode(v)}`).join(', ')}` : undefined,
    `Execution id ${inlineCode(e.id)}`,
  ];
  return new vscode.MarkdownString(lines.filter(Boolean).join('\n\n'), true);
}
