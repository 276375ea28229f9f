// Which `${workflow.input.<path>}` references of a version the run input leaves unanswered.
import { applyEdits, findNodeAtLocation, modify, parseTree } from 'jsonc-parser';
import { taskParameterReferences } from '../definition/references';
import { type TaskDefinitionLike, type WorkflowDefinitionLike, inlineSubworkflowTasks, isPlainObject } from '../definition/types';

export interface MissingInputReference {
  /** The dotted path under the input, e.g. `runDate` or `site.id`. */
  readonly path: string;
  /** The path's keys, e.g. ['site', 'id']. */
  readonly segments: readonly string[];
  /** The first task that uses it. */
  readonly taskExternalId: string;
  /** Every task that uses it, in definition order (inline subworkflow tasks by their own ids). */
  readonly taskExternalIds: readonly string[];
}

/**
 * Every whole-string `${workflow.input.<path>}` reference in the tasks' parameters (nested objects, lists
 * and inline subworkflow tasks included) whose path the input lacks, each path once. A path whose value is
 * null is present. `${workflow.input}` alone needs nothing. Numeric segments index into lists.
 */
export function missingInputReferences(definition: WorkflowDefinitionLike, input: unknown): MissingInputReference[] {
  const byPath = new Map<string, string[]>();
  const segmentsOf = new Map<string, readonly string[]>();
  const visit = (tasks: readonly TaskDefinitionLike[], listPath: string): void => {
    tasks.forEach((task, i) => {
      if (!isPlainObject(task) || typeof task.externalId !== 'string') return;
      const taskPath = `${listPath}[${i}]`;
      for (const found of taskParameterReferences(task, taskPath).whole) {
        const ref = found.reference;
        if (ref.kind !== 'workflowInput' || ref.path.length === 0 || hasPath(input, ref.path)) continue;
        const key = ref.path.join('.');
        segmentsOf.set(key, ref.path);
        const users = byPath.get(key) ?? [];
        if (!users.includes(task.externalId)) users.push(task.externalId);
        byPath.set(key, users);
      }
      const inner = inlineSubworkflowTasks(task);
      if (inner) visit(inner, `${taskPath}.parameters.subworkflow.tasks`);
    });
  };
  if (isPlainObject(definition) && Array.isArray(definition.tasks)) visit(definition.tasks, 'tasks');
  return [...byPath].map(([path, users]) => ({ path, segments: segmentsOf.get(path) ?? [path], taskExternalId: users[0] ?? '', taskExternalIds: users }));
}

function hasPath(value: unknown, path: readonly string[]): boolean {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment) || Number(segment) >= current.length) return false;
      current = current[Number(segment)];
    } else if (isPlainObject(current)) {
      if (!Object.hasOwn(current, segment)) return false;
      current = current[segment];
    } else {
      return false;
    }
  }
  return true;
}

export interface AddedKeys {
  /** The JSON text with the keys added. */
  readonly text: string;
  /** Dotted paths added, with null for the user to fill. */
  readonly added: readonly string[];
  /** Paths that cannot be added without changing a value already there (a list index, a key under a string). */
  readonly skipped: readonly string[];
  /** Offset and length of the first added null in `text`, to put the cursor on. */
  readonly first?: { readonly offset: number; readonly length: number };
}

/**
 * Adds each missing `${workflow.input.<path>}` key to a JSON object's text with the value null, keeping
 * the text's formatting and comments; nested keys get the objects they need. Nothing already in the text
 * changes: a path through a list or a non-object value is skipped.
 */
export function addMissingKeys(text: string, missing: readonly Pick<MissingInputReference, 'path' | 'segments'>[], options: { tabSize?: number; insertSpaces?: boolean; eol?: string } = {}): AddedKeys {
  const formattingOptions = { tabSize: options.tabSize ?? 2, insertSpaces: options.insertSpaces ?? true, eol: options.eol ?? (text.includes('\r\n') ? '\r\n' : '\n') };
  let current = text;
  const added: string[] = [];
  const skipped: string[] = [];
  for (const m of missing) {
    const root = parseTree(current);
    let node = root;
    let blocked = !root || root.type !== 'object';
    for (const segment of m.segments.slice(0, -1)) {
      if (blocked || !node) break;
      const child = findNodeAtLocation(node, [segment]);
      if (!child) break; // modify creates the rest
      if (child.type !== 'object') blocked = true;
      node = child;
    }
    if (blocked || m.segments.some(sg => /^\d+$/.test(sg))) {
      skipped.push(m.path);
      continue;
    }
    current = applyEdits(current, modify(current, [...m.segments], null, { formattingOptions }));
    added.push(m.path);
  }
  let first: AddedKeys['first'];
  const firstAdded = missing.find(m => added.includes(m.path));
  if (firstAdded) {
    const node = findNodeAtLocation(parseTree(current)!, [...firstAdded.segments]);
    if (node) first = { offset: node.offset, length: node.length };
  }
  return { text: current, added, skipped, ...(first ? { first } : {}) };
}
