// The execution engine: runs a workflow version's DAG on the sandbox clock. All state lives in the
// execution record (so it persists and survives a restart); only timers and callbacks are in memory.
//
// [emulator] choices where the reference leaves behaviour open (REFERENCE §2.4, §2.5, §8):
// - tasks downstream of a task that aborts the workflow are listed as SKIPPED; tasks running at that
//   moment end CANCELED. A cancelled execution lists only the tasks that had started.
// - a failed child of a dynamic/subworkflow task with onFailure abortWorkflow fails its container; the
//   container's own onFailure then decides (skipTask: COMPLETED_WITH_ERRORS and the workflow goes on).
//   Containers are not retried for a child's failure (only the failed leaves are, by execution retry).
// - a failed attempt is retried at once (no backoff); task ids stay the same across attempts.
// - executions beyond maxConcurrentExecutions (or the project's concurrent-execution limit) wait as
//   RUNNING without a startTime and start in creation order as others finish.
import { ApiError } from './api-error';
import { type Clock, type ClockTimer } from './clock';
import { normalizeTasks } from './definition';
import { newUuid } from './ids';
import {
  definedFields,
  type ExecutionRecord,
  type FunctionCallRecord,
  type FunctionRecord,
  type TaskDefinition,
  type TaskExecutionRecord,
  type TaskStatus,
  type VersionRecord,
  type WorkflowRecord,
  type WorkflowStatus,
} from './model';
import { resolveReferences, type ReferenceScope } from './references';
import { type SessionService } from './sessions';
import { type Store, versionKey } from './store';
import { type TransformationSimulator } from './transformations';
import { taskDefinitionView } from './views';

export interface CdfRequestSpec {
  method: string;
  resourcePath: string;
  queryParameters?: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
  cdfVersion?: string;
  token: string;
}

export interface EngineDeps {
  store: Store;
  clock: Clock;
  sessions: SessionService;
  transformations: TransformationSimulator;
  /** Starts a call of a deployed function; `onDone` runs once when the call ends. */
  startFunctionCall(fn: FunctionRecord, data: Record<string, unknown>, sessionId: number | undefined, onDone: (call: FunctionCallRecord) => void): FunctionCallRecord;
  /** Performs a cdf task's request against the sandbox's own API. */
  cdfRequest(spec: CdfRequestSpec): Promise<{ statusCode: number; response: unknown }>;
  /** Whether the sandbox has an endpoint for a cdf task's request (path relative to the project). */
  emulates(method: string, resourcePath: string): boolean;
  limits: EngineLimits;
}

export interface EngineLimits {
  /** Concurrent executions per project (default 50). */
  concurrentExecutions: number;
  /** Tasks in one execution, including dynamic and subworkflow children (default 200). */
  tasksPerExecution: number;
  /** Maximum execution duration (default 24 h). */
  executionTimeoutMs: number;
}

