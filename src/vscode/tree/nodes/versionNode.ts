// A workflow version. Its children (executions, newest first, a page at a time) come with the tree work.
import * as vscode from 'vscode';
import { type WorkflowVersion } from '../../../core/schemas/workflows';
import { TreeNode, type TreeChanges } from '../node';
import { type WorkflowNode } from './workflowNode';

export class VersionNode extends TreeNode {
  constructor(override readonly parent: WorkflowNode, readonly version: WorkflowVersion, protected readonly changes: TreeChanges) {
    super(parent);
  }

  get id(): string {
    return `${this.parent.id}/v/${this.version.version}`;
  }

  getTreeItem(): vscode.TreeItem {
    const v = this.version;
    const item = new vscode.TreeItem(v.version, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = `${v.workflowDefinition.tasks.length} tasks`;
    item.iconPath = new vscode.ThemeIcon('versions');
    item.contextValue = 'version schedulable refreshable';
    return item;
  }
}
