// What a workflow view shows and where its states come from: an execution (read once, then kept current
// by the tracker's events while it runs: no poll loop of its own), a deployed version (from the tree,
// or read once), or a definition file (see fileSource.ts). A source turns its state into the model the
// webview draws, and a newer state into either a status update or, when the tasks changed, a new model.
import * as vscode from 'vscode';
import { countRetries, graphOfDefinition, graphOfExecution, type GraphNode, structureKey, statusWord, type WorkflowGraph } from '../../core/graph';
import { type ExecutionDetailed } from '../../core/schemas/executions';
import { type WorkflowVersion } from '../../core/schemas/workflows';
import { type ConnectionManager } from '../connections/manager';
import { type ExecutionRef, type ExecutionTracker } from '../executions/tracker';
import { type ToWebview, type ViewAction, type ViewModel, type ViewTarget } from '../../webview/workflowView/protocol';

export type SourceChange = Extract<ToWebview, { type: 'model' }> | Extract<ToWebview, { type: 'update' }>;

export interface TaskDetails {
  readonly input?: unknown;
  readonly output?: unknown;
  readonly definition?: unknown;
}

export interface ViewSource extends vscode.Disposable {
  readonly target: ViewTarget;
  /** The panel's title. */
  title(): string;
  /** Reads what the view shows (at most one request). */
  load(): Promise<void>;
  /** Undefined until loaded. */
  model(): ViewModel | undefined;
  /** A newer state: a status update (same tasks and edges) or a new model. */
  readonly onDidChange: vscode.Event<SourceChange>;
  taskDetails(nodeId: string): TaskDetails | undefined;
  /** The task execution or definition behind a node. */
  node(nodeId: string): GraphNode | undefined;
}

export function targetKey(target: ViewTarget): string {
  switch (target.kind) {
    case 'execution':
      return `execution\u0000${target.connection}\u0000${target.executionId}`;
    case 'version':
      return `version\u0000${target.connection}\u0000${target.workflowExternalId}\u0000${target.version}`;
    case 'file':
      return `file\u0000${target.uri}`;
  }
}

/** Node ids of a graph whose content differs from the previous graph's node of the same id. */
function changedNodes(before: WorkflowGraph, after: WorkflowGraph): GraphNode[] {
  const old = new Map(before.nodes.map((n) => [n.id, JSON.stringify(n)]));
  return after.nodes.filter((n) => old.get(n.id) !== JSON.stringify(n));
}

const RETRYABLE = new Set(['FAILED', 'TIMED_OUT', 'TERMINATED']);

export interface ExecutionSourceDeps {
  readonly connections: ConnectionManager;
  readonly tracker: ExecutionTracker;
  readonly log: vscode.LogOutputChannel;
}

export class ExecutionSource implements ViewSource {
  readonly target: Extract<ViewTarget, { kind: 'execution' }>;
  private readonly emitter = new vscode.EventEmitter<SourceChange>();
  readonly onDidChange = this.emitter.event;
  private execution: ExecutionDetailed | undefined;
  private graph: WorkflowGraph | undefined;
  private structure = '';
  private readonly retries = new Map<string, number>();
  private following: AbortController | undefined;
  private disposed = false;

  constructor(
    readonly ref: ExecutionRef,
    private readonly deps: ExecutionSourceDeps,
  ) {
    this.target = { kind: 'execution', connection: ref.connection, executionId: ref.executionId };
  }

  get state(): ExecutionDetailed | undefined {
    return this.execution;
  }

  title(): string {
    const e = this.execution;
    return e ? `${e.workflowExternalId}@${e.version ?? '?'} · ${statusWord(e.status)}` : `Execution ${this.ref.executionId.slice(0, 8)}`;
  }

  async load(): Promise<void> {
    const { client } = await this.deps.connections.client(this.ref.connection);
    const execution = await client.executions.retrieve(this.ref.executionId);
    // A state that arrived from the tracker meanwhile is as new or newer.
    if (!this.execution) this.apply(execution, false);
    this.follow();
  }

  /** A state from the tracker (its follow loop, or an action that read it again). */
  updated(execution: ExecutionDetailed): void {
    if (execution.id !== this.ref.executionId || this.disposed) return;
    this.apply(execution, true);
    // A retried execution runs again: follow it again while the view is open.
    this.follow();
  }

  private apply(execution: ExecutionDetailed, notify: boolean): void {
    countRetries(this.execution, execution, this.retries);
    const graph = graphOfExecution(execution, { retriesSeen: this.retries });
    const structure = structureKey(graph);
    const before = this.graph;
    const sameTasks = before !== undefined && structure === this.structure;
    this.execution = execution;
    this.graph = graph;
    this.structure = structure;
    if (!notify) return;
    const model = this.model()!;
    if (sameTasks) {
      const nodes = changedNodes(before, graph);
      this.emitter.fire({
        type: 'update',
        header: { status: model.status, endTime: model.endTime, reason: model.reason, actions: model.actions, readAt: model.readAt },
        nodes,
      });
    } else {
      this.emitter.fire({ type: 'model', model });
    }
  }

