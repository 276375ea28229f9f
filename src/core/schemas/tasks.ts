// Task definitions (in versions) and task executions (in execution details), discriminated on the task
// `type` / `taskType` as REFERENCE §1.10 requires. Unknown types (e.g. `functionApp`) pass through.
import * as z from 'zod/mini';
import { discriminatedWithFallback, epochMs, jsonObject } from './common';

/** `string` that still offers the known values to the editor. */
export const knownOr = <const T extends string>(_values: readonly T[]) => z.string() as z.ZodMiniType<T | (string & {}), unknown>;

export const TASK_TYPES = ['function', 'transformation', 'cdf', 'dynamic', 'subworkflow', 'simulation'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/** A `${…}` reference or a value; references stay strings until the service resolves them. */
const orReference = <T extends z.ZodMiniType>(schema: T) => z.union([schema, z.string()]);

const functionParametersAsSent = z.looseObject({
  function: z.looseObject({
    externalId: z.string(),
    data: z.optional(z.unknown()),
  }),
  isAsyncComplete: z.optional(z.boolean()),
  /** Seen instead of isAsyncComplete in execution task inputs (REFERENCE §2.2.2); folded into it. */
  asyncComplete: z.optional(z.boolean()),
});

export const functionParameters = z.pipe(
  functionParametersAsSent,
  z.transform((p: z.output<typeof functionParametersAsSent>) =>
    p.isAsyncComplete === undefined && p.asyncComplete !== undefined ? { ...p, isAsyncComplete: p.asyncComplete } : p,
  ),
);

export const transformationParameters = z.looseObject({
  transformation: z.looseObject({
    externalId: z.string(),
    concurrencyPolicy: z.optional(knownOr(['fail', 'waitForCurrent', 'restartAfterCurrent'])),
    useTransformationCredentials: z.optional(z.boolean()),
  }),
});

export const cdfParameters = z.looseObject({
  cdfRequest: z.looseObject({
    resourcePath: z.string(),
    method: z.string(),
    queryParameters: z.optional(orReference(z.record(z.string(), z.unknown()))),
    body: z.optional(z.unknown()),
    requestTimeoutInMillis: z.optional(orReference(z.number())),
    cdfVersionHeader: z.optional(z.string()),
  }),
});

// Nested task lists stay loose records: the definition checks (core/definition) look inside them.
const taskList = z.array(jsonObject);

export const dynamicParameters = z.looseObject({
  dynamic: z.looseObject({ tasks: z.union([z.string(), taskList]) }),
});

export const subworkflowParameters = z.looseObject({
  subworkflow: z.union([
    z.looseObject({ tasks: taskList }),
    z.looseObject({ workflowExternalId: z.string(), version: z.string() }),
  ]),
});

export const simulationParameters = z.looseObject({
  simulation: z.looseObject({
    routineExternalId: z.string(),
    runTime: z.nullish(z.number()),
    inputs: z.optional(z.array(jsonObject)),
  }),
});

const taskCommon = {
  externalId: z.string(),
  name: z.nullish(z.string()),
  description: z.nullish(z.string()),
  retries: z.nullish(z.number()),
  timeout: z.nullish(z.number()),
  onFailure: z.nullish(knownOr(['abortWorkflow', 'skipTask'])),
  dependsOn: z.nullish(z.array(z.looseObject({ externalId: z.string() }))),
};

const taskOf = <const T extends TaskType, P extends z.ZodMiniType>(type: T, parameters: P) =>
  z.looseObject({ ...taskCommon, type: z.literal(type), parameters });

const knownTaskDefinitions = {
  function: taskOf('function', functionParameters),
  transformation: taskOf('transformation', transformationParameters),
  cdf: taskOf('cdf', cdfParameters),
  dynamic: taskOf('dynamic', dynamicParameters),
  subworkflow: taskOf('subworkflow', subworkflowParameters),
  simulation: taskOf('simulation', simulationParameters),
};

const otherTaskDefinition = z.looseObject({ ...taskCommon, type: z.string(), parameters: jsonObject });

export const taskDefinition = discriminatedWithFallback('type', knownTaskDefinitions, otherTaskDefinition);
export type TaskDefinition = z.output<typeof taskDefinition>;
export type KnownTaskDefinition<T extends TaskType = TaskType> = z.output<(typeof knownTaskDefinitions)[T]>;

/** Narrows a task definition by type (TypeScript cannot narrow `string` fallbacks on its own). */
export function isTaskDefinitionOfType<T extends TaskType>(task: TaskDefinition, type: T): task is KnownTaskDefinition<T> {
  return task.type === type;
}

// ---- Task executions ---------------------------------------------------------------------------

export const TASK_STATUSES = [
  'SCHEDULED',
  'IN_PROGRESS',
  'COMPLETED',
  'COMPLETED_WITH_ERRORS',
  'FAILED',
  'FAILED_WITH_TERMINAL_ERROR',
  'TIMED_OUT',
  'CANCELED',
  'SKIPPED',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

const taskExecutionCommon = {
  id: z.string(),
  externalId: z.string(),
  parentTaskExternalId: z.nullish(z.string()),
  status: knownOr(TASK_STATUSES),
  startTime: z.nullish(epochMs),
  endTime: z.nullish(epochMs),
  reasonForIncompletion: z.nullish(z.string()),
};

// A task that has not started may carry an empty input, so the per-type key is optional here.
const executionOf = <const T extends TaskType, I extends z.ZodMiniType, O extends z.ZodMiniType>(type: T, input: I, output: O) =>
  z.looseObject({ ...taskExecutionCommon, taskType: z.literal(type), input, output: z.pipe(z.transform((v: unknown): unknown => v ?? {}), output) });

const knownTaskExecutions = {
  function: executionOf(
    'function',
    z.union([functionParameters, z.looseObject({})]),
    z.looseObject({ callId: z.nullish(z.number()), functionId: z.nullish(z.number()), response: z.optional(z.unknown()) }),
  ),
  transformation: executionOf(
    'transformation',
    z.union([transformationParameters, z.looseObject({})]),
    z.looseObject({ jobId: z.nullish(z.number()) }),
  ),
  cdf: executionOf(
    'cdf',
    z.union([cdfParameters, z.looseObject({})]),
    z.looseObject({ statusCode: z.nullish(z.number()), response: z.optional(z.unknown()) }),
  ),
  dynamic: executionOf('dynamic', z.union([dynamicParameters, z.looseObject({})]), z.looseObject({ dynamicTasks: z.nullish(taskList) })),
  subworkflow: executionOf('subworkflow', z.union([subworkflowParameters, z.looseObject({})]), z.looseObject({})),
  simulation: executionOf(
    'simulation',
    z.union([simulationParameters, z.looseObject({})]),
    z.looseObject({ runId: z.nullish(z.number()), logId: z.nullish(z.number()), statusMessage: z.nullish(z.string()) }),
  ),
};

const otherTaskExecution = z.looseObject({
  ...taskExecutionCommon,
  taskType: z.string(),
  input: z._default(jsonObject, {}),
  output: z._default(jsonObject, {}),
});

export const taskExecution = discriminatedWithFallback('taskType', knownTaskExecutions, otherTaskExecution);
export type TaskExecution = z.output<typeof taskExecution>;
export type KnownTaskExecution<T extends TaskType = TaskType> = z.output<(typeof knownTaskExecutions)[T]>;

export function isTaskExecutionOfType<T extends TaskType>(task: TaskExecution, type: T): task is KnownTaskExecution<T> {
  return task.taskType === type;
}

/** Task update (POST /workflows/tasks/{taskId}/update) statuses, upper case as the API wants. */
export const TASK_UPDATE_STATUSES = ['COMPLETED', 'FAILED', 'FAILED_WITH_TERMINAL_ERROR'] as const;
export type TaskUpdateStatus = (typeof TASK_UPDATE_STATUSES)[number];
