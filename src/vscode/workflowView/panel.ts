// One workflow view: a webview panel and its source. Sends the model once the app says it is ready (again
// after each reload of a hidden panel: no retainContextWhenHidden), status updates while it runs, and
// task details on request. Every message from the webview is parsed with the protocol's schema first: one
// that does not fit is refused and logged, and nothing runs.
import * as vscode from 'vscode';
import { describeIssues, schemaIssues } from '../../core/schemas/common';
import { type FromWebview, fromWebview, type TaskAction, type ToWebview, type ViewAction } from '../../webview/workflowView/protocol';
import { describeError } from '../boundary';
import { workflowViewHtml, webviewOptions } from './html';
import { type SourceChange, type ViewSource } from './sources';

export interface PanelActions {
  runAction(source: ViewSource, action: ViewAction): Promise<unknown>;
  taskAction(source: ViewSource, action: TaskAction, nodeId: string): Promise<unknown>;
}

/** What tests read of a panel. */
export interface PanelRecord {
  readonly posted: ToWebview['type'][];
  /** The last message posted. */
  last?: ToWebview;
  /** The last `rendered` report of the app. */
  rendered?: { nodes: number; ms: number };
  refused: number;
}

export class WorkflowViewPanel implements vscode.Disposable {
  private ready = false;
  private modelSent = false;
  private disposed = false;
  readonly record: PanelRecord = { posted: [], refused: 0 };
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly source: ViewSource,
    extensionUri: vscode.Uri,
    private readonly actions: PanelActions,
    private readonly log: vscode.LogOutputChannel,
  ) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = workflowViewHtml(panel.webview, extensionUri, source.title());
    panel.iconPath = { light: vscode.Uri.joinPath(extensionUri, 'media', 'graph-light.svg'), dark: vscode.Uri.joinPath(extensionUri, 'media', 'graph-dark.svg') };
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
      source.onDidChange((change) => this.changed(change)),
    );
  }

  get title(): string {
    return this.panel.title;
  }

  /** Loads the source and shows the result (or why it cannot be shown). */
  async load(): Promise<void> {
    try {
      await this.source.load();
      this.panel.title = this.source.title();
      this.sendModel();
    } catch (e) {
      const message = describeError(e).message;
      this.log.warn(`Workflow view ${this.panel.title}: ${message}`);
      void this.post({ type: 'error', message });
      throw e;
    }
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  private changed(change: SourceChange): void {
    this.panel.title = this.source.title();
    if (change.type === 'update' && !this.modelSent) {
      this.sendModel();
      return;
    }
    if (change.type === 'model') this.modelSent = false;
    if (this.ready) {
      void this.post(change);
      if (change.type === 'model') this.modelSent = true;
    }
  }

  private sendModel(): void {
    const model = this.source.model();
    if (!model || !this.ready) return;
    this.modelSent = true;
    void this.post({ type: 'model', model });
  }

  private async post(message: ToWebview): Promise<void> {
    if (this.disposed) return;
    this.record.posted.push(message.type);
    this.record.last = message;
    await this.panel.webview.postMessage(message);
  }

  /** A message from the webview (VS Code's channel, or a test standing in for it). */
  receive(raw: unknown): void {
    const parsed = fromWebview.safeParse(raw);
    if (!parsed.success) {
      this.record.refused++;
      const kind = typeof raw === 'object' && raw !== null && typeof (raw as { type?: unknown }).type === 'string' ? `"${String((raw as { type: string }).type).slice(0, 40)}"` : typeof raw;
      this.log.warn(`Workflow view ${this.panel.title}: refused a message (${kind}) that does not fit the protocol: ${describeIssues(schemaIssues(parsed.error, 3))}`);
      return;
    }
    this.handle(parsed.data);
  }

  private handle(message: FromWebview): void {
    switch (message.type) {
      case 'ready':
        // A fresh page (first open, or the panel shown again): it needs the whole model.
        this.ready = true;
        this.modelSent = false;
        this.sendModel();
        return;
      case 'rendered':
        this.record.rendered = { nodes: message.nodes, ms: message.ms };
        return;
      case 'selectTask': {
        const details = this.source.taskDetails(message.id);
        if (details) void this.post({ type: 'taskDetails', id: message.id, ...details });
        return;
      }
      case 'runAction':
        void this.run(`${message.action}`, () => this.actions.runAction(this.source, message.action));
        return;
      case 'taskAction':
        if (!this.source.node(message.id)) {
          this.record.refused++;
          this.log.warn(`Workflow view ${this.panel.title}: refused ${message.action} on a task the view does not show.`);
          return;
        }
        void this.run(`${message.action}`, () => this.actions.taskAction(this.source, message.action, message.id));
        return;
    }
  }

  /** Actions run through commands, whose boundary shows errors; anything else is logged. */
  private async run(what: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.log.error(`Workflow view ${this.panel.title}: ${what}: ${describeError(e).message}`);
    }
  }

  /** Sends a message to select a node (a command or the editor asked). */
  select(nodeId: string): void {
    if (this.ready) void this.post({ type: 'select', id: nodeId });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.source.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
    this.panel.dispose();
  }
}
