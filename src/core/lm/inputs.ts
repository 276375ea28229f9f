// What each language-model tool takes, checked before anything is read or sent. VS Code does not check a
// tool's input against the schema in package.json (1.100 passes it on as the model wrote it), so every
// tool parses its input here and answers a mistake with a message the model can act on.
import * as z from 'zod/mini';
import { InputError } from '../errors';
import { EXECUTION_STATUSES, type ExecutionStatus } from '../schemas/executions';
import { TASK_STATUSES, TASK_UPDATE_STATUSES, type TaskUpdateStatus } from '../schemas/tasks';
import { formatPath } from '../schemas/common';

/** The tools, by the name they are contributed and registered under. */
export const TOOL = {
  listWorkflows: 'cdfWorkflows_listWorkflows',
  listExecutions: 'cdfWorkflows_listExecutions',
  getExecution: 'cdfWorkflows_getExecution',
  getFunctionLogs: 'cdfWorkflows_getFunctionLogs',
  checkDefinition: 'cdfWorkflows_checkDefinition',
  runWorkflow: 'cdfWorkflows_runWorkflow',
  cancelExecution: 'cdfWorkflows_cancelExecution',
  retryExecution: 'cdfWorkflows_retryExecution',
  completeAsyncTask: 'cdfWorkflows_completeAsyncTask',
  explainFailure: 'cdfWorkflows_explainFailure',
} as const;
export type ToolName = (typeof TOOL)[keyof typeof TOOL];

const id = z.string().check(z.trim(), z.minLength(1));
const connection = z.optional(id);
const statuses = z.optional(z.union([z.string(), z.array(z.string())]));
/** How long a run or retry tool may wait for the execution to end before it answers. */
export const MAX_WAIT_SECONDS = 300;
const waitSeconds = z.optional(z.number().check(z.minimum(0), z.maximum(MAX_WAIT_SECONDS)));

export const toolInputs = {
  [TOOL.listWorkflows]: z.strictObject({
    connection,
    workflowExternalId: z.optional(id),
    version: z.optional(id),
  }),
  [TOOL.listExecutions]: z.strictObject({
    connection,
    workflowExternalId: z.optional(id),
    version: z.optional(id),
    status: statuses,
    createdAfter: z.optional(id),
    createdBefore: z.optional(id),
    limit: z.optional(z.int().check(z.minimum(1), z.maximum(100))),
  }),
  [TOOL.getExecution]: z.strictObject({
    connection,
    executionId: id,
    taskExternalId: z.optional(id),
    taskStatus: statuses,
    taskOffset: z.optional(z.int().check(z.minimum(0))),
  }),
  [TOOL.getFunctionLogs]: z.strictObject({
    connection,
    executionId: z.optional(id),
    taskExternalId: z.optional(id),
    functionId: z.optional(z.int().check(z.minimum(1))),
    callId: z.optional(z.int().check(z.minimum(1))),
    contains: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    tailLines: z.optional(z.int().check(z.minimum(1), z.maximum(10_000))),
  }),
  [TOOL.checkDefinition]: z.strictObject({
    connection,
    path: z.optional(id),
    text: z.optional(z.string()),
    workflowExternalId: z.optional(id),
    version: z.optional(id),
  }),
  [TOOL.runWorkflow]: z.strictObject({
    connection,
    workflowExternalId: id,
    version: id,
    inputPath: z.optional(id),
    input: z.optional(z.unknown()),
    metadata: z.optional(z.unknown()),
    waitSeconds,
  }),
  [TOOL.cancelExecution]: z.strictObject({
    connection,
    executionId: id,
    reason: z.optional(z.string().check(z.maxLength(500))),
  }),
  [TOOL.retryExecution]: z.strictObject({
    connection,
    executionId: id,
    waitSeconds,
  }),
  [TOOL.completeAsyncTask]: z.strictObject({
    connection,
    executionId: id,
    taskExternalId: id,
    status: id,
    output: z.optional(z.unknown()),
  }),
  [TOOL.explainFailure]: z.strictObject({
    connection,
    executionId: z.optional(id),
    workflowExternalId: z.optional(id),
    version: z.optional(id),
  }),
} satisfies Record<ToolName, z.ZodMiniType>;

