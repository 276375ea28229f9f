// In-memory state of the sandbox with the indexes lists need (executions by time, per workflow).
import type {
  DataSetRecord,
  ExecutionRecord,
  FileRecord,
  FunctionCallRecord,
  FunctionRecord,
  ScheduleRecord,
  SessionRecord,
  TriggerRecord,
  VersionRecord,
  WorkflowRecord,
  WorkflowStatus,
} from './model';

export const versionKey = (workflowExternalId: string, version: string): string => `${workflowExternalId}\u0000${version}`;

/** Position of an execution in newest-first order: later createdTime first, then later seq. */
export interface ExecutionPosition {
  t: number;
  s: number;
}

export interface ExecutionQuery {
  workflowFilters?: { externalId: string; version?: string }[];
  createdTimeStart?: number;
  createdTimeEnd?: number;
  status?: WorkflowStatus[];
  /** Continue after this position (exclusive). */
  after?: ExecutionPosition;
  limit: number;
  /** Extra predicate (data-set scoped access). */
  visible?: (e: ExecutionRecord) => boolean;
}

const before = (a: ExecutionRecord, t: number, s: number): boolean => a.createdTime < t || (a.createdTime === t && a.seq < s);

/** Index of the first element that is not before (t, s) in an ascending array. */
function lowerBound(list: ExecutionRecord[], t: number, s: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(list[mid], t, s)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(list: ExecutionRecord[], e: ExecutionRecord): void {
  const last = list[list.length - 1];
  if (!last || !before(e, last.createdTime, last.seq)) {
    list.push(e);
    return;
  }
  list.splice(lowerBound(list, e.createdTime, e.seq), 0, e);
}

const ascending = (a: ExecutionRecord, b: ExecutionRecord): number => a.createdTime - b.createdTime || a.seq - b.seq;

export class Store {
  readonly workflows = new Map<string, WorkflowRecord>();
  readonly versions = new Map<string, VersionRecord>();
  readonly executions = new Map<string, ExecutionRecord>();
  readonly triggers = new Map<string, TriggerRecord>();
  readonly sessions = new Map<number, SessionRecord>();
  readonly functions = new Map<number, FunctionRecord>();
  readonly calls = new Map<number, FunctionCallRecord>();
  readonly schedules = new Map<number, ScheduleRecord>();
  readonly files = new Map<number, FileRecord>();
  readonly fileContents = new Map<number, Buffer>();
  readonly dataSets = new Map<number, DataSetRecord>();

  /** All executions, oldest first (lists walk it backwards). */
  private executionsByTime: ExecutionRecord[] = [];
  private readonly executionsByWorkflow = new Map<string, ExecutionRecord[]>();
  /** Executions per status, oldest first, so a status filter reads only matching executions. */
  private readonly executionsByStatus = new Map<WorkflowStatus, ExecutionRecord[]>();
  /** Bulk inserts append and sort once, on the next read. */
  private unsorted = false;
  private nextSeq = 1;
  private readonly taskIndex = new Map<string, string>();
  private readonly listeners = new Set<() => void>();

  /** Called after every change, so persistence can schedule a write. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    for (const l of this.listeners) l();
  }

  allocateSeq(): number {
    return this.nextSeq++;
  }

  addExecution(e: ExecutionRecord): void {
    this.sortIfNeeded();
    if (e.seq >= this.nextSeq) this.nextSeq = e.seq + 1;
    this.executions.set(e.id, e);
    for (const t of e.executedTasks) this.taskIndex.set(t.id, e.id);
    insertSorted(this.executionsByTime, e);
    insertSorted(this.listFor(this.executionsByWorkflow, e.workflowExternalId), e);
    insertSorted(this.listFor(this.executionsByStatus, e.status), e);
  }

  /** Adds many executions at once; the indexes are sorted once, on the next read. */
  addExecutions(list: ExecutionRecord[]): void {
    for (const e of list) {
      if (e.seq >= this.nextSeq) this.nextSeq = e.seq + 1;
      this.executions.set(e.id, e);
      for (const t of e.executedTasks) this.taskIndex.set(t.id, e.id);
      this.executionsByTime.push(e);
      this.listFor(this.executionsByWorkflow, e.workflowExternalId).push(e);
      this.listFor(this.executionsByStatus, e.status).push(e);
    }
    if (list.length > 0) this.unsorted = true;
  }

  /** Changes an execution's status, keeping the status index right. Use it for every status change. */
  setExecutionStatus(e: ExecutionRecord, status: WorkflowStatus): void {
    if (e.status === status) return;
    this.sortIfNeeded();
    const from = this.executionsByStatus.get(e.status);
    if (from) {
      const i = lowerBound(from, e.createdTime, e.seq);
      if (from[i] === e) from.splice(i, 1);
      else {
        const j = from.indexOf(e);
        if (j >= 0) from.splice(j, 1);
      }
    }
    e.status = status;
    insertSorted(this.listFor(this.executionsByStatus, status), e);
  }

  executionsOf(workflowExternalId: string): readonly ExecutionRecord[] {
    this.sortIfNeeded();
    return this.executionsByWorkflow.get(workflowExternalId) ?? [];
  }

  private listFor<K>(index: Map<K, ExecutionRecord[]>, key: K): ExecutionRecord[] {
    let list = index.get(key);
    if (!list) index.set(key, (list = []));
    return list;
  }

  private sortIfNeeded(): void {
    if (!this.unsorted) return;
    this.unsorted = false;
    this.executionsByTime.sort(ascending);
    for (const list of this.executionsByWorkflow.values()) list.sort(ascending);
    for (const list of this.executionsByStatus.values()) list.sort(ascending);
  }

  get executionCount(): number {
    this.sortIfNeeded();
    return this.executionsByTime.length;
  }

  /** One page of executions, newest first, and whether more match after it. */
  queryExecutions(q: ExecutionQuery): { items: ExecutionRecord[]; more: boolean } {
    this.sortIfNeeded();
    const statuses = q.status && q.status.length > 0 ? new Set(q.status) : undefined;
    const matches = (e: ExecutionRecord): boolean =>
      (!statuses || statuses.has(e.status)) &&
      (q.createdTimeStart === undefined || e.createdTime >= q.createdTimeStart) &&
      (q.createdTimeEnd === undefined || e.createdTime <= q.createdTimeEnd) &&
      (!q.visible || q.visible(e));

    let sources: { list: ExecutionRecord[]; versions?: Set<string> }[];
    if (q.workflowFilters && q.workflowFilters.length > 0) {
      const byWorkflow = new Map<string, Set<string> | undefined>();
      for (const f of q.workflowFilters) {
        if (byWorkflow.has(f.externalId) && byWorkflow.get(f.externalId) === undefined) continue;
        if (f.version === undefined) byWorkflow.set(f.externalId, undefined);
        else byWorkflow.set(f.externalId, new Set([...(byWorkflow.get(f.externalId) ?? []), f.version]));
      }
      sources = [];
      for (const [w, versions] of byWorkflow) {
        const list = this.executionsByWorkflow.get(w);
        if (list && list.length > 0) sources.push(versions ? { list, versions } : { list });
      }
    } else if (statuses) {
      // Only the executions in the wanted statuses are read.
      sources = [...statuses].map((st) => ({ list: this.executionsByStatus.get(st) ?? [] })).filter((src) => src.list.length > 0);
    } else {
      sources = [{ list: this.executionsByTime }];
    }

    // Each source is walked backwards from the cursor (or its end) and bounded by createdTimeStart; a
    // k-way merge keeps newest-first order across workflows.
    const heads = sources.map((src) => {
      let i = src.list.length - 1;
      if (q.after) i = lowerBound(src.list, q.after.t, q.after.s) - 1;
      if (q.createdTimeEnd !== undefined) i = Math.min(i, lowerBound(src.list, q.createdTimeEnd + 1, 0) - 1);
      return { ...src, i };
    });
    const stopAt = q.createdTimeStart;
    const items: ExecutionRecord[] = [];
    for (;;) {
      let best = -1;
      for (let h = 0; h < heads.length; h++) {
        const head = heads[h];
        // Skip entries of other versions, and stop a source once it is older than createdTimeStart.
        while (head.i >= 0) {
          const e = head.list[head.i];
          if (stopAt !== undefined && e.createdTime < stopAt) {
            head.i = -1;
            break;
          }
          if (head.versions && !head.versions.has(e.version)) {
            head.i--;
            continue;
          }
          if (!matches(e)) {
            head.i--;
            continue;
          }
          break;
        }
        if (head.i < 0) continue;
        if (best < 0) best = h;
        else {
          const a = head.list[head.i];
          const b = heads[best].list[heads[best].i];
          if (!before(a, b.createdTime, b.seq)) best = h;
        }
      }
      if (best < 0) return { items, more: false };
      if (items.length === q.limit) return { items, more: true };
      const head = heads[best];
      items.push(head.list[head.i]);
      head.i--;
    }
  }

  /** Removes executions (workflow deletion keeps them; this is for tests that reset history). */
  removeExecutionsOf(workflowExternalId: string): void {
    const list = this.executionsByWorkflow.get(workflowExternalId);
    if (!list) return;
    for (const e of list) this.executions.delete(e.id);
    this.executionsByWorkflow.delete(workflowExternalId);
    this.executionsByTime = this.executionsByTime.filter((e) => e.workflowExternalId !== workflowExternalId);
    for (const [status, l] of this.executionsByStatus) this.executionsByStatus.set(status, l.filter((e) => e.workflowExternalId !== workflowExternalId));
  }

  /** Remembers which execution a task execution id belongs to (for task updates). */
  indexTask(taskId: string, executionId: string): void {
    this.taskIndex.set(taskId, executionId);
  }

  findTaskExecution(taskId: string): { execution: ExecutionRecord; index: number } | undefined {
    const executionId = this.taskIndex.get(taskId);
    const execution = executionId === undefined ? undefined : this.executions.get(executionId);
    if (!execution) return undefined;
    const index = execution.executedTasks.findIndex((t) => t.id === taskId);
    return index >= 0 ? { execution, index } : undefined;
  }

  functionByExternalId(externalId: string): FunctionRecord | undefined {
    for (const f of this.functions.values()) if (f.externalId === externalId) return f;
    return undefined;
  }

  fileByExternalId(externalId: string): FileRecord | undefined {
    for (const f of this.files.values()) if (f.externalId === externalId) return f;
    return undefined;
  }
}
