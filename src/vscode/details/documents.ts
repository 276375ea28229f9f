// Read-only documents under the cdf-workflows: scheme: execution details that refresh while the
// execution runs (it is followed while the document is open, and no longer once it is closed), and
// function call logs. They open rendered (VS Code's Markdown preview as the editor), titled with the
// execution and task they belong to. Opening the same execution twice shows the one document again.
import * as vscode from 'vscode';
import { describeError } from '../boundary';
import { type ExecutionDetailed, isRunningExecutionStatus } from '../../core/schemas/executions';
import { type TaskExecution } from '../../core/schemas/tasks';
import { DisposableBase } from '../lifecycle';
import { type Services } from '../services';
import { timeFormat, versionLabel } from '../executions/format';
import { type ExecutionRef } from '../executions/tracker';
import { executionMarkdown } from './executionMarkdown';
import { functionLogsMarkdown } from './functionLogsMarkdown';
import { escapeMarkdown } from './markdown';
import { DETAILS_SCHEME, type DetailsTarget, executionUri, functionCallUri, parseDetailsUri, targetKey } from './uris';

interface OpenExecution {
  readonly ref: ExecutionRef;
  uri: vscode.Uri;
  execution: ExecutionDetailed;
  /** Set while the document follows the running execution. */
  following?: AbortController;
}

/** The Markdown preview as a custom editor (the built-in markdown extension contributes it for *.md). */
export const MARKDOWN_PREVIEW_EDITOR = 'vscode.markdown.preview.editor';

export interface OpenOptions {
  /** Rendered (default) or the Markdown source in a text editor. */
  readonly rendered?: boolean;
}

/** "daily-sync v2 · Nov 26, 6:48 PM": the execution, by when it started. */
export function executionTitle(e: Pick<ExecutionDetailed, 'workflowExternalId' | 'version' | 'startTime' | 'createdTime'>): string {
  return `${e.workflowExternalId} ${versionLabel(e.version)} · ${timeFormat().shortDateTime(e.startTime ?? e.createdTime)}`;
}

/** The URI of a details or logs document that a tab shows (text editor or rendered preview). */
function tabUri(tab: vscode.Tab): vscode.Uri | undefined {
  const input = tab.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return input.uri.scheme === DETAILS_SCHEME ? input.uri : undefined;
  return undefined;
}

export class DetailsDocuments extends DisposableBase implements vscode.TextDocumentContentProvider {
  private readonly emitter = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.emitter.event;
  /** Rendered text by URI. */
  private readonly contents = new Map<string, string>();
  /** Execution documents by what they show. */
  private readonly executions = new Map<string, OpenExecution>();

