// The outline of a definition document (resources and their tasks), go to definition, and the references
// of a task id. Ranges are offsets in the document's text; the editor turns them into positions.
import { type DefinitionDocument, type DefinitionKind, type DefinitionResource, resourceIdentity } from './document';
import { type PathSegment, type SourceNode, child, locate, property } from './source';
import { type ScopedTask, type TaskList, allTasks, findVisibleTask, referenceSpans, referencedTaskId, resourceAt, taskPositionOf } from './taskScope';

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface DefinitionSymbol {
  readonly name: string;
  readonly detail: string;
  readonly kind: DefinitionKind | 'task' | 'triggerRule';
  /** The whole resource or task. */
  readonly range: Span;
  /** What to select: the external id. */
  readonly selectionRange: Span;
  readonly children: readonly DefinitionSymbol[];
  /** For tasks: the task's external id (the graph view matches diagnostics to nodes with it). */
  readonly taskExternalId?: string;
}

export function documentSymbols(doc: DefinitionDocument): DefinitionSymbol[] {
  return doc.resources.map(resourceSymbol);
}

function idSpan(node: SourceNode, key: string): Span {
  const p = property(node, key);
  if (p?.value && p.value.kind === 'scalar') return { start: p.value.start, end: p.value.end };
  if (p) return { start: p.keyStart, end: p.keyEnd };
  return { start: node.start, end: node.start };
}

function resourceSymbol(r: DefinitionResource): DefinitionSymbol {
  const id = resourceIdentity(r);
  const externalId = id && id.kind !== 'version' ? id.externalId : undefined;
  const range = { start: r.node.start, end: r.node.end };
  if (r.kind === 'version') {
    const tasks = child(child(r.node, 'workflowDefinition'), 'tasks');
    const list = tasks?.kind === 'array' ? tasks : undefined;
    return {
      name: id?.kind === 'version' ? `${id.workflowExternalId}@${id.version}` : '(workflow version)',
      detail: `workflow version · ${list?.items.length ?? 0} task${list?.items.length === 1 ? '' : 's'}`,
      kind: 'version',
      range,
      selectionRange: idSpan(r.node, 'version'),
      children: list ? taskSymbols(list.items) : [],
    };
  }
  if (r.kind === 'trigger') {
    const rule = child(r.node, 'triggerRule');
    const type = child(rule, 'triggerType');
    const cron = child(rule, 'cronExpression');
    const typeText = type?.kind === 'scalar' && typeof type.value === 'string' ? type.value : 'trigger';
    return {
      name: externalId ?? '(trigger)',
      detail: `trigger · ${typeText}${cron?.kind === 'scalar' && typeof cron.value === 'string' ? ` ${cron.value}` : ''}`,
      kind: 'trigger',
      range,
      selectionRange: idSpan(r.node, 'externalId'),
      children: [],
    };
  }
  return { name: externalId ?? '(workflow)', detail: 'workflow', kind: 'workflow', range, selectionRange: idSpan(r.node, 'externalId'), children: [] };
}

function taskSymbols(items: readonly SourceNode[]): DefinitionSymbol[] {
  const out: DefinitionSymbol[] = [];
  for (const item of items) {
    if (item.kind !== 'object') continue;
    const id = child(item, 'externalId');
    const type = child(item, 'type');
    const name = child(item, 'name');
    const externalId = id?.kind === 'scalar' && id.value !== null ? String(id.value) : undefined;
    const inner = child(child(child(item, 'parameters'), 'subworkflow'), 'tasks');
    out.push({
      name: externalId ?? '(task without externalId)',
      detail: [type?.kind === 'scalar' ? String(type.value) : undefined, name?.kind === 'scalar' && typeof name.value === 'string' ? name.value : undefined].filter(Boolean).join(' · '),
      kind: 'task',
      range: { start: item.start, end: item.end },
      selectionRange: idSpan(item, 'externalId'),
      children: inner?.kind === 'array' ? taskSymbols(inner.items) : [],
      ...(externalId !== undefined ? { taskExternalId: externalId } : {}),
    });
  }
  return out;
}

/** What a position points at, for go to definition. */
export type DefinitionTarget =
  /** A task in this document. */
  | { readonly kind: 'task'; readonly taskExternalId: string; readonly range: Span; readonly selectionRange: Span }
  /** A Cognite Function: the Toolkit's function folder or its *.Function.yaml. */
  | { readonly kind: 'function'; readonly externalId: string }
  /** A transformation: its *.Transformation.yaml. */
  | { readonly kind: 'transformation'; readonly externalId: string }
  /** A workflow version: its file in the workspace. */
  | { readonly kind: 'version'; readonly workflowExternalId: string; readonly version: string }
  /** A workflow: its *.Workflow.yaml. */
  | { readonly kind: 'workflow'; readonly externalId: string };

/** The task id under the cursor: on a task's externalId, a dependsOn entry, or the task part of a `${...}`. */
export function taskIdAt(doc: DefinitionDocument, offset: number): { list: TaskList; id: string; span: Span } | undefined {
  const loc = locate(doc.root, offset);
  if (!loc || loc.onKey || loc.node.kind !== 'scalar') return undefined;
  const at = resourceAt(doc, loc.path);
  const pos = at && taskPositionOf(at.resource, at.rest);
  if (!pos?.task) return undefined;
  const { rest } = pos;
  const value = loc.node.value;
  if (rest.length === 1 && rest[0] === 'externalId' && typeof value === 'string') return { list: pos.list, id: value, span: { start: loc.node.start, end: loc.node.end } };
  if (rest[0] === 'dependsOn' && typeof rest[1] === 'number' && rest[2] === 'externalId' && typeof value === 'string') {
    return { list: pos.list, id: value, span: { start: loc.node.start, end: loc.node.end } };
  }
  if (rest[0] === 'parameters') {
    const ids = [...pos.list.tasks.map((t) => t.externalId), ...(pos.list.outer?.list.tasks.map((t) => t.externalId) ?? [])];
    for (const span of referenceSpans(doc, loc.node)) {
      const id = referencedTaskId(span.inner, ids);
      if (id === undefined || id === 'workflow') continue;
      const idStart = span.innerStart;
      if (offset >= idStart && offset <= idStart + id.length) return { list: pos.list, id, span: { start: idStart, end: idStart + id.length } };
    }
  }
  return undefined;
}

