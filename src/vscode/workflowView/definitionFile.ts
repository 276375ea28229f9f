// The workflow view of a definition file (Toolkit YAML or API JSON): its first version's graph, redrawn
// as the file is edited (after a pause), with the editor's diagnostics marked on the task they sit in, and
// a node revealed in the file on request. Also the "Show Graph" CodeLens on version files and the
// cdfWorkflows.definitionFile context key of the editor title action.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { mayBeDefinitionJson, toolkitKindOf } from '../../core/definition/document';
import { type DocumentGraphSource, findingsByTask, graphSourceOf, taskDefinitionAt, type TaskRange } from '../../core/graph/fromDocument';
import { graphOfDefinition, type GraphNode, structureKey, type WorkflowGraph } from '../../core/graph';
import { type ViewModel, type ViewTarget } from '../../webview/workflowView/protocol';
import { type DefinitionDocuments } from '../definitions/documents';
import { type FileSourceFactory } from './fileSource';
import { type SourceChange, type TaskDetails, type ViewSource } from './sources';

/** Edits redraw the graph once the user pauses this long. */
export const REDRAW_DEBOUNCE_MS = 300;

/** Read when used, not at load: activation touches nothing of vscode it does not need. */
function severityOf(severity: vscode.DiagnosticSeverity): 'error' | 'warning' | 'info' {
  if (severity === vscode.DiagnosticSeverity.Error) return 'error';
  if (severity === vscode.DiagnosticSeverity.Warning) return 'warning';
  return 'info';
}

/** A file that may hold a workflow version, judged by its name (Toolkit) or its content (JSON), cheaply. */
export function mayHoldVersion(document: vscode.TextDocument): boolean {
  if (document.languageId === 'yaml') return toolkitKindOf(path.basename(document.uri.path)) === 'version';
  return (document.languageId === 'json' || document.languageId === 'jsonc') && mayBeDefinitionJson(document.getText()) && document.getText().includes('"workflowDefinition"');
}

