// Builders of executions for the graph tests: shaped like GET /workflows/executions/{id} (REFERENCE §2.5).
import type { TaskDefinitionLike } from '../../../../src/core/definition';
import type { ComparedExecution } from '../../../../src/core/graph/compare';
import type { TaskExecutionLike } from '../../../../src/core/graph';

export const T0 = 1767225600000;

export function task(externalId: string, type = 'function', extras: Partial<TaskDefinitionLike> & { after?: string[] } = {}): TaskDefinitionLike {
  const { after, ...rest } = extras;
  const parameters =
    type === 'function'
      ? { function: { externalId: `fn-${externalId}` } }
      : type === 'transformation'
        ? { transformation: { externalId: `tr-${externalId}` } }
        : type === 'dynamic'
          ? { dynamic: { tasks: '${plan.output.response.tasks}' } }
          : {};
  return { externalId, type, parameters, ...(after ? { dependsOn: after.map((id) => ({ externalId: id })) } : {}), ...rest };
}

let ids = 0;
export function ran(externalId: string, status: string, extras: Partial<TaskExecutionLike> & { started?: number; took?: number } = {}): TaskExecutionLike {
  const { started, took, ...rest } = extras;
  const startTime = started === undefined ? undefined : T0 + started;
  const endTime = startTime !== undefined && took !== undefined ? startTime + took : undefined;
  return {
    id: `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    externalId,
    status,
    taskType: 'function',
    input: {},
    output: {},
    ...(startTime !== undefined ? { startTime } : {}),
    ...(endTime !== undefined ? { endTime } : {}),
    ...rest,
  };
}

export function execution(tasks: TaskDefinitionLike[], executed: TaskExecutionLike[], extras: Partial<ComparedExecution> = {}): ComparedExecution {
  return {
    id: 'e1',
    workflowExternalId: 'wf',
    version: '1',
    status: 'RUNNING',
    createdTime: T0,
    startTime: T0,
    metadata: {},
    input: {},
    workflowDefinition: { tasks },
    executedTasks: executed,
    ...extras,
  };
}

/** A dynamic fan-out: plan → fan (n generated tasks, `chains` of them depending on one another) → report. */
export function fanOut(n: number, options: { started?: number; chains?: boolean } = {}): ComparedExecution {
  const generated = Array.from({ length: n }, (_, i) => ({
    externalId: `item-${i}`,
    type: 'function',
    parameters: { function: { externalId: 'fn-item', data: { i } } },
    ...(options.chains && i % 2 === 1 ? { dependsOn: [{ externalId: `item-${i - 1}` }] } : {}),
  }));
  const started = options.started ?? n;
  return execution(
    [task('plan'), task('fan', 'dynamic', { after: ['plan'] }), task('report', 'function', { after: ['fan'] })],
    [
      ran('plan', 'COMPLETED', { started: 0, took: 1000, output: { callId: 1, functionId: 7, response: { tasks: generated } } }),
      ran('fan', 'IN_PROGRESS', { started: 1000, taskType: 'dynamic', input: { dynamic: { tasks: generated } } }),
      ...generated.slice(0, started).map((g, i) => ran(g.externalId, i % 3 === 0 ? 'IN_PROGRESS' : 'COMPLETED', { started: 1000 + i, ...(i % 3 === 0 ? {} : { took: 500 }), parentTaskExternalId: 'fan' })),
    ],
  );
}
