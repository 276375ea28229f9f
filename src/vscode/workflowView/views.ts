// The open workflow views: one per execution, version or file, reused when asked again; restored after a
// reload by a WebviewPanelSerializer from the target the app keeps in its state; kept current from the
// tracker's events (onDidUpdate), which the tree's and documents' following also feed, so a view adds no
// poll loop of its own.
import * as vscode from 'vscode';
import { InputError } from '../../core/errors';
import { type WorkflowVersion } from '../../core/schemas/workflows';
import { type TaskAction, type ViewAction, type ViewTarget, viewState } from '../../webview/workflowView/protocol';
import { type ConnectionManager } from '../connections/manager';
import { type ExecutionRef, type ExecutionTracker } from '../executions/tracker';
import { functionCallOf } from '../executions/taskTree';
import { WORKFLOW_VIEW_TYPE, workflowViewHtml, webviewOptions } from './html';
import { type PanelRecord, WorkflowViewPanel } from './panel';
import { ExecutionSource, targetKey, type ViewSource, VersionSource } from './sources';
import { type FileSourceFactory } from './fileSource';
import { ComparisonDocuments } from './compare';
import { type ComparedExecution } from '../../core/graph/compare';

export interface WorkflowViewsDeps {
  readonly extensionUri: vscode.Uri;
  readonly connections: ConnectionManager;
  readonly tracker: ExecutionTracker;
  readonly log: vscode.LogOutputChannel;
  /** Builds the source of a definition file (the definitions' document model). */
  readonly files?: FileSourceFactory;
}

/** What tests read of the open views. */
export interface OpenViewInfo {
  readonly target: ViewTarget;
  readonly title: string;
  readonly visible: boolean;
  readonly record: PanelRecord;
  /** An execution view that keeps its running execution followed. */
  readonly following: boolean;
}

export class WorkflowViews implements vscode.Disposable {
  private readonly panels = new Map<string, WorkflowViewPanel>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly comparisons = new ComparisonDocuments();

  constructor(private readonly deps: WorkflowViewsDeps) {
    this.subscriptions.push(
      this.comparisons,
      vscode.window.registerWebviewPanelSerializer(WORKFLOW_VIEW_TYPE, { deserializeWebviewPanel: (panel, state) => this.restore(panel, state) }),
      deps.tracker.onDidUpdate((u) => {
        const panel = this.panels.get(targetKey({ kind: 'execution', connection: u.connection, executionId: u.execution.id }));
        if (panel?.source instanceof ExecutionSource) panel.source.updated(u.execution);
      }),
    );
  }

  get open(): OpenViewInfo[] {
    return [...this.panels.values()].map((p) => ({
      target: p.source.target,
      title: p.title,
      visible: p.panel.visible,
      record: p.record,
      following: p.source instanceof ExecutionSource && p.source.isFollowing,
    }));
  }

  /** Opens the diff of two executions of a connection (the first on the left); returns the summary line. */
  compare(connection: string, first: ComparedExecution, second: ComparedExecution): Promise<string> {
    return this.comparisons.show(connection, first, second);
  }

  /** Hands a message to a view as if its webview had posted it (tests of the protocol's checks). */
  deliver(target: ViewTarget, raw: unknown): void {
    this.panels.get(targetKey(target))?.receive(raw);
  }

  /** Opens (or shows again) the view of an execution: one read of it, then the tracker's events. */
  async openExecution(ref: ExecutionRef, options: { select?: string } = {}): Promise<void> {
    const target: ViewTarget = { kind: 'execution', connection: ref.connection, executionId: ref.executionId };
    await this.show(target, () => new ExecutionSource(ref, this.deps), options.select);
  }

  /** Opens the view of a deployed version; `known` (from the tree) spares the read. */
  async openVersion(target: { connection: string; workflowExternalId: string; version: string }, known?: WorkflowVersion): Promise<void> {
    await this.show({ kind: 'version', ...target }, () => new VersionSource(target, known, this.deps.connections));
  }

  /** Opens the view of a definition file, redrawn as it is edited. */
  async openFile(uri: vscode.Uri): Promise<void> {
    const files = this.deps.files;
    if (!files) throw new InputError('Showing a definition file as a graph needs the definitions support, which is not available.');
    // Beside the file, so that edits and the graph are seen together.
    await this.show({ kind: 'file', uri: uri.toString() }, () => files.create(uri), undefined, vscode.ViewColumn.Beside);
  }

  private async show(target: ViewTarget, create: () => ViewSource, select?: string, column: vscode.ViewColumn = vscode.ViewColumn.Active): Promise<void> {
    const key = targetKey(target);
    const existing = this.panels.get(key);
    if (existing) {
      existing.reveal();
      if (select) existing.select(select);
      return;
    }
    const source = create();
    const panel = vscode.window.createWebviewPanel(WORKFLOW_VIEW_TYPE, source.title(), { viewColumn: column, preserveFocus: false }, {
      ...webviewOptions(this.deps.extensionUri),
      enableFindWidget: false,
      retainContextWhenHidden: false,
    });
    const view = this.adopt(key, panel, source);
    try {
      await view.load();
    } catch (e) {
      view.dispose();
      throw e;
    }
    if (select) view.select(select);
  }

