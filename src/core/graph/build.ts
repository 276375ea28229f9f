// Builds the graph of a definition or an execution. An execution's graph holds every task of its definition
// (NOT_STARTED until it runs), the tasks a dynamic task generated (known from its resolved input once it
// ran, so they show before they start), the tasks of inline subworkflows (from the definition) and any
// child CDF lists (parentTaskExternalId), such as the tasks of a subworkflow referenced by id.
import { type TaskDefinitionLike, type WorkflowDefinitionLike, childObject, isPlainObject } from '../definition/types';
import { type GraphDiagnostic, type GraphEdge, type GraphNode, NOT_STARTED, type WorkflowGraph, nodeId } from './model';

/** What the graph reads of a task execution; the client's TaskExecution fits it. */
export interface TaskExecutionLike {
  readonly id: string;
  readonly externalId: string;
  readonly parentTaskExternalId?: string | null;
  readonly status: string;
  readonly taskType: string;
  readonly startTime?: number | null;
  readonly endTime?: number | null;
  readonly reasonForIncompletion?: string | null;
  readonly input?: unknown;
  readonly output?: unknown;
}

/** What the graph reads of an execution; the client's ExecutionDetailed fits it. */
export interface ExecutionLike {
  readonly status: string;
  readonly workflowDefinition: WorkflowDefinitionLike;
  readonly executedTasks: readonly TaskExecutionLike[];
}

export interface GraphOptions {
  /** Diagnostics by task: the key is nodeId(externalId, parent id). */
  readonly diagnostics?: ReadonlyMap<string, readonly GraphDiagnostic[]>;
  /** Retries seen per node id (see countRetries). */
  readonly retriesSeen?: ReadonlyMap<string, number>;
}

const GROUP_TYPES = new Set(['dynamic', 'subworkflow']);

export function graphOfDefinition(definition: WorkflowDefinitionLike, options: GraphOptions = {}): WorkflowGraph {
  const builder = new GraphBuilder(options);
  builder.addScope(taskList(definition.tasks), undefined, undefined);
  return builder.graph();
}

export function graphOfExecution(execution: ExecutionLike, options: GraphOptions = {}): WorkflowGraph {
  const builder = new GraphBuilder(options, execution.executedTasks);
  builder.addScope(taskList(execution.workflowDefinition.tasks), undefined, undefined);
  // Top-level tasks CDF ran that the definition does not list (not expected, but never hidden).
  builder.addOrphans();
  return builder.graph();
}

class GraphBuilder {
  private readonly nodes: GraphNode[] = [];
  private readonly edges: GraphEdge[] = [];
  private readonly ids = new Set<string>();
  /** Executed tasks by `parent\u0000externalId` (parent '' at the top level). */
  private readonly executed = new Map<string, TaskExecutionLike>();
  private readonly byParent = new Map<string, TaskExecutionLike[]>();

  constructor(
    private readonly options: GraphOptions,
    private readonly executedTasks?: readonly TaskExecutionLike[],
  ) {
    for (const t of executedTasks ?? []) {
      const parent = t.parentTaskExternalId && t.parentTaskExternalId !== t.externalId ? t.parentTaskExternalId : '';
      // The latest entry wins should CDF ever list a task twice.
      this.executed.set(`${parent}\u0000${t.externalId}`, t);
      const list = this.byParent.get(parent) ?? [];
      list.push(t);
      this.byParent.set(parent, list);
    }
  }

  private get isExecution(): boolean {
    return this.executedTasks !== undefined;
  }

