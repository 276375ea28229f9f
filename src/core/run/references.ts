// Which `${workflow.input.<path>}` references of a version the run input leaves unanswered.
import { taskParameterReferences } from '../definition/references';
import { type TaskDefinitionLike, type WorkflowDefinitionLike, inlineSubworkflowTasks, isPlainObject } from '../definition/types';

export interface MissingInputReference {
  /** The dotted path under the input, e.g. `runDate` or `site.id`. */
  readonly path: string;
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
  const visit = (tasks: readonly TaskDefinitionLike[], listPath: string): void => {
    tasks.forEach((task, i) => {
      if (!isPlainObject(task) || typeof task.externalId !== 'string') return;
      const taskPath = `${listPath}[${i}]`;
      for (const found of taskParameterReferences(task, taskPath).whole) {
        const ref = found.reference;
        if (ref.kind !== 'workflowInput' || ref.path.length === 0 || hasPath(input, ref.path)) continue;
        const key = ref.path.join('.');
        const users = byPath.get(key) ?? [];
        if (!users.includes(task.externalId)) users.push(task.externalId);
        byPath.set(key, users);
      }
      const inner = inlineSubworkflowTasks(task);
      if (inner) visit(inner, `${taskPath}.parameters.subworkflow.tasks`);
    });
  };
  if (isPlainObject(definition) && Array.isArray(definition.tasks)) visit(definition.tasks, 'tasks');
  return [...byPath].map(([path, users]) => ({ path, taskExternalId: users[0] ?? '', taskExternalIds: users }));
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
