// Small builders for workflow definitions in tests: plain objects shaped like the API's.
import type { TaskDefinitionLike, WorkflowDefinitionLike } from '../../../../src/core/definition';

type TaskExtras = Partial<Omit<TaskDefinitionLike, 'externalId'>> & { after?: string[] };

export function functionTask(externalId: string, data: unknown = {}, extras: TaskExtras = {}): TaskDefinitionLike {
  const { after, ...rest } = extras;
  return {
    externalId,
    type: 'function',
    parameters: { function: { externalId: `fn-${externalId}`, data } },
    ...(after ? { dependsOn: after.map((id) => ({ externalId: id })) } : {}),
    ...rest,
  };
}

export function inlineSubworkflow(externalId: string, tasks: TaskDefinitionLike[], extras: TaskExtras = {}): TaskDefinitionLike {
  const { after, ...rest } = extras;
  return {
    externalId,
    type: 'subworkflow',
    parameters: { subworkflow: { tasks } },
    ...(after ? { dependsOn: after.map((id) => ({ externalId: id })) } : {}),
    ...rest,
  };
}

export function definition(...tasks: TaskDefinitionLike[]): WorkflowDefinitionLike {
  return { tasks };
}
