// The language features of definition files in the editor: diagnostics (on open, and after edits once the
// user pauses), quick fixes, completion, hover, go to definition, find references and the outline. All of
// them read one parsed DefinitionDocument per document version (documents.ts); the work is in core.
//
// For other features: `language.findings(uri)` gives the last findings of an open definition file (each
// with its task id); diagnostics sit inside the range of their task's document symbol.
import * as vscode from 'vscode';
import { type CompletionEntry, completeAt } from '../../core/definition/completion';
import { type DefinitionFinding, type TemplateContext, diagnoseDefinition } from '../../core/definition/diagnose';
import { hoverAt } from '../../core/definition/hover';
import { type DefinitionSymbol, definitionAt, documentSymbols, taskReferences } from '../../core/definition/navigation';
import { YamlChunkCache } from '../../core/definition/parseSource';
import { SchemaSet } from '../../core/definition/schema/schemaSet';
import { config } from '../config';
import { DisposableBase } from '../lifecycle';
import { cpuMs } from './cpuTime';
import { type DefinitionCatalog } from './catalog';
import { DEFINITION_LANGUAGES, type DefinitionDocuments, type ParsedDefinition } from './documents';

const SOURCE = 'CDF Workflows';

const DEFINITION_SELECTOR: vscode.DocumentSelector = DEFINITION_LANGUAGES.flatMap((language) => [
  { language, scheme: 'file' },
  { language, scheme: 'untitled' },
]);

interface Diagnosed {
  readonly version: number;
  readonly findings: readonly DefinitionFinding[];
  /** The findings looked up workflow versions: a change of the workspace index or the project may change them. */
  readonly usesCatalog: boolean;
}

