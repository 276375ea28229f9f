// Checks a workflow definition before it is sent or run: the mistakes CDF rejects (or silently runs
// wrong) found locally, each with the task and the JSON path so an editor can place a diagnostic.
import { describeCycle, findCycles, upstreamTasks } from './order';
import { appendPath, formatReference, taskParameterReferences } from './references';
import { closest } from './suggest';
import {
  DEFINITION_LIMITS as LIMITS,
  KNOWN_TASK_TYPES,
  type KnownTaskType,
  PARAMETERS_KEY,
  type TaskDefinitionLike,
  type WorkflowDefinitionLike,
  childObject,
  inlineSubworkflowTasks,
  isKnownTaskType,
  isPlainObject,
} from './types';

export type DefinitionProblemCode =
  | 'definition-shape'
  | 'too-many-tasks'
  | 'task-shape'
  | 'duplicate-task'
  | 'task-id'
  | 'missing-type'
  | 'cdfRequest-type'
  | 'unknown-type'
  | 'parameters'
  | 'parameters-type-mismatch'
  | 'async-outside-function'
  | 'nesting'
  | 'limit'
  | 'depends-on-shape'
  | 'depends-on-self'
  | 'unknown-dependency'
  | 'duplicate-dependency'
  | 'cycle'
  | 'self-reference'
  | 'unknown-task-reference'
  | 'not-upstream'
  | 'workflow-metadata'
  | 'unrecognized-reference'
  | 'embedded-reference'
  | 'malformed-reference'
  | 'dynamic-tasks';

export interface DefinitionProblem {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly taskExternalId?: string;
  /** JSON path inside the definition, e.g. `tasks[2].dependsOn[0].externalId`. */
  readonly path?: string;
  /** What kind of problem it is: quick fixes and tests use it, never the message. */
  readonly code?: DefinitionProblemCode;
  /** The problem is about the key at `path`, not its value (an editor marks the key). */
  readonly onKey?: boolean;
  /** Details a fix needs: the id written, the nearest existing one, the task whose dependsOn to extend. */
  readonly data?: { readonly target?: string; readonly suggestion?: string; readonly owner?: string; readonly cycle?: readonly string[] };
}

export interface CheckOptions {
  /** Task types to accept besides the API's (the Toolkit's `functionApp`). */
  readonly extraTaskTypes?: readonly string[];
}

/** What a nested task list (an inline subworkflow) may see of the list around it. */
interface Scope {
  readonly listPath: string;
  readonly kind: 'workflow' | 'subworkflow';
  /** For a subworkflow: ids of the enclosing list, and the tasks upstream of the subworkflow task. */
  readonly outerIds?: ReadonlySet<string>;
  readonly outerUpstream?: ReadonlySet<string>;
  readonly parentTaskExternalId?: string;
  readonly extraTypes: readonly string[];
}

export function checkDefinition(definition: WorkflowDefinitionLike, options: CheckOptions = {}): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  if (!isPlainObject(definition) || !Array.isArray(definition.tasks)) {
    return [{ severity: 'error', message: 'The workflow definition needs a "tasks" list.', path: 'tasks', code: 'definition-shape' }];
  }
  if (typeof definition.description === 'string' && [...definition.description].length > LIMITS.descriptionMaxLength) {
    problems.push({ severity: 'error', message: `The definition's description is longer than ${LIMITS.descriptionMaxLength} characters.`, path: 'description', code: 'limit' });
  }
  if (definition.tasks.length > LIMITS.maxTasks) {
    problems.push({
      severity: 'error',
      message: `The definition has ${definition.tasks.length} tasks; CDF allows at most ${LIMITS.maxTasks}. Move some into another workflow and call it as a subworkflow.`,
      path: 'tasks',
      code: 'too-many-tasks',
      onKey: true,
    });
  }
  checkTaskList(definition.tasks, { listPath: 'tasks', kind: 'workflow', extraTypes: options.extraTaskTypes ?? [] }, problems);
  const total = countTasks(definition.tasks);
  if (total > LIMITS.maxTasksPerExecution) {
    problems.push({
      severity: 'warning',
      message: `With its inline subworkflows the definition has ${total} tasks; one execution may run at most ${LIMITS.maxTasksPerExecution} (dynamic tasks count too).`,
      path: 'tasks',
      code: 'too-many-tasks',
      onKey: true,
    });
  }
  return problems;
}

