// The CDF Workflows view: connections at the root. Refreshes and reveals for the rest of the extension,
// applies live updates of followed executions to their one node, and keeps the status filter.
import * as vscode from 'vscode';
import { type ExecutionDetailed, type Execution } from '../../core/schemas/executions';
import { type ExecutionRef } from '../executions/tracker';
import { DisposableBase } from '../lifecycle';
import { ScheduleDataCache, type TreeContext, type TreeServices } from './context';
import { ExecutionFilterState } from './executionFilter';
import { LoadingNode, type TreeNode } from './node';
import { WorkflowsTreeProvider } from './provider';
import { ConnectionNode } from './nodes/connectionNode';
import { ExecutionNode } from './nodes/executionNode';
import { VersionNode } from './nodes/versionNode';
import { WorkflowNode } from './nodes/workflowNode';

/** How often labels with a live time (a running execution's elapsed time, "5 minutes ago") are redrawn. */
export const LABEL_REFRESH_MS = 5_000;

export class WorkflowsTree extends DisposableBase {
  readonly provider: WorkflowsTreeProvider;
  readonly view: vscode.TreeView<TreeNode>;
  readonly filter: ExecutionFilterState;
  private readonly ctx: TreeContext;
  private roots: ConnectionNode[] | undefined;
  /** Node ids the user collapsed (expanding removes them): their children are not on screen. */
  private readonly collapsed = new Set<string>();
  /** What each node's row said when last drawn, to redraw only rows whose text changed. */
  private readonly drawn = new WeakMap<TreeNode, string>();
  private labelTimer: ReturnType<typeof setInterval> | undefined;
  /** Label redraws done by the timer (for tests and the benchmark). */
  labelRefreshes = 0;

  constructor(private readonly services: TreeServices) {
    super();
    this.provider = this.register(new WorkflowsTreeProvider(() => Promise.resolve(this.rootNodes()), services.log, (node, item) => this.drawn.set(node, rowText(item))));
    this.filter = this.register(new ExecutionFilterState(services.context.workspaceState));
    this.ctx = { services, changes: this.provider, filter: this.filter, scheduleData: new ScheduleDataCache() };
    this.view = this.register(vscode.window.createTreeView('cdfWorkflows.explorer', { treeDataProvider: this.provider, showCollapseAll: true, canSelectMany: true }));
    this.showFilter();
    services.tracker.setViewVisible(this.view.visible);
    this.registerAll(
      this.view.onDidChangeVisibility(e => {
        services.tracker.setViewVisible(e.visible);
        if (e.visible) this.followVisibleRunning();
        this.scheduleLabels();
      }),
      // What is off screen is not followed: a collapsed version's executions, a collapsed execution's tasks.
      this.view.onDidCollapseElement(e => {
        this.collapsed.add(e.element.id);
        if (e.element instanceof ExecutionNode) e.element.expandOnShow = false;
        this.onCollapsed(e.element);
      }),
      this.view.onDidExpandElement(e => {
        this.collapsed.delete(e.element.id);
        this.onExpanded(e.element);
      }),
      services.connections.onDidChange(() => this.refresh()),
      services.tracker.onDidUpdate(u => this.apply(u)),
      services.tracker.onDidUpdateSummary(u => this.apply(u)),
      services.tracker.onDidChangeFollowing(ref => {
        const node = this.loadedExecution(ref.connection, ref.executionId);
        if (node) this.provider.changed(node);
      }),
      this.filter.onDidChange(() => {
        this.showFilter();
        for (const v of this.loadedVersions()) v.refresh();
      }),
      { dispose: () => this.stopLabels() },
    );
    this.scheduleLabels();
  }

  /**
   * A remembered filter must not pass for "every run failed": the view says it in its description (shown
   * when the view shares its container), in a message above the tree (always shown), and offers Clear.
   */
  private showFilter(): void {
    const f = this.filter.current;
    this.view.description = this.filter.description;
    this.view.message = f.id === 'all' ? undefined : `Showing ${f.label.toLowerCase()} executions only. Clear the filter in the view's title bar to see every execution.`;
    void vscode.commands.executeCommand('setContext', 'cdfWorkflows.executionFilterActive', f.id !== 'all');
  }

  /** The label timer runs while the view is visible: no work at all while it is hidden. */
  private scheduleLabels(): void {
    if (this.view.visible && !this.labelTimer) this.labelTimer = setInterval(() => this.redrawLiveLabels(), LABEL_REFRESH_MS);
    else if (!this.view.visible) this.stopLabels();
  }

  private stopLabels(): void {
    if (this.labelTimer) clearInterval(this.labelTimer);
    this.labelTimer = undefined;
  }

  /**
   * Redraws the rows on screen whose text moved with the clock: elapsed times of running executions and
   * tasks, relative times ("5 minutes ago"). Only rows whose text changed, only under expanded nodes, and
   * never a row whose redraw would load children: no request is ever made here.
   */
  redrawLiveLabels(): number {
    if (!this.view.visible) return 0;
    let redrawn = 0;
    const visit = (node: TreeNode) => {
      const before = this.drawn.get(node);
      if (before !== undefined && safeToRedraw(node) && rowText(node.getTreeItem()) !== before) {
        this.provider.changed(node);
        redrawn++;
        return; // its children are redrawn with it
      }
      if (!(node instanceof LoadingNode) || !node.loaded || this.collapsed.has(node.id)) return;
      if (node instanceof ExecutionNode && node.execution.status !== 'RUNNING') return; // finished tasks do not move
      for (const child of node.loaded) visit(child);
    };
    for (const root of this.roots ?? []) visit(root);
    this.labelRefreshes += redrawn;
    return redrawn;
  }