  /**
   * Adds a list of task definitions as nodes of one scope (the top level, or the tasks of a group), then
   * the tasks CDF ran in that scope that the list lacks. `parentExternalId` is how CDF names the group in
   * parentTaskExternalId; `parentId` the group's node id.
   */
  addScope(definitions: readonly TaskDefinitionLike[], parentId: string | undefined, parentExternalId: string | undefined): void {
    const scopeIds = new Map<string, string>();
    const added: { definition?: TaskDefinitionLike; id: string }[] = [];
    for (const d of definitions) {
      const id = nodeId(d.externalId, parentId);
      if (this.ids.has(id)) continue; // a duplicate id: the checker reports it, the graph shows the first
      scopeIds.set(d.externalId, id);
      const ran = this.executed.get(`${parentExternalId ?? ''}\u0000${d.externalId}`);
      this.addNode(id, d.externalId, parentId, d, ran);
      added.push({ definition: d, id });
    }
    if (this.isExecution && parentExternalId !== undefined) {
      for (const ran of this.byParent.get(parentExternalId) ?? []) {
        if (scopeIds.has(ran.externalId)) continue;
        const id = nodeId(ran.externalId, parentId);
        if (this.ids.has(id)) continue;
        scopeIds.set(ran.externalId, id);
        this.addNode(id, ran.externalId, parentId, definitionFromInput(ran), ran);
        added.push({ id });
      }
    }
    for (const d of definitions) {
      const to = scopeIds.get(d.externalId);
      if (to === undefined) continue;
      const seen = new Set<string>();
      for (const dep of d.dependsOn ?? []) {
        const from = scopeIds.get(dep?.externalId);
        if (from === undefined || from === to || seen.has(from)) continue;
        seen.add(from);
        this.edges.push({ from, to });
      }
    }
  }

  addOrphans(): void {
    const known = new Set(this.nodes.map((n) => n.id));
    const topIds = new Set((this.byParent.get('') ?? []).map((t) => t.externalId));
    for (const ran of this.byParent.get('') ?? []) {
      if (known.has(ran.externalId)) continue;
      this.addNode(ran.externalId, ran.externalId, undefined, definitionFromInput(ran), ran);
    }
    // Children whose parent is nowhere in the graph: shown at the top level rather than lost.
    for (const [parent, list] of this.byParent) {
      if (parent === '' || topIds.has(parent) || this.nodes.some((n) => n.externalId === parent)) continue;
      for (const ran of list) {
        const id = nodeId(ran.externalId, parent);
        if (!this.ids.has(id)) this.addNode(id, ran.externalId, undefined, definitionFromInput(ran), ran);
      }
    }
  }

  private addNode(id: string, externalId: string, parent: string | undefined, d: TaskDefinitionLike | undefined, ran: TaskExecutionLike | undefined): void {
    this.ids.add(id);
    const type = d?.type ?? ran?.taskType ?? 'unknown';
    const group = GROUP_TYPES.has(type);
    const parameters = ran && isPlainObject(ran.input) && Object.keys(ran.input).length > 0 ? ran.input : d?.parameters;
    const diagnostics = this.options.diagnostics?.get(id);
    const retriesSeen = this.options.retriesSeen?.get(id);
    const output = ran && isPlainObject(ran.output) ? ran.output : undefined;
    const node: GraphNode = {
      id,
      externalId,
      type,
      group,
      ...(parent !== undefined ? { parent } : {}),
      ...(typeof d?.name === 'string' && d.name !== '' ? { name: d.name } : {}),
      ...optional('detail', detailOf(type, parameters)),
      ...(this.isExecution ? { status: ran?.status ?? NOT_STARTED } : {}),
      ...optional('startTime', ran?.startTime ?? undefined),
      ...optional('endTime', ran?.endTime ?? undefined),
      ...optional('reason', ran?.reasonForIncompletion ?? undefined),
      ...optional('retries', typeof d?.retries === 'number' ? d.retries : undefined),
      ...optional('retriesSeen', retriesSeen ? retriesSeen : undefined),
      ...optional('timeout', typeof d?.timeout === 'number' ? d.timeout : undefined),
      ...optional('onFailure', typeof d?.onFailure === 'string' ? d.onFailure : undefined),
      ...optional('taskExecutionId', ran?.id),
      ...(ran && ran.status === 'IN_PROGRESS' && isAsync(ran, d) ? { asyncWaiting: true } : {}),
      ...(ran?.taskType === 'function' && typeof output?.['callId'] === 'number' && typeof output['functionId'] === 'number' ? { hasLogs: true } : {}),
      ...(diagnostics && diagnostics.length > 0 ? { diagnostics } : {}),
    };
    this.nodes.push(node);
    if (!group) return;
    // CDF names a group's tasks by the group's external id in parentTaskExternalId.
    this.addScope(childDefinitions(type, d, ran), id, externalId);
  }