export function definitionAt(doc: DefinitionDocument, offset: number): DefinitionTarget | undefined {
  const task = taskIdAt(doc, offset);
  if (task) {
    const found = findVisibleTask(task.list, task.id);
    if (!found) return undefined;
    return { kind: 'task', taskExternalId: task.id, range: { start: found.task.node.start, end: found.task.node.end }, selectionRange: idSpan(found.task.node, 'externalId') };
  }
  const loc = locate(doc.root, offset);
  if (!loc || loc.onKey || loc.node.kind !== 'scalar' || typeof loc.node.value !== 'string' || loc.node.value.includes('${')) return undefined;
  const at = resourceAt(doc, loc.path);
  if (!at) return undefined;
  const value = loc.node.value;
  const rest = at.rest;
  const last = rest.slice(-3);
  if (last[0] === 'parameters' && last[1] === 'function' && last[2] === 'externalId') return { kind: 'function', externalId: value };
  if (last[0] === 'parameters' && last[1] === 'transformation' && last[2] === 'externalId') return { kind: 'transformation', externalId: value };
  if (last[0] === 'parameters' && last[1] === 'subworkflow' && (last[2] === 'workflowExternalId' || last[2] === 'version')) {
    const sub = parentObject(at.resource, rest);
    const wf = child(sub, 'workflowExternalId');
    const version = child(sub, 'version');
    if (wf?.kind === 'scalar' && version?.kind === 'scalar' && typeof wf.value === 'string' && version.value !== null) {
      return { kind: 'version', workflowExternalId: wf.value, version: String(version.value) };
    }
  }
  if (at.resource.kind === 'trigger' && rest.length === 1 && (rest[0] === 'workflowExternalId' || rest[0] === 'workflowVersion')) {
    const wf = child(at.resource.node, 'workflowExternalId');
    const version = child(at.resource.node, 'workflowVersion');
    if (rest[0] === 'workflowVersion' && wf?.kind === 'scalar' && typeof wf.value === 'string' && version?.kind === 'scalar' && version.value !== null) {
      return { kind: 'version', workflowExternalId: wf.value, version: String(version.value) };
    }
    if (rest[0] === 'workflowExternalId') return { kind: 'workflow', externalId: value };
  }
  if (at.resource.kind === 'version' && rest.length === 1 && rest[0] === 'workflowExternalId') return { kind: 'workflow', externalId: value };
  return undefined;
}

function parentObject(resource: DefinitionResource, path: readonly PathSegment[]): SourceNode | undefined {
  let node: SourceNode | undefined = resource.node;
  for (const s of path.slice(0, -1)) node = typeof s === 'number' ? (node?.kind === 'array' ? node.items[s] : undefined) : child(node, s);
  return node;
}

/**
 * Every place a task id is used in its definition: the task's own externalId (with `includeDeclaration`),
 * dependsOn entries, and the task part of references.
 */
export function taskReferences(doc: DefinitionDocument, offset: number, includeDeclaration: boolean): Span[] {
  const at = taskIdAt(doc, offset);
  if (!at) return [];
  const target = findVisibleTask(at.list, at.id);
  if (!target) return [];
  const out: Span[] = [];
  if (includeDeclaration) out.push(idSpan(target.task.node, 'externalId'));
  const same = (a: TaskList | undefined, b: TaskList): boolean => a !== undefined && a.path.join('/') === b.path.join('/');
  for (const { list, task } of allTasks(target.list.resource)) {
    // A task of the outer list is visible from its subworkflows; a subworkflow's task only within it.
    const sees = same(list, target.list) || (same(list.outer?.list, target.list) && !list.tasks.some((t) => t.externalId === at.id));
    if (!sees) continue;
    if (same(list, target.list)) out.push(...dependencySpans(task, at.id));
    out.push(...referenceSpansTo(doc, task, list, at.id));
  }
  return out.sort((a, b) => a.start - b.start);
}

function dependencySpans(task: ScopedTask, id: string): Span[] {
  const deps = child(task.node, 'dependsOn');
  if (deps?.kind !== 'array') return [];
  return deps.items.flatMap((d) => {
    const x = child(d, 'externalId');
    return x?.kind === 'scalar' && x.value === id ? [{ start: x.start, end: x.end }] : [];
  });
}

function referenceSpansTo(doc: DefinitionDocument, task: ScopedTask, list: TaskList, id: string): Span[] {
  const out: Span[] = [];
  const ids = [...list.tasks.map((t) => t.externalId), ...(list.outer?.list.tasks.map((t) => t.externalId) ?? [])];
  const inline = child(child(child(task.node, 'parameters'), 'subworkflow'), 'tasks');
  const visit = (node: SourceNode | undefined): void => {
    if (!node || node === inline) return;
    if (node.kind === 'scalar') {
      for (const span of referenceSpans(doc, node)) {
        if (referencedTaskId(span.inner, ids) === id) out.push({ start: span.innerStart, end: span.innerStart + id.length });
      }
    } else if (node.kind === 'array') node.items.forEach(visit);
    else for (const p of node.properties) visit(p.value);
  };
  visit(child(task.node, 'parameters'));
  return out;
}