  /** Keeps the tracker's loop for this execution alive while it runs (it shares one loop per execution). */
  private follow(): void {
    const e = this.execution;
    if (this.disposed || !e || e.status !== 'RUNNING' || this.following) return;
    const stop = new AbortController();
    this.following = stop;
    this.deps.tracker.observe(this.ref, stop.signal, e).then(
      () => {
        if (this.following === stop) this.following = undefined;
      },
      (err: unknown) => {
        if (this.following === stop) this.following = undefined;
        this.deps.log.warn(`Workflow view: stopped following execution ${this.ref.executionId}: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
  }

  /** True while the view keeps the execution followed (for tests). */
  get isFollowing(): boolean {
    return this.following !== undefined;
  }

  model(): ViewModel | undefined {
    const e = this.execution;
    if (!e || !this.graph) return undefined;
    const actions: ViewAction[] = [];
    if (e.status === 'RUNNING') actions.push('cancel');
    if (RETRYABLE.has(e.status)) actions.push('retry');
    actions.push('runAgain', 'compare', 'openText', 'refresh');
    return {
      target: this.target,
      title: `${e.workflowExternalId}@${e.version ?? '?'}`,
      subtitle: this.ref.connection,
      ...(e.workflowDefinition.description ? { description: e.workflowDefinition.description } : {}),
      status: e.status,
      createdTime: e.createdTime,
      ...(e.startTime != null ? { startTime: e.startTime } : {}),
      ...(e.endTime != null ? { endTime: e.endTime } : {}),
      ...(e.reasonForIncompletion ? { reason: e.reasonForIncompletion } : {}),
      executionId: e.id,
      input: e.input ?? {},
      metadata: e.metadata ?? {},
      actions,
      graph: this.graph,
      readAt: Date.now(),
    };
  }

  node(nodeId: string): GraphNode | undefined {
    return this.graph?.nodes.find((n) => n.id === nodeId);
  }

  /** The task execution behind a node (undefined for a task that has not started). */
  taskExecution(nodeId: string): ExecutionDetailed['executedTasks'][number] | undefined {
    const n = this.node(nodeId);
    if (!n?.taskExecutionId) return undefined;
    return this.execution?.executedTasks.find((t) => t.id === n.taskExecutionId);
  }

  taskDetails(nodeId: string): TaskDetails | undefined {
    const n = this.node(nodeId);
    if (!n || !this.execution) return undefined;
    const t = this.taskExecution(nodeId);
    const definition = findDefinition(this.execution, n);
    return { ...(t ? { input: t.input, output: t.output } : {}), ...(definition ? { definition } : {}) };
  }

  dispose(): void {
    this.disposed = true;
    this.following?.abort();
    this.following = undefined;
    this.emitter.dispose();
  }
}

/** The definition a node came from: the version's task, or a group's entry for it. */
function findDefinition(execution: ExecutionDetailed, n: GraphNode): unknown {
  if (n.parent === undefined) return execution.workflowDefinition.tasks.find((t) => t.externalId === n.externalId);
  const parent = execution.executedTasks.find((t) => t.externalId === n.parent && !t.parentTaskExternalId);
  const lists = [
    (parent?.input as { dynamic?: { tasks?: unknown }; subworkflow?: { tasks?: unknown } } | undefined)?.dynamic?.tasks,
    (parent?.output as { dynamicTasks?: unknown } | undefined)?.dynamicTasks,
    (parent?.input as { subworkflow?: { tasks?: unknown } } | undefined)?.subworkflow?.tasks,
    (execution.workflowDefinition.tasks.find((t) => t.externalId === n.parent)?.parameters as { subworkflow?: { tasks?: unknown } } | undefined)?.subworkflow?.tasks,
  ];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    const found = (list as { externalId?: unknown }[]).find((d) => typeof d === 'object' && d !== null && d.externalId === n.externalId);
    if (found) return found;
  }
  return undefined;
}

export class VersionSource implements ViewSource {
  readonly target: Extract<ViewTarget, { kind: 'version' }>;
  private readonly emitter = new vscode.EventEmitter<SourceChange>();
  readonly onDidChange = this.emitter.event;
  private graph: WorkflowGraph | undefined;

  constructor(
    target: { connection: string; workflowExternalId: string; version: string },
    private known: WorkflowVersion | undefined,
    private readonly connections: ConnectionManager,
  ) {
    this.target = { kind: 'version', ...target };
  }

  get version(): WorkflowVersion | undefined {
    return this.known;
  }

  title(): string {
    return `${this.target.workflowExternalId}@${this.target.version}`;
  }

  async load(): Promise<void> {
    if (!this.known) {
      const { client } = await this.connections.client(this.target.connection);
      this.known = await client.versions.retrieve(this.target.workflowExternalId, this.target.version);
    }
    this.graph = graphOfDefinition(this.known.workflowDefinition);
  }

  /** Reads the version again (Refresh) and redraws. */
  async reload(): Promise<void> {
    this.known = undefined;
    await this.load();
    const model = this.model();
    if (model) this.emitter.fire({ type: 'model', model });
  }

  model(): ViewModel | undefined {
    const v = this.known;
    if (!v || !this.graph) return undefined;
    return {
      target: this.target,
      title: this.title(),
      subtitle: `${this.target.connection} · deployed version`,
      ...(v.workflowDefinition.description ? { description: v.workflowDefinition.description } : {}),
      actions: ['run', 'refresh'],
      graph: this.graph,
      readAt: Date.now(),
    };
  }

  node(nodeId: string): GraphNode | undefined {
    return this.graph?.nodes.find((n) => n.id === nodeId);
  }

  taskDetails(nodeId: string): TaskDetails | undefined {
    const n = this.node(nodeId);
    const v = this.known;
    if (!n || !v) return undefined;
    const top = v.workflowDefinition.tasks.find((t) => t.externalId === (n.parent ?? n.externalId));
    if (n.parent === undefined) return top ? { input: top.parameters, definition: top } : undefined;
    const inner = (top?.parameters as { subworkflow?: { tasks?: { externalId?: unknown; parameters?: unknown }[] } } | undefined)?.subworkflow?.tasks?.find((t) => t.externalId === n.externalId);
    return inner ? { input: inner.parameters, definition: inner } : undefined;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