export type ToolInput<N extends ToolName> = z.output<(typeof toolInputs)[N]>;

/** Parses a tool's input; a mistake is an InputError naming each field and what it should be. */
export function parseToolInput<N extends ToolName>(name: N, value: unknown): ToolInput<N> {
  const schema = toolInputs[name] as unknown as z.ZodMiniType<ToolInput<N>>;
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const keys = Object.keys((toolInputs[name] as unknown as { _zod: { def: { shape: Record<string, unknown> } } })._zod.def.shape);
  const problems = result.error.issues.slice(0, 5).map((issue) => {
    const at = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') return `unknown ${issue.keys.length === 1 ? 'key' : 'keys'} ${issue.keys.join(', ')} (this tool takes ${keys.join(', ')})`;
    if (issue.code === 'invalid_type' && issue.input === undefined) return `${at} is missing (expected ${issue.expected})`;
    return `${at}: ${issue.message.replace(/^Invalid input: /, '')}`;
  });
  throw new InputError(`The input of ${name} is not valid: ${problems.join('; ')}. Correct it and call the tool again.`);
}

function statusList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : value.split(',');
  return list.map((s) => s.trim().toUpperCase().replace(/[\s-]+/g, '_')).filter((s) => s !== '');
}

/** Execution statuses from `"failed"`, `"FAILED, timed out"` or a list; an unknown one is an InputError. */
export function executionStatuses(value: string | string[] | undefined): ExecutionStatus[] {
  const out: ExecutionStatus[] = [];
  for (const s of statusList(value)) {
    if (!(EXECUTION_STATUSES as readonly string[]).includes(s)) {
      throw new InputError(`"${s}" is not an execution status; use ${EXECUTION_STATUSES.join(', ')}.`);
    }
    if (!out.includes(s as ExecutionStatus)) out.push(s as ExecutionStatus);
  }
  return out;
}

/** Task statuses, checked like execution statuses. */
export function taskStatuses(value: string | string[] | undefined): string[] {
  const out: string[] = [];
  for (const s of statusList(value)) {
    if (!(TASK_STATUSES as readonly string[]).includes(s)) throw new InputError(`"${s}" is not a task status; use ${TASK_STATUSES.join(', ')}.`);
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

export function taskUpdateStatus(value: string): TaskUpdateStatus {
  const [s] = statusList(value);
  if (s === undefined || !(TASK_UPDATE_STATUSES as readonly string[]).includes(s)) {
    throw new InputError(`"${value}" cannot be set on a task; use ${TASK_UPDATE_STATUSES.join(', ')}.`);
  }
  return s as TaskUpdateStatus;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A point in time from an ISO 8601 date or date-time (`2026-05-01`, `2026-05-01T02:00:00Z`; no zone = UTC)
 * or a time ago (`30m`, `24h`, `7d`, `2w`, optionally followed by "ago"), as epoch milliseconds.
 */
export function parseTimeBound(text: string, field: string, now: number): number {
  const relative = /^(\d+(?:\.\d+)?)\s*(m|min|mins|minutes?|h|hours?|d|days?|w|weeks?)(?:\s+ago)?$/i.exec(text.trim());
  if (relative) return now - Number(relative[1]) * (UNIT_MS[relative[2].charAt(0).toLowerCase()] ?? 0);
  const iso = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text.trim());
  if (iso) {
    const t = text.trim().replace(' ', 'T');
    const zoned = /T/.test(t) && !/(Z|[+-]\d{2}:?\d{2})$/.test(t) ? `${t}Z` : t;
    const ms = Date.parse(zoned);
    if (Number.isFinite(ms)) return ms;
  }
  throw new InputError(`${field} "${text}" is not a time: use an ISO 8601 date or date-time in UTC (2026-05-01 or 2026-05-01T02:00:00Z) or a time ago such as 30m, 24h or 7d.`);
}