class DefinitionFileSource implements ViewSource {
  readonly target: Extract<ViewTarget, { kind: 'file' }>;
  private readonly emitter = new vscode.EventEmitter<SourceChange>();
  readonly onDidChange = this.emitter.event;
  private document: vscode.TextDocument | undefined;
  private source: DocumentGraphSource | undefined;
  private graph: WorkflowGraph = { nodes: [], edges: [] };
  private structure = '';
  private problem: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    readonly uri: vscode.Uri,
    private readonly documents: DefinitionDocuments,
  ) {
    this.target = { kind: 'file', uri: uri.toString() };
  }

  title(): string {
    return this.source?.title ? `${this.source.title} (file)` : path.basename(this.uri.path);
  }

  async load(): Promise<void> {
    this.document = await vscode.workspace.openTextDocument(this.uri);
    await this.read();
    this.structure = structureKey(this.graph);
    this.subscriptions.push(
      // Another Toolkit environment fills the templates differently.
      this.documents.onDidChange(() => void this.refresh()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() !== this.target.uri) return;
        this.document = e.document;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.refresh(), REDRAW_DEBOUNCE_MS);
      }),
      vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.toString() === this.target.uri)) void this.refresh();
      }),
    );
  }

  /** Parses the document and rebuilds the graph; a text that does not parse keeps the last graph drawn. */
  private async read(): Promise<void> {
    const doc = this.document;
    if (!doc) return;
    let parsed;
    try {
      parsed = (await this.documents.get(doc))?.definition;
    } catch (e) {
      this.problem = `The file cannot be read as a definition: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    const source = parsed && graphSourceOf(parsed);
    if (!parsed || !source) {
      this.problem = 'This file holds no workflow version: a Toolkit *.WorkflowVersion.yaml file, or API JSON with workflowExternalId, version and workflowDefinition.';
      return;
    }
    const syntax = parsed.syntaxProblems[0];
    this.problem = syntax
      ? `Line ${doc.positionAt(syntax.start).line + 1}: ${syntax.message}${parsed.syntaxProblems.length > 1 ? ` (and ${parsed.syntaxProblems.length - 1} more)` : ''}. The graph shows what could be read.`
      : source.versions > 1
        ? `The file holds ${source.versions} versions; the graph shows the first.`
        : undefined;
    this.source = source;
    this.graph = graphOfDefinition(source.definition, { diagnostics: this.diagnostics(doc, source.tasks) });
  }

  private diagnostics(doc: vscode.TextDocument, tasks: readonly TaskRange[]): Map<string, { severity: 'error' | 'warning' | 'info'; message: string }[]> {
    const findings = vscode.languages
      .getDiagnostics(doc.uri)
      .map((d) => ({ offset: doc.offsetAt(d.range.start), severity: severityOf(d.severity), message: d.message }));
    return findingsByTask(tasks, findings);
  }

  private async refresh(): Promise<void> {
    clearTimeout(this.timer);
    const before = this.graph;
    const structureBefore = this.structure;
    await this.read();
    this.structure = structureKey(this.graph);
    const model = this.model();
    if (!model) return;
    if (this.structure === structureBefore) {
      const old = new Map(before.nodes.map((n) => [n.id, JSON.stringify(n)]));
      const nodes = this.graph.nodes.filter((n) => old.get(n.id) !== JSON.stringify(n));
      // Problems and titles live in the model: a change there redraws everything (cheap for a file).
      if (nodes.length === 0) this.emitter.fire({ type: 'model', model });
      else this.emitter.fire({ type: 'update', header: { actions: model.actions, readAt: model.readAt }, nodes });
    } else {
      this.emitter.fire({ type: 'model', model });
    }
  }

  model(): ViewModel | undefined {
    if (!this.document) return undefined;
    if (!this.structure) this.structure = structureKey(this.graph);
    return {
      target: this.target,
      title: this.source?.title ?? path.basename(this.uri.path),
      subtitle: vscode.workspace.asRelativePath(this.uri, false),
      ...(this.source?.description ? { description: this.source.description } : {}),
      actions: ['openFile'],
      ...(this.problem ? { problem: this.problem } : {}),
      graph: this.graph,
      readAt: Date.now(),
    };
  }

  node(nodeId: string): GraphNode | undefined {
    return this.graph.nodes.find((n) => n.id === nodeId);
  }

  taskDetails(nodeId: string): TaskDetails | undefined {
    if (!this.source) return undefined;
    const t = taskDefinitionAt(this.source, nodeId);
    return t ? { input: t.parameters, definition: t } : undefined;
  }

  async reveal(nodeId: string): Promise<void> {
    const range = this.source?.tasks.find((t) => t.nodeId === nodeId);
    const doc = this.document ?? (await vscode.workspace.openTextDocument(this.uri));
    const existing = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.target.uri);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: existing?.viewColumn ?? vscode.ViewColumn.Beside, preview: false, preserveFocus: false });
    if (!range) return;
    const selection = new vscode.Selection(doc.positionAt(range.idStart), doc.positionAt(range.idEnd));
    editor.selection = selection;
    editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
  }
}

export class DefinitionFiles implements FileSourceFactory {
  constructor(private readonly documents: DefinitionDocuments) {}

  create(uri: vscode.Uri): ViewSource {
    return new DefinitionFileSource(uri, this.documents);
  }

  owns(source: ViewSource): boolean {
    return source instanceof DefinitionFileSource;
  }

  reveal(source: ViewSource, nodeId: string): Promise<unknown> {
    return source instanceof DefinitionFileSource ? source.reveal(nodeId) : Promise.resolve(undefined);
  }
}

/** "Show Graph" above each workflow version of a definition file (not on workflows or triggers). */
export class ShowGraphCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;

  constructor(private readonly documents: DefinitionDocuments) {}

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!mayHoldVersion(document)) return [];
    const parsed = (await this.documents.get(document))?.definition;
    const versions = parsed?.resources.filter((r) => r.kind === 'version') ?? [];
    return versions.slice(0, 1).map((r) => {
      const at = document.positionAt(r.node.start);
      return new vscode.CodeLens(new vscode.Range(at, at), { title: '$(type-hierarchy) Show Graph', command: 'cdfWorkflows.showWorkflowView', arguments: [document.uri] });
    });
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** Keeps `cdfWorkflows.definitionFile` true while the active editor shows a file that may hold a version. */
export function trackDefinitionEditor(): vscode.Disposable {
  const update = (editor: vscode.TextEditor | undefined) => {
    void vscode.commands.executeCommand('setContext', 'cdfWorkflows.definitionFile', editor !== undefined && mayHoldVersion(editor.document));
  };
  update(vscode.window.activeTextEditor);
  return vscode.window.onDidChangeActiveTextEditor(update);
}

export const SHOW_GRAPH_SELECTOR: vscode.DocumentSelector = [
  { language: 'yaml', scheme: 'file' },
  { language: 'json', scheme: 'file' },
  { language: 'jsonc', scheme: 'file' },
  { language: 'yaml', scheme: 'untitled' },
  { language: 'json', scheme: 'untitled' },
];
