// Task definitions (in versions) and task executions (in execution details), discriminated on the task
// `type` / `taskType` as REFERENCE §1.10 requires. Unknown types (e.g. `functionApp`) pass through.
import { z } from 'zod';
import { discriminatedWithFallback, epochMs, jsonObject } from './common';

/** `string` that still offers the known values to the editor. */
export const knownOr = <const T extends string>(_values: readonly T[]) => z.string() as z.ZodType<T | (string & {}), unknown>;

export const TASK_TYPES = ['function', 'transformation', 'cdf', 'dynamic', 'subworkflow', 'simulation'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/** A `${…}` reference or a value; references stay strings until the service resolves them. */
const orReference = <T extends z.ZodType>(schema: T) => z.union([schema, z.string()]);

export const functionParameters = z
  .looseObject({
    function: z.looseObject({
      externalId: z.string(),
      data: z.unknown().optional(),
    }),
    isAsyncComplete: z.boolean().optional(),
    /** Seen instead of isAsyncComplete in execution task inputs (REFERENCE §2.2.2); folded into it. */
    asyncComplete: z.boolean().optional(),
  })
  .transform((p) => (p.isAsyncComplete === undefined && p.asyncComplete !== undefined ? { ...p, isAsyncComplete: p.asyncComplete } : p));

export const transformationParameters = z.looseObject({
  transformation: z.looseObject({
    externalId: z.string(),
    concurrencyPolicy: knownOr(['fail', 'waitForCurrent', 'restartAfterCurrent']).optional(),
    useTransformationCredentials: z.boolean().optional(),
  }),
});

export const cdfParameters = z.looseObject({
  cdfRequest: z.looseObject({
    resourcePath: z.string(),
    method: z.string(),
    queryParameters: orReference(z.record(z.string(), z.unknown())).optional(),
    body: z.unknown().optional(),
    requestTimeoutInMillis: orReference(z.number()).optional(),
    cdfVersionHeader: z.string().optional(),
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
    runTime: z.number().nullish(),
    inputs: z.array(jsonObject).optional(),
  }),
});

const taskCommon = {
  externalId: z.string(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  retries: z.number().nullish(),
  timeout: z.number().nullish(),
  onFailure: knownOr(['abortWorkflow', 'skipTask']).nullish(),
  dependsOn: z.array(z.looseObject({ externalId: z.string() })).nullish(),
};

const taskOf = <const T extends TaskType, P extends z.ZodType>(type: T, parameters: P) =>
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
  parentTaskExternalId: z.string().nullish(),
  status: knownOr(TASK_STATUSES),
  startTime: epochMs.nullish(),
  endTime: epochMs.nullish(),
  reasonForIncompletion: z.string().nullish(),
};

// A task that has not started may carry an empty input, so the per-type key is optional here.
const executionOf = <const T extends TaskType, I extends z.ZodType, O extends z.ZodType>(type: T, input: I, output: O) =>
  z.looseObject({ ...taskExecutionCommon, taskType: z.literal(type), input, output: z.preprocess((v) => v ?? {}, output) });

const knownTaskExecutions = {
  function: executionOf(
    'function',
    functionParameters.or(z.looseObject({})),
    z.looseObject({ callId: z.number().nullish(), functionId: z.number().nullish(), response: z.unknown().optional() }),
  ),
  transformation: executionOf(
    'transformation',
    transformationParameters.or(z.looseObject({})),
    z.looseObject({ jobId: z.number().nullish() }),
  ),
  cdf: executionOf(
    'cdf',
    cdfParameters.or(z.looseObject({})),
    z.looseObject({ statusCode: z.number().nullish(), response: z.unknown().optional() }),
  ),
  dynamic: executionOf('dynamic', dynamicParameters.or(z.looseObject({})), z.looseObject({ dynamicTasks: taskList.nullish() })),
  subworkflow: executionOf('subworkflow', subworkflowParameters.or(z.looseObject({})), z.looseObject({})),
  simulation: executionOf(
    'simulation',
    simulationParameters.or(z.looseObject({})),
    z.looseObject({ runId: z.number().nullish(), logId: z.number().nullish(), statusMessage: z.string().nullish() }),
  ),
};

const otherTaskExecution = z.looseObject({
  ...taskExecutionCommon,
  taskType: z.string(),
  input: jsonObject.default({}),
  output: jsonObject.default({}),
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
