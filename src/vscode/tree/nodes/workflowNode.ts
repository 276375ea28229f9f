// A workflow: description and data set; children are its versions (newest first), then the Schedules
// and Triggers groups, which load only when expanded.
import * as vscode from 'vscode';
import { type Workflow } from '../../../core/schemas/workflows';
import { inlineCode } from '../../details/markdown';
import { formatTimestamp } from '../../executions/format';
import { type TreeContext } from '../context';
import { escapeMarkdown, LoadingNode, MessageNode, type TreeNode } from '../node';
import { type ConnectionNode } from './connectionNode';
import { SchedulesGroupNode, TriggersGroupNode } from './scheduleNodes';
import { VersionNode } from './versionNode';

export class WorkflowNode extends LoadingNode {
  constructor(override readonly parent: ConnectionNode, readonly workflow: Workflow) {
    super(parent, parent.ctx.changes);
  }

  get ctx(): TreeContext {
    return this.parent.ctx;
  }

  get id(): string {
    return `${this.parent.id}/wf/${this.workflow.externalId}`;
  }

  /** The connection's name. */
  get connection(): string {
    return this.parent.connection.name;
  }

  getTreeItem(): vscode.TreeItem {
    const w = this.workflow;
    const item = new vscode.TreeItem(w.externalId, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = [w.description, w.dataSetId ? `data set ${w.dataSetId}` : undefined].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon('type-hierarchy');
    const lines = [
      `**${escapeMarkdown(w.externalId)}**`,
      w.description ? escapeMarkdown(w.description) : undefined,
      w.dataSetId ? `Data set: ${inlineCode(String(w.dataSetId))}` : undefined,
      w.maxConcurrentExecutions ? `Max concurrent executions: ${w.maxConcurrentExecutions}` : undefined,
      `Created ${escapeMarkdown(formatTimestamp(w.createdTime))}  \nLast updated ${escapeMarkdown(formatTimestamp(w.lastUpdatedTime))}`,
    ];
    item.tooltip = new vscode.MarkdownString(lines.filter(Boolean).join('\n\n'));
    item.contextValue = 'workflow refreshable schedulable';
    return item;
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    const { client } = await this.ctx.services.connections.client(this.connection);
    const page = await client.versions.list({ workflowFilters: [{ externalId: this.workflow.externalId }], limit: 1000 });
    const versions = [...page.items].sort((a, b) => (b.createdTime ?? 0) - (a.createdTime ?? 0) || b.version.localeCompare(a.version, undefined, { numeric: true }));
    const nodes: TreeNode[] = versions.length === 0 ? [new MessageNode(this, 'empty', 'No versions yet')] : versions.map(v => new VersionNode(this, v));
    nodes.push(new SchedulesGroupNode(this), new TriggersGroupNode(this));
    return nodes;
  }

  /** The loaded version node of a version, if any. */
  loadedVersion(version: string): VersionNode | undefined {
    return this.loaded?.find((n): n is VersionNode => n instanceof VersionNode && n.version.version === version);
  }
}
