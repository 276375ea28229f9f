// The graph of a definition file: the first workflow version it holds (Toolkit YAML or API JSON, parsed
// with source ranges by core/definition), with where each task sits in the text, so findings can be
// marked on their task's node and a node can be revealed in the file.
import { type DefinitionDocument, resourceIdentity } from '../definition/document';
import { child, type SourceNode } from '../definition/source';
import { type TaskDefinitionLike, type WorkflowDefinitionLike, isPlainObject } from '../definition/types';
import { type GraphDiagnostic, nodeId } from './model';

export interface TaskRange {
  readonly nodeId: string;
  /** The task's object in the text. */
  readonly start: number;
  readonly end: number;
  /** Its externalId value (what a reveal selects); the task's start when it has none. */
  readonly idStart: number;
  readonly idEnd: number;
}

export interface DocumentGraphSource {
  /** `workflow@version` when the file names them. */
  readonly title?: string;
  readonly description?: string;
  readonly definition: WorkflowDefinitionLike;
  readonly tasks: readonly TaskRange[];
  /** How many versions the file holds (the view shows the first). */
  readonly versions: number;
}

/** Undefined when the file holds no workflow version. */
export function graphSourceOf(doc: DefinitionDocument): DocumentGraphSource | undefined {
  const versions = doc.resources.filter((r) => r.kind === 'version');
  const first = versions[0];
  if (!first) return undefined;
  const definitionNode = child(first.node, 'workflowDefinition');
  const value = first.value['workflowDefinition'];
  const definition: WorkflowDefinitionLike = isPlainObject(value) && Array.isArray(value['tasks']) ? (value as unknown as WorkflowDefinitionLike) : { tasks: [] };
  const tasks: TaskRange[] = [];
  collect(child(definitionNode, 'tasks'), undefined, tasks);
  const identity = resourceIdentity(first);
  return {
    ...(identity?.kind === 'version' ? { title: `${identity.workflowExternalId}@${identity.version}` } : {}),
    ...(typeof definition.description === 'string' && definition.description ? { description: definition.description } : {}),
    definition,
    tasks,
    versions: versions.length,
  };
}

function collect(list: SourceNode | undefined, parent: string | undefined, out: TaskRange[]): void {
  if (list?.kind !== 'array') return;
  const seen = new Set<string>();
  for (const item of list.items) {
    if (item.kind !== 'object') continue;
    const idNode = child(item, 'externalId');
    if (idNode?.kind !== 'scalar' || typeof idNode.value !== 'string' || idNode.value === '' || seen.has(idNode.value)) continue;
    seen.add(idNode.value);
    const id = nodeId(idNode.value, parent);
    out.push({ nodeId: id, start: item.start, end: item.end, idStart: idNode.start, idEnd: idNode.end });
    // Inline subworkflows: their tasks are nodes of the group.
    collect(child(child(child(item, 'parameters'), 'subworkflow'), 'tasks'), id, out);
  }
}

export interface Finding {
  /** Offset where the finding starts. */
  readonly offset: number;
  readonly severity: GraphDiagnostic['severity'];
  readonly message: string;
}

/** Each finding on the innermost task whose text holds it; findings outside every task are left out. */
export function findingsByTask(tasks: readonly TaskRange[], findings: readonly Finding[]): Map<string, GraphDiagnostic[]> {
  const out = new Map<string, GraphDiagnostic[]>();
  for (const f of findings) {
    let best: TaskRange | undefined;
    for (const t of tasks) if (f.offset >= t.start && f.offset < t.end && (!best || t.end - t.start < best.end - best.start)) best = t;
    if (!best) continue;
    const list = out.get(best.nodeId) ?? [];
    list.push({ severity: f.severity, message: f.message });
    out.set(best.nodeId, list);
  }
  return out;
}

/** A task's definition in the file, for the task panel. */
export function taskDefinitionAt(source: DocumentGraphSource, id: string): TaskDefinitionLike | undefined {
  const find = (tasks: readonly TaskDefinitionLike[], parent: string | undefined): TaskDefinitionLike | undefined => {
    for (const t of tasks) {
      if (!isPlainObject(t) || typeof t.externalId !== 'string') continue;
      const here = nodeId(t.externalId, parent);
      if (here === id) return t;
      const inner = (t.parameters as { subworkflow?: { tasks?: unknown } } | undefined)?.subworkflow?.tasks;
      if (Array.isArray(inner) && id.startsWith(`${here}`)) {
        const found = find(inner as TaskDefinitionLike[], here);
        if (found) return found;
      }
    }
    return undefined;
  };
  return find(source.definition.tasks, undefined);
}
