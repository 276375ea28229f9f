// Completion in definition files: keys and enum values from the generated schemas; task ids in dependsOn;
// inside `${`: workflow.input, upstream task ids, .output / .input and the output keys of each task type;
// external ids of functions, transformations, workflows and versions from the workspace and the connected
// project (the caller supplies those lists, cached).
import { type CursorContext, cursorContext } from './cursor';
import { type DefinitionDocument } from './document';
import { type YamlChunkCache } from './parseSource';
import { type JsonSchema } from './schema/generate';
import { type SchemaRef, type SchemaSet } from './schema/schemaSet';
import { type PathSegment, type SourceNode, child, nodeAtPath } from './source';
import { type TaskPosition, downstreamOf, referencedTaskId, resourceAt, taskPositionOf, upstreamOf } from './taskScope';
import { PARAMETERS_KEY, isKnownTaskType } from './types';

export type ExternalIdKind = 'function' | 'transformation' | 'workflow' | 'version';

export interface ExternalIdOption {
  readonly externalId: string;
  /** For versions: the workflow they belong to. */
  readonly workflowExternalId?: string;
  /** Where it comes from and what it is: "Toolkit functions/fn_x", "CDF project acme". */
  readonly detail?: string;
  readonly documentation?: string;
}

export interface CompletionContext {
  readonly schemas: SchemaSet;
  /** External ids known in the workspace and the connected project (cached by the caller). */
  externalIds?(kind: ExternalIdKind): Promise<readonly ExternalIdOption[]> | readonly ExternalIdOption[];
  /** Reused between calls on the same document (the YAML parse of long task lists). */
  readonly cache?: YamlChunkCache;
}

export type CompletionKind = 'key' | 'value' | 'enum' | 'task' | 'reference' | 'function' | 'transformation' | 'workflow' | 'version';

export interface CompletionEntry {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly insertText: string;
  readonly detail?: string;
  readonly documentation?: string;
  readonly filterText?: string;
  readonly sortText?: string;
  readonly preselect?: boolean;
  /** Offsets the entry replaces. */
  readonly start: number;
  readonly end: number;
  /** Text to put after the cursor once the entry is inserted: `}` for a reference typed without one. */
  readonly closeAfter?: string;
}

/** Output keys of each task type (REFERENCE §2.5), offered after `${task.output.`. */
const OUTPUT_KEYS: Readonly<Record<string, readonly [string, string][]>> = {
  function: [['response', 'What the function returned'], ['callId', 'The function call id'], ['functionId', 'The function id']],
  transformation: [['jobId', 'The transformation job id']],
  cdf: [['statusCode', 'HTTP status of the request'], ['response', 'The response body (an object for JSON replies)']],
  dynamic: [['dynamicTasks', 'The tasks the dynamic task ran']],
  simulation: [['runId', 'The simulation run id'], ['logId', 'The simulation log id'], ['statusMessage', 'The run\'s status message']],
};

export async function completeAt(doc: DefinitionDocument, offset: number, context: CompletionContext): Promise<CompletionEntry[]> {
  const cursor = cursorContext(doc, offset, context.cache);
  if (!cursor) return [];
  if (cursor.reference) {
    // A `${` with no `}` after the cursor on its line (not closed by the editor): the entry closes it.
    const lineEnd = doc.text.indexOf('\n', offset);
    const closed = doc.text.slice(offset, lineEnd < 0 ? undefined : lineEnd).includes('}');
    const entries = referenceCompletions(doc, cursor, offset);
    return closed ? entries : entries.map((e) => ({ ...e, closeAfter: '}' }));
  }
  const at = resourceAt(doc, cursor.path);
  if (!at) return [];
  const resourceSchema = context.schemas.resource(doc.shape, at.resource.kind);
  const root = cursor.root ? nodeAtPath(cursor.root, at.resource.path) : at.resource.node;
  if (!root) return [];
  if (cursor.mode === 'key') return keyCompletions(context.schemas, resourceSchema, root, at.rest, cursor);
  return valueCompletions(doc, context, resourceSchema, root, at.resource.kind, at.rest, cursor);
}

// -------------------------------------------------------------------------------------------- keys

