// The task executions of an execution as a tree: children of dynamic and subworkflow tasks carry their
// parent's external id (REFERENCE §2.4). Also what a task is (its definition, its function call, whether
// it waits for an async update), shared by the tree and the details document.
import { type ExecutionDetailed } from '../../core/schemas/executions';
import { type TaskDefinition, type TaskExecution } from '../../core/schemas/tasks';

/** Tasks without a parent, and orphans whose parent is not in the list, in the order CDF gives. */
export function topLevelTasks(execution: ExecutionDetailed): TaskExecution[] {
  const externalIds = new Set(execution.executedTasks.map(t => t.externalId));
  return execution.executedTasks.filter(t => !t.parentTaskExternalId || !externalIds.has(t.parentTaskExternalId) || t.parentTaskExternalId === t.externalId);
}

/** The tasks a dynamic or subworkflow task started. */
export function childTasks(execution: ExecutionDetailed, parent: TaskExecution): TaskExecution[] {
  return execution.executedTasks.filter(t => t !== parent && t.parentTaskExternalId === parent.externalId && t.externalId !== parent.externalId);
}

type LooseTask = Record<string, unknown> & { externalId?: unknown };

/**
 * The definition a task ran from: the version's task, or for a child the entry in its parent's resolved
 * dynamic task list or inline subworkflow. Undefined when it cannot be found.
 */
export function taskDefinitionOf(execution: ExecutionDetailed, task: TaskExecution): TaskDefinition | LooseTask | undefined {
  if (!task.parentTaskExternalId) return execution.workflowDefinition.tasks.find(d => d.externalId === task.externalId);
  const parent = execution.executedTasks.find(t => t.externalId === task.parentTaskExternalId && t !== task);
  const input = parent?.input as { dynamic?: { tasks?: unknown }; subworkflow?: { tasks?: unknown } } | undefined;
  const output = parent?.output as { dynamicTasks?: unknown } | undefined;
  for (const list of [input?.dynamic?.tasks, output?.dynamicTasks, input?.subworkflow?.tasks]) {
    if (!Array.isArray(list)) continue;
    const found = (list as LooseTask[]).find(d => d && typeof d === 'object' && d.externalId === task.externalId);
    if (found) return found;
  }
  return undefined;
}

/** How often a task may be retried, from its definition (the API does not report attempts). */
export function retriesOf(definition: TaskDefinition | LooseTask | undefined): number | undefined {
  const retries = definition?.['retries'];
  return typeof retries === 'number' ? retries : undefined;
}

export interface FunctionCallRef {
  readonly functionId: number;
  readonly callId: number;
}

/** The function call a function task made, once it made one (output callId and functionId). */
export function functionCallOf(task: TaskExecution): FunctionCallRef | undefined {
  if (task.taskType !== 'function') return undefined;
  const output = task.output as { callId?: unknown; functionId?: unknown } | undefined;
  return typeof output?.callId === 'number' && typeof output.functionId === 'number' ? { functionId: output.functionId, callId: output.callId } : undefined;
}

/** A function task with isAsyncComplete (asyncComplete in execution inputs). */
export function isAsyncTask(execution: ExecutionDetailed, task: TaskExecution): boolean {
  if (task.taskType !== 'function') return false;
  const flag = (o: unknown) => {
    const p = o as { isAsyncComplete?: unknown; asyncComplete?: unknown } | undefined;
    return p?.isAsyncComplete === true || p?.asyncComplete === true;
  };
  const definition = taskDefinitionOf(execution, task) as { parameters?: unknown } | undefined;
  return flag(task.input) || flag(definition?.parameters);
}

/** Waiting for POST /workflows/tasks/{id}/update: an async function task that is IN_PROGRESS. */
export function isAsyncWaiting(execution: ExecutionDetailed, task: TaskExecution): boolean {
  return task.status === 'IN_PROGRESS' && isAsyncTask(execution, task);
}

/** The version's own tasks that have no task execution yet: what a running execution has left to do. */
export function notStartedTasks(execution: ExecutionDetailed): TaskDefinition[] {
  const started = new Set(execution.executedTasks.filter(t => !t.parentTaskExternalId).map(t => t.externalId));
  return execution.workflowDefinition.tasks.filter(d => !started.has(d.externalId));
}

/** Why a task has no function logs to show, or undefined when it has a call. */
export function noLogsReason(task: TaskExecution): string | undefined {
  if (task.taskType !== 'function') return `${task.externalId} is a ${task.taskType} task: only function tasks call a function that writes logs.`;
  if (functionCallOf(task)) return undefined;
  if (task.status === 'SCHEDULED' || (task.status === 'IN_PROGRESS' && !task.output)) return `${task.externalId} has not called its function yet: logs appear once the call starts.`;
  if (task.status === 'SKIPPED' || task.status === 'CANCELED') return `${task.externalId} ${task.status === 'SKIPPED' ? 'was skipped' : 'was canceled'} before it called its function: there are no logs.`;
  return `CDF reports no function call for ${task.externalId} (its output has no callId), so there are no logs to read.`;
}
