// CDF does not report how many attempts a task used. While a view follows an execution it can see
// some: a task that ended failed and runs again (an execution retry, or a retry CDF makes after a
// failed read went unseen) or a function task whose call changed (each attempt makes a new call).
import { type ExecutionLike, type TaskExecutionLike } from './build';
import { FAILED_TASK_STATUSES, RUNNING_TASK_STATUSES, nodeId } from './model';

const ENDED_UNSUCCESSFULLY = new Set([...FAILED_TASK_STATUSES, 'CANCELED']);

function keyOf(t: TaskExecutionLike): string {
  const parent = t.parentTaskExternalId && t.parentTaskExternalId !== t.externalId ? t.parentTaskExternalId : undefined;
  // Groups sit at the top level in CDF, so the parent's node id is its external id.
  return nodeId(t.externalId, parent);
}

function callIdOf(t: TaskExecutionLike): number | undefined {
  const output = t.output as { callId?: unknown } | undefined;
  return t.taskType === 'function' && typeof output?.callId === 'number' ? output.callId : undefined;
}

/**
 * Adds the retries seen between two reads of one execution to `counts` (by node id) and returns it.
 * Reads of another execution or the first read (no `before`) add nothing.
 */
export function countRetries(before: ExecutionLike | undefined, after: ExecutionLike, counts: Map<string, number> = new Map()): Map<string, number> {
  if (!before) return counts;
  const previous = new Map(before.executedTasks.map((t) => [keyOf(t), t]));
  for (const t of after.executedTasks) {
    const key = keyOf(t);
    const was = previous.get(key);
    if (!was) continue;
    const restarted = ENDED_UNSUCCESSFULLY.has(was.status) && RUNNING_TASK_STATUSES.has(t.status);
    const oldCall = callIdOf(was);
    const newCall = callIdOf(t);
    const newCallMade = oldCall !== undefined && newCall !== undefined && oldCall !== newCall;
    if (restarted || newCallMade) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