function countTasks(tasks: readonly TaskDefinitionLike[]): number {
  let n = 0;
  for (const task of tasks) {
    n += 1;
    const inner = isPlainObject(task) ? inlineSubworkflowTasks(task) : undefined;
    if (inner) n += countTasks(inner);
  }
  return n;
}

function checkTaskList(tasks: readonly TaskDefinitionLike[], scope: Scope, problems: DefinitionProblem[]): void {
  const valid: { task: TaskDefinitionLike; path: string }[] = [];
  tasks.forEach((task, i) => {
    const path = `${scope.listPath}[${i}]`;
    if (!isPlainObject(task)) {
      problems.push({ severity: 'error', message: `Task ${i + 1} is not an object.`, path, code: 'task-shape' });
      return;
    }
    if (typeof task.externalId !== 'string') {
      problems.push({ severity: 'error', message: `Task ${i + 1} has no "externalId" string.`, path: `${path}.externalId`, code: 'task-shape' });
      return;
    }
    valid.push({ task, path });
  });

  const ids = new Set<string>();
  for (const { task, path } of valid) {
    checkExternalId(task.externalId, `${path}.externalId`, problems);
    if (ids.has(task.externalId)) {
      problems.push({
        severity: 'error',
        message: `Task id "${task.externalId}" is used by more than one task; task ids must be unique within a definition.`,
        taskExternalId: task.externalId,
        path: `${path}.externalId`,
        code: 'duplicate-task',
        data: { target: task.externalId },
      });
    }
    ids.add(task.externalId);
  }

  const plain = valid.map((v) => v.task);
  for (const { task, path } of valid) checkTask(task, path, ids, scope, problems);

  for (const cycle of findCycles(plain)) {
    // One finding on each dependsOn entry along the cycle, each naming the whole cycle: every task in it shows it.
    for (let i = 0; i + 1 < cycle.length; i++) {
      const from = cycle[i];
      const to = cycle[i + 1];
      const entry = valid.find((v) => v.task.externalId === from);
      const depIndex = entry?.task.dependsOn?.findIndex((d) => isPlainObject(d) && d.externalId === to) ?? -1;
      problems.push({
        severity: 'error',
        message: `Tasks depend on each other in a cycle: ${describeCycle(cycle)}. Remove one of these dependsOn entries.`,
        taskExternalId: from,
        path: entry ? (depIndex >= 0 ? `${entry.path}.dependsOn[${depIndex}].externalId` : `${entry.path}.dependsOn`) : undefined,
        code: 'cycle',
        data: { target: to, cycle },
      });
    }
  }

  const upstream = upstreamTasks(plain);
  const known = scope.outerIds ? new Set([...ids, ...scope.outerIds]) : ids;
  for (const { task, path } of valid) {
    checkReferences(task, path, ids, known, upstream.get(task.externalId) ?? new Set(), scope, problems);
    const inner = inlineSubworkflowTasks(task);
    if (inner) {
      checkInlineSubworkflow(task, inner, path, scope, ids, upstream.get(task.externalId) ?? new Set(), problems);
    }
  }
}

function checkExternalId(id: string, path: string, problems: DefinitionProblem[]): void {
  const problem = (message: string): void => void problems.push({ severity: 'error', message, taskExternalId: id, path, code: 'task-id' });
  if (id === 'workflow') problem('A task cannot be called "workflow": that name is reserved for ${workflow.input} references. Rename the task.');
  else if (id.startsWith('__')) problem(`Task id "${id}" starts with "__", which CDF reserves. Rename the task.`);
  if (id.length === 0) problem('A task has an empty externalId.');
  else if (id.trim() !== id) problem(`Task id "${id}" has leading or trailing whitespace, which CDF refuses.`);
  if (id.includes('\u0000')) problem(`Task id "${id}" contains a null character, which CDF refuses.`);
  if ([...id].length > LIMITS.externalIdMaxLength) problem(`Task id "${id.slice(0, 40)}..." is longer than ${LIMITS.externalIdMaxLength} characters.`);
}