  private adopt(key: string, panel: vscode.WebviewPanel, source: ViewSource): WorkflowViewPanel {
    const view = new WorkflowViewPanel(panel, source, this.deps.extensionUri, { runAction: (s, a) => this.runAction(s, a), taskAction: (s, a, id) => this.taskAction(s, a, id) }, this.deps.log);
    this.panels.set(key, view);
    view.onDidDispose(() => {
      if (this.panels.get(key) === view) this.panels.delete(key);
    });
    return view;
  }

  /** After a reload: the app's saved state names the target; read it again (one request) and draw. */
  private async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const parsed = viewState.safeParse(state);
    if (!parsed.success) {
      panel.webview.options = webviewOptions(this.deps.extensionUri);
      panel.webview.html = workflowViewHtml(panel.webview, this.deps.extensionUri, 'Workflow view');
      this.deps.log.warn('Workflow view: a panel could not be restored: its saved state does not name what it showed.');
      panel.dispose();
      return;
    }
    const target = parsed.data.target;
    const key = targetKey(target);
    if (this.panels.has(key)) {
      panel.dispose();
      this.panels.get(key)!.reveal();
      return;
    }
    let source: ViewSource;
    if (target.kind === 'execution') source = new ExecutionSource({ connection: target.connection, executionId: target.executionId }, this.deps);
    else if (target.kind === 'version') source = new VersionSource(target, undefined, this.deps.connections);
    else if (this.deps.files) source = this.deps.files.create(vscode.Uri.parse(target.uri));
    else {
      panel.dispose();
      return;
    }
    const view = this.adopt(key, panel, source);
    // A restored view whose target is gone says so in the panel; nothing pops up at start-up.
    await view.load().catch(() => undefined);
  }

  private async runAction(source: ViewSource, action: ViewAction): Promise<unknown> {
    const t = source.target;
    if (t.kind === 'execution') {
      const ref: ExecutionRef = { connection: t.connection, executionId: t.executionId };
      switch (action) {
        case 'cancel':
          return vscode.commands.executeCommand('cdfWorkflows.cancelExecution', ref);
        case 'retry':
          return vscode.commands.executeCommand('cdfWorkflows.retryExecution', ref);
        case 'runAgain':
          return vscode.commands.executeCommand('cdfWorkflows.runAgainWithSameInput', ref);
        case 'compare':
          return vscode.commands.executeCommand('cdfWorkflows.compareExecutions', ref);
        case 'openText':
          return vscode.commands.executeCommand('cdfWorkflows.showExecutionDetails', ref);
        case 'refresh': {
          const { client } = await this.deps.connections.client(t.connection);
          const execution = await client.executions.retrieve(t.executionId);
          this.deps.tracker.publish({ connection: t.connection, execution });
          return undefined;
        }
        default:
          return undefined;
      }
    }
    if (t.kind === 'version' && source instanceof VersionSource) {
      if (action === 'refresh') return source.reload();
      if (action === 'run') return vscode.commands.executeCommand('cdfWorkflows.runVersion', { connection: t.connection, version: { workflowExternalId: t.workflowExternalId, version: t.version } });
      return undefined;
    }
    if (t.kind === 'file') {
      if (action === 'openFile') return vscode.window.showTextDocument(vscode.Uri.parse(t.uri), { preview: false });
      return undefined;
    }
    return undefined;
  }

  private async taskAction(source: ViewSource, action: TaskAction, nodeId: string): Promise<unknown> {
    const copy = async (text: string, what: string) => {
      await vscode.env.clipboard.writeText(text);
      vscode.window.setStatusBarMessage(`$(copy) Copied ${what}`, 4000);
    };
    if (source instanceof ExecutionSource) {
      const task = source.taskExecution(nodeId);
      const execution = source.state;
      const ref = source.ref;
      switch (action) {
        case 'showLogs': {
          const call = task && functionCallOf(task);
          if (!call) throw new InputError('This task has not called its function: it has no logs yet.');
          return vscode.commands.executeCommand('cdfWorkflows.showFunctionLogs', { connection: ref.connection, functionId: call.functionId, callId: call.callId });
        }
        case 'completeAsync':
          if (!task || !execution) throw new InputError('This task has not started.');
          return vscode.commands.executeCommand('cdfWorkflows.completeAsyncTask', { task, execution, ref });
        case 'copyId':
          if (task) await copy(task.id, `task execution id ${task.id}`);
          return undefined;
        case 'copyInput':
          if (task) await copy(JSON.stringify(task.input ?? {}, null, 2), `the input of ${task.externalId}`);
          return undefined;
        case 'copyOutput':
          if (task) await copy(JSON.stringify(task.output ?? {}, null, 2), `the output of ${task.externalId}`);
          return undefined;
        default:
          return undefined;
      }
    }
    if (action === 'reveal' && this.deps.files?.owns(source)) return this.deps.files.reveal(source, nodeId);
    if (action === 'copyInput' || action === 'copyOutput') {
      const details = source.taskDetails(nodeId);
      if (details?.definition) await copy(JSON.stringify(details.definition, null, 2), 'the task definition');
    }
    return undefined;
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
    this.panels.clear();
    for (const s of this.subscriptions) s.dispose();
  }
}
