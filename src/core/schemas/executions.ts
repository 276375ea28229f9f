// Workflow executions: summaries (run, list, cancel, retry) and details (REFERENCE §2.5).
import * as z from 'zod/mini';
import { epochMs, stringMap } from './common';
import { knownOr, taskExecution } from './tasks';
import { workflowDefinition } from './workflows';

export const EXECUTION_STATUSES = ['RUNNING', 'COMPLETED', 'FAILED', 'TIMED_OUT', 'TERMINATED'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** Every status except RUNNING is final. */
export function isTerminalExecutionStatus(status: string): boolean {
  return status !== 'RUNNING';
}

const executionFields = {
  id: z.string(),
  workflowExternalId: z.string(),
  version: z.nullish(z.string()),
  status: knownOr(EXECUTION_STATUSES),
  engineExecutionId: z.string(),
  createdTime: epochMs,
  startTime: z.nullish(epochMs),
  endTime: z.nullish(epochMs),
  reasonForIncompletion: z.nullish(z.string()),
  // Required by the spec, may be {}; defaulted so an older payload without it still parses.
  metadata: z._default(stringMap, {}),
};

export const execution = z.looseObject(executionFields);
export type Execution = z.output<typeof execution>;

export const executionDetailed = z.looseObject({
  ...executionFields,
  workflowDefinition,
  executedTasks: z.array(taskExecution),
  input: z.optional(z.unknown()),
});
export type ExecutionDetailed = z.output<typeof executionDetailed>;

export const EXECUTION_METADATA_LIMITS = { entries: 10, keyLength: 32, valueLength: 255 } as const;
export const EXECUTION_INPUT_LIMIT_BYTES = 100 * 1024;

export interface ExecutionFilter {
  workflowFilters?: { externalId: string; version?: string }[];
  createdTimeStart?: number;
  createdTimeEnd?: number;
  status?: ExecutionStatus[];
}