function checkTask(task: TaskDefinitionLike, path: string, ids: ReadonlySet<string>, scope: Scope, problems: DefinitionProblem[]): void {
  const id = task.externalId;
  const push: Push = (severity, message, at, code, extra = {}): void => void problems.push({ severity, message, taskExternalId: id, path: at, code, ...extra });

  if (typeof task.type !== 'string') {
    push('error', `Task "${id}" has no "type"; use one of ${KNOWN_TASK_TYPES.join(', ')}.`, `${path}.type`, 'missing-type');
  } else if (task.type === 'cdfRequest') {
    push('warning', `Task "${id}" has type "cdfRequest", but the API calls this task type "cdf" ("cdfRequest" is only its parameters key). Change the type to "cdf".`, `${path}.type`, 'cdfRequest-type', { data: { suggestion: 'cdf' } });
  } else if (!isKnownTaskType(task.type)) {
    if (!scope.extraTypes.includes(task.type)) {
      const suggestion = closest(task.type, [...KNOWN_TASK_TYPES, ...scope.extraTypes]);
      push('warning', `Task "${id}" has type "${task.type}", which is not one of ${[...KNOWN_TASK_TYPES, ...scope.extraTypes].join(', ')}; CDF may reject it.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`, `${path}.type`, 'unknown-type', suggestion ? { data: { suggestion } } : {});
    }
  } else {
    checkParameters(task, task.type, path, push);
    if (scope.kind === 'subworkflow' && (task.type === 'dynamic' || task.type === 'subworkflow')) {
      push('error', `Task "${id}" is a ${task.type} task inside subworkflow "${scope.parentTaskExternalId ?? ''}"; subworkflows cannot contain dynamic or subworkflow tasks.`, `${path}.type`, 'nesting');
    }
  }

  if (task.retries != null && !isIntegerIn(task.retries, LIMITS.retries.min, LIMITS.retries.max)) {
    push('error', `Task "${id}" has retries ${String(task.retries)}; use a whole number from ${LIMITS.retries.min} to ${LIMITS.retries.max}.`, `${path}.retries`, 'limit');
  }
  if (task.timeout != null && !isNumberIn(task.timeout, LIMITS.timeoutSeconds.min, LIMITS.timeoutSeconds.max)) {
    push('error', `Task "${id}" has timeout ${String(task.timeout)}; use ${LIMITS.timeoutSeconds.min} to ${LIMITS.timeoutSeconds.max} seconds (12 hours).`, `${path}.timeout`, 'limit');
  }
  if (task.onFailure != null && task.onFailure !== 'abortWorkflow' && task.onFailure !== 'skipTask') {
    const suggestion = typeof task.onFailure === 'string' ? closest(task.onFailure, ['abortWorkflow', 'skipTask']) : undefined;
    push('error', `Task "${id}" has onFailure ${JSON.stringify(task.onFailure)}; use "abortWorkflow" or "skipTask".`, `${path}.onFailure`, 'limit', suggestion ? { data: { suggestion } } : {});
  }
  if (typeof task.name === 'string' && [...task.name].length > LIMITS.nameMaxLength) {
    push('error', `Task "${id}" has a name longer than ${LIMITS.nameMaxLength} characters.`, `${path}.name`, 'limit');
  }
  if (typeof task.description === 'string' && [...task.description].length > LIMITS.descriptionMaxLength) {
    push('error', `Task "${id}" has a description longer than ${LIMITS.descriptionMaxLength} characters.`, `${path}.description`, 'limit');
  }

  if (task.dependsOn == null) return;
  if (!Array.isArray(task.dependsOn)) {
    push('error', `Task "${id}" has a "dependsOn" that is not a list of {"externalId": ...} entries.`, `${path}.dependsOn`, 'depends-on-shape', { onKey: true });
    return;
  }
  if (task.dependsOn.length > LIMITS.maxDependsOn) {
    push('error', `Task "${id}" depends on ${task.dependsOn.length} tasks; CDF allows at most ${LIMITS.maxDependsOn}.`, `${path}.dependsOn`, 'limit', { onKey: true });
  }
  const seen = new Set<string>();
  task.dependsOn.forEach((dep: unknown, i) => {
    const at = `${path}.dependsOn[${i}]`;
    const target = isPlainObject(dep) ? dep['externalId'] : undefined;
    if (typeof target !== 'string') {
      push('error', `Task "${id}" has a dependsOn entry without an "externalId" string.`, at, 'depends-on-shape');
      return;
    }
    if (target === id) {
      // Reported as a cycle too; this message says it plainly.
      push('error', `Task "${id}" depends on itself. Remove that dependsOn entry.`, `${at}.externalId`, 'depends-on-self', { data: { target } });
    } else if (!ids.has(target)) {
      const suggestion = scope.outerIds?.has(target) ? undefined : closest(target, [...ids].filter((t) => t !== id));
      const hint = scope.outerIds?.has(target)
        ? ` It is a task of the enclosing workflow; make the subworkflow task "${scope.parentTaskExternalId ?? ''}" depend on it instead.`
        : suggestion
          ? ` Did you mean "${suggestion}"?`
          : ' Check the spelling or add that task.';
      push('error', `Task "${id}" depends on "${target}", which is not a task of this ${scope.kind === 'workflow' ? 'definition' : 'subworkflow'}.${hint}`, `${at}.externalId`, 'unknown-dependency', {
        data: { target, ...(suggestion ? { suggestion } : {}) },
      });
    }
    if (seen.has(target)) push('warning', `Task "${id}" lists "${target}" in dependsOn more than once.`, `${at}.externalId`, 'duplicate-dependency', { data: { target } });
    seen.add(target);
  });
}

