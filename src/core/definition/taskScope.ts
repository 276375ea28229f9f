// Where a position sits among the tasks of a definition: the resource, the task list (top level or an
// inline subworkflow), the task, and which tasks are upstream of it. Completion, hover and navigation use it.
import { type DefinitionDocument, type DefinitionResource } from './document';
import { upstreamTasks } from './order';
import { type PathSegment, type SourceArray, type SourceNode, type SourceObject, child, toValue } from './source';
import { type TaskDefinitionLike, isPlainObject } from './types';

export interface ScopedTask {
  readonly externalId: string;
  readonly node: SourceObject;
  readonly index: number;
  readonly type?: string;
}

export interface TaskList {
  readonly resource: DefinitionResource;
  readonly node: SourceArray;
  /** Path of the list from the resource. */
  readonly path: readonly PathSegment[];
  readonly tasks: readonly ScopedTask[];
  /** The list around an inline subworkflow's list, and the subworkflow task in it. */
  readonly outer?: { readonly list: TaskList; readonly task: ScopedTask };
}

export interface TaskPosition {
  readonly list: TaskList;
  /** The task the path is in (undefined when the path is on the list itself). */
  readonly task?: ScopedTask;
  /** The path below the task (e.g. ['dependsOn', 0, 'externalId']). */
  readonly rest: readonly PathSegment[];
}

export function taskList(resource: DefinitionResource, node: SourceNode | undefined, path: readonly PathSegment[], outer?: TaskList['outer']): TaskList | undefined {
  if (node?.kind !== 'array') return undefined;
  const tasks: ScopedTask[] = [];
  node.items.forEach((item, index) => {
    if (item.kind !== 'object') return;
    const id = child(item, 'externalId');
    const type = child(item, 'type');
    if (id?.kind === 'scalar' && typeof id.value === 'string') {
      tasks.push({ externalId: id.value, node: item, index, ...(type?.kind === 'scalar' && typeof type.value === 'string' ? { type: type.value } : {}) });
    }
  });
  return { resource, node, path, tasks, ...(outer ? { outer } : {}) };
}

/** The task list and task a resource-relative path leads into; undefined outside a version's tasks. */
export function taskPositionOf(resource: DefinitionResource, path: readonly PathSegment[]): TaskPosition | undefined {
  if (resource.kind !== 'version' || path[0] !== 'workflowDefinition' || path[1] !== 'tasks') return undefined;
  let list = taskList(resource, child(child(resource.node, 'workflowDefinition'), 'tasks'), ['workflowDefinition', 'tasks']);
  let at = 2;
  for (;;) {
    if (!list) return undefined;
    const index = path[at];
    if (typeof index !== 'number') return { list, rest: path.slice(at) };
    const task = list.tasks.find((t) => t.index === index);
    if (!task) return { list, rest: path.slice(at) };
    const rest = path.slice(at + 1);
    if (rest[0] === 'parameters' && rest[1] === 'subworkflow' && rest[2] === 'tasks' && !list.outer) {
      const inner = child(child(child(task.node, 'parameters'), 'subworkflow'), 'tasks');
      list = taskList(resource, inner, [...list.path, index, 'parameters', 'subworkflow', 'tasks'], { list, task });
      at += 4;
      continue;
    }
    return { list, task, rest };
  }
}

/** The tasks upstream of `task` in its list (through dependsOn, transitively), and for a subworkflow's tasks also those upstream of the subworkflow task. */
export function upstreamOf(list: TaskList, task: ScopedTask | undefined): Set<string> {
  const out = new Set<string>();
  if (task) for (const id of upstreamMap(list).get(task.externalId) ?? []) out.add(id);
  if (list.outer) for (const id of upstreamOf(list.outer.list, list.outer.task)) out.add(id);
  return out;
}

/** Tasks downstream of `task` (they depend on it, transitively): depending on them would make a cycle. */
export function downstreamOf(list: TaskList, task: ScopedTask): Set<string> {
  const out = new Set<string>();
  for (const [id, upstream] of upstreamMap(list)) if (upstream.has(task.externalId)) out.add(id);
  return out;
}

