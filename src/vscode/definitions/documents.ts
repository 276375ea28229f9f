// Definition documents of the editor: each open Toolkit or API JSON definition parsed once per version (and
// per Toolkit environment), shared by diagnostics, completion, hover, symbols, navigation, deploy and diff.
//
// Stable API:
//   documents.isCandidate(textDocument) -> boolean   (by name for Toolkit YAML, by content for JSON)
//   documents.get(textDocument)         -> ParsedDefinition | undefined  (undefined: not a definition)
//   documents.getFile(uri)              -> the same for a file, open or not
//   documents.onDidChange               (the Toolkit environment changed: parsed documents are stale)
import * as vscode from 'vscode';
import { DisposableBase } from '../lifecycle';
import { cpuMs } from './cpuTime';
import { type DefinitionDocument, mayBeDefinitionJson, parseDefinitionDocument, toolkitKindOf } from '../../core/definition/document';
import { YamlChunkCache } from '../../core/definition/parseSource';
import { type ToolkitVariables } from '../../core/definition/toolkitProject';
import { type ToolkitEnvironments } from './environment';

export interface ParsedDefinition {
  readonly uri: vscode.Uri;
  /** The TextDocument version parsed (undefined for a file read from disk). */
  readonly version?: number;
  readonly definition: DefinitionDocument;
  /** The Toolkit variables used for templates; undefined outside a Toolkit project. */
  readonly variables?: ToolkitVariables;
}

interface Entry {
  readonly version: number;
  readonly generation: number;
  readonly parsed: Promise<ParsedDefinition | undefined>;
}

export const DEFINITION_LANGUAGES = ['yaml', 'json', 'jsonc'] as const;

export class DefinitionDocuments extends DisposableBase {
  private readonly entries = new Map<string, Entry>();
  /** Files parsed from disk (the workspace index): an editor that opens one with the same text reuses it. */
  private readonly fromDisk = new Map<string, { text: string; generation: number; parsed: ParsedDefinition | undefined }>();
  private readonly chunkCaches = new Map<string, YamlChunkCache>();
  private readonly emitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.emitter.event;
  /** Bumped when the environment changes, so every cached parse is redone. */
  private generation = 0;
  /** Parses made and their time, in ms (the benchmark reads them). */
  readonly stats = { parses: 0, parseMs: 0 };
  constructor(private readonly environments: ToolkitEnvironments) {
    super();
    this.registerAll(
      environments.onDidChange(() => {
        this.generation++;
        this.emitter.fire();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.entries.delete(d.uri.toString());
        this.chunkCaches.delete(d.uri.toString());
      }),
      // An edit makes the disk parse stale for that editor (the index asks again after a save).
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.fromDisk.delete(e.document.uri.toString());
      }),
    );
  }

  /** JSON documents by content, remembered per version: other JSON files are not searched on every keystroke. */
  private readonly jsonCandidates = new WeakMap<vscode.TextDocument, { version: number; candidate: boolean }>();

  isCandidate(document: vscode.TextDocument): boolean {
    if (document.languageId === 'yaml') return toolkitKindOf(document.uri.path) !== undefined;
    if (document.languageId !== 'json' && document.languageId !== 'jsonc') return false;
    const known = this.jsonCandidates.get(document);
    if (known?.version === document.version) return known.candidate;
    const candidate = mayBeDefinitionJson(document.getText());
    this.jsonCandidates.set(document, { version: document.version, candidate });
    return candidate;
  }

  get(document: vscode.TextDocument): Promise<ParsedDefinition | undefined> {
    const key = document.uri.toString();
    const cached = this.entries.get(key);
    if (cached && cached.version === document.version && cached.generation === this.generation) return cached.parsed;
    const entry: Entry = { version: document.version, generation: this.generation, parsed: this.parse(document) };
    this.entries.set(key, entry);
    return entry.parsed;
  }

  /** A definition file whether open or not (an open editor's unsaved text wins). */
  async getFile(uri: vscode.Uri): Promise<ParsedDefinition | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return this.get(open);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const isYaml = /\.ya?ml$/i.test(uri.path);
    if (isYaml ? toolkitKindOf(uri.path) === undefined : !mayBeDefinitionJson(text)) return undefined;
    const generation = this.generation;
    const known = this.fromDisk.get(uri.toString());
    if (known && known.text === text && known.generation === generation) return known.parsed;
    const variables = isYaml ? await this.environments.variablesFor(uri) : undefined;
    const started = cpuMs();
    const definition = parseDefinitionDocument(text, { fileName: uri.path, format: isYaml ? 'yaml' : 'json', variables: variables?.values, allowComments: /\.jsonc$/i.test(uri.path) });
    this.stats.parses++;
    this.stats.parseMs += cpuMs() - started;
    const parsed = definition ? { uri, definition, ...(variables ? { variables } : {}) } : undefined;
    this.fromDisk.set(uri.toString(), { text, generation, parsed });
    return parsed;
  }

  private async parse(document: vscode.TextDocument): Promise<ParsedDefinition | undefined> {
    if (!this.isCandidate(document)) return undefined;
    const yaml = document.languageId === 'yaml';
    const version = document.version;
    const text = document.getText();
    const known = this.fromDisk.get(document.uri.toString());
    if (known && known.text === text && known.generation === this.generation && (known.parsed?.definition.format ?? (yaml ? 'yaml' : 'json')) === (yaml ? 'yaml' : 'json')) {
      return known.parsed ? { ...known.parsed, version } : undefined;
    }
    const variables = yaml ? await this.environments.variablesFor(document.uri) : undefined;
    const key = document.uri.toString();
    let cache = this.chunkCaches.get(key);
    if (yaml && !cache) this.chunkCaches.set(key, (cache = new YamlChunkCache()));
    const started = cpuMs();
    const definition = parseDefinitionDocument(text, {
      fileName: document.uri.path,
      format: yaml ? 'yaml' : 'json',
      variables: variables?.values,
      cache,
      allowComments: document.languageId === 'jsonc',
    });
    this.stats.parses++;
    this.stats.parseMs += cpuMs() - started;
    return definition ? { uri: document.uri, version, definition, ...(variables ? { variables } : {}) } : undefined;
  }

  override dispose(): void {
    super.dispose();
    this.entries.clear();
    this.chunkCaches.clear();
    this.fromDisk.clear();
  }
}