type Push = (
  severity: DefinitionProblem['severity'],
  message: string,
  at: string,
  code: DefinitionProblemCode,
  extra?: Pick<DefinitionProblem, 'onKey' | 'data'>,
) => void;

function checkParameters(task: TaskDefinitionLike, type: KnownTaskType, path: string, push: Push): void {
  const key = PARAMETERS_KEY[type];
  const at = appendPath(`${path}.parameters`, key);
  const params = childObject(task.parameters, key);
  if (isPlainObject(task.parameters) && type !== 'function' && 'isAsyncComplete' in task.parameters) {
    push('error', `Task "${task.externalId}" sets isAsyncComplete, which only function tasks have; a ${type} task completes on its own. Remove it.`, `${path}.parameters.isAsyncComplete`, 'async-outside-function', { onKey: true });
  }
  if (!params) {
    // Parameters written for another type: say which type they fit.
    const other = isPlainObject(task.parameters) ? KNOWN_TASK_TYPES.find((t) => t !== type && isPlainObject((task.parameters as Record<string, unknown>)[PARAMETERS_KEY[t]])) : undefined;
    if (other) {
      push('error', `Task "${task.externalId}" is a ${type} task but its parameters are those of a ${other} task (parameters.${PARAMETERS_KEY[other]}). Change the type to "${other}" or write parameters.${key}.`, `${path}.type`, 'parameters-type-mismatch', { data: { suggestion: other } });
    } else {
      push('error', `Task "${task.externalId}" is a ${type} task but has no parameters.${key} object.`, at, 'parameters');
    }
    return;
  }
  const requireString = (field: string): void => {
    const value = params[field];
    if (typeof value !== 'string' || value.trim() === '') {
      push('error', `Task "${task.externalId}" needs parameters.${key}.${field}.`, appendPath(at, field), 'parameters');
    }
  };
  switch (type) {
    case 'function':
    case 'transformation':
      requireString('externalId');
      break;
    case 'cdf':
      requireString('resourcePath');
      requireString('method');
      break;
    case 'simulation':
      requireString('routineExternalId');
      break;
    case 'dynamic': {
      const tasks = params['tasks'];
      if (typeof tasks !== 'string' || !/^\$\{[^{}]+\}$/.test(tasks)) {
        push('error', `Dynamic task "${task.externalId}" needs parameters.dynamic.tasks to be a reference to a list of task definitions made by an earlier task, e.g. "\${plan.output.response.tasks}".`, appendPath(at, 'tasks'), 'dynamic-tasks');
      }
      break;
    }
    case 'subworkflow': {
      const inline = params['tasks'];
      if (inline !== undefined) {
        if (!Array.isArray(inline)) push('error', `Subworkflow task "${task.externalId}" has parameters.subworkflow.tasks that is not a list.`, appendPath(at, 'tasks'), 'parameters');
        else if (inline.length < 1 || inline.length > LIMITS.maxInlineSubworkflowTasks) {
          push('error', `Subworkflow task "${task.externalId}" has ${inline.length} tasks; an inline subworkflow needs 1 to ${LIMITS.maxInlineSubworkflowTasks}.`, appendPath(at, 'tasks'), 'limit', { onKey: true });
        }
      } else {
        requireString('workflowExternalId');
        requireString('version');
      }
      break;
    }
  }
}

