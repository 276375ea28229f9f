// Workflow references (REFERENCE §2.3): `${workflow.input.a.b}`, `${<task>.output.x}`, `${<task>.input.x}`,
// used as a whole string value anywhere inside a task's parameters.
import { type TaskDefinitionLike, isPlainObject } from './types';

export type Reference =
  /** `${workflow.input}` (path []) or `${workflow.input.a.b}` (path ['a', 'b']). */
  | { readonly kind: 'workflowInput'; readonly path: readonly string[] }
  /** `${workflow.metadata...}`: no source documents it (REFERENCE §2.3), so it is flagged, not resolved. */
  | { readonly kind: 'workflowMetadata'; readonly path: readonly string[] }
  | { readonly kind: 'task'; readonly taskExternalId: string; readonly part: 'output' | 'input'; readonly path: readonly string[] }
  | { readonly kind: 'unrecognized'; readonly text: string };

export interface FoundReference {
  readonly reference: Reference;
  /** The string as written, e.g. `${workflow.input.runDate}`. */
  readonly raw: string;
  /** Where it sits, e.g. `tasks[2].parameters.function.data.runDate`. */
  readonly path: string;
}

export interface EmbeddedReference {
  readonly raw: string;
  readonly path: string;
}

const WHOLE = /^\$\{([^{}]*)\}$/;
const EMBEDDED = /\$\{[^{}]*\}/;
const TASK_PART = /^(.+?)\.(output|input)(?:\.(.*))?$/;

/**
 * Parses a whole-string reference; undefined when the value is not one. Task ids may contain dots, so
 * when `taskIds` is given the longest id that fits wins (`${a.b.output}` is task `a.b` if it exists).
 */
export function parseReference(value: string, taskIds?: ReadonlySet<string>): Reference | undefined {
  const match = WHOLE.exec(value);
  if (!match) return undefined;
  const inner = match[1] ?? '';
  if (inner === 'workflow.input' || inner.startsWith('workflow.input.')) {
    return { kind: 'workflowInput', path: splitPath(inner.slice('workflow.input'.length)) };
  }
  if (inner === 'workflow.metadata' || inner.startsWith('workflow.metadata.')) {
    return { kind: 'workflowMetadata', path: splitPath(inner.slice('workflow.metadata'.length)) };
  }
  if (inner.startsWith('workflow.') || inner === 'workflow') return { kind: 'unrecognized', text: inner };
  const known = taskIds ? matchKnownTask(inner, taskIds) : undefined;
  if (known) return known;
  const parts = TASK_PART.exec(inner);
  if (!parts) return { kind: 'unrecognized', text: inner };
  return {
    kind: 'task',
    taskExternalId: parts[1] ?? '',
    part: parts[2] === 'input' ? 'input' : 'output',
    path: splitPath(parts[3] === undefined ? '' : `.${parts[3]}`),
  };
}

function matchKnownTask(inner: string, taskIds: ReadonlySet<string>): Reference | undefined {
  // Each prefix ending before a dot may be a task id: look those up rather than scan every id.
  let best: Reference | undefined;
  for (let dot = inner.indexOf('.'); dot >= 0; dot = inner.indexOf('.', dot + 1)) {
    const id = inner.slice(0, dot);
    if (!taskIds.has(id)) continue;
    const part = /^(output|input)(\..*)?$/.exec(inner.slice(dot + 1));
    if (part) best = { kind: 'task', taskExternalId: id, part: part[1] === 'input' ? 'input' : 'output', path: splitPath(part[2] ?? '') };
  }
  return best;
}

/** '.a.b' -> ['a', 'b']; '' -> []. */
function splitPath(dotted: string): string[] {
  return dotted === '' ? [] : dotted.slice(1).split('.');
}

/**
 * Every reference in a task's parameters, nested objects and arrays included. An inline subworkflow's own
 * tasks are not walked here: they are tasks of their own (see `inlineSubworkflowTasks`).
 */
export function taskParameterReferences(
  task: TaskDefinitionLike,
  taskPath: string,
  taskIds?: ReadonlySet<string>,
): { whole: FoundReference[]; embedded: EmbeddedReference[]; malformed: EmbeddedReference[] } {
  const whole: FoundReference[] = [];
  const embedded: EmbeddedReference[] = [];
  const malformed: EmbeddedReference[] = [];
  const skip = task.type === 'subworkflow' ? inlineTasksOf(task.parameters) : undefined;
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      const reference = parseReference(value, taskIds);
      if (reference) whole.push({ reference, raw: value, path });
      else if (EMBEDDED.test(value)) embedded.push({ raw: value, path });
      else if (value.includes('${')) malformed.push({ raw: value, path });
    } else if (Array.isArray(value)) {
      if (value === skip) return;
      value.forEach((item, i) => walk(item, `${path}[${i}]`));
    } else if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) walk(item, appendPath(path, key));
    }
  };
  walk(task.parameters, appendPath(taskPath, 'parameters'));
  return { whole, embedded, malformed };
}

function inlineTasksOf(parameters: unknown): unknown {
  if (!isPlainObject(parameters)) return undefined;
  const sub = parameters['subworkflow'];
  return isPlainObject(sub) && Array.isArray(sub['tasks']) ? sub['tasks'] : undefined;
}

/** `a.b` + `c` -> `a.b.c`; keys that are not identifiers are quoted: `a["x-y"]`. */
export function appendPath(base: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return base === '' ? key : `${base}.${key}`;
  return `${base}[${JSON.stringify(key)}]`;
}

/** Renders a reference back to its text, e.g. for messages. */
export function formatReference(reference: Reference): string {
  switch (reference.kind) {
    case 'workflowInput':
      return `\${${['workflow.input', ...reference.path].join('.')}}`;
    case 'workflowMetadata':
      return `\${${['workflow.metadata', ...reference.path].join('.')}}`;
    case 'task':
      return `\${${[reference.taskExternalId, reference.part, ...reference.path].join('.')}}`;
    case 'unrecognized':
      return `\${${reference.text}}`;
  }
}
