// A workflow: description and data set; children are its versions (then Schedules and Triggers).
import * as vscode from 'vscode';
import { type Workflow } from '../../../core/schemas/workflows';
import { escapeMarkdown, LoadingNode, MessageNode, type TreeChanges, type TreeNode } from '../node';
import { type ConnectionNode } from './connectionNode';
import { VersionNode } from './versionNode';

export class WorkflowNode extends LoadingNode {
  constructor(override readonly parent: ConnectionNode, readonly workflow: Workflow, changes: TreeChanges) {
    super(parent, changes);
  }

  get id(): string {
    return `${this.parent.id}/wf/${this.workflow.externalId}`;
  }

  get connection(): string {
    return this.parent.connection.name;
  }

  getTreeItem(): vscode.TreeItem {
    const w = this.workflow;
    const item = new vscode.TreeItem(w.externalId, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = [w.description, w.dataSetId ? `data set ${w.dataSetId}` : undefined].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon('type-hierarchy');
    item.tooltip = new vscode.MarkdownString(
      `**${escapeMarkdown(w.externalId)}**\n\n${w.description ? `${escapeMarkdown(w.description)}\n\n` : ''}` +
        `${w.dataSetId ? `Data set: \`${w.dataSetId}\`\n\n` : ''}${w.maxConcurrentExecutions ? `Max concurrent executions: ${w.maxConcurrentExecutions}\n\n` : ''}` +
        `Last updated ${new Date(w.lastUpdatedTime).toISOString()}`,
    );
    item.contextValue = 'workflow refreshable schedulable';
    return item;
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    const { client } = await this.parent.services.connections.client(this.connection);
    const page = await client.versions.list({ workflowFilters: [{ externalId: this.workflow.externalId }], limit: 1000 });
    const versions = [...page.items].sort((a, b) => (b.createdTime ?? 0) - (a.createdTime ?? 0));
    if (versions.length === 0) return [new MessageNode(this, 'empty', 'No versions yet')];
    return versions.map(v => new VersionNode(this, v, this.changes));
  }
}