  graph(): WorkflowGraph {
    return { nodes: this.nodes, edges: this.edges };
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Only well-formed entries: a definition being typed may hold anything. */
function taskList(value: unknown): TaskDefinitionLike[] {
  if (!Array.isArray(value)) return [];
  return value.filter((t): t is TaskDefinitionLike => isPlainObject(t) && typeof t['externalId'] === 'string' && t['externalId'] !== '').map(sanitize);
}

function sanitize(t: TaskDefinitionLike): TaskDefinitionLike {
  const dependsOn = Array.isArray(t.dependsOn) ? t.dependsOn.filter((d) => isPlainObject(d) && typeof d.externalId === 'string') : [];
  return { ...t, type: typeof t.type === 'string' ? t.type : 'unknown', dependsOn };
}

/** The tasks of a group: a dynamic task's resolved list once it ran, an inline subworkflow's list. */
function childDefinitions(type: string, d: TaskDefinitionLike | undefined, ran: TaskExecutionLike | undefined): TaskDefinitionLike[] {
  if (type === 'dynamic') {
    const fromInput = childObject(ran?.input, 'dynamic')?.['tasks'];
    if (Array.isArray(fromInput)) return taskList(fromInput);
    const fromOutput = isPlainObject(ran?.output) ? ran.output['dynamicTasks'] : undefined;
    return taskList(fromOutput);
  }
  const sub = childObject(ran?.input, 'subworkflow')?.['tasks'] ?? childObject(d?.parameters, 'subworkflow')?.['tasks'];
  return taskList(sub);
}

/** A task CDF ran that no definition at hand lists: its type and resolved parameters stand in. */
function definitionFromInput(ran: TaskExecutionLike): TaskDefinitionLike {
  return { externalId: ran.externalId, type: ran.taskType, parameters: ran.input };
}

function isAsync(ran: TaskExecutionLike, d: TaskDefinitionLike | undefined): boolean {
  if (ran.taskType !== 'function') return false;
  const flag = (p: unknown) => isPlainObject(p) && (p['isAsyncComplete'] === true || p['asyncComplete'] === true);
  return flag(ran.input) || flag(d?.parameters);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** One line on what a task runs. */
export function detailOf(type: string, parameters: unknown): string | undefined {
  switch (type) {
    case 'function':
      return text(childObject(parameters, 'function')?.['externalId']);
    case 'transformation':
      return text(childObject(parameters, 'transformation')?.['externalId']);
    case 'cdf': {
      const request = childObject(parameters, 'cdfRequest');
      const method = text(request?.['method']);
      const path = text(request?.['resourcePath']);
      return method || path ? [method, path].filter(Boolean).join(' ') : undefined;
    }
    case 'dynamic': {
      const tasks = childObject(parameters, 'dynamic')?.['tasks'];
      return typeof tasks === 'string' ? `tasks from ${tasks}` : undefined;
    }
    case 'subworkflow': {
      const sub = childObject(parameters, 'subworkflow');
      const wf = text(sub?.['workflowExternalId']);
      if (wf) return `${wf}@${text(sub?.['version']) ?? '?'}`;
      return undefined;
    }
    case 'simulation':
      return text(childObject(parameters, 'simulation')?.['routineExternalId']);
    default:
      return undefined;
  }
}
