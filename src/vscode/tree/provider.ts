// The TreeDataProvider only delegates to the nodes (no instanceof ladder).
import * as vscode from 'vscode';
import { stackOf } from '../boundary';
import type { TreeChanges, TreeNode } from './node';

export class WorkflowsTreeProvider implements vscode.TreeDataProvider<TreeNode>, TreeChanges, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(
    private readonly roots: () => Promise<TreeNode[]>,
    private readonly log: Pick<vscode.LogOutputChannel, 'error'>,
    /** Told what each row shows as VS Code draws it. */
    private readonly onDraw: (node: TreeNode, item: vscode.TreeItem) => void = () => undefined,
  ) {}

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const item = node.getTreeItem();
    item.id ??= node.id;
    this.onDraw(node, item);
    return item;
  }

  getChildren(node?: TreeNode): Promise<TreeNode[]> {
    return node ? node.getChildren() : this.roots();
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  changed(node: TreeNode | undefined): void {
    this.emitter.fire(node);
  }

  loadFailed(node: TreeNode, error: unknown): void {
    this.log.error(`Loading the children of ${node.id} failed: ${stackOf(error)}`);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