function upstreamMap(list: TaskList): Map<string, ReadonlySet<string>> {
  const tasks = (toValue(list.node) as unknown[]).filter(
    (t): t is TaskDefinitionLike => isPlainObject(t) && typeof t['externalId'] === 'string',
  );
  // dependsOn entries that are not {externalId: string} are reported elsewhere; here they are skipped.
  const clean = tasks.map((t) => ({ ...t, dependsOn: Array.isArray(t.dependsOn) ? t.dependsOn.filter((d) => isPlainObject(d) && typeof d.externalId === 'string') : [] }));
  return upstreamTasks(clean);
}

/** Every task of a resource, the inline subworkflows' included, with their list. */
export function allTasks(resource: DefinitionResource): { list: TaskList; task: ScopedTask }[] {
  const out: { list: TaskList; task: ScopedTask }[] = [];
  const top = taskList(resource, child(child(resource.node, 'workflowDefinition'), 'tasks'), ['workflowDefinition', 'tasks']);
  if (!top) return out;
  for (const task of top.tasks) {
    out.push({ list: top, task });
    const inner = taskList(resource, child(child(child(task.node, 'parameters'), 'subworkflow'), 'tasks'), [...top.path, task.index, 'parameters', 'subworkflow', 'tasks'], { list: top, task });
    for (const t of inner?.tasks ?? []) out.push({ list: inner as TaskList, task: t });
  }
  return out;
}

/** A task visible from a list by id: its own tasks first, then (in a subworkflow) the outer list's. */
export function findVisibleTask(list: TaskList, id: string): { list: TaskList; task: ScopedTask } | undefined {
  const own = list.tasks.find((t) => t.externalId === id);
  if (own) return { list, task: own };
  return list.outer ? findVisibleTask(list.outer.list, id) : undefined;
}

/** The resource that holds a document path (paths from the document root), with the path below it. */
export function resourceAt(doc: DefinitionDocument, path: readonly PathSegment[]): { resource: DefinitionResource; rest: PathSegment[] } | undefined {
  for (const resource of doc.resources) {
    if (resource.path.length <= path.length && resource.path.every((s, i) => s === path[i])) return { resource, rest: path.slice(resource.path.length) };
  }
  return undefined;
}

/** A `${...}` in a string scalar, located in the document's text. */
export interface ReferenceSpan {
  /** Offset of `$`. */
  readonly start: number;
  /** Offset after `}` (or the end of the scalar when it is not closed). */
  readonly end: number;
  /** The text between the braces. */
  readonly inner: string;
  readonly innerStart: number;
}

/** The `${...}` spans written in a scalar's source text. */
export function referenceSpans(doc: DefinitionDocument, node: SourceNode): ReferenceSpan[] {
  if (node.kind !== 'scalar' || typeof node.value !== 'string' || !node.value.includes('${')) return [];
  const raw = doc.text.slice(node.start, node.end);
  const out: ReferenceSpan[] = [];
  for (let i = raw.indexOf('${'); i >= 0; i = raw.indexOf('${', i + 2)) {
    const close = raw.indexOf('}', i + 2);
    const innerEnd = close < 0 ? raw.length - (/["']$/.test(raw) && raw.length > 1 ? 1 : 0) : close;
    out.push({ start: node.start + i, end: node.start + (close < 0 ? innerEnd : close + 1), inner: raw.slice(i + 2, innerEnd), innerStart: node.start + i + 2 });
  }
  return out;
}

/** In `a.b.output.x` with tasks [`a.b`], the task id part (the longest known id followed by .output/.input). */
export function referencedTaskId(inner: string, ids: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const id of ids) {
    if ((inner === id || inner.startsWith(`${id}.`)) && (best === undefined || id.length > best.length)) best = id;
  }
  if (best !== undefined) return best;
  const m = /^(.+?)\.(output|input)(\.|$)/.exec(inner);
  return m ? m[1] : undefined;
}
