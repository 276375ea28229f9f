// What definition files can refer to: the Toolkit files of the workspace (workflows, versions, triggers,
// functions; indexed on first need and kept current by a file watcher) and the connected project's
// functions, transformations and workflow versions (cached; at most one request per kind of resource per
// minute, never one per keystroke), plus a recent execution of a deployed version for hovers.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { cpuMs } from './cpuTime';
import { type ExternalIdKind, type ExternalIdOption } from '../../core/definition/completion';
import { type VersionLookup } from '../../core/definition/diagnose';
import { type ExecutionValue, valueAtReference } from '../../core/definition/hover';
import { substituteTemplates } from '../../core/definition/templates';
import { WorkspaceIndex, isToolkitFunctionFile, isToolkitTransformationFile } from '../../core/definition/workspaceIndex';
import { type ExecutionDetailed } from '../../core/schemas/executions';
import { type ConnectionManager } from '../connections/manager';
import { config } from '../config';
import { DisposableBase } from '../lifecycle';
import { type DefinitionDocuments } from './documents';
import { type ToolkitEnvironments } from './environment';

/** At most one request per kind of resource (and per version for executions) per this long. */
export const REMOTE_REFRESH_MS = 60_000;
/** How long the first completion waits for a list before answering with the workspace's ids only. */
const FIRST_LOAD_WAIT_MS = 2_000;

const DEFINITION_GLOB = '**/*.{Workflow,WorkflowVersion,WorkflowTrigger,workflow,workflowversion,workflowtrigger,Function,function,Transformation,transformation}.{yaml,yml}';
const EXCLUDE_GLOB = '**/{node_modules,build,.git}/**';

type RemoteKind = 'function' | 'transformation' | 'version';

interface RemoteList {
  readonly connection: string;
  items?: ExternalIdOption[];
  /** When the last request started (successful or not). */
  requestedAt: number;
  loading?: Promise<void>;
  failed?: string;
}

interface CachedExecution {
  requestedAt: number;
  loading?: Promise<void>;
  execution?: ExecutionDetailed;
}

export class DefinitionCatalog extends DisposableBase {
  readonly index = new WorkspaceIndex();
  private readonly emitter = this.register(new vscode.EventEmitter<void>());
  /** The workspace index or a list from the project changed: references may resolve differently. */
  readonly onDidChange = this.emitter.event;
  private indexing: Promise<void> | undefined;
  private indexed = false;
  private readonly remote = new Map<string, RemoteList>();
  private readonly executions = new Map<string, CachedExecution>();
  /** Requests made, by kind (tests and the benchmark read it). */
  readonly requests = { function: 0, transformation: 0, version: 0, execution: 0 };
  /** Time spent indexing files (their parse is counted by the documents), in ms. */
  readonly stats = { indexed: 0, indexMs: 0 };

