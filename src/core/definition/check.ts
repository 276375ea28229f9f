// Checks a workflow definition before it is sent or run: the mistakes CDF rejects (or silently runs
// wrong) found locally, each with the task and the JSON path so an editor can place a diagnostic.
import { describeCycle, findCycles, upstreamTasks } from './order';
import { appendPath, formatReference, taskParameterReferences } from './references';
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

export interface DefinitionProblem {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly taskExternalId?: string;
  /** JSON path inside the definition, e.g. `tasks[2].dependsOn[0].externalId`. */
  readonly path?: string;
}

/** What a nested task list (an inline subworkflow) may see of the list around it. */
interface Scope {
  readonly listPath: string;
  readonly kind: 'workflow' | 'subworkflow';
  /** For a subworkflow: ids of the enclosing list, and the tasks upstream of the subworkflow task. */
  readonly outerIds?: ReadonlySet<string>;
  readonly outerUpstream?: ReadonlySet<string>;
  readonly parentTaskExternalId?: string;
}

export function checkDefinition(definition: WorkflowDefinitionLike): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  if (!isPlainObject(definition) || !Array.isArray(definition.tasks)) {
    return [{ severity: 'error', message: 'The workflow definition needs a "tasks" list.', path: 'tasks' }];
  }
  if (typeof definition.description === 'string' && [...definition.description].length > LIMITS.descriptionMaxLength) {
    problems.push({ severity: 'error', message: `The definition's description is longer than ${LIMITS.descriptionMaxLength} characters.`, path: 'description' });
  }
  if (definition.tasks.length > LIMITS.maxTasks) {
    problems.push({
      severity: 'error',
      message: `The definition has ${definition.tasks.length} tasks; CDF allows at most ${LIMITS.maxTasks}. Move some into another workflow and call it as a subworkflow.`,
      path: 'tasks',
    });
  }
  checkTaskList(definition.tasks, { listPath: 'tasks', kind: 'workflow' }, problems);
  const total = countTasks(definition.tasks);
  if (total > LIMITS.maxTasksPerExecution) {
    problems.push({
      severity: 'warning',
      message: `With its inline subworkflows the definition has ${total} tasks; one execution may run at most ${LIMITS.maxTasksPerExecution} (dynamic tasks count too).`,
      path: 'tasks',
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
      problems.push({ severity: 'error', message: `Task ${i + 1} is not an object.`, path });
      return;
    }
    if (typeof task.externalId !== 'string') {
      problems.push({ severity: 'error', message: `Task ${i + 1} has no "externalId" string.`, path: `${path}.externalId` });
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
      });
    }
    ids.add(task.externalId);
  }

  const plain = valid.map((v) => v.task);
  for (const { task, path } of valid) checkTask(task, path, ids, scope, problems);

  for (const cycle of findCycles(plain)) {
    const entry = valid.find((v) => v.task.externalId === cycle[0]);
    problems.push({
      severity: 'error',
      message: `Tasks depend on each other in a cycle: ${describeCycle(cycle)}. Remove one of these dependsOn entries.`,
      taskExternalId: cycle[0],
      path: entry ? `${entry.path}.dependsOn` : undefined,
    });
  }

  const upstream = upstreamTasks(plain);
  for (const { task, path } of valid) {
    checkReferences(task, path, ids, upstream.get(task.externalId) ?? new Set(), scope, problems);
    const inner = inlineSubworkflowTasks(task);
    if (inner) {
      checkInlineSubworkflow(task, inner, path, scope, ids, upstream.get(task.externalId) ?? new Set(), problems);
    }
  }
}

function checkExternalId(id: string, path: string, problems: DefinitionProblem[]): void {
  const problem = (message: string): void => void problems.push({ severity: 'error', message, taskExternalId: id, path });
  if (id === 'workflow') problem('A task cannot be called "workflow": that name is reserved for ${workflow.input} references. Rename the task.');
  else if (id.startsWith('__')) problem(`Task id "${id}" starts with "__", which CDF reserves. Rename the task.`);
  if (id.length === 0) problem('A task has an empty externalId.');
  else if (id.trim() !== id) problem(`Task id "${id}" has leading or trailing whitespace, which CDF refuses.`);
  if (id.includes('\u0000')) problem(`Task id "${id}" contains a null character, which CDF refuses.`);
  if ([...id].length > LIMITS.externalIdMaxLength) problem(`Task id "${id.slice(0, 40)}..." is longer than ${LIMITS.externalIdMaxLength} characters.`);
}

