// The CDF Workflows view: connections at the root. Implements the TreeService other parts use.
import * as vscode from 'vscode';
import { type ExecutionDetailed, type Execution } from '../../core/schemas/executions';
import { type ExecutionRef } from '../executions/tracker';
import { type Services, type TreeService } from '../services';
import { type TreeNode } from './node';
import { WorkflowsTreeProvider } from './provider';
import { ConnectionNode } from './nodes/connectionNode';

export class WorkflowsTree implements TreeService, vscode.Disposable {
  readonly provider: WorkflowsTreeProvider;
  readonly view: vscode.TreeView<TreeNode>;
  private roots: ConnectionNode[] | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly services: Services) {
    this.provider = new WorkflowsTreeProvider(() => Promise.resolve(this.rootNodes()));
    this.view = vscode.window.createTreeView('cdfWorkflows.explorer', { treeDataProvider: this.provider, showCollapseAll: true });
    services.tracker.setViewVisible(this.view.visible);
    this.subscriptions.push(
      this.provider,
      this.view,
      this.view.onDidChangeVisibility(e => services.tracker.setViewVisible(e.visible)),
      services.connections.onDidChange(() => this.refresh()),
    );
  }

  private rootNodes(): ConnectionNode[] {
    const active = this.services.connections.active()?.name;
    this.roots ??= this.services.connections.list().map(c => new ConnectionNode(c, c.name === active, this.services, this.provider));
    return this.roots;
  }

  refresh(target?: { connection?: string; workflowExternalId?: string; version?: string }): void {
    if (!target?.connection) {
      this.roots = undefined;
      this.provider.changed(undefined);
      return;
    }
    const root = this.roots?.find(r => r.connection.name === target.connection);
    if (root) root.refresh();
  }

  revealExecution(_ref: ExecutionRef, _execution: Execution | ExecutionDetailed): Promise<void> {
    return Promise.resolve();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
