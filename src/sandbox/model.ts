// The sandbox's records: what it stores for each CDF resource, including bookkeeping the API never shows.
import { type Principal } from './identity';

/**
 * The given fields whose value is defined, to spread into a record: an optional field left out of a
 * request stays absent (as CDF omits it in answers and the data dir never holds it), not undefined.
 */
export function definedFields<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

export type WorkflowStatus = 'RUNNING' | 'COMPLETED' | 'FAILED' | 'TIMED_OUT' | 'TERMINATED';
export const WORKFLOW_STATUSES: readonly WorkflowStatus[] = ['RUNNING', 'COMPLETED', 'FAILED', 'TIMED_OUT', 'TERMINATED'];

export type TaskStatus =
  | 'SCHEDULED'
  | 'IN_PROGRESS'
  | 'COMPLETED'
  | 'COMPLETED_WITH_ERRORS'
  | 'FAILED'
  | 'FAILED_WITH_TERMINAL_ERROR'
  | 'TIMED_OUT'
  | 'CANCELED'
  | 'SKIPPED';

/**
 * `functionApp` is not in the stable spec; the Toolkit deploys it (REFERENCE §2.2.2), so the sandbox stores
 * it as CDF does, but has no function apps to run it.
 */
export type TaskType = 'function' | 'transformation' | 'cdf' | 'dynamic' | 'subworkflow' | 'simulation' | 'functionApp';
export const TASK_TYPES: readonly TaskType[] = ['function', 'transformation', 'cdf', 'dynamic', 'subworkflow', 'simulation', 'functionApp'];

/** A task definition with the defaults CDF fills in (retries, timeout, onFailure, dependsOn). */
export interface TaskDefinition {
  externalId: string;
  type: TaskType;
  name?: string;
  description?: string;
  parameters: Record<string, unknown>;
  retries: number;
  timeout: number;
  onFailure: 'abortWorkflow' | 'skipTask';
  dependsOn: { externalId: string }[];
}

export interface WorkflowDefinition {
  hash: string;
  description?: string;
  tasks: TaskDefinition[];
}

export interface WorkflowRecord {
  externalId: string;
  description?: string;
  dataSetId?: number;
  maxConcurrentExecutions?: number | null;
  createdTime: number;
  lastUpdatedTime: number;
}

export interface VersionRecord {
  workflowExternalId: string;
  version: string;
  workflowDefinition: WorkflowDefinition;
  createdTime: number;
  lastUpdatedTime: number;
}

/** Engine bookkeeping for one task execution; never part of an API response. */
export interface TaskEngineState {
  definition: TaskDefinition;
  /** Attempts made so far in this execution. */
  attempts: number;
  /** Attempts allowed before the task counts as failed (retries + 1, plus one per execution retry). */
  maxAttempts: number;
  /** Child task definitions of a dynamic or subworkflow task, once expanded. */
  children?: TaskDefinition[];
  /** An isAsyncComplete function task whose call finished and that now waits for a task update. */
  awaitingUpdate?: boolean;
}

export interface TaskExecutionRecord {
  id: string;
  externalId: string;
  parentTaskExternalId?: string | null;
  status: TaskStatus;
  taskType: TaskType;
  startTime?: number;
  endTime?: number;
  input: Record<string, unknown>;
  output: Record<string, unknown>;
  reasonForIncompletion?: string;
  engine: TaskEngineState;
}

export interface ExecutionRecord {
  id: string;
  workflowExternalId: string;
  version: string;
  status: WorkflowStatus;
  engineExecutionId: string;
  createdTime: number;
  startTime?: number;
  endTime?: number;
  reasonForIncompletion?: string;
  metadata: Record<string, string>;
  input?: Record<string, unknown>;
  workflowDefinition: WorkflowDefinition;
  executedTasks: TaskExecutionRecord[];
  /** The session bound from the run's nonce; tasks run as it. */
  sessionId?: number;
  /** Creation order, to break createdTime ties in lists and cursors. */
  seq: number;
  /** Data set of the workflow when the execution started (for data-set scoped access). */
  dataSetId?: number;
  /** Bulk-inserted history (tests, benchmarks): tasks are derived from the definition when read. */
  synthetic?: boolean;
}

export interface TriggerRun {
  externalId: string;
  fireTime: number;
  workflowExternalId: string;
  workflowVersion: string;
  workflowExecutionId: string | null;
  status: 'success' | 'failed';
  reasonForFailure: string | null;
}

export interface TriggerRecord {
  externalId: string;
  triggerRule: Record<string, unknown> & { triggerType: string };
  workflowExternalId: string;
  workflowVersion: string;
  input?: Record<string, unknown>;
  metadata?: Record<string, string>;
  isPaused: boolean;
  createdTime: number;
  lastUpdatedTime: number;
  sessionId: number;
  /** Newest first. */
  history: TriggerRun[];
}

export type SessionType = 'CLIENT_CREDENTIALS' | 'TOKEN_EXCHANGE' | 'ONESHOT_TOKEN_EXCHANGE';
export type SessionStatus = 'READY' | 'ACTIVE' | 'CANCELLED' | 'EXPIRED' | 'REVOKED' | 'ACCESS_LOST';

export interface SessionRecord {
  id: number;
  type: SessionType;
  status: SessionStatus;
  creationTime: number;
  expirationTime: number;
  clientId?: string;
  /** The identity work bound to this session runs as. */
  principal: Principal;
}

export type FunctionStatus = 'Queued' | 'Deploying' | 'Ready' | 'Failed';

export interface FunctionRecord {
  id: number;
  name: string;
  externalId?: string;
  description?: string;
  owner?: string;
  fileId: number;
  functionPath: string;
  /** Stored unmasked so the handler gets them; answered as "***". */
  secrets?: Record<string, string>;
  envVars?: Record<string, string>;
  cpu: number;
  memory: number;
  runtime: string;
  runtimeVersion?: string;
  metadata?: Record<string, string>;
  status: FunctionStatus;
  createdTime: number;
  error?: { message: string; trace: string | null };
  lastCalled?: number;
}

export type FunctionCallStatus = 'Running' | 'Completed' | 'Failed' | 'Timeout';

export interface FunctionCallRecord {
  id: number;
  functionId: number;
  status: FunctionCallStatus;
  startTime: number;
  endTime?: number;
  error?: { message: string; trace?: string };
  scheduleId?: number;
  scheduledTime?: number;
  response?: unknown;
  logs: { timestamp: number; message: string }[];
}

export interface ScheduleRecord {
  id: number;
  name: string;
  description?: string;
  cronExpression: string;
  when: string;
  functionId: number;
  functionExternalId?: string;
  createdTime: number;
  sessionId: number;
  data?: Record<string, unknown>;
}

export interface FileRecord {
  id: number;
  externalId?: string;
  name: string;
  mimeType?: string;
  directory?: string;
  source?: string;
  dataSetId?: number;
  metadata?: Record<string, string>;
  uploaded: boolean;
  uploadedTime?: number;
  createdTime: number;
  lastUpdatedTime: number;
  /** The secret part of the pre-signed upload URL. */
  uploadKey: string;
  size?: number;
}

/** A data set: only what workflows need (the Toolkit names a workflow's data set by external id). */
export interface DataSetRecord {
  id: number;
  externalId?: string;
  name?: string;
  description?: string;
  metadata?: Record<string, string>;
  writeProtected: boolean;
  createdTime: number;
  lastUpdatedTime: number;
}