  constructor(private readonly services: Pick<Services, 'connections' | 'tracker' | 'log'>) {
    super();
    this.registerAll(
      vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, this),
      services.tracker.onDidUpdate(u => this.updated(u.connection, u.execution)),
      vscode.window.tabGroups.onDidChangeTabs(() => this.stopClosed()),
      vscode.workspace.onDidCloseTextDocument(doc => {
        if (doc.uri.scheme === DETAILS_SCHEME) this.forget(doc.uri);
      }),
    );
  }

  /** URIs of the execution documents that follow their execution right now (for tests). */
  get following(): string[] {
    return [...this.executions.values()].filter(o => o.following).map(o => o.uri.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string | Promise<string> {
    const text = this.contents.get(uri.toString());
    if (text !== undefined) return text;
    // Not rendered in this session (e.g. restored after a reload): read it now.
    const target = parseDetailsUri(uri);
    if (!target) return `# Unknown document\n\n${escapeMarkdown(uri.toString())} is not a CDF Workflows document.\n`;
    return this.render(target).catch((e: unknown) => `# Could not load\n\n${escapeMarkdown(describeError(e).message)}\n`);
  }

  private async render(target: DetailsTarget): Promise<string> {
    if (target.kind === 'execution') {
      const { client } = await this.services.connections.client(target.ref.connection);
      const execution = await client.executions.retrieve(target.ref.executionId);
      return this.remember(target.ref, execution).text;
    }
    return (await this.readFunctionCall(target.connection, target.functionId, target.callId)).text;
  }

  /** Reads the execution (unless `known` is fresh), opens or re-shows its document, and follows it while it runs. */
  async openExecution(ref: ExecutionRef, known?: ExecutionDetailed, options: OpenOptions = {}): Promise<vscode.Uri> {
    let execution = known;
    if (!execution) {
      const { client } = await this.services.connections.client(ref.connection);
      execution = await client.executions.retrieve(ref.executionId);
    }
    const open = this.remember(ref, execution);
    await this.show(open.uri, options);
    this.follow(open.entry);
    return open.uri;
  }

  /** Reads a function call's status, response and logs and shows them. */
  async openFunctionLogs(
    connection: string,
    call: { functionId: number; callId: number },
    context: { task?: TaskExecution; execution?: ExecutionDetailed } = {},
    options: OpenOptions = {},
  ): Promise<vscode.Uri> {
    const { uri, text } = await this.readFunctionCall(connection, call.functionId, call.callId, context);
    this.setContent(uri, text);
    await this.show(uri, options);
    return uri;
  }

  /**
   * Opens a document rendered (the Markdown preview as its editor, so the tab is titled by the document's
   * name and stays tied to it), or as source. Without the Markdown preview (the built-in extension
   * disabled) the source opens instead.
   */
  private async show(uri: vscode.Uri, options: OpenOptions): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(uri);
    if (options.rendered ?? true) {
      try {
        await vscode.commands.executeCommand('vscode.openWith', uri, MARKDOWN_PREVIEW_EDITOR, { preview: false });
        return;
      } catch (e) {
        this.services.log.warn(`The Markdown preview could not open ${uri.path}; showing the source: ${describeError(e).message}`);
      }
    }
    await vscode.window.showTextDocument(doc, { preview: false });
  }

  private async readFunctionCall(
    connection: string,
    functionId: number,
    callId: number,
    context: { task?: TaskExecution; execution?: ExecutionDetailed } = {},
  ): Promise<{ uri: vscode.Uri; text: string }> {
    const { client } = await this.services.connections.client(connection);
    const [call, logs] = await Promise.all([client.functions.retrieveCall(functionId, callId), client.functions.callLogs(functionId, callId)]);
    const response = call.status === 'Completed' ? (await client.functions.callResponse(functionId, callId)).response : undefined;
    const fn = (context.task?.input as { function?: { externalId?: unknown } } | undefined)?.function?.externalId;
    const e = context.execution;
    const text = functionLogsMarkdown(call, logs, response, {
      connection,
      functionExternalId: typeof fn === 'string' ? fn : undefined,
      task: e && context.task ? `${e.workflowExternalId}@${e.version ?? '?'} › ${context.task.externalId}` : undefined,
      readAt: Date.now(),
    });
    const title = e && context.task ? `${context.task.externalId} logs · ${executionTitle(e)}` : `${typeof fn === 'string' ? fn : `function ${functionId}`} call ${callId} logs`;
    return { uri: functionCallUri(connection, functionId, callId, title), text };
  }

  /** Renders an execution's state into its document's content (the document refreshes if open). */
  private remember(ref: ExecutionRef, execution: ExecutionDetailed): { uri: vscode.Uri; text: string; entry: OpenExecution } {
    const key = targetKey({ kind: 'execution', ref });
    let entry = this.executions.get(key);
    const uri = executionUri(ref, executionTitle(execution));
    if (!entry) {
      entry = { ref: { connection: ref.connection, executionId: ref.executionId }, uri, execution };
      this.executions.set(key, entry);
    }
    entry.execution = execution;
    const text = this.renderExecution(entry);
    this.setContent(entry.uri, text);
    return { uri: entry.uri, text, entry };
  }

  private renderExecution(entry: OpenExecution): string {
    const connection = this.services.connections.get(entry.ref.connection);
    return executionMarkdown(entry.execution, {
      connection: entry.ref.connection,
      project: connection?.project,
      readAt: Date.now(),
      live: isRunningExecutionStatus(entry.execution.status),
    });
  }

  private setContent(uri: vscode.Uri, text: string): void {
    const key = uri.toString();
    const before = this.contents.get(key);
    this.contents.set(key, text);
    if (before !== undefined && before !== text) this.emitter.fire(uri);
  }

  /** A newer state from the tracker (following, or an action): refresh the open document. */
  private updated(connection: string, execution: ExecutionDetailed): void {
    const entry = this.executions.get(targetKey({ kind: 'execution', ref: { connection, executionId: execution.id } }));
    if (!entry) return;
    entry.execution = execution;
    this.setContent(entry.uri, this.renderExecution(entry));
    // A retried execution runs again: follow it again while its document is open.
    if (isRunningExecutionStatus(execution.status)) this.follow(entry);
  }

  private follow(entry: OpenExecution): void {
    if (entry.following || !isRunningExecutionStatus(entry.execution.status)) return;
    const stop = new AbortController();
    entry.following = stop;
    this.services.tracker.observe(entry.ref, stop.signal, entry.execution).then(
      final => {
        if (entry.following === stop) entry.following = undefined;
        if (final && !stop.signal.aborted) {
          entry.execution = final;
          this.setContent(entry.uri, this.renderExecution(entry));
        }
      },
      (e: unknown) => {
        if (entry.following === stop) entry.following = undefined;
        this.services.log.warn(`Stopped refreshing the details of execution ${entry.ref.executionId}: ${describeError(e).message}`);
      },
    );
  }

  /** Documents no tab shows any more stop following (onDidCloseTextDocument may come minutes later). */
  private stopClosed(): void {
    const shown = new Set<string>();
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        const uri = tabUri(tab);
        if (uri) shown.add(uri.toString());
      }
    }
    for (const entry of this.executions.values()) {
      if (entry.following && !shown.has(entry.uri.toString())) {
        entry.following.abort();
        entry.following = undefined;
      }
    }
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.contents.delete(key);
    for (const [k, entry] of [...this.executions]) {
      if (entry.uri.toString() !== key) continue;
      entry.following?.abort();
      this.executions.delete(k);
    }
  }

  override dispose(): void {
    for (const entry of this.executions.values()) entry.following?.abort();
    this.executions.clear();
    super.dispose();
  }
}