const DONE_OK: ReadonlySet<TaskStatus> = new Set(['COMPLETED', 'COMPLETED_WITH_ERRORS']);
const TERMINAL: ReadonlySet<TaskStatus> = new Set(['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'FAILED_WITH_TERMINAL_ERROR', 'TIMED_OUT', 'CANCELED', 'SKIPPED']);
const RETRYABLE: ReadonlySet<TaskStatus> = new Set(['CANCELED', 'FAILED', 'FAILED_WITH_TERMINAL_ERROR', 'TIMED_OUT']);

/** error: retried; timeout: retried only under skipTask; terminal: never retried; child: a child failed a container. */
type FailureKind = 'error' | 'timeout' | 'terminal' | 'child';

const parentOf = (t: TaskExecutionRecord): string | null => t.parentTaskExternalId ?? null;

// A function, so TypeScript does not narrow a status that other calls change.
const isRunning = (e: ExecutionRecord): boolean => e.status === 'RUNNING';

export class ExecutionEngine {
  private readonly timers = new Map<string, ClockTimer[]>();
  private readonly executionTimers = new Map<string, ClockTimer>();
  /** Executions waiting for a concurrency slot, oldest first. */
  private queue: string[] = [];
  private readonly started = new Set<string>();
  private closed = false;
  private readonly listeners = new Set<(e: ExecutionRecord) => void>();

  constructor(private readonly d: EngineDeps) {}

  /** Called whenever an execution reaches a terminal status. */
  onFinished(listener: (e: ExecutionRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Creates an execution of a version and starts it (or queues it when the concurrency limit is reached). */
  run(
    workflow: WorkflowRecord,
    version: VersionRecord,
    options: { input?: Record<string, unknown>; metadata?: Record<string, string>; sessionId: number },
  ): ExecutionRecord {
    const now = this.d.clock.now();
    const e: ExecutionRecord = {
      id: newUuid(),
      workflowExternalId: workflow.externalId,
      version: version.version,
      status: 'RUNNING',
      engineExecutionId: newUuid(),
      createdTime: now,
      metadata: options.metadata ?? {},
      workflowDefinition: structuredClone(version.workflowDefinition),
      executedTasks: [],
      sessionId: options.sessionId,
      seq: this.d.store.allocateSeq(),
      ...definedFields({ input: options.input, dataSetId: workflow.dataSetId }),
    };
    this.d.store.addExecution(e);
    if (this.canStart(e)) this.begin(e);
    else this.queue.push(e.id);
    this.d.store.changed();
    return e;
  }

  cancel(e: ExecutionRecord, reason: string): void {
    if (e.status !== 'RUNNING') {
      throw new ApiError(400, `Execution ${e.id} has already ended with status ${e.status}; only RUNNING executions can be cancelled.`);
    }
    this.queue = this.queue.filter((id) => id !== e.id);
    const now = this.d.clock.now();
    for (const t of e.executedTasks) {
      if (t.status === 'IN_PROGRESS' || t.status === 'SCHEDULED') {
        this.clearTimers(t.id);
        t.status = 'CANCELED';
        t.endTime = now;
      }
    }
    this.finish(e, 'TERMINATED', reason);
  }

  /** Re-runs the failed, timed-out and cancelled tasks of an ended execution with a new session. */
  retry(e: ExecutionRecord, sessionId: number): void {
    if (e.status === 'RUNNING' || e.status === 'COMPLETED') {
      throw new ApiError(400, `Execution ${e.id} is ${e.status}; only FAILED, TIMED_OUT or TERMINATED executions can be retried.`);
    }
    if (e.synthetic) this.materialize(e);
    e.sessionId = sessionId;
    this.d.store.setExecutionStatus(e, 'RUNNING');
    delete e.endTime;
    delete e.reasonForIncompletion;
    e.executedTasks = e.executedTasks.filter((t) => t.status !== 'SKIPPED');
    const rerun: TaskExecutionRecord[] = [];
    for (const t of e.executedTasks) {
      if (!RETRYABLE.has(t.status)) continue;
      const hasChildren = !!t.engine.children && e.executedTasks.some((c) => c.parentTaskExternalId === t.externalId);
      t.status = 'IN_PROGRESS';
      delete t.endTime;
      delete t.reasonForIncompletion;
      if (hasChildren) {
        this.armTaskTimeout(e, t);
      } else {
        // One more attempt per retry request, even when the task had used all its retries.
        t.engine.maxAttempts = t.engine.attempts + 1;
        rerun.push(t);
      }
    }
    if (e.startTime === undefined) {
      if (this.canStart(e)) this.begin(e);
      else this.queue.push(e.id);
    } else {
      this.started.add(e.id);
      this.armExecutionTimeout(e);
      for (const t of rerun) {
        // A task can fail at once and abort the execution; then nothing else should start.
        if (!isRunning(e)) break;
        this.runAttempt(e, t);
      }
      this.step(e);
    }
    this.d.store.changed();
  }

  /** Applies a task update (POST /workflows/tasks/{taskId}/update) to an async function task. */
  updateTask(taskId: string, status: 'COMPLETED' | 'FAILED' | 'FAILED_WITH_TERMINAL_ERROR', output: Record<string, unknown> | undefined): TaskExecutionRecord {
    const found = this.d.store.findTaskExecution(taskId);
    if (!found) throw new ApiError(404, `Task execution ${taskId} was not found.`, { missing: [{ id: taskId }] });
    const { execution: e, index } = found;
    const t = e.executedTasks[index];
    const isAsync = t.taskType === 'function' && (t.engine.definition.parameters as { isAsyncComplete?: boolean }).isAsyncComplete === true;
    if (!isAsync) throw new ApiError(400, `Task ${t.externalId} (${taskId}) is not a function task with isAsyncComplete: true; only those take task updates.`);
    if (t.status !== 'IN_PROGRESS' || e.status !== 'RUNNING') {
      throw new ApiError(400, `Task ${t.externalId} (${taskId}) is ${t.status}; only IN_PROGRESS tasks of a RUNNING execution can be updated.`);
    }
    if (output) t.output = { ...t.output, ...output };
    if (status === 'COMPLETED') this.completeTask(e, t);
    else this.attemptFailed(e, t, status === 'FAILED' ? 'error' : 'terminal', `Task ${t.externalId} was updated to ${status}.`);
    this.step(e);
    this.d.store.changed();
    return t;
  }

  /** After a restart: resumes running executions (interrupted attempts start again). */
  resume(): void {
    const running = [...this.d.store.executions.values()].filter((e) => e.status === 'RUNNING').sort((a, b) => a.seq - b.seq);
    for (const e of running) {
      if (e.startTime === undefined) {
        this.queue.push(e.id);
        continue;
      }
      this.started.add(e.id);
      this.armExecutionTimeout(e);
      for (const t of e.executedTasks) {
        if (t.status !== 'IN_PROGRESS') continue;
        if (t.engine.children) this.armTaskTimeout(e, t);
        else if (t.engine.awaitingUpdate) this.armTaskTimeout(e, t);
        else if (e.status === 'RUNNING') {
          t.engine.maxAttempts++;
          this.runAttempt(e, t);
        }
      }
      this.step(e);
    }
    this.startQueued();
  }

  close(): void {
    this.closed = true;
    for (const list of this.timers.values()) for (const t of list) t.cancel();
    this.timers.clear();
    for (const t of this.executionTimers.values()) t.cancel();
    this.executionTimers.clear();
  }

  /**
   * The tasks of a bulk-inserted execution, derived from its definition so that they tell one story:
   * tasks run in dependency order with durations of their own, and the longest chain adds up to the
   * execution's duration. A failed execution fails at the task its reason names ("Task x failed: ...";
   * else the last task), tasks that depend on it are SKIPPED and tasks still running then are CANCELED.
   * A terminated, timed-out or running execution is cut part-way: only tasks that had started are listed.
   * Function tasks get a function call with logs (made once, on the first read), like a real run has.
   */
  synthesizeTasks(e: ExecutionRecord): TaskExecutionRecord[] {
    if (!e.synthetic) return e.executedTasks;
    const defs = e.workflowDefinition.tasks;
    const start = e.startTime ?? e.createdTime;
    const span = Math.max(1, (e.endTime ?? this.d.clock.now()) - start);
    // Unscaled schedule: each task waits for its dependencies and takes a weight of its own (0.5-1.5).
    const weight = (d: TaskDefinition) => 0.5 + (stableHash(`${e.id}/${d.externalId}`) % 1000) / 1000;
    const byId = new Map(defs.map((d) => [d.externalId, d]));
    const at = new Map<string, { from: number; to: number }>();
    const place = (d: TaskDefinition, seen: Set<string>): { from: number; to: number } => {
      const known = at.get(d.externalId);
      if (known) return known;
      if (seen.has(d.externalId)) return { from: 0, to: weight(d) }; // a cycle cannot be stored; be safe
      seen.add(d.externalId);
      const from = Math.max(0, ...d.dependsOn.map((x) => byId.get(x.externalId)).filter((x): x is TaskDefinition => !!x).map((x) => place(x, seen).to));
      const slot = { from, to: from + weight(d) };
      at.set(d.externalId, slot);
      return slot;
    };
    for (const d of defs) place(d, new Set());
    const named = /^Task (\S+) failed: ?(.*)$/s.exec(e.reasonForIncompletion ?? '');
    const failing = e.status === 'FAILED' ? (byId.get(named?.[1] ?? '') ?? defs[defs.length - 1]) : undefined;
    const dependsOnFailing = (d: TaskDefinition, seen = new Set<string>()): boolean =>
      !!failing && d.dependsOn.some((x) => x.externalId === failing.externalId || (!seen.has(x.externalId) && (seen.add(x.externalId), byId.has(x.externalId) && dependsOnFailing(byId.get(x.externalId)!, seen))));
    const full = Math.max(...[...at.values()].map((v) => v.to), 1);
    // Where the execution's own time ends on the unscaled schedule.
    const cut = failing ? at.get(failing.externalId)!.to : e.status === 'COMPLETED' ? full : e.status === 'RUNNING' ? full * 0.5 : full * 0.7;
    const scale = span / cut;
    const time = (x: number) => start + Math.round(x * scale);
    const out: TaskExecutionRecord[] = [];
    defs.forEach((def, i) => {
      const slot = at.get(def.externalId)!;
      let status: TaskStatus;
      let endTime: number | undefined = time(Math.min(slot.to, cut));
      if (def === failing) status = 'FAILED';
      else if (failing && dependsOnFailing(def)) status = 'SKIPPED';
      else if (slot.from >= cut) {
        if (e.status !== 'FAILED') return; // never started: not listed
        status = 'SKIPPED';
      } else if (slot.to <= cut) status = 'COMPLETED';
      else if (e.status === 'RUNNING') {
        status = 'IN_PROGRESS';
        endTime = undefined;
      } else status = e.status === 'TIMED_OUT' ? 'TIMED_OUT' : 'CANCELED';
      const t: TaskExecutionRecord = {
        id: syntheticTaskId(e.id, i),
        externalId: def.externalId,
        status,
        taskType: def.type,
        input: structuredClone(def.parameters),
        output: {},
        engine: { definition: def, attempts: 1, maxAttempts: def.retries + 1 },
      };
      if (status !== 'SKIPPED') t.startTime = time(slot.from);
      if (status !== 'SKIPPED' && endTime !== undefined) t.endTime = endTime;
      if (status === 'FAILED') t.reasonForIncompletion = named?.[2] || (e.reasonForIncompletion ?? 'The task failed.');
      if (def.type === 'function' && t.startTime !== undefined) this.synthesizeCall(e, t, def);
      out.push(t);
    });
    return out;
  }

  /** A function call for a synthesized function task: output with its ids, logs, and an error when it failed. */
  private synthesizeCall(e: ExecutionRecord, t: TaskExecutionRecord, def: TaskDefinition): void {
    const fnExternalId = (def.parameters['function'] as { externalId?: unknown } | undefined)?.externalId;
    const fn = typeof fnExternalId === 'string' ? this.d.store.functionByExternalId(fnExternalId) : undefined;
    if (!fn || t.startTime === undefined) return;
    // The reason of a failed task names its call when it says so ("Function call 123 failed: ...").
    const named = t.status === 'FAILED' ? /Function call (\d+) failed: (.*)$/s.exec(t.reasonForIncompletion ?? '') : null;
    const callId = named ? Number(named[1]) : 1_000_000_000 + (stableHash(`${e.id}/${t.externalId}/call`) % 8_000_000_000);
    if (!this.d.store.calls.has(callId)) {
      const end = t.endTime ?? this.d.clock.now();
      const failed = t.status === 'FAILED';
      this.d.store.calls.set(callId, {
        id: callId,
        functionId: fn.id,
        status: failed ? 'Failed' : t.status === 'IN_PROGRESS' ? 'Running' : 'Completed',
        startTime: t.startTime,
        ...(t.status === 'IN_PROGRESS' ? {} : { endTime: end }),
        ...(failed ? { error: { message: named?.[2] ?? t.reasonForIncompletion ?? 'The function failed.', trace: `Traceback (most recent call last):\n  File "handler.py", line 1, in handle\n${named?.[2] ?? 'Error'}` } } : {}),
        ...(failed || t.status === 'IN_PROGRESS' ? {} : { response: { ok: true, task: t.externalId } }),
        logs: [
          { timestamp: t.startTime + 120, message: `${fn.name}: started for task ${t.externalId} of ${e.workflowExternalId}` },
          failed ? { timestamp: end - 50, message: `ERROR ${named?.[2] ?? t.reasonForIncompletion ?? 'failed'}` } : { timestamp: end - 50, message: `${fn.name}: done in ${Math.round((end - t.startTime) / 1000)} s` },
        ],
      });
    }
    t.output = { callId, functionId: fn.id, ...(t.status === 'COMPLETED' ? { response: { ok: true, task: t.externalId } } : {}) };
  }

  // ---- internals ----------------------------------------------------------------------------------

  private materialize(e: ExecutionRecord): void {
    e.executedTasks = this.synthesizeTasks(e);
    delete e.synthetic;
    for (const t of e.executedTasks) this.d.store.indexTask(t.id, e.id);
  }

  private canStart(e: ExecutionRecord): boolean {
    if (this.started.size >= this.d.limits.concurrentExecutions) return false;
    const workflow = this.d.store.workflows.get(e.workflowExternalId);
    const max = workflow?.maxConcurrentExecutions;
    if (max == null) return true;
    let running = 0;
    for (const id of this.started) if (this.d.store.executions.get(id)?.workflowExternalId === e.workflowExternalId) running++;
    return running < max;
  }

  private begin(e: ExecutionRecord): void {
    e.startTime = this.d.clock.now();
    this.started.add(e.id);
    this.armExecutionTimeout(e);
    this.step(e);
  }

  private startQueued(): void {
    if (this.closed) return;
    const waiting = this.queue;
    this.queue = [];
    for (const id of waiting) {
      const e = this.d.store.executions.get(id);
      if (!e || e.status !== 'RUNNING') continue;
      if (this.canStart(e)) this.begin(e);
      else this.queue.push(id);
    }
  }

  private armExecutionTimeout(e: ExecutionRecord): void {
    this.executionTimers.get(e.id)?.cancel();
    const elapsed = this.d.clock.now() - (e.startTime ?? this.d.clock.now());
    const timer = this.d.clock.setTimer(() => {
      this.executionTimers.delete(e.id);
      if (e.status !== 'RUNNING') return;
      this.abort(e, 'TIMED_OUT', `The execution exceeded the maximum duration of ${Math.round(this.d.limits.executionTimeoutMs / 3_600_000)} hours.`);
    }, Math.max(0, this.d.limits.executionTimeoutMs - elapsed));
    this.executionTimers.set(e.id, timer);
  }

  private finish(e: ExecutionRecord, status: WorkflowStatus, reason?: string): void {
    this.d.store.setExecutionStatus(e, status);
    e.endTime = this.d.clock.now();
    if (reason !== undefined) e.reasonForIncompletion = reason;
    else delete e.reasonForIncompletion;
    this.executionTimers.get(e.id)?.cancel();
    this.executionTimers.delete(e.id);
    for (const t of e.executedTasks) this.clearTimers(t.id);
    this.started.delete(e.id);
    this.d.store.changed();
    for (const l of this.listeners) l(e);
    this.startQueued();
  }

  /** Ends a running execution because a task aborted it (or it timed out). */
  private abort(e: ExecutionRecord, status: WorkflowStatus, reason: string): void {
    const now = this.d.clock.now();
    for (const t of e.executedTasks) {
      if (t.status === 'IN_PROGRESS' || t.status === 'SCHEDULED') {
        this.clearTimers(t.id);
        t.status = 'CANCELED';
        t.endTime = now;
      }
    }
    // Tasks that never started are listed as SKIPPED (top level, and inside containers that had expanded).
    this.skipUnstarted(e, e.workflowDefinition.tasks, null);
    for (const t of [...e.executedTasks]) if (t.engine.children) this.skipUnstarted(e, t.engine.children, t.externalId);
    this.finish(e, status, reason);
  }

  private skipUnstarted(e: ExecutionRecord, defs: TaskDefinition[], parent: string | null): void {
    for (const def of defs) {
      if (this.find(e, def.externalId, parent)) continue;
      const t = this.newTaskRecord(e, def, parent);
      t.status = 'SKIPPED';
      // Never started: the input shows the parameters as defined (references unresolved).
      t.input = structuredClone(def.parameters);
      delete t.startTime;
    }
  }

  private find(e: ExecutionRecord, externalId: string, parent: string | null): TaskExecutionRecord | undefined {
    return e.executedTasks.find((t) => t.externalId === externalId && parentOf(t) === parent);
  }

  private newTaskRecord(e: ExecutionRecord, def: TaskDefinition, parent: string | null): TaskExecutionRecord {
    const t: TaskExecutionRecord = {
      id: newUuid(),
      externalId: def.externalId,
      ...(parent ? { parentTaskExternalId: parent } : {}),
      status: 'SCHEDULED',
      taskType: def.type,
      startTime: this.d.clock.now(),
      input: {},
      output: {},
      engine: { definition: def, attempts: 0, maxAttempts: def.retries + 1 },
    };
    e.executedTasks.push(t);
    this.d.store.indexTask(t.id, e.id);
    return t;
  }

  /** Starts every task whose dependencies are done, completes containers, and ends the execution. */
  private step(e: ExecutionRecord): void {
    if (this.closed) return;
    for (let guard = 0; guard < 10_000; guard++) {
      if (e.status !== 'RUNNING' || e.startTime === undefined) return;
      let progressed = this.stepScope(e, e.workflowDefinition.tasks, null);
      for (const t of [...e.executedTasks]) {
        if (e.status !== 'RUNNING') return;
        if (t.status === 'IN_PROGRESS' && t.engine.children) progressed = this.stepScope(e, t.engine.children, t) || progressed;
      }
      if (!progressed) break;
    }
    if (e.status !== 'RUNNING') return;
    const allDone = e.workflowDefinition.tasks.every((def) => {
      const r = this.find(e, def.externalId, null);
      return r && TERMINAL.has(r.status);
    });
    if (allDone) this.finish(e, 'COMPLETED');
  }

  private stepScope(e: ExecutionRecord, defs: TaskDefinition[], container: TaskExecutionRecord | null): boolean {
    const parent = container?.externalId ?? null;
    let changed = false;
    for (const def of defs) {
      if (e.status !== 'RUNNING') return true;
      if (container && container.status !== 'IN_PROGRESS') return true;
      if (this.find(e, def.externalId, parent)) continue;
      const ready = def.dependsOn.every((dep) => {
        const r = this.find(e, dep.externalId, parent);
        return r && DONE_OK.has(r.status);
      });
      if (!ready) continue;
      if (e.executedTasks.length >= this.d.limits.tasksPerExecution) {
        const reason = `The execution reached the limit of ${this.d.limits.tasksPerExecution} tasks.`;
        if (container) this.attemptFailed(e, container, 'child', reason);
        else this.abort(e, 'FAILED', reason);
        return true;
      }
      const t = this.newTaskRecord(e, def, parent);
      this.runAttempt(e, t);
      changed = true;
    }
    if (container && container.status === 'IN_PROGRESS') {
      const children = defs.map((def) => this.find(e, def.externalId, parent));
      if (children.every((c) => c && DONE_OK.has(c.status))) {
        this.completeTask(e, container, children.some((c) => c!.status === 'COMPLETED_WITH_ERRORS') ? 'COMPLETED_WITH_ERRORS' : 'COMPLETED');
        changed = true;
      }
    }
    return changed;
  }

  private scopeFor(e: ExecutionRecord, t: TaskExecutionRecord): ReferenceScope {
    const tasks = new Map<string, { input: unknown; output: unknown }>();
    const addUpstream = (defs: TaskDefinition[], parent: string | null, ids: string[]): void => {
      const byId = new Map(defs.map((d) => [d.externalId, d]));
      const seen = new Set<string>();
      const visit = (id: string): void => {
        if (seen.has(id)) return;
        seen.add(id);
        const r = this.find(e, id, parent);
        if (r) tasks.set(id, { input: r.input, output: r.output });
        for (const dep of byId.get(id)?.dependsOn ?? []) visit(dep.externalId);
      };
      for (const id of ids) visit(id);
    };
    const parent = parentOf(t);
    if (parent) {
      const container = this.find(e, parent, null);
      if (container) {
        addUpstream(container.engine.children ?? [], parent, t.engine.definition.dependsOn.map((d) => d.externalId));
        tasks.set(container.externalId, { input: container.input, output: container.output });
        addUpstream(e.workflowDefinition.tasks, null, container.engine.definition.dependsOn.map((d) => d.externalId));
      }
    } else {
      addUpstream(e.workflowDefinition.tasks, null, t.engine.definition.dependsOn.map((d) => d.externalId));
    }
    return { workflowInput: e.input, tasks };
  }

  private clearTimers(taskId: string): void {
    for (const timer of this.timers.get(taskId) ?? []) timer.cancel();
    this.timers.delete(taskId);
  }

  private addTimer(taskId: string, timer: ClockTimer): void {
    const list = this.timers.get(taskId);
    if (list) list.push(timer);
    else this.timers.set(taskId, [timer]);
  }

  private armTaskTimeout(e: ExecutionRecord, t: TaskExecutionRecord): void {
    const attempt = t.engine.attempts;
    this.addTimer(
      t.id,
      this.d.clock.setTimer(() => {
        if (e.status !== 'RUNNING' || t.status !== 'IN_PROGRESS' || t.engine.attempts !== attempt) return;
        this.cancelChildren(e, t);
        this.attemptFailed(e, t, 'timeout', `Task ${t.externalId} timed out after ${t.engine.definition.timeout} seconds.`);
        this.step(e);
      }, t.engine.definition.timeout * 1000),
    );
  }

  /** Guards callbacks of async work: true while this attempt is still the live one. */
  private isLive(e: ExecutionRecord, t: TaskExecutionRecord, attempt: number): boolean {
    return !this.closed && e.status === 'RUNNING' && t.status === 'IN_PROGRESS' && t.engine.attempts === attempt;
  }

  private runAttempt(e: ExecutionRecord, t: TaskExecutionRecord): void {
    this.clearTimers(t.id);
    t.engine.attempts++;
    t.status = 'IN_PROGRESS';
    t.startTime ??= this.d.clock.now();
    delete t.endTime;
    delete t.reasonForIncompletion;
    delete t.engine.awaitingUpdate;
    const def = t.engine.definition;
    const attempt = t.engine.attempts;
    const input = resolveReferences(def.parameters, this.scopeFor(e, t)) as Record<string, unknown>;
    t.input = input;
    t.output = {};
    this.armTaskTimeout(e, t);
    try {
      switch (def.type) {
        case 'function':
          this.runFunction(e, t, attempt);
          break;
        case 'transformation':
          this.runTransformation(e, t, attempt);
          break;
        case 'cdf':
          this.runCdf(e, t, attempt);
          break;
        case 'simulation':
          this.runSimulation(e, t, attempt);
          break;
        case 'dynamic':
          this.expandDynamic(e, t);
          break;
        case 'subworkflow':
          this.expandSubworkflow(e, t);
          break;
        case 'functionApp':
          throw new Error(
            'The local sandbox stores functionApp tasks but cannot run them: it has no Cognite Function apps. Run this version in a CDF project that has the function app.',
          );
      }
    } catch (err) {
      this.attemptFailed(e, t, 'error', err instanceof Error ? err.message : String(err));
    }
  }

  private runFunction(e: ExecutionRecord, t: TaskExecutionRecord, attempt: number): void {
    const params = t.input as { function?: { externalId?: unknown; data?: unknown }; isAsyncComplete?: boolean };
    const externalId = params.function?.externalId;
    if (typeof externalId !== 'string' || !externalId) throw new Error('parameters.function.externalId did not resolve to a string.');
    const fn = this.d.store.functionByExternalId(externalId);
    if (!fn) throw new Error(`Function ${externalId} was not found in the project.`);
    if (fn.status !== 'Ready') throw new Error(`Function ${externalId} is not ready to be called (status ${fn.status}).`);
    const rawData = params.function?.data;
    const data: Record<string, unknown> = rawData && typeof rawData === 'object' && !Array.isArray(rawData) ? { ...(rawData as Record<string, unknown>) } : {};
    if (t.engine.definition.parameters['isAsyncComplete'] === true) {
      // The function learns its task id so it (or a system it calls) can complete the task later.
      data['cogniteOrchestrationTaskId'] = t.id;
      t.input = { ...t.input, function: { ...(params.function ?? {}), data } };
    }
    if (e.sessionId !== undefined && !this.d.sessions.isUsable(e.sessionId)) throw new Error(`The execution's session ${e.sessionId} has been revoked.`);
    const call = this.d.startFunctionCall(fn, data, e.sessionId, (done) => {
      if (!this.isLive(e, t, attempt)) return;
      if (done.status === 'Completed') {
        // A handler that returns None gives a null response, as in CDF.
        t.output = { ...t.output, response: done.response === undefined ? null : done.response };
        if (t.engine.definition.parameters['isAsyncComplete'] === true) {
          t.engine.awaitingUpdate = true;
          this.d.store.changed();
        } else {
          this.completeTask(e, t);
        }
      } else {
        const why = done.status === 'Timeout' ? 'timed out' : 'failed';
        this.attemptFailed(e, t, 'error', `Function call ${done.id} ${why}: ${done.error?.message ?? 'no error message'}`);
      }
      this.step(e);
    });
    t.output = { callId: call.id, functionId: fn.id };
  }

  private runTransformation(e: ExecutionRecord, t: TaskExecutionRecord, attempt: number): void {
    const params = (t.input as { transformation?: { externalId?: unknown; concurrencyPolicy?: string } }).transformation;
    const externalId = params?.externalId;
    if (typeof externalId !== 'string' || !externalId) throw new Error('parameters.transformation.externalId did not resolve to a string.');
    const now = this.d.clock.now();
    const current = this.d.transformations.running(externalId, now);
    const policy = params?.concurrencyPolicy ?? 'fail';
    let job;
    if (current && policy === 'fail') throw new Error(`Transformation ${externalId} is already running (job ${current.jobId}) and concurrencyPolicy is "fail".`);
    else if (current && policy === 'waitForCurrent') job = current;
    else job = this.d.transformations.start(externalId, current ? current.endsAt : now);
    t.output = { jobId: job.jobId };
    this.addTimer(
      t.id,
      this.d.clock.setTimer(() => {
        if (!this.isLive(e, t, attempt)) return;
        if (job.status === 'Completed') this.completeTask(e, t);
        else this.attemptFailed(e, t, 'error', `Transformation job ${job.jobId} failed: ${job.error ?? 'unknown error'}`);
        this.step(e);
      }, Math.max(0, job.endsAt - now)),
    );
  }

  private runSimulation(e: ExecutionRecord, t: TaskExecutionRecord, attempt: number): void {
    // The sandbox has no simulators: a simulation run succeeds after a few seconds.
    const runId = Math.floor(Math.random() * 9_000_000) + 1_000_000;
    t.output = { runId, logId: runId + 1 };
    this.addTimer(
      t.id,
      this.d.clock.setTimer(() => {
        if (!this.isLive(e, t, attempt)) return;
        t.output = { ...t.output, statusMessage: 'Simulation run completed (sandbox simulation).' };
        this.completeTask(e, t);
        this.step(e);
      }, 5000),
    );
  }

  private runCdf(e: ExecutionRecord, t: TaskExecutionRecord, attempt: number): void {
    const p = (t.input as { cdfRequest?: Record<string, unknown> }).cdfRequest ?? {};
    const resourcePath = p['resourcePath'];
    const method = p['method'];
    if (typeof resourcePath !== 'string' || !resourcePath.startsWith('/') || resourcePath.includes('://')) {
      throw new Error('cdfRequest.resourcePath must resolve to a path under the project, like /timeseries/list.');
    }
    if (method !== 'GET' && method !== 'POST' && method !== 'PUT') throw new Error('cdfRequest.method must resolve to GET, POST or PUT.');
    if (!this.d.emulates(method, resourcePath)) {
      throw new Error(
        `The local sandbox does not emulate ${method} ${resourcePath.split('?')[0]}: it has only the Data Workflows, Sessions, Functions and Files APIs. In CDF this request goes to the project's API; run the version there to try it.`,
      );
    }
    if (e.sessionId === undefined || !this.d.sessions.isUsable(e.sessionId)) throw new Error("The execution's session is not active.");
    const query = p['queryParameters'];
    const spec: CdfRequestSpec = {
      method,
      resourcePath,
      timeoutMs: typeof p['requestTimeoutInMillis'] === 'number' ? p['requestTimeoutInMillis'] : 10_000,
      token: this.d.sessions.tokenFor(e.sessionId),
      ...(query && typeof query === 'object' ? { queryParameters: query as Record<string, string> } : {}),
      ...(p['body'] !== undefined && p['body'] !== null ? { body: p['body'] } : {}),
      ...(typeof p['cdfVersionHeader'] === 'string' ? { cdfVersion: p['cdfVersionHeader'] } : {}),
    };
    const work = this.d.cdfRequest(spec).then(
      (res) => {
        if (!this.isLive(e, t, attempt)) return;
        t.output = { statusCode: res.statusCode, response: res.response };
        if (res.statusCode >= 400) {
          const msg = (res.response as { error?: { message?: string } })?.error?.message;
          this.attemptFailed(e, t, 'error', `The CDF request ${method} ${resourcePath} answered ${res.statusCode}${msg ? `: ${msg}` : ''}`);
        } else this.completeTask(e, t);
        this.step(e);
      },
      (err: unknown) => {
        if (!this.isLive(e, t, attempt)) return;
        this.attemptFailed(e, t, 'error', `The CDF request ${method} ${resourcePath} failed: ${(err as Error)?.message ?? String(err)}`);
        this.step(e);
      },
    );
    this.d.clock.track(work);
  }

  private expandDynamic(e: ExecutionRecord, t: TaskExecutionRecord): void {
    const tasks = (t.input as { dynamic?: { tasks?: unknown } }).dynamic?.tasks;
    if (!Array.isArray(tasks)) {
      throw new Error(`The dynamic task's reference ${String((t.engine.definition.parameters as { dynamic: { tasks: string } }).dynamic.tasks)} did not resolve to a list of task definitions.`);
    }
    const taken = new Set(e.executedTasks.filter((r) => parentOf(r) !== t.externalId).map((r) => r.externalId));
    let children: TaskDefinition[];
    try {
      children = normalizeTasks(tasks, ['dynamic', 'tasks'], { allowContainers: false, taken }, 100);
    } catch (err) {
      throw new Error(`The dynamic task list is not valid: ${err instanceof ApiError ? err.message : String(err)}`, { cause: err });
    }
    t.engine.children = children;
    t.output = { dynamicTasks: children.map(taskDefinitionView) };
  }

  private expandSubworkflow(e: ExecutionRecord, t: TaskExecutionRecord): void {
    const sub = t.engine.definition.parameters['subworkflow'] as { tasks?: TaskDefinition[]; workflowExternalId?: string; version?: string };
    if (sub.tasks) {
      t.engine.children = sub.tasks;
    } else {
      const key = versionKey(sub.workflowExternalId ?? '', sub.version ?? '');
      const version = this.d.store.versions.get(key);
      if (!version) throw new Error(`The subworkflow ${sub.workflowExternalId} version ${sub.version} was not found.`);
      const nested = version.workflowDefinition.tasks.find((d) => d.type === 'dynamic' || d.type === 'subworkflow');
      if (nested) throw new Error(`The subworkflow ${sub.workflowExternalId} version ${sub.version} contains a ${nested.type} task, which subworkflows cannot have.`);
      const clash = version.workflowDefinition.tasks.find((d) => e.executedTasks.some((r) => r.externalId === d.externalId) || e.workflowDefinition.tasks.some((x) => x.externalId === d.externalId));
      if (clash) throw new Error(`The subworkflow ${sub.workflowExternalId} version ${sub.version} has a task "${clash.externalId}" whose external id is already used in this execution.`);
      t.engine.children = structuredClone(version.workflowDefinition.tasks);
    }
    t.output = {};
  }

  private cancelChildren(e: ExecutionRecord, container: TaskExecutionRecord): void {
    if (!container.engine.children) return;
    const now = this.d.clock.now();
    for (const c of e.executedTasks) {
      if (parentOf(c) !== container.externalId) continue;
      if (c.status === 'IN_PROGRESS' || c.status === 'SCHEDULED') {
        this.clearTimers(c.id);
        c.status = 'CANCELED';
        c.endTime = now;
      }
    }
    this.skipUnstarted(e, container.engine.children, container.externalId);
  }

  private completeTask(_e: ExecutionRecord, t: TaskExecutionRecord, status: 'COMPLETED' | 'COMPLETED_WITH_ERRORS' = 'COMPLETED'): void {
    this.clearTimers(t.id);
    t.status = status;
    t.endTime = this.d.clock.now();
    delete t.engine.awaitingUpdate;
    this.d.store.changed();
  }

  /** One attempt failed: retry it, or settle the task per its onFailure and propagate. */
  private attemptFailed(e: ExecutionRecord, t: TaskExecutionRecord, kind: FailureKind, reason: string): void {
    this.clearTimers(t.id);
    t.reasonForIncompletion = reason;
    const def = t.engine.definition;
    const mayRetry = kind === 'error' || (kind === 'timeout' && def.onFailure === 'skipTask');
    if (mayRetry && t.engine.attempts < t.engine.maxAttempts && !t.engine.children) {
      this.runAttempt(e, t);
      return;
    }
    t.endTime = this.d.clock.now();
    delete t.engine.awaitingUpdate;
    if (def.onFailure === 'skipTask') {
      t.status = 'COMPLETED_WITH_ERRORS';
      this.d.store.changed();
      return;
    }
    t.status = kind === 'timeout' ? 'TIMED_OUT' : kind === 'terminal' ? 'FAILED_WITH_TERMINAL_ERROR' : 'FAILED';
    this.d.store.changed();
    const parent = parentOf(t);
    if (parent) {
      const container = this.find(e, parent, null);
      if (container && container.status === 'IN_PROGRESS') {
        this.cancelChildren(e, container);
        this.attemptFailed(e, container, 'child', `Task ${t.externalId} failed: ${reason}`);
      }
      return;
    }
    this.abort(e, 'FAILED', `Task ${t.externalId} failed: ${reason}`);
  }
}

/** A small stable hash (FNV-1a), so synthesized durations and ids are the same on every read. */
function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Stable UUID-shaped id for a synthesized task (so a detail read twice shows the same ids). */
function syntheticTaskId(executionId: string, index: number): string {
  const suffix = (index + 1).toString(16).padStart(4, '0');
  return `${executionId.slice(0, 32)}${suffix}`;
}
