// A workflow version. Children: its executions, newest first, one page at a time (executions.pageSize)
// under the status filter, with "Load More..." while there are more. Execution nodes are kept by id, so
// a live update changes the one node in place.
import * as vscode from 'vscode';
import { type Page } from '../../../core/schemas/common';
import { type Execution, type ExecutionDetailed, type ExecutionStatus, isRunningExecutionStatus } from '../../../core/schemas/executions';
import { type WorkflowVersion } from '../../../core/schemas/workflows';
import { type VersionRef } from '../../../core/watch';
import { config } from '../../config';
import { inlineCode } from '../../details/markdown';
import { formatRelative, formatTimestamp, taskCount, versionLabel } from '../../executions/format';
import { type TreeContext } from '../context';
import { ErrorNode, escapeMarkdown, MessageNode, PagedNode, type TreeNode } from '../node';
import { ExecutionNode } from './executionNode';
import { type WorkflowNode } from './workflowNode';

export class VersionNode extends PagedNode<Execution> {
  private readonly nodes = new Map<string, ExecutionNode>();
  /** The statuses page one was asked with: later pages must use the same filter as their cursor. */
  private pageStatuses: readonly ExecutionStatus[] | undefined;

  constructor(override readonly parent: WorkflowNode, readonly version: WorkflowVersion) {
    super(parent, parent.ctx.changes);
  }

  get ctx(): TreeContext {
    return this.parent.ctx;
  }

  get id(): string {
    return `${this.parent.id}/v/${this.version.version}`;
  }

  /** The connection's name. */
  get connection(): string {
    return this.parent.connection;
  }

  get workflowExternalId(): string {
    return this.version.workflowExternalId;
  }

  /** The version as the tracker names it. */
  get versionRef(): VersionRef {
    return { workflowExternalId: this.version.workflowExternalId, version: this.version.version };
  }

  getTreeItem(): vscode.TreeItem {
    const v = this.version;
    const tasks = v.workflowDefinition.tasks;
    const item = new vscode.TreeItem(versionLabel(v.version), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const updated = v.lastUpdatedTime ?? v.createdTime;
    item.description = [taskCount(tasks.length), updated !== undefined ? `updated ${formatRelative(updated)}` : undefined].filter(Boolean).join(' · ');
    // Read as one line: "v2 · 4 tasks · updated 14 days ago", never "2 4 tasks".
    item.accessibilityInformation = { label: `${versionLabel(v.version)} · ${item.description}` };
    item.iconPath = new vscode.ThemeIcon('versions');
    const taskLines = tasks.slice(0, 25).map(t => `- ${inlineCode(t.externalId)} ${escapeMarkdown(t.type)}${t.dependsOn?.length ? ` after ${t.dependsOn.map(d => inlineCode(d.externalId)).join(', ')}` : ''}`);
    if (tasks.length > 25) taskLines.push(`- … and ${tasks.length - 25} more`);
    const lines = [
      `**${escapeMarkdown(v.workflowExternalId)}** version **${escapeMarkdown(v.version)}**`,
      v.workflowDefinition.description ? escapeMarkdown(v.workflowDefinition.description) : undefined,
      taskLines.length ? `Tasks:\n\n${taskLines.join('\n')}` : 'No tasks.',
      [v.createdTime !== undefined ? `Created ${escapeMarkdown(formatTimestamp(v.createdTime))}` : undefined, v.lastUpdatedTime !== undefined ? `Last updated ${escapeMarkdown(formatTimestamp(v.lastUpdatedTime))}` : undefined]
        .filter(Boolean)
        .join('  \n'),
      `Definition hash ${inlineCode(v.workflowDefinition.hash)}`,
    ];
    item.tooltip = new vscode.MarkdownString(lines.filter(Boolean).join('\n\n'));
    item.contextValue = 'version schedulable refreshable';
    return item;
  }

  protected async loadPage(cursor: string | undefined): Promise<Page<Execution>> {
    if (cursor === undefined) this.pageStatuses = this.ctx.filter.current.statuses;
    const statuses = this.pageStatuses;
    const { client } = await this.ctx.services.connections.client(this.connection);
    return client.executions.list({
      filter: { workflowFilters: [{ externalId: this.workflowExternalId, version: this.version.version }], ...(statuses ? { status: [...statuses] } : {}) },
      limit: config.executionsPageSize(),
      cursor,
    });
  }

  protected keyOf(execution: Execution): string {
    return execution.id;
  }

  protected toNode(execution: Execution): TreeNode {
    let node = this.nodes.get(execution.id);
    if (!node) {
      node = new ExecutionNode(this, execution);
      this.nodes.set(execution.id, node);
    }
    return node;
  }

  protected override render(): TreeNode[] {
    const nodes = super.render();
    // The tracker follows what is on screen while the view is visible (one list request per interval for
    // the whole version); the summaries spare a first read.
    this.ctx.services.tracker.showRunning(this.connection, this.versionRef, this.runningExecutions);
    return nodes;
  }

  protected override emptyNode(): TreeNode {
    return new MessageNode(this, 'empty', this.ctx.filter.current.empty);
  }

  override invalidate(): void {
    super.invalidate();
    this.nodes.clear();
  }

  /** The node of a loaded execution. */
  executionNode(executionId: string): ExecutionNode | undefined {
    return this.isLoaded ? this.nodes.get(executionId) : undefined;
  }

  /** Running executions on screen (to follow again when the view shows). */
  get runningExecutions(): Execution[] {
    return this.isLoaded ? this.loadedItems.filter(e => isRunningExecutionStatus(e.status)) : [];
  }

  /**
   * Shows an execution first among the loaded ones without a request (a new run); loads page one first
   * if this version was never expanded. Returns its node.
   */
  async showFirst(execution: Execution | ExecutionDetailed, expand = false): Promise<ExecutionNode> {
    if (!this.isLoaded) {
      const children = await this.getChildren();
      const failure = children.find((c): c is ErrorNode => c instanceof ErrorNode)?.error;
      if (!this.isLoaded) throw failure instanceof Error ? failure : new Error(`The executions of ${this.workflowExternalId} ${this.version.version} did not load.`);
    }
    const node = this.nodes.get(execution.id);
    this.putFirst(execution, e => e.id === execution.id);
    if (node) node.update(execution, false);
    const placed = this.toNode(execution) as ExecutionNode;
    // Set before the version redraws, so the row is drawn expanded from the start.
    if (expand) placed.expandOnShow = true;
    this.changes.changed(this);
    return placed;
  }

  /** Keeps a newer state of a loaded execution for the next render (its node knows already). */
  remember(execution: Execution | ExecutionDetailed): void {
    this.replaceItem(execution, e => e.id === execution.id);
  }

  /** A newer state of a loaded execution: updates its node only. False when it is not loaded here. */
  update(execution: Execution | ExecutionDetailed): boolean {
    const node = this.executionNode(execution.id);
    if (!node) return false;
    this.replaceItem(execution, e => e.id === execution.id);
    node.update(execution);
    return true;
  }
}