function keyCompletions(set: SchemaSet, resource: SchemaRef, root: SourceNode, path: readonly PathSegment[], cursor: CursorContext): CompletionEntry[] {
  const object = nodeAtPath(root, path);
  const ref = set.at(resource, root, path);
  if (!ref) return [];
  const present = new Set(object?.kind === 'object' ? object.properties.map((p) => p.key).filter((k) => !k.endsWith('zzcdfzz')) : []);
  const out: CompletionEntry[] = [];
  let order = 0;
  for (const branch of set.branches(ref)) {
    for (const [key, schema] of set.properties({ doc: ref.doc, schema: branch }, object)) {
      if (present.has(key) || out.some((e) => e.label === key)) continue;
      const resolved = set.deref(ref.doc, schema);
      const required = ((branch['required'] as string[] | undefined) ?? []).includes(key);
      out.push({
        label: key,
        kind: 'key',
        insertText: cursor.json ? `"${key}": ` : `${key}: `,
        filterText: cursor.json ? `"${key}"` : key,
        detail: `${required ? 'required · ' : ''}${typeSummary(set, ref.doc, schema)}`,
        ...(description(resolved, schema) ? { documentation: description(resolved, schema) } : {}),
        sortText: `${required ? '0' : '1'}${String(order++).padStart(3, '0')}`,
        start: cursor.replace.start,
        end: cursor.replace.end,
      });
    }
  }
  return out;
}

function description(resolved: JsonSchema, raw: JsonSchema): string | undefined {
  const d = raw['description'] ?? resolved['description'];
  return typeof d === 'string' ? d : undefined;
}

/** "string", "number 0–10", "one of a, b", "object"... */
export function typeSummary(set: SchemaSet, doc: JsonSchema, schema: JsonSchema): string {
  const parts: string[] = [];
  for (const branch of set.branches({ doc, schema })) {
    if (set.refName(branch) === 'Reference' || branch['pattern'] === '^\\$\\{[^{}]*\\}$') {
      parts.push('reference ${...}');
      continue;
    }
    const type = branch['type'];
    const types = (Array.isArray(type) ? type : type === undefined ? [] : [type]).filter((t) => t !== 'null') as string[];
    let text = Array.isArray(branch['enum']) ? `one of ${scalars(branch['enum']).join(', ')}` : types.join(' or ') || 'any value';
    const min = branch['minimum'];
    const max = branch['maximum'];
    if (typeof min === 'number' && typeof max === 'number') text += ` ${min}–${max}`;
    else if (typeof min === 'number') text += ` ≥ ${min}`;
    else if (typeof max === 'number') text += ` ≤ ${max}`;
    if (typeof branch['maxLength'] === 'number') text += ` (≤ ${branch['maxLength']} characters)`;
    parts.push(text);
  }
  return [...new Set(parts)].join(' | ');
}

// ------------------------------------------------------------------------------------------ values

async function valueCompletions(
  doc: DefinitionDocument,
  context: CompletionContext,
  resource: SchemaRef,
  root: SourceNode,
  kind: string,
  path: readonly PathSegment[],
  cursor: CursorContext,
): Promise<CompletionEntry[]> {
  const set = context.schemas;
  const replace = cursor.replace;
  const entry = (label: string, k: CompletionKind, extra: Partial<CompletionEntry> = {}): CompletionEntry => ({
    label,
    kind: k,
    insertText: cursor.json ? JSON.stringify(label) : yamlScalar(label),
    filterText: cursor.json ? JSON.stringify(label) : label,
    start: replace.start,
    end: replace.end,
    ...extra,
  });

  // Task ids in dependsOn.
  const atResource = resourceAt(doc, cursor.path);
  const position = atResource ? taskPositionOf({ ...atResource.resource, node: root.kind === 'object' ? root : atResource.resource.node }, path) : undefined;
  if (position?.task && position.rest[0] === 'dependsOn') {
    const dependsEntry = position.rest.length === 3 && position.rest[2] === 'externalId';
    const newItem = position.rest.length === 2 && cursor.listItem === true;
    if (dependsEntry || newItem) return dependencyCompletions(position, cursor, entry, newItem);
  }

  // External ids.
  const last = path.slice(-3);
  const external = (k: ExternalIdKind): Promise<readonly ExternalIdOption[]> => Promise.resolve(context.externalIds?.(k) ?? []);
  if (last[0] === 'parameters' && last[1] === 'function' && last[2] === 'externalId') return (await external('function')).map((o) => entry(o.externalId, 'function', describeOption(o)));
  if (last[0] === 'parameters' && last[1] === 'transformation' && last[2] === 'externalId') return (await external('transformation')).map((o) => entry(o.externalId, 'transformation', describeOption(o)));
  const versionRef = (last[0] === 'parameters' && last[1] === 'subworkflow') || kind === 'trigger' ? path[path.length - 1] : undefined;
  if (versionRef === 'workflowExternalId' && (last[1] === 'subworkflow' || path.length === 1)) {
    const versions = await external('version');
    const names = [...new Set(versions.map((v) => v.workflowExternalId ?? v.externalId))];
    const workflows = (await external('workflow')).map((w) => w.externalId);
    return [...new Set([...names, ...workflows])].sort().map((id) => entry(id, 'workflow', { detail: `${versions.filter((v) => v.workflowExternalId === id).length} version(s) known` }));
  }
  if ((versionRef === 'version' && last[1] === 'subworkflow') || (kind === 'trigger' && path.length === 1 && path[0] === 'workflowVersion')) {
    const parent = nodeAtPath(root, path.slice(0, -1));
    const wf = child(parent, 'workflowExternalId');
    const workflow = wf?.kind === 'scalar' && typeof wf.value === 'string' ? wf.value : undefined;
    return (await external('version'))
      .filter((v) => workflow === undefined || v.workflowExternalId === workflow)
      .map((v) => entry(v.externalId, 'version', { detail: `${v.workflowExternalId ?? ''}${v.detail ? ` · ${v.detail}` : ''}`, insertText: cursor.json ? JSON.stringify(v.externalId) : `'${v.externalId}'` }));
  }
  if (kind === 'version' && path.length === 1 && path[0] === 'workflowExternalId') {
    return (await external('workflow')).map((o) => entry(o.externalId, 'workflow', describeOption(o)));
  }

  // Enum values and booleans from the schema.
  const ref = set.at(resource, root, path);
  if (!ref) return [];
  const out: CompletionEntry[] = [];
  const seen = new Set<string>();
  for (const branch of set.branches(ref)) {
    const values: (string | number | boolean)[] = Array.isArray(branch['enum']) ? scalars(branch['enum']) : branch['type'] === 'boolean' || (Array.isArray(branch['type']) && branch['type'].includes('boolean')) ? [true, false] : [];
    for (const v of values) {
      if (seen.has(String(v))) continue;
      seen.add(String(v));
      const isTaskType = path[path.length - 1] === 'type' && typeof v === 'string';
      out.push(
        entry(String(v), 'enum', {
          insertText: typeof v === 'string' ? (cursor.json ? JSON.stringify(v) : yamlScalar(v)) : String(v),
          filterText: typeof v === 'string' && cursor.json ? JSON.stringify(v) : String(v),
          // The schema's order (function first), not the alphabet's.
          sortText: String(out.length).padStart(3, '0'),
          ...(isTaskType ? taskTypeInfo(ref.doc, v) : {}),
          ...(branch['default'] === v ? { detail: 'default', preselect: true } : {}),
        }),
      );
    }
  }
  return out;
}