export class DefinitionLanguage extends DisposableBase {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('cdfWorkflows.definitions'));
  private readonly diagnosed = new Map<string, Diagnosed>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly completionCaches = new Map<string, YamlChunkCache>();
  private schemaSet: SchemaSet | undefined;
  /** How long the last diagnostics run took (wall, ms), and runs and CPU time since activation (the benchmark reads them). */
  lastDiagnosticsMs = 0;
  readonly stats = { runs: 0, checkMs: 0 };

  constructor(
    private readonly deps: {
      readonly documents: DefinitionDocuments;
      readonly catalog: DefinitionCatalog;
      readonly schemasDir: string;
      readonly log: vscode.LogOutputChannel;
    },
  ) {
    super();
    this.register({ dispose: () => this.clearTimers() });
    this.registerAll(
      vscode.workspace.onDidOpenTextDocument((d) => void this.diagnose(d)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.schedule(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      deps.documents.onDidChange(() => this.diagnoseOpen()),
      deps.catalog.onDidChange(() => this.diagnoseOpen((d) => d.usesCatalog)),
      config.onDidChange((e) => {
        if (e.affectsConfiguration('cdfWorkflows.definitions')) this.diagnoseOpen();
      }),
      vscode.languages.registerCompletionItemProvider(DEFINITION_SELECTOR, { provideCompletionItems: (d, p, t) => this.complete(d, p, t) }, '{', '.', '"', ':', ' ', '-'),
      vscode.languages.registerHoverProvider(DEFINITION_SELECTOR, { provideHover: (d, p) => this.hover(d, p) }),
      vscode.languages.registerDefinitionProvider(DEFINITION_SELECTOR, { provideDefinition: (d, p) => this.definition(d, p) }),
      vscode.languages.registerReferenceProvider(DEFINITION_SELECTOR, { provideReferences: (d, p, c) => this.references(d, p, c) }),
      vscode.languages.registerDocumentSymbolProvider(DEFINITION_SELECTOR, { provideDocumentSymbols: (d) => this.symbols(d) }, { label: 'CDF workflow' }),
      vscode.languages.registerCodeActionsProvider(DEFINITION_SELECTOR, { provideCodeActions: (d, _r, c) => this.codeActions(d, c) }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    );
    this.diagnoseOpen();
  }

  /** The schemas from dist/schemas, read on first use. */
  schemas(): SchemaSet {
    this.schemaSet ??= SchemaSet.load(this.deps.schemasDir);
    return this.schemaSet;
  }

  /** The findings of an open definition file at its last check (undefined when not checked). */
  findings(uri: vscode.Uri): readonly DefinitionFinding[] | undefined {
    return this.diagnosed.get(uri.toString())?.findings;
  }

  /** Checks the open definition files again (those `which` selects among the ones checked before). */
  private diagnoseOpen(which?: (d: Diagnosed) => boolean): void {
    for (const d of vscode.workspace.textDocuments) {
      const seen = this.diagnosed.get(d.uri.toString());
      if (!which || (seen && which(seen))) void this.diagnose(d);
    }
  }

  private schedule(document: vscode.TextDocument): void {
    if (!this.deps.documents.isCandidate(document) && !this.diagnosed.has(document.uri.toString())) return;
    const key = document.uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.diagnose(document);
      }, config.definitionsDiagnosticsDelayMs()),
    );
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.delete(key);
    this.diagnosed.delete(key);
    this.completionCaches.delete(key);
    this.collection.delete(uri);
  }

  /** Checks a document now and publishes its diagnostics. */
  async diagnose(document: vscode.TextDocument): Promise<readonly DefinitionFinding[] | undefined> {
    if (document.isClosed || this.isDisposed) return undefined;
    const version = document.version;
    let parsed: ParsedDefinition | undefined;
    try {
      parsed = await this.deps.documents.get(document);
    } catch (e) {
      this.deps.log.warn(`Checking ${document.uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    if (document.isClosed || document.version !== version || this.isDisposed) return undefined; // a newer check follows
    if (!parsed) {
      if (this.diagnosed.delete(document.uri.toString())) this.collection.delete(document.uri);
      return undefined;
    }
    const started = performance.now();
    const startedCpu = cpuMs();
    let usesCatalog = false;
    const lookup = this.deps.catalog.versionLookup;
    let findings = diagnoseDefinition(parsed.definition, {
      schemas: this.schemas(),
      versions: (workflowExternalId, v) => {
        usesCatalog = true;
        return lookup(workflowExternalId, v);
      },
      ...templateContext(parsed),
    });
    if (!config.definitionsShowInputReads()) findings = findings.filter((f) => f.code !== 'workflow-input');
    this.diagnosed.set(document.uri.toString(), { version, findings, usesCatalog });
    this.collection.set(document.uri, findings.map((f) => toDiagnostic(document, f)));
    this.lastDiagnosticsMs = performance.now() - started;
    this.stats.runs++;
    this.stats.checkMs += cpuMs() - startedCpu;
    return findings;
  }

  private async complete(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.CompletionItem[] | undefined> {
    const parsed = await this.deps.documents.get(document);
    if (!parsed || token.isCancellationRequested) return undefined;
    const key = document.uri.toString();
    let cache = this.completionCaches.get(key);
    if (!cache) this.completionCaches.set(key, (cache = new YamlChunkCache()));
    const entries = await completeAt(parsed.definition, document.offsetAt(position), {
      schemas: this.schemas(),
      externalIds: (kind) => this.deps.catalog.externalIds(kind),
      cache,
    });
    return entries.map((e) => toCompletionItem(document, e));
  }

  private async hover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const parsed = await this.deps.documents.get(document);
    if (!parsed) return undefined;
    const catalog = this.deps.catalog;
    const found = await hoverAt(parsed.definition, document.offsetAt(position), {
      schemas: this.schemas(),
      ...templateContext(parsed),
      executionValue: (version, reference) => catalog.executionValue(version, reference),
      externalIdInfo: async (kind, id) => {
        if (kind !== 'function') return undefined;
        await catalog.ensureIndexed();
        const fn = catalog.index.findFunction(id);
        return fn ? `**Cognite Function** \`${id}\`${fn.name ? ` · ${fn.name}` : ''}\n\nCode: \`${vscode.workspace.asRelativePath(fn.codeFolder)}\` (from \`${vscode.workspace.asRelativePath(fn.file)}\`)${fn.description ? `\n\n${fn.description}` : ''}` : undefined;
      },
    });
    if (!found) return undefined;
    const markdown = new vscode.MarkdownString(found.markdown);
    return new vscode.Hover(markdown, new vscode.Range(document.positionAt(found.start), document.positionAt(found.end)));
  }

  private async definition(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Definition | vscode.LocationLink[] | undefined> {
    const parsed = await this.deps.documents.get(document);
    if (!parsed) return undefined;
    const target = definitionAt(parsed.definition, document.offsetAt(position));
    if (!target) return undefined;
    const catalog = this.deps.catalog;
    switch (target.kind) {
      case 'task':
        return [
          {
            targetUri: document.uri,
            targetRange: new vscode.Range(document.positionAt(target.range.start), document.positionAt(target.range.end)),
            targetSelectionRange: new vscode.Range(document.positionAt(target.selectionRange.start), document.positionAt(target.selectionRange.end)),
          },
        ];
      case 'function':
        return catalog.functionLocations(target.externalId);
      case 'transformation': {
        await catalog.ensureIndexed();
        const found = catalog.index.transformations().filter((t) => t.externalId === target.externalId);
        return Promise.all(found.map((t) => locationIn(t.file, t.start)));
      }
      case 'version': {
        await catalog.ensureIndexed();
        const found = catalog.index.findVersion(target.workflowExternalId, target.version);
        return found ? locationIn(found.file, found.start) : undefined;
      }
      case 'workflow': {
        await catalog.ensureIndexed();
        const found = catalog.index.workflows().find((w) => w.externalId === target.externalId);
        return found ? locationIn(found.file, found.start) : undefined;
      }
    }
  }

  private async references(document: vscode.TextDocument, position: vscode.Position, context: vscode.ReferenceContext): Promise<vscode.Location[] | undefined> {
    const parsed = await this.deps.documents.get(document);
    if (!parsed) return undefined;
    return taskReferences(parsed.definition, document.offsetAt(position), context.includeDeclaration).map(
      (s) => new vscode.Location(document.uri, new vscode.Range(document.positionAt(s.start), document.positionAt(s.end))),
    );
  }

  private async symbols(document: vscode.TextDocument): Promise<vscode.DocumentSymbol[] | undefined> {
    const parsed = await this.deps.documents.get(document);
    if (!parsed) return undefined;
    return documentSymbols(parsed.definition).map((s) => toSymbol(document, s));
  }

  private async codeActions(document: vscode.TextDocument, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const ours = context.diagnostics.filter((d) => d.source === SOURCE);
    if (ours.length === 0) return [];
    let diagnosed = this.diagnosed.get(document.uri.toString());
    if (!diagnosed || diagnosed.version !== document.version) {
      await this.diagnose(document);
      diagnosed = this.diagnosed.get(document.uri.toString());
    }
    if (!diagnosed) return [];
    const actions: vscode.CodeAction[] = [];
    for (const d of ours) {
      const start = document.offsetAt(d.range.start);
      const end = document.offsetAt(d.range.end);
      const finding = diagnosed.findings.find((f) => f.start === start && Math.max(f.end, f.start) >= end - 1 && f.message === d.message);
      for (const fix of finding?.fixes ?? []) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        const edit = new vscode.WorkspaceEdit();
        for (const e of fix.edits) edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.newText);
        action.edit = edit;
        action.diagnostics = [d];
        action.isPreferred = fix.preferred === true;
        actions.push(action);
      }
    }
    return actions;
  }

  private clearTimers(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

function templateContext(parsed: ParsedDefinition): { templates?: TemplateContext } {
  const v = parsed.variables;
  if (!v) return {};
  return { templates: { environment: v.environment.name, configFile: v.environment.configFile, ...(v.module ? { module: v.module } : {}), ...(v.configError ? { configError: v.configError } : {}) } };
}

// The vscode enums are read when used, not when the bundle loads (nothing at load touches the API).
function severityOf(severity: DefinitionFinding['severity']): vscode.DiagnosticSeverity {
  return severity === 'error' ? vscode.DiagnosticSeverity.Error : severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
}

function toDiagnostic(document: vscode.TextDocument, f: DefinitionFinding): vscode.Diagnostic {
  const d = new vscode.Diagnostic(new vscode.Range(document.positionAt(f.start), document.positionAt(f.end)), f.message, severityOf(f.severity));
  d.source = SOURCE;
  d.code = f.code;
  return d;
}

function completionKind(kind: CompletionEntry['kind']): vscode.CompletionItemKind {
  const K = vscode.CompletionItemKind;
  const kinds: Readonly<Record<CompletionEntry['kind'], vscode.CompletionItemKind>> = {
    key: K.Property,
    value: K.Value,
    enum: K.EnumMember,
    task: K.Reference,
    reference: K.Variable,
    function: K.Function,
    transformation: K.Method,
    workflow: K.Module,
    version: K.Constant,
  };
  return kinds[kind];
}

function toCompletionItem(document: vscode.TextDocument, e: CompletionEntry): vscode.CompletionItem {
  const item = new vscode.CompletionItem(e.label, completionKind(e.kind));
  // The cursor stays before the closing text, so a reference can go on (`.output` then `.response`).
  item.insertText = e.closeAfter ? new vscode.SnippetString().appendText(e.insertText).appendTabstop(0).appendText(e.closeAfter) : e.insertText;
  item.range = new vscode.Range(document.positionAt(e.start), document.positionAt(e.end));
  if (e.filterText) item.filterText = e.filterText;
  if (e.sortText) item.sortText = e.sortText;
  if (e.detail) item.detail = e.detail;
  if (e.documentation) item.documentation = new vscode.MarkdownString(e.documentation);
  if (e.preselect) item.preselect = true;
  // After a key, suggest its values at once.
  if (e.kind === 'key') item.command = { command: 'editor.action.triggerSuggest', title: 'Suggest values' };
  return item;
}

function symbolKind(kind: DefinitionSymbol['kind']): vscode.SymbolKind {
  const S = vscode.SymbolKind;
  return kind === 'workflow' ? S.Module : kind === 'version' ? S.Class : kind === 'trigger' ? S.Event : kind === 'task' ? S.Function : S.Property;
}

function toSymbol(document: vscode.TextDocument, s: DefinitionSymbol): vscode.DocumentSymbol {
  const range = new vscode.Range(document.positionAt(s.range.start), document.positionAt(s.range.end));
  let selection = new vscode.Range(document.positionAt(s.selectionRange.start), document.positionAt(s.selectionRange.end));
  if (!range.contains(selection)) selection = new vscode.Range(range.start, range.start);
  const symbol = new vscode.DocumentSymbol(s.name, s.detail, symbolKind(s.kind), range, selection);
  symbol.children = s.children.map((c) => toSymbol(document, c));
  return symbol;
}

async function locationIn(file: string, offset: number): Promise<vscode.Location> {
  const uri = vscode.Uri.file(file);
  const doc = await vscode.workspace.openTextDocument(uri);
  return new vscode.Location(uri, doc.positionAt(offset));
}
