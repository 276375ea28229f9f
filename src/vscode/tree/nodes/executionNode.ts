// One execution of a version: status icon (spinning while it runs), relative start time and duration.
// Children: its task executions, read with the execution's details (one request) unless a followed or
// finished state is already at hand.
import * as vscode from 'vscode';
import { describeOrigin, executionOrigin, originSentence } from '../../../core/run/origin';
import { type Execution, type ExecutionDetailed, isRetryableExecutionStatus, isRunningExecutionStatus } from '../../../core/schemas/executions';
import { inlineCode } from '../../details/markdown';
import { elapsed, formatDuration, formatRelative, formatTimestamp, statusIcon, statusLabel } from '../../executions/format';
import { notStartedTasks, topLevelTasks } from '../../executions/taskTree';
import { type ExecutionRef } from '../../executions/tracker';
import { type TreeContext } from '../context';
import { escapeMarkdown, LoadingNode, MessageNode, type TreeNode } from '../node';
import { NotStartedTaskNode, TaskNode } from './taskNode';
import { type VersionNode } from './versionNode';

export function isDetailed(e: Execution | ExecutionDetailed): e is ExecutionDetailed {
  return Array.isArray((e as Partial<ExecutionDetailed>).executedTasks) && (e as Partial<ExecutionDetailed>).workflowDefinition !== undefined;
}

/** contextValue tokens of an execution in a status (package.json's menus match them). */
export function executionContextValue(status: string): string {
  const tokens = ['execution'];
  if (isRunningExecutionStatus(status)) tokens.push('running', 'cancelable');
  else if (isRetryableExecutionStatus(status)) tokens.push('retryable');
  return tokens.join(' ');
}

export class ExecutionNode extends LoadingNode {
  private state: Execution | ExecutionDetailed;
  private detailedState: ExecutionDetailed | undefined;
  /**
   * Drawn expanded (a run the user just started): the item itself says so, so a redraw while its tasks
   * load does not fold it again. Collapsing it by hand ends that.
   */
  expandOnShow = false;

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
    const item = new vscode.TreeItem(statusLabel(e.status), this.expandOnShow ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const started = e.startTime ?? e.createdTime;
    const took = elapsed(e.startTime, e.endTime);
    const waiting = isRunningExecutionStatus(e.status) && !e.startTime;
    const origin = executionOrigin(e.metadata);
    // Running: the elapsed time so far, redrawn by the tree's label timer (no request).
    item.description = [
      waiting ? `queued ${formatRelative(e.createdTime)}` : formatRelative(started),
      took !== undefined ? formatDuration(took) : undefined,
      origin ? describeOrigin(origin) : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = statusIcon(e.status);
    item.tooltip = executionTooltip(e);
    item.contextValue = executionContextValue(e.status);
    // Reads kept failing: a spinner would claim it is live. Say so, and offer to follow it again.
    const stopped = isRunningExecutionStatus(e.status) ? this.ctx.services.tracker.stoppedFollowing(this.ref) : undefined;
    if (stopped) {
      item.iconPath = new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('list.warningForeground'));
      item.description = `not followed · ${String(item.description)}`;
      item.tooltip.appendMarkdown(`\n\n**No longer followed**: reads kept failing (${escapeMarkdown(stopped.reason)}). *Follow Execution* tries again.`);
      item.contextValue += ' unfollowed';
    }
    // The graph or the text, as cdfWorkflows.executions.openIn says.
    item.command = { command: 'cdfWorkflows.openExecution', title: 'Open Execution', arguments: [this.ref] };
    return item;
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    let detailed = this.detailedState;
    const tracker = this.ctx.services.tracker;
    // A run the user just started is read by its follow loop: its first state serves, without a request.
    if (!detailed) {
      const known = await tracker.stateOf(this.ref);
      if (known && known.id === this.state.id) {
        detailed = known;
        this.state = known;
        this.detailedState = known;
        this.parent.remember(known);
      }
    }
    // Tasks are only in the details: fresh when the execution has ended, or while it is read by id.
    const fresh = detailed && (!isRunningExecutionStatus(detailed.status) || tracker.isReadById(this.ref));
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
    // Expanded (its children are asked for) and running: read it by id so that its tasks stay live.
    if (isRunningExecutionStatus(detailed.status)) tracker.followExpanded(this.ref, detailed);
    return this.taskNodes(detailed);
  }

  /** Collapsed in the view: its tasks are off screen, so they are no longer read; the next expansion reads them. */
  collapsed(): void {
    this.ctx.services.tracker.collapse(this.ref);
    this.forgetChildren();
  }

  /** Its tasks may have moved on unseen (the view was hidden): if it is expanded, read them again. */
  tasksStale(): void {
    if (!this.loaded || this.ctx.services.tracker.isReadById(this.ref)) return;
    this.forgetChildren();
    this.changes.changed(this);
  }

  private taskNodes(detailed: ExecutionDetailed): TreeNode[] {
    const top: TreeNode[] = topLevelTasks(detailed).map(t => new TaskNode(this, this, t, detailed));
    // While it runs, the version's tasks that have not started show (greyed) what is left to do.
    if (isRunningExecutionStatus(detailed.status)) top.push(...notStartedTasks(detailed).map(d => new NotStartedTaskNode(this, d, detailed)));
    if (top.length === 0) return [new MessageNode(this, 'no-tasks', isRunningExecutionStatus(detailed.status) ? 'No task has started yet' : 'No tasks ran')];
    return top;
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
    e.startTime ? `Started ${escapeMarkdown(formatTimestamp(e.startTime))}` : isRunningExecutionStatus(e.status) ? 'Waiting to start' : undefined,
    e.endTime ? `Ended ${escapeMarkdown(formatTimestamp(e.endTime))}` : undefined,
    took !== undefined ? `${e.endTime ? 'Took' : 'Running for'} ${escapeMarkdown(formatDuration(took))}` : undefined,
  ].filter(Boolean);
  const metadata = Object.entries(e.metadata ?? {});
  const origin = executionOrigin(e.metadata);
  const lines = [
    `**${escapeMarkdown(e.workflowExternalId)}**${e.version ? ` version **${escapeMarkdown(e.version)}**` : ''}: $(${statusIcon(e.status).id}) ${escapeMarkdown(statusLabel(e.status))}`,
    origin ? escapeMarkdown(originSentence(origin)) : undefined,
    e.reasonForIncompletion ? `Reason: ${escapeMarkdown(e.reasonForIncompletion)}` : undefined,
    times.join('  \n'),
    metadata.length ? `Metadata: ${metadata.map(([k, v]) => `${inlineCode(k)}=${inlineCode(v)}`).join(', ')}` : undefined,
    `Execution id ${inlineCode(e.id)}`,
  ];
  return new vscode.MarkdownString(lines.filter(Boolean).join('\n\n'), true);
}