/** The string, number and boolean values of an enum (null left out). */
function scalars(values: unknown[]): (string | number | boolean)[] {
  return values.filter((v): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean');
}

function describeOption(o: ExternalIdOption): Partial<CompletionEntry> {
  return { ...(o.detail ? { detail: o.detail } : {}), ...(o.documentation ? { documentation: o.documentation } : {}) };
}

function taskTypeInfo(doc: JsonSchema, type: string): Partial<CompletionEntry> {
  const key = isKnownTaskType(type) ? PARAMETERS_KEY[type] : type;
  const definitions = doc['definitions'] as Record<string, JsonSchema> | undefined;
  const params = Object.values(definitions ?? {}).find((d) => Object.keys((d['properties'] as Record<string, unknown> | undefined) ?? {}).includes(key) && d['required'] !== undefined);
  const text = params?.['description'];
  return { detail: `parameters.${key}`, ...(typeof text === 'string' ? { documentation: text } : {}) };
}

function dependencyCompletions(
  position: TaskPosition,
  cursor: CursorContext,
  entry: (label: string, k: CompletionKind, extra?: Partial<CompletionEntry>) => CompletionEntry,
  newItem: boolean,
): CompletionEntry[] {
  const task = position.task;
  if (!task) return [];
  const deps = child(task.node, 'dependsOn');
  // Ids listed in the other entries (the entry being edited may keep or change its own).
  const editing = position.rest[1];
  const listed = new Set(
    deps?.kind === 'array'
      ? deps.items.flatMap((d, i) => {
          const x = child(d, 'externalId');
          return i !== editing && x?.kind === 'scalar' && typeof x.value === 'string' ? [x.value] : [];
        })
      : [],
  );
  // Depending on a task downstream would make a cycle: those are left out.
  const downstream = downstreamOf(position.list, task);
  return position.list.tasks
    .filter((t) => t.externalId !== task.externalId && !downstream.has(t.externalId) && !listed.has(t.externalId))
    .map((t, i) => {
      const detail = [t.type, textOf(child(t.node, 'name'))].filter(Boolean).join(' · ');
      const value = cursor.json ? JSON.stringify(t.externalId) : yamlScalar(t.externalId);
      return entry(t.externalId, 'task', {
        ...(detail ? { detail } : {}),
        ...(newItem ? { insertText: `externalId: ${value}`, filterText: t.externalId } : {}),
        sortText: String(i).padStart(4, '0'),
      });
    });
}

function textOf(node: SourceNode | undefined): string | undefined {
  return node?.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
}

/** A plain YAML scalar when it reads back as the same string, else a quoted one. */
function yamlScalar(value: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.\-/]*$/.test(value) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(value) ? value : JSON.stringify(value);
}