function checkTask(task: TaskDefinitionLike, path: string, ids: ReadonlySet<string>, scope: Scope, problems: DefinitionProblem[]): void {
  const id = task.externalId;
  const push = (severity: DefinitionProblem['severity'], message: string, at: string): void =>
    void problems.push({ severity, message, taskExternalId: id, path: at });

  if (typeof task.type !== 'string') {
    push('error', `Task "${id}" has no "type"; use one of ${KNOWN_TASK_TYPES.join(', ')}.`, `${path}.type`);
  } else if (task.type === 'cdfRequest') {
    push('warning', `Task "${id}" has type "cdfRequest", but the API calls this task type "cdf" ("cdfRequest" is only its parameters key). Change the type to "cdf".`, `${path}.type`);
  } else if (!isKnownTaskType(task.type)) {
    push('warning', `Task "${id}" has type "${task.type}", which is not one of ${KNOWN_TASK_TYPES.join(', ')}; CDF may reject it.`, `${path}.type`);
  } else {
    checkParameters(task, task.type, path, push);
    if (scope.kind === 'subworkflow' && (task.type === 'dynamic' || task.type === 'subworkflow')) {
      push('error', `Task "${id}" is a ${task.type} task inside subworkflow "${scope.parentTaskExternalId ?? ''}"; subworkflows cannot contain dynamic or subworkflow tasks.`, `${path}.type`);
    }
  }

  if (task.retries != null && !isIntegerIn(task.retries, LIMITS.retries.min, LIMITS.retries.max)) {
    push('error', `Task "${id}" has retries ${String(task.retries)}; use a whole number from ${LIMITS.retries.min} to ${LIMITS.retries.max}.`, `${path}.retries`);
  }
  if (task.timeout != null && !isNumberIn(task.timeout, LIMITS.timeoutSeconds.min, LIMITS.timeoutSeconds.max)) {
    push('error', `Task "${id}" has timeout ${String(task.timeout)}; use ${LIMITS.timeoutSeconds.min} to ${LIMITS.timeoutSeconds.max} seconds (12 hours).`, `${path}.timeout`);
  }
  if (task.onFailure != null && task.onFailure !== 'abortWorkflow' && task.onFailure !== 'skipTask') {
    push('error', `Task "${id}" has onFailure ${JSON.stringify(task.onFailure)}; use "abortWorkflow" or "skipTask".`, `${path}.onFailure`);
  }
  if (typeof task.name === 'string' && [...task.name].length > LIMITS.nameMaxLength) {
    push('error', `Task "${id}" has a name longer than ${LIMITS.nameMaxLength} characters.`, `${path}.name`);
  }
  if (typeof task.description === 'string' && [...task.description].length > LIMITS.descriptionMaxLength) {
    push('error', `Task "${id}" has a description longer than ${LIMITS.descriptionMaxLength} characters.`, `${path}.description`);
  }

  if (task.dependsOn == null) return;
  if (!Array.isArray(task.dependsOn)) {
    push('error', `Task "${id}" has a "dependsOn" that is not a list of {"externalId": ...} entries.`, `${path}.dependsOn`);
    return;
  }
  if (task.dependsOn.length > LIMITS.maxDependsOn) {
    push('error', `Task "${id}" depends on ${task.dependsOn.length} tasks; CDF allows at most ${LIMITS.maxDependsOn}.`, `${path}.dependsOn`);
  }
  const seen = new Set<string>();
  task.dependsOn.forEach((dep: unknown, i) => {
    const at = `${path}.dependsOn[${i}]`;
    const target = isPlainObject(dep) ? dep['externalId'] : undefined;
    if (typeof target !== 'string') {
      push('error', `Task "${id}" has a dependsOn entry without an "externalId" string.`, at);
      return;
    }
    if (target === id) {
      // Reported as a cycle too; this message says it plainly.
      push('error', `Task "${id}" depends on itself. Remove that dependsOn entry.`, `${at}.externalId`);
    } else if (!ids.has(target)) {
      const hint = scope.outerIds?.has(target)
        ? ` It is a task of the enclosing workflow; make the subworkflow task "${scope.parentTaskExternalId ?? ''}" depend on it instead.`
        : ' Check the spelling or add that task.';
      push('error', `Task "${id}" depends on "${target}", which is not a task of this ${scope.kind === 'workflow' ? 'definition' : 'subworkflow'}.${hint}`, `${at}.externalId`);
    }
    if (seen.has(target)) push('warning', `Task "${id}" lists "${target}" in dependsOn more than once.`, `${at}.externalId`);
    seen.add(target);
  });
}