  constructor(
    private readonly deps: {
      readonly connections: ConnectionManager;
      readonly documents: DefinitionDocuments;
      readonly environments: ToolkitEnvironments;
      readonly log: vscode.LogOutputChannel;
      readonly now?: () => number;
    },
  ) {
    super();
    this.registerAll(
      deps.connections.onDidChange(() => this.emitter.fire()),
      // A new environment changes what templates resolve to: index again.
      deps.environments.onDidChange(() => {
        if (this.indexed) void this.reindexAll();
      }),
    );
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  // ------------------------------------------------------------------------------- workspace index

  /** Indexes the workspace's Toolkit files once; later calls wait for the first. */
  ensureIndexed(): Promise<void> {
    this.indexing ??= this.buildIndex();
    return this.indexing;
  }

  get isIndexed(): boolean {
    return this.indexed;
  }

  private async buildIndex(): Promise<void> {
    const watcher = this.register(vscode.workspace.createFileSystemWatcher(DEFINITION_GLOB));
    this.registerAll(
      watcher.onDidCreate((uri) => void this.indexFile(uri).then(() => this.emitter.fire())),
      watcher.onDidChange((uri) => void this.indexFile(uri).then(() => this.emitter.fire())),
      watcher.onDidDelete((uri) => {
        this.index.removeFile(uri.fsPath);
        this.emitter.fire();
      }),
    );
    await this.indexAll();
    this.indexed = true;
    if (!this.isDisposed) this.emitter.fire();
  }

  private async reindexAll(): Promise<void> {
    await this.indexAll();
    if (!this.isDisposed) this.emitter.fire();
  }

  private async indexAll(): Promise<void> {
    for (const uri of await vscode.workspace.findFiles(DEFINITION_GLOB, EXCLUDE_GLOB, 5000)) await this.indexFile(uri);
  }

  /** Re-reads one file into the index (an open editor's text wins over the disk). */
  async indexFile(uri: vscode.Uri): Promise<void> {
    const file = uri.fsPath;
    try {
      const fn = isToolkitFunctionFile(file);
      if (fn || isToolkitTransformationFile(file)) {
        const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        const variables = await this.deps.environments.variablesFor(uri);
        const started = cpuMs();
        const substituted = substituteTemplates(text, variables?.values ?? new Map());
        if (fn) this.index.setFunctionFile(file, substituted.text, (o) => substituted.toOriginal(o));
        else this.index.setTransformationFile(file, substituted.text, (o) => substituted.toOriginal(o));
        this.stats.indexed++;
        this.stats.indexMs += cpuMs() - started;
        return;
      }
      const parsed = await this.deps.documents.getFile(uri);
      const started = cpuMs();
      this.index.setDocument(file, parsed?.definition);
      this.stats.indexed++;
      this.stats.indexMs += cpuMs() - started;
    } catch (e) {
      this.index.removeFile(file);
      this.deps.log.debug(`Definition index: ${file} skipped: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  // ------------------------------------------------------------------------------ connected project

  private useConnection(): boolean {
    return config.definitionsUseConnection() && this.deps.connections.active() !== undefined;
  }

  private connectionName(): string | undefined {
    return this.useConnection() ? this.deps.connections.active()?.name : undefined;
  }

  /** The cached list of a kind for the active connection; starts a request when none was made this minute. */
  private list(kind: RemoteKind): RemoteList | undefined {
    const connection = this.connectionName();
    if (!connection) return undefined;
    const key = `${connection}\u0000${kind}`;
    let entry = this.remote.get(key);
    if (!entry) {
      entry = { connection, requestedAt: -Infinity };
      this.remote.set(key, entry);
    }
    if (!entry.loading && this.now() - entry.requestedAt >= REMOTE_REFRESH_MS) {
      const current = entry;
      current.requestedAt = this.now();
      current.loading = this.fetch(kind, connection)
        .then((items) => {
          current.items = items;
          current.failed = undefined;
          if (!this.isDisposed) this.emitter.fire();
        })
        .catch((e: unknown) => {
          current.failed = e instanceof Error ? e.message : String(e);
          this.deps.log.debug(`Definitions: listing ${kind}s of "${connection}" failed: ${current.failed}`);
        })
        .finally(() => {
          current.loading = undefined;
        });
    }
    return entry;
  }

  private async fetch(kind: RemoteKind, connection: string): Promise<ExternalIdOption[]> {
    const { client } = await this.deps.connections.client(connection);
    this.requests[kind]++;
    const where = `CDF project ${client.project}`;
    if (kind === 'function') {
      const functions = await client.functions.list({ limit: 1000 });
      return functions.flatMap((f) => (f.externalId ? [{ externalId: f.externalId, detail: `${where} · ${f.status}`, documentation: `${f.name}${f.description ? `: ${f.description}` : ''}` }] : []));
    }
    if (kind === 'transformation') {
      const page = await client.transformations.list({ limit: 1000 });
      return page.items.flatMap((t) => (t.externalId ? [{ externalId: t.externalId, detail: where, documentation: t.name }] : []));
    }
    const page = await client.versions.list({ limit: 1000 });
    return page.items.map((v) => ({ externalId: v.version, workflowExternalId: v.workflowExternalId, detail: `deployed in ${where}` }));
  }

  /** External ids for completion: the workspace's (indexed on first use) and the project's. */
  async externalIds(kind: ExternalIdKind): Promise<ExternalIdOption[]> {
    const indexing = this.ensureIndexed();
    const remoteKind: RemoteKind | undefined = kind === 'workflow' ? 'version' : kind;
    const entry = remoteKind ? this.list(remoteKind) : undefined;
    // The first time, wait a little for the list; afterwards the cache answers at once.
    const waits: Promise<unknown>[] = [indexing];
    if (entry?.loading && entry.items === undefined) waits.push(entry.loading);
    await within(Promise.all(waits), FIRST_LOAD_WAIT_MS);
    const local = this.localIds(kind);
    const seen = new Set(local.map((o) => `${o.workflowExternalId ?? ''}\u0000${o.externalId}`));
    let remote = entry?.items ?? [];
    if (kind === 'workflow') remote = [...new Set(remote.map((v) => v.workflowExternalId ?? ''))].filter(Boolean).map((id) => ({ externalId: id, detail: remote[0]?.detail?.replace(/^deployed in /, '') ?? '' }));
    return [...local, ...remote.filter((o) => !seen.has(`${o.workflowExternalId ?? ''}\u0000${o.externalId}`))];
  }

  private localIds(kind: ExternalIdKind): ExternalIdOption[] {
    const rel = (file: string): string => vscode.workspace.asRelativePath(file);
    switch (kind) {
      case 'function':
        return this.index.functions().map((f) => ({ externalId: f.externalId, detail: `Toolkit ${rel(f.file)}`, ...(f.name ? { documentation: `${f.name}${f.description ? `: ${f.description}` : ''}` } : {}) }));
      case 'transformation':
        return this.index.transformations().map((t) => ({ externalId: t.externalId, detail: `Toolkit ${rel(t.file)}` }));
      case 'workflow':
        return [...new Set([...this.index.workflows().map((w) => w.externalId), ...this.index.versions().map((v) => v.workflowExternalId)])].map((externalId) => ({ externalId, detail: 'in the workspace' }));
      case 'version':
        return this.index.versions().map((v) => ({ externalId: v.version, workflowExternalId: v.workflowExternalId, detail: `${v.tasks.length} tasks · ${rel(v.file)}` }));
    }
  }

  /** For diagnostics: whether a workflow version exists in the workspace or the project (never waits). */
  readonly versionLookup: VersionLookup = (workflowExternalId, version) => {
    if (this.index.findVersion(workflowExternalId, version)) return { status: 'found', searched: '' };
    if (!this.indexed) {
      void this.ensureIndexed();
      return { status: 'unknown', searched: '' };
    }
    const connection = this.connectionName();
    if (!connection) return { status: 'missing', searched: 'in the workspace (no CDF connection to look in)' };
    const entry = this.list('version');
    if (!entry?.items) return { status: entry?.failed ? 'missing' : 'unknown', searched: `in the workspace (the versions of "${connection}" could not be listed)` };
    const deployed = entry.items.some((v) => v.workflowExternalId === workflowExternalId && v.externalId === version);
    return deployed ? { status: 'found', searched: '' } : { status: 'missing', searched: `in the workspace or in "${connection}"` };
  };

  /** A value a reference had in a recent execution of the deployed version (one list + one read per version per minute). */
  async executionValue(version: { workflowExternalId: string; version: string }, inner: string): Promise<ExecutionValue | undefined> {
    const connection = this.connectionName();
    if (!connection) return undefined;
    const key = `${connection}\u0000${version.workflowExternalId}\u0000${version.version}`;
    let entry = this.executions.get(key);
    if (!entry) {
      entry = { requestedAt: -Infinity };
      this.executions.set(key, entry);
    }
    if (!entry.loading && this.now() - entry.requestedAt >= REMOTE_REFRESH_MS) {
      const current = entry;
      current.requestedAt = this.now();
      current.loading = this.latestExecution(connection, version)
        .then((execution) => {
          current.execution = execution;
        })
        .catch((e: unknown) => this.deps.log.debug(`Definitions: reading executions of ${version.workflowExternalId}@${version.version} failed: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => {
          current.loading = undefined;
        });
    }
    if (entry.loading) await within(entry.loading, FIRST_LOAD_WAIT_MS);
    const execution = entry.execution;
    if (!execution) return undefined;
    const found = valueAtReference(execution, inner);
    if (!found.found) return undefined;
    return { value: found.value, executionId: execution.id, status: execution.status, ...(execution.startTime != null ? { time: execution.startTime } : { time: execution.createdTime }) };
  }

  private async latestExecution(connection: string, version: { workflowExternalId: string; version: string }): Promise<ExecutionDetailed | undefined> {
    const { client } = await this.deps.connections.client(connection);
    this.requests.execution++;
    const page = await client.executions.list({ filter: { workflowFilters: [{ externalId: version.workflowExternalId, version: version.version }] }, limit: 10 });
    // The newest execution that has ended: its outputs are complete.
    const latest = page.items.filter((e) => e.status !== 'RUNNING').sort((a, b) => b.createdTime - a.createdTime)[0];
    return latest ? client.executions.retrieve(latest.id) : undefined;
  }

  /** Where a function's code is: its folder's handler.py, else the *.Function.yaml that declares it. */
  async functionLocations(externalId: string): Promise<vscode.Location[]> {
    await this.ensureIndexed();
    const out: vscode.Location[] = [];
    for (const f of this.index.functions().filter((x) => x.externalId === externalId)) {
      const handler = vscode.Uri.file(path.join(f.codeFolder, 'handler.py'));
      if (await exists(handler)) out.push(new vscode.Location(handler, new vscode.Position(0, 0)));
      const yaml = await vscode.workspace.openTextDocument(vscode.Uri.file(f.file)).then((d) => d, () => undefined);
      out.push(new vscode.Location(vscode.Uri.file(f.file), yaml ? yaml.positionAt(f.start) : new vscode.Position(0, 0)));
    }
    if (out.length === 0) {
      // A function folder without a *.Function.yaml the index knows (the config may be templated).
      for (const uri of await vscode.workspace.findFiles(`**/functions/${externalId}/handler.py`, EXCLUDE_GLOB, 5)) out.push(new vscode.Location(uri, new vscode.Position(0, 0)));
    }
    return out;
  }

}

/** Waits for `promise` at most `ms` (the timer is cleared as soon as the promise settles). */
function within(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    void promise.finally(() => {
      clearTimeout(t);
      resolve();
    });
  });
}

/** Whether a file or folder is there (any error reading it counts as not). */
export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