function checkReferences(
  task: TaskDefinitionLike,
  path: string,
  ids: ReadonlySet<string>,
  known: ReadonlySet<string>,
  upstream: ReadonlySet<string>,
  scope: Scope,
  problems: DefinitionProblem[],
): void {
  const id = task.externalId;
  const { whole, embedded, malformed } = taskParameterReferences(task, path, known);
  for (const found of whole) {
    const push = (severity: DefinitionProblem['severity'], message: string, code: DefinitionProblemCode, data?: DefinitionProblem['data']): void =>
      void problems.push({ severity, message, taskExternalId: id, path: found.path, code, ...(data ? { data } : {}) });
    const ref = found.reference;
    if (ref.kind === 'workflowMetadata') {
      push('warning', `Task "${id}" uses ${found.raw}; CDF documents no workflow.metadata references, so it may resolve to nothing. Pass the value through the input instead.`, 'workflow-metadata');
    } else if (ref.kind === 'unrecognized') {
      push('warning', `Task "${id}" uses ${found.raw}, which is not a reference CDF resolves; use \${workflow.input...}, \${<task>.output...} or \${<task>.input...}.`, 'unrecognized-reference');
    } else if (ref.kind === 'task') {
      const target = ref.taskExternalId;
      const shown = formatReference(ref);
      if (target === id) {
        push('error', `Task "${id}" refers to its own ${ref.part} (${shown}); a task can only use the input or output of tasks upstream of it.`, 'self-reference', { target });
      } else if (upstream.has(target) || (!ids.has(target) && scope.outerUpstream?.has(target))) {
        // Fine: an upstream task of this list, or (inside a subworkflow) one upstream of the subworkflow task.
      } else if (!known.has(target)) {
        const suggestion = closest(target, [...known].filter((t) => t !== id));
        push('error', `Task "${id}" refers to "${target}" (${shown}), but there is no task with that id.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`, 'unknown-task-reference', { target, ...(suggestion ? { suggestion } : {}) });
      } else {
        const inOuter = scope.kind === 'subworkflow' && !ids.has(target);
        const owner = inOuter ? `the subworkflow task "${scope.parentTaskExternalId ?? ''}"` : `"${id}"`;
        push('error', `Task "${id}" refers to "${target}" (${shown}), which is not upstream of it, so it may not have run yet. Add "${target}" to the dependsOn of ${owner} (directly or through another task).`, 'not-upstream', {
          target,
          owner: inOuter ? (scope.parentTaskExternalId ?? id) : id,
        });
      }
    }
  }
  for (const found of embedded) {
    problems.push({
      severity: 'warning',
      message: `Task "${id}" has a reference inside a longer string (${JSON.stringify(found.raw)}); CDF resolves only references that are the whole string value.`,
      taskExternalId: id,
      path: found.path,
      code: 'embedded-reference',
    });
  }
  for (const found of malformed) {
    problems.push({
      severity: 'warning',
      message: `Task "${id}" has ${JSON.stringify(found.raw)}, which looks like a reference but is not one: write \${...} with both braces, e.g. \${workflow.input.key}.`,
      taskExternalId: id,
      path: found.path,
      code: 'malformed-reference',
    });
  }
}

function checkInlineSubworkflow(
  task: TaskDefinitionLike,
  inner: readonly TaskDefinitionLike[],
  path: string,
  scope: Scope,
  ids: ReadonlySet<string>,
  upstream: ReadonlySet<string>,
  problems: DefinitionProblem[],
): void {
  // A subworkflow nested in a subworkflow is already reported; don't walk deeper.
  if (scope.kind === 'subworkflow') return;
  checkTaskList(
    inner,
    {
      listPath: `${path}.parameters.subworkflow.tasks`,
      kind: 'subworkflow',
      extraTypes: scope.extraTypes,
      outerIds: ids,
      outerUpstream: upstream,
      parentTaskExternalId: task.externalId,
    },
    problems,
  );
}

function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function isNumberIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}