function checkParameters(
  task: TaskDefinitionLike,
  type: KnownTaskType,
  path: string,
  push: (severity: DefinitionProblem['severity'], message: string, at: string) => void,
): void {
  const key = PARAMETERS_KEY[type];
  const at = appendPath(`${path}.parameters`, key);
  const params = childObject(task.parameters, key);
  if (!params) {
    push('error', `Task "${task.externalId}" is a ${type} task but has no parameters.${key} object.`, at);
    return;
  }
  const requireString = (field: string): void => {
    const value = params[field];
    if (typeof value !== 'string' || value.trim() === '') {
      push('error', `Task "${task.externalId}" needs parameters.${key}.${field}.`, appendPath(at, field));
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
        push('error', `Dynamic task "${task.externalId}" needs parameters.dynamic.tasks to be a reference to a list of task definitions made by an earlier task, e.g. "\${plan.output.response.tasks}".`, appendPath(at, 'tasks'));
      }
      break;
    }
    case 'subworkflow': {
      const inline = params['tasks'];
      if (inline !== undefined) {
        if (!Array.isArray(inline)) push('error', `Subworkflow task "${task.externalId}" has parameters.subworkflow.tasks that is not a list.`, appendPath(at, 'tasks'));
        else if (inline.length < 1 || inline.length > LIMITS.maxInlineSubworkflowTasks) {
          push('error', `Subworkflow task "${task.externalId}" has ${inline.length} tasks; an inline subworkflow needs 1 to ${LIMITS.maxInlineSubworkflowTasks}.`, appendPath(at, 'tasks'));
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
  upstream: ReadonlySet<string>,
  scope: Scope,
  problems: DefinitionProblem[],
): void {
  const id = task.externalId;
  const known = new Set([...ids, ...(scope.outerIds ?? [])]);
  const { whole, embedded } = taskParameterReferences(task, path, known);
  for (const found of whole) {
    const push = (severity: DefinitionProblem['severity'], message: string): void =>
      void problems.push({ severity, message, taskExternalId: id, path: found.path });
    const ref = found.reference;
    if (ref.kind === 'workflowMetadata') {
      push('warning', `Task "${id}" uses ${found.raw}; CDF documents no workflow.metadata references, so it may resolve to nothing. Pass the value through the input instead.`);
    } else if (ref.kind === 'unrecognized') {
      push('warning', `Task "${id}" uses ${found.raw}, which is not a reference CDF resolves; use \${workflow.input...}, \${<task>.output...} or \${<task>.input...}.`);
    } else if (ref.kind === 'task') {
      const target = ref.taskExternalId;
      const shown = formatReference(ref);
      if (target === id) {
        push('error', `Task "${id}" refers to its own ${ref.part} (${shown}); a task can only use the input or output of tasks upstream of it.`);
      } else if (upstream.has(target) || (!ids.has(target) && scope.outerUpstream?.has(target))) {
        // Fine: an upstream task of this list, or (inside a subworkflow) one upstream of the subworkflow task.
      } else if (!known.has(target)) {
        push('error', `Task "${id}" refers to "${target}" (${shown}), but there is no task with that id.`);
      } else {
        const owner = scope.kind === 'subworkflow' && !ids.has(target) ? `the subworkflow task "${scope.parentTaskExternalId ?? ''}"` : `"${id}"`;
        push('error', `Task "${id}" refers to "${target}" (${shown}), which is not upstream of it, so it may not have run yet. Add "${target}" to the dependsOn of ${owner} (directly or through another task).`);
      }
    }
  }
  for (const found of embedded) {
    problems.push({
      severity: 'warning',
      message: `Task "${id}" has a reference inside a longer string (${JSON.stringify(found.raw)}); CDF resolves only references that are the whole string value.`,
      taskExternalId: id,
      path: found.path,
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
