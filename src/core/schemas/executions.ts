// Workflow executions: summaries (run, list, cancel, retry) and details (REFERENCE §2.5).
import * as z from 'zod/mini';
import { epochMs, stringMap } from './common';
import { knownOr, taskExecution } from './tasks';
import { workflowDefinition } from './workflows';

export const EXECUTION_STATUSES = ['RUNNING', 'COMPLETED', 'FAILED', 'TIMED_OUT', 'TERMINATED'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

// The one home of what execution statuses mean; everything else asks these.

/** Still going: followed, cancelable, spinning in the tree. */
export function isRunningExecutionStatus(status: string): boolean {
  return status === 'RUNNING';
}

/** Final: every status but RUNNING, including one this client does not know yet. */
export function isTerminalExecutionStatus(status: string): boolean {
  return !isRunningExecutionStatus(status);
}

/** Ended without completing; retry re-runs the tasks that did not complete (REFERENCE §2.5). */
export const RETRYABLE_EXECUTION_STATUSES = ['FAILED', 'TIMED_OUT', 'TERMINATED'] as const satisfies readonly ExecutionStatus[];

export function isRetryableExecutionStatus(status: string): boolean {
  return (RETRYABLE_EXECUTION_STATUSES as readonly string[]).includes(status);
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

export interface ExecutionFilter {
  workflowFilters?: { externalId: string; version?: string }[];
  createdTimeStart?: number;
  createdTimeEnd?: number;
  status?: ExecutionStatus[];
}