// -------------------------------------------------------------------------------------- references

function referenceCompletions(doc: DefinitionDocument, cursor: CursorContext, offset: number): CompletionEntry[] {
  const reference = cursor.reference;
  if (!reference) return [];
  const at = resourceAt(doc, cursor.path);
  const root = cursor.root && at ? nodeAtPath(cursor.root, at.resource.path) : undefined;
  const position = at && root?.kind === 'object' ? taskPositionOf({ ...at.resource, node: root }, at.rest) : undefined;
  const typed = reference.typed;
  const dot = typed.lastIndexOf('.');
  const segmentStart = reference.start + 2 + dot + 1;
  const make = (label: string, insertText: string, kind: CompletionKind, detail?: string, documentation?: string): CompletionEntry => ({
    label,
    kind,
    insertText,
    filterText: insertText,
    start: segmentStart,
    end: offset,
    ...(detail ? { detail } : {}),
    ...(documentation ? { documentation } : {}),
  });
  const list = position?.list;
  const visible = list ? [...list.tasks, ...(list.outer?.list.tasks ?? [])] : [];
  const taskId = referencedTaskId(typed, visible.map((t) => t.externalId));

  if (typed.startsWith('workflow.input.')) {
    const keys = inputKeys(doc);
    const parent = typed.slice('workflow.input.'.length, dot + 1 > 'workflow.input.'.length ? dot : 'workflow.input.'.length - 1);
    return keys
      .filter((k) => (parent ? k.startsWith(`${parent}.`) : true))
      .map((k) => (parent ? k.slice(parent.length + 1) : k).split('.')[0])
      .filter((k, i, all) => k !== '' && all.indexOf(k) === i)
      .map((k) => make(k, k, 'reference', 'workflow input key, read by another task'));
  }
  if (taskId !== undefined && typed.startsWith(`${taskId}.`)) {
    const rest = typed.slice(taskId.length + 1);
    const target = visible.find((t) => t.externalId === taskId);
    if (!rest.includes('.')) {
      return [
        make('output', 'output', 'reference', `the output of ${taskId}`, outputDoc(target?.type)),
        make('input', 'input', 'reference', `the resolved input of ${taskId}`),
      ];
    }
    if (rest.startsWith('output.') && rest.indexOf('.', 'output.'.length) < 0) {
      return (OUTPUT_KEYS[target?.type ?? ''] ?? []).map(([k, d]) => make(k, k, 'reference', d));
    }
    if (rest.startsWith('input.') && rest.indexOf('.', 'input.'.length) < 0) {
      const params = child(target?.node, 'parameters');
      return params?.kind === 'object' ? params.properties.map((p) => make(p.key, p.key, 'reference', 'a parameter of the task')) : [];
    }
    return [];
  }
  if (dot < 0 || typed === 'workflow.' || 'workflow.'.startsWith(typed)) {
    if (typed.startsWith('workflow')) {
      return [make('workflow.input', dot < 0 ? 'workflow.input.' : 'input.', 'reference', 'the execution input', 'The input the execution was started with: `${workflow.input.key}`.')].map((e) =>
        dot < 0 ? { ...e, start: reference.start + 2 } : e,
      );
    }
    const upstream = list ? upstreamOf(list, position?.task) : new Set<string>();
    const out: CompletionEntry[] = [{ ...make('workflow.input', 'workflow.input.', 'reference', 'the execution input'), start: reference.start + 2, sortText: '1' }];
    for (const t of visible) {
      if (!upstream.has(t.externalId)) continue;
      out.push({ ...make(t.externalId, `${t.externalId}.output`, 'task', `${t.type ?? 'task'} · upstream`, outputDoc(t.type)), start: reference.start + 2, sortText: `0${t.externalId}` });
    }
    return out;
  }
  return [];
}

function outputDoc(type: string | undefined): string | undefined {
  const keys = OUTPUT_KEYS[type ?? ''];
  return keys ? `A ${type} task's output has ${keys.map(([k]) => `\`${k}\``).join(', ')}.` : undefined;
}

/** The workflow input keys the document's references read (`a.b` for ${workflow.input.a.b}). */
function inputKeys(doc: DefinitionDocument): string[] {
  const keys = new Set<string>();
  for (const m of doc.text.matchAll(/\$\{workflow\.input\.([A-Za-z0-9_.-]+)\}/g)) if (m[1]) keys.add(m[1]);
  return [...keys].sort();
}