  private rootNodes(): ConnectionNode[] {
    const active = this.services.connections.active()?.name;
    this.roots ??= this.services.connections.list().map(c => new ConnectionNode(c, c.name === active, this.ctx));
    return this.roots;
  }

  /** The root of a connection, as shown now. */
  connectionNode(name: string): ConnectionNode | undefined {
    return this.rootNodes().find(r => r.connection.name === name);
  }

  refresh(target?: { connection?: string; workflowExternalId?: string; version?: string }): void {
    if (!target?.connection) {
      this.roots = undefined;
      this.provider.changed(undefined);
      return;
    }
    const root = this.roots?.find(r => r.connection.name === target.connection);
    if (!root) return;
    if (!target.workflowExternalId) return root.refresh();
    const workflow = this.loadedWorkflow(root, target.workflowExternalId);
    if (!workflow) return root.refresh();
    if (!target.version) return workflow.refresh();
    const version = workflow.loadedVersion(target.version);
    if (!version) return workflow.refresh();
    version.refresh();
  }

  /**
   * Shows an execution first under its version and selects it. Costs nothing when the version's
   * executions are loaded; else the one page request (plus the workflow and version lists when those
   * were never loaded either).
   */
  async revealExecution(ref: ExecutionRef, execution: Execution | ExecutionDetailed, options: { expand?: boolean } = {}): Promise<void> {
    const node = await this.placeExecution(ref, execution, options.expand ?? false);
    if (!node) return;
    // Expanded, its tasks turn green one by one; a run the user follows costs no extra read for it.
    if (options.expand) this.collapsed.delete(node.id);
    const reveal = () => this.view.reveal(node, { select: true, focus: false, expand: options.expand ?? false });
    try {
      await reveal();
    } catch {
      // The view may still be redrawing the version the node was just put under: once more, a moment later.
      await new Promise(r => setTimeout(r, 200));
      await reveal();
    }
  }

  private async placeExecution(ref: ExecutionRef, execution: Execution | ExecutionDetailed, expand: boolean): Promise<ExecutionNode | undefined> {
    const root = this.connectionNode(ref.connection);
    if (!root) return undefined;
    const findWorkflow = async () =>
      (await root.getChildren()).find((n): n is WorkflowNode => n instanceof WorkflowNode && n.workflow.externalId === execution.workflowExternalId);
    let workflow = await findWorkflow();
    if (!workflow) {
      // A workflow created after the list was read.
      root.invalidate();
      workflow = await findWorkflow();
      this.provider.changed(root);
    }
    if (!workflow || execution.version == null) return undefined;
    const wf = workflow;
    const findVersion = async () => {
      await wf.getChildren();
      return wf.loadedVersion(execution.version!);
    };
    let version = await findVersion();
    if (!version) {
      wf.invalidate();
      version = await findVersion();
      this.provider.changed(wf);
    }
    return version?.showFirst(execution, expand);
  }

  /** A newer state of an execution: only its node (and its tasks) re-render. */
  private apply(update: { readonly connection: string; readonly execution: Execution | ExecutionDetailed }): void {
    const e = update.execution;
    const root = this.roots?.find(r => r.connection.name === update.connection);
    if (!root || e.version == null) return;
    const workflow = this.loadedWorkflow(root, e.workflowExternalId);
    workflow?.loadedVersion(e.version)?.update(e);
  }

  /** The node of a loaded execution, wherever it is. */
  private loadedExecution(connection: string, executionId: string): ExecutionNode | undefined {
    for (const v of this.loadedVersions()) {
      if (v.connection !== connection) continue;
      const node = v.executionNode(executionId);
      if (node) return node;
    }
    return undefined;
  }

  private onCollapsed(node: TreeNode): void {
    if (node instanceof VersionNode) this.services.tracker.hideVersion(node.connection, node.versionRef);
    else if (node instanceof ExecutionNode) node.collapsed();
  }

  private onExpanded(node: TreeNode): void {
    if (node instanceof VersionNode) this.services.tracker.showRunning(node.connection, node.versionRef, node.runningExecutions);
  }

  /** The view shows again: follow the running executions it shows, and the tasks of expanded ones. */
  private followVisibleRunning(): void {
    for (const v of this.loadedVersions()) {
      this.services.tracker.showRunning(v.connection, v.versionRef, v.runningExecutions);
      // Tasks read before the view was hidden are stale: expanded nodes read them again.
      for (const e of v.runningExecutions) v.executionNode(e.id)?.tasksStale();
    }
  }

  private loadedWorkflow(root: ConnectionNode, externalId: string): WorkflowNode | undefined {
    return root.loaded?.find((n): n is WorkflowNode => n instanceof WorkflowNode && n.workflow.externalId === externalId);
  }

  /** Version nodes whose executions were loaded. */
  private *loadedVersions(): Iterable<VersionNode> {
    for (const root of this.roots ?? []) {
      for (const w of root.loaded ?? []) {
        if (!(w instanceof WorkflowNode)) continue;
        for (const v of w.loaded ?? []) if (v instanceof VersionNode && v.isLoaded) yield v;
      }
    }
  }
}

/** What a row shows: its label and description, the parts that move with the clock. */
function rowText(item: vscode.TreeItem): string {
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  return `${label}\u0000${typeof item.description === 'string' ? item.description : ''}`;
}

/** A redraw asks an expanded node for its children again: only when they are at hand (no load). */
function safeToRedraw(node: TreeNode): boolean {
  return !(node instanceof LoadingNode) || node.loaded !== undefined || !node.everExpanded;
}
