// Follows executions until they end and tells the tree and the user. Three kinds of following, each at a
// cost that is known in advance:
// - a run the user started (or retried) is read by id until it ends, whatever the view does, and a
//   notification says how it ended; when reads keep failing the user is told and can follow it again;
// - the running executions the tree shows are followed per workflow version: one executions/list of the
//   version's RUNNING executions per interval, plus one read of each that has ended, however many are
//   on screen;
// - the tasks of a running execution are only in its details, so an execution the user has expanded is
//   read by id too: one read per interval for each expanded one (users expand few), none for collapsed ones.
// Nothing the tree shows is followed while the view is hidden. Every loop backs off while nothing changes,
// with jitter so that loops started together drift apart.
import * as vscode from 'vscode';
import { CancelledError } from '../../core/errors';
import { type Execution, type ExecutionDetailed } from '../../core/schemas/executions';
import { ExecutionWatcher, RunningExecutionsWatcher, type VersionRef } from '../../core/watch';
import { config } from '../config';
import { type ConnectionManager } from '../connections/manager';
import { DisposableBase } from '../lifecycle';
import { type UserInput } from '../ui';
import { elapsed, formatDuration, statusLabel } from './format';

/** Names an execution from anywhere: a tree node, a notification, a command argument. */
export interface ExecutionRef {
  readonly connection: string;
  readonly executionId: string;
}

export interface ExecutionUpdate {
  readonly connection: string;
  readonly execution: ExecutionDetailed;
}

/** A newer list summary of a running execution the tree shows (no tasks: only its own node changes). */
export interface ExecutionSummaryUpdate {
  readonly connection: string;
  readonly execution: Execution;
}

/** Waits are stretched by up to 20% at random so that loops do not poll in step. */
const FOLLOW_JITTER = 0.2;
/** Reads (or list polls) in a row that may fail before following stops. */
const MAX_FAILURES = 5;
/** Running executions listed per request (CDF's maximum page). */
const LIST_LIMIT = 1000;

interface ConnectionWatch {
  /** Reads executions by id: runs the user follows, expanded nodes, open details documents. */
  readonly byId: ExecutionWatcher<ExecutionDetailed>;
  /** Lists the running executions of the versions the tree shows. */
  readonly byList: RunningExecutionsWatcher<Execution, ExecutionDetailed>;
  /** Expanded running executions read by id, with the controller that stops reading them. */
  readonly expanded: Map<string, AbortController>;
}

/** A run the user follows, as the status bar shows it. */
export interface FollowedRun {
  readonly ref: ExecutionRef;
  /** The latest state known (the run's summary until the first read). */
  readonly execution?: Execution | ExecutionDetailed;
}

function keyOf(ref: ExecutionRef): string {
  return `${ref.connection}\u0000${ref.executionId}`;
}

export class ExecutionTracker extends DisposableBase {
  private readonly watches = new Map<string, ConnectionWatch>();
  private readonly userFollowed = new Set<string>();
  /** Executions no longer followed because reads kept failing, with why; `user` marks a run the user started. */
  private readonly stopped = new Map<string, { reason: string; user: boolean }>();
  /** The latest state of each run the user follows, by key (for the status bar, the tree's first expansion, and to name it when following stops). */
  private readonly latest = new Map<string, { ref: ExecutionRef; execution?: Execution | ExecutionDetailed }>();
  /** The final states of the last runs the user followed: a run that ends before the tree expands it needs no read. */
  private readonly ended = new Map<string, { execution: ExecutionDetailed; at: number }>();
  /** Runs the user asked to cancel: their end is news, not an error. */
  private readonly cancelRequested = new Set<string>();
  private readonly followedEmitter = this.register(new vscode.EventEmitter<void>());
  /** The set of runs the user follows, or the state of one of them, changed. */
  readonly onDidChangeFollowedRuns = this.followedEmitter.event;
  private viewVisible = false;
  private readonly emitter = this.register(new vscode.EventEmitter<ExecutionUpdate>());
  /** Every new state of a followed execution (the tree updates the one node; details documents refresh). */
  readonly onDidUpdate = this.emitter.event;
  private readonly summaryEmitter = this.register(new vscode.EventEmitter<ExecutionSummaryUpdate>());
  /** A running execution the tree shows changed in its list summary (e.g. it started after waiting). */
  readonly onDidUpdateSummary = this.summaryEmitter.event;
  private readonly followingEmitter = this.register(new vscode.EventEmitter<ExecutionRef>());
  /** Following of this execution stopped after failures, or started again (see stoppedFollowing). */
  readonly onDidChangeFollowing = this.followingEmitter.event;

  constructor(
    private readonly connections: ConnectionManager,
    private readonly ui: () => UserInput,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.registerAll(
      config.onDidChange(e => {
        if (!e.affectsConfiguration('cdfWorkflows.follow')) return;
        const intervals = { minIntervalMs: config.followMinIntervalMs(), maxIntervalMs: config.followMaxIntervalMs() };
        for (const w of this.watches.values()) {
          w.byId.setIntervals(intervals);
          w.byList.setIntervals(intervals);
        }
      }),
      connections.onDidChange(() => this.dropRemovedConnections()),
    );
  }

  /** Executions followed right now, by connection (for tests and benchmarks). */
  get followed(): { connection: string; ids: readonly string[] }[] {
    return [...this.watches].map(([connection, w]) => ({ connection, ids: [...new Set([...w.byId.followedIds, ...w.byList.watchedIds])] }));
  }

  /** Versions whose running executions are listed each interval, by connection (for tests and benchmarks). */
  get listedVersions(): number {
    return [...this.watches.values()].reduce((n, w) => n + w.byList.versionCount, 0);
  }

  /**
   * Follows a run the user started until it ends, then notifies (per the follow.notify setting) with
   * "Show Details". Resolves with the final state; following the same run twice shares one poll loop.
   * When reads keep failing it resolves with undefined after telling the user, who can follow it again.
   */
  async follow(ref: ExecutionRef, initial?: ExecutionDetailed | Execution, signal?: AbortSignal): Promise<ExecutionDetailed | undefined> {
    const key = keyOf(ref);
    const first = !this.userFollowed.has(key);
    this.userFollowed.add(key);
    if (first) {
      this.latest.set(key, { ref: { connection: ref.connection, executionId: ref.executionId }, execution: initial });
      this.followedEmitter.fire();
    }
    if (this.stopped.delete(key)) this.followingEmitter.fire(ref);
    try {
      const final = await this.watch(ref.connection).byId.follow(ref.executionId, { initial: asInitial(initial), signal });
      if (first) {
        this.ended.set(key, { execution: final, at: Date.now() });
        for (const old of [...this.ended.keys()].slice(0, Math.max(0, this.ended.size - 20))) this.ended.delete(old);
        this.notifyEnd(ref.connection, final);
      }
      return final;
    } catch (e) {
      if (e instanceof CancelledError) return undefined;
      if (first) this.reportStopped(ref, e);
      return undefined;
    } finally {
      if (first) {
        this.userFollowed.delete(key);
        this.latest.delete(key);
        this.cancelRequested.delete(key);
        this.followedEmitter.fire();
      }
    }
  }

  /** The runs the user follows right now, oldest first. */
  get followedRuns(): FollowedRun[] {
    return [...this.latest.values()];
  }

  /**
   * The detailed state of a run the user follows: the latest read, else the next one (its follow loop
   * reads it anyway, so this costs no request). Undefined when none comes within `timeoutMs`.
   */
  stateOf(ref: ExecutionRef, timeoutMs = 10_000): Promise<ExecutionDetailed | undefined> {
    // A final state serves for a couple of minutes only: later the execution may have been retried elsewhere.
    const ended = this.ended.get(keyOf(ref));
    const known = this.latest.get(keyOf(ref))?.execution ?? (ended && Date.now() - ended.at < 120_000 ? ended.execution : undefined);
    if (known && isDetailedExecution(known)) return Promise.resolve(known);
    if (!this.userFollowed.has(keyOf(ref))) return Promise.resolve(undefined);
    return new Promise(resolve => {
      const done = (e: ExecutionDetailed | undefined) => {
        clearTimeout(timer);
        sub.dispose();
        ended.dispose();
        resolve(e);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      const sub = this.onDidUpdate(u => {
        if (u.connection === ref.connection && u.execution.id === ref.executionId) done(u.execution);
      });
      const ended = this.onDidChangeFollowedRuns(() => {
        if (!this.userFollowed.has(keyOf(ref))) done(undefined);
      });
    });
  }

  /** The user asked to cancel this run: when it ends terminated, that is what they wanted (information). */
  noteCancelRequested(ref: ExecutionRef): void {
    this.cancelRequested.add(keyOf(ref));
  }

  /** True while some poll loop reads this execution (a followed run, a visible node, an open document). */
  isFollowing(ref: ExecutionRef): boolean {
    const w = this.watches.get(ref.connection);
    return !!w && (w.byId.isFollowing(ref.executionId) || w.byList.isWatching(ref.executionId));
  }

  /** True while a loop reads this execution by id, so the state it publishes carries the tasks. */
  isReadById(ref: ExecutionRef): boolean {
    return this.watches.get(ref.connection)?.byId.isFollowing(ref.executionId) ?? false;
  }

  isFollowedByUser(ref: ExecutionRef): boolean {
    return this.userFollowed.has(keyOf(ref));
  }

  /** Why this execution is no longer followed (reads kept failing), or undefined. */
  stoppedFollowing(ref: ExecutionRef): { reason: string; user: boolean } | undefined {
    return this.stopped.get(keyOf(ref));
  }

  /**
   * The tree shows these running executions of a version (and no others of it): follow them while the
   * view is visible, with one list of the version's running executions per interval. Their states as
   * shown spare a first read.
   */
  showRunning(connection: string, version: VersionRef, executions: readonly Execution[]): void {
    if (!this.viewVisible) return;
    if (executions.length === 0) {
      this.hideVersion(connection, version);
      return;
    }
    for (const e of executions) {
      const key = keyOf({ connection, executionId: e.id });
      if (this.stopped.get(key)?.user === false && this.stopped.delete(key)) this.followingEmitter.fire({ connection, executionId: e.id });
    }
    this.watch(connection).byList.show(version, executions);
  }

  /** The version is collapsed: its executions are off screen. */
  hideVersion(connection: string, version: VersionRef): void {
    this.watches.get(connection)?.byList.unwatch(version);
  }

  /** An expanded running execution: read it by id while the view shows it, so its tasks stay live. */
  followExpanded(ref: ExecutionRef, initial?: ExecutionDetailed): void {
    if (!this.viewVisible) return;
    const w = this.watch(ref.connection);
    if (w.expanded.has(ref.executionId)) return;
    const stop = new AbortController();
    w.expanded.set(ref.executionId, stop);
    const done = () => {
      if (w.expanded.get(ref.executionId) === stop) w.expanded.delete(ref.executionId);
    };
    w.byId.follow(ref.executionId, { signal: stop.signal, initial }).then(done, done);
  }

  /** The execution was collapsed: its tasks are off screen. */
  collapse(ref: ExecutionRef): void {
    const w = this.watches.get(ref.connection);
    w?.expanded.get(ref.executionId)?.abort();
    w?.expanded.delete(ref.executionId);
  }

  /**
   * Follows an execution quietly (no notification, whatever the view does) until it ends or `signal`
   * aborts: an open details document uses it. Resolves with the final state, or undefined when aborted.
   */
  async observe(ref: ExecutionRef, signal: AbortSignal, initial?: ExecutionDetailed | Execution): Promise<ExecutionDetailed | undefined> {
    try {
      return await this.watch(ref.connection).byId.follow(ref.executionId, { initial: asInitial(initial), signal });
    } catch (e) {
      if (e instanceof CancelledError) return undefined;
      throw e;
    }
  }

  /** A state read elsewhere (after cancel, retry, a task update): tell the tree and the documents. */
  publish(update: ExecutionUpdate): void {
    this.emitter.fire(update);
  }

  /** The view was hidden or shown: what only the view needs stops while it is hidden. */
  setViewVisible(visible: boolean): void {
    this.viewVisible = visible;
    if (visible) return;
    for (const w of this.watches.values()) {
      w.byList.clear();
      for (const stop of w.expanded.values()) stop.abort();
      w.expanded.clear();
    }
  }

  private watch(connection: string): ConnectionWatch {
    let w = this.watches.get(connection);
    if (w) return w;
    const intervals = { minIntervalMs: config.followMinIntervalMs(), maxIntervalMs: config.followMaxIntervalMs() };
    const client = async () => (await this.connections.client(connection)).client;
    const byId = new ExecutionWatcher<ExecutionDetailed>({
      retrieve: async (id, signal) => (await client()).executions.retrieve(id, { signal }),
      ...intervals,
      jitter: FOLLOW_JITTER,
      maxConsecutiveFailures: MAX_FAILURES,
      logger: this.log,
    });
    const byList = new RunningExecutionsWatcher<Execution, ExecutionDetailed>({
      listRunning: async (version, cursor, signal) =>
        (await client()).executions.list({
          filter: { workflowFilters: [{ externalId: version.workflowExternalId, version: version.version }], status: ['RUNNING'] },
          limit: LIST_LIMIT,
          cursor,
          signal,
        }),
      retrieve: async (id, signal) => (await client()).executions.retrieve(id, { signal }),
      readElsewhere: id => byId.isFollowing(id),
      ...intervals,
      jitter: FOLLOW_JITTER,
      maxConsecutiveFailures: MAX_FAILURES,
      logger: this.log,
    });
    byId.onDidChange(execution => {
      const entry = this.latest.get(keyOf({ connection, executionId: execution.id }));
      if (entry) {
        entry.execution = execution;
        this.followedEmitter.fire();
      }
      this.seen(connection, execution);
      this.emitter.fire({ connection, execution });
    });
    byId.onDidFail(f => {
      if (f.gaveUp) this.log.warn(`Stopped following execution ${f.id} after ${f.consecutiveFailures} failed reads: ${f.error instanceof Error ? f.error.message : String(f.error)}`);
    });
    byList.onDidChange(execution => {
      this.seen(connection, execution);
      if ('executedTasks' in execution && Array.isArray(execution.executedTasks)) this.emitter.fire({ connection, execution: execution as ExecutionDetailed });
      else this.summaryEmitter.fire({ connection, execution });
    });
    byList.onDidFail(f => {
      if (!f.gaveUp) return;
      const reason = f.error instanceof Error ? f.error.message : String(f.error);
      for (const id of f.ids) {
        const key = keyOf({ connection, executionId: id });
        if (this.stopped.has(key)) continue;
        this.stopped.set(key, { reason, user: false });
        this.followingEmitter.fire({ connection, executionId: id });
      }
    });
    w = { byId, byList, expanded: new Map() };
    this.watches.set(connection, w);
    return w;
  }

  /** A state was read: an execution no longer followed after failures is live again, or has ended. */
  private seen(connection: string, execution: Execution | ExecutionDetailed): void {
    const ref = { connection, executionId: execution.id };
    if (this.stopped.delete(keyOf(ref))) this.followingEmitter.fire(ref);
  }

  /** Reads of a run the user follows kept failing: say so, and offer to follow it again. */
  private reportStopped(ref: ExecutionRef, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.stopped.set(keyOf(ref), { reason, user: true });
    this.followingEmitter.fire(ref);
    const last = this.latest.get(keyOf(ref))?.execution;
    const name = last ? `the run of ${last.workflowExternalId}@${last.version ?? '?'}` : `execution ${ref.executionId}`;
    this.log.warn(`Stopped following ${name} (${ref.executionId}) on "${ref.connection}": ${reason}`);
    const again = 'Follow Again';
    void this.ui()
      .ask('warning', `Stopped following ${name}: ${MAX_FAILURES} reads in a row failed. It may still be running in CDF. ${reason}`, {}, again, 'Show Log')
      .then(choice => {
        if (choice === again) return this.follow(ref, last);
        if (choice === 'Show Log') this.log.show(true);
        return undefined;
      });
  }

  private notifyEnd(connection: string, e: ExecutionDetailed): void {
    const when = config.followNotify();
    // A cancel the user asked for ended as asked: news, not a failure.
    const asked = e.status === 'TERMINATED' && this.cancelRequested.has(keyOf({ connection, executionId: e.id }));
    const ok = e.status === 'COMPLETED' || asked;
    if (when === 'never' || (when === 'failures' && ok)) return;
    const name = `${e.workflowExternalId}@${e.version ?? '?'}`;
    const took = elapsed(e.startTime ?? e.createdTime, e.endTime);
    const duration = took === undefined ? '' : ` after ${formatDuration(took)}`;
    const message = asked
      ? `Run of ${name} cancelled as you asked${duration}.`
      : ok
        ? `Run of ${name} completed in ${took === undefined ? '?' : formatDuration(took)}.`
        : `Run of ${name} ${statusLabel(e.status).toLowerCase()}${duration}${e.reasonForIncompletion ? `: ${e.reasonForIncompletion}` : '.'}`;
    // An error with an action stays until dismissed (VS Code keeps such toasts): a failure is not missed.
    void this.ui()
      .ask(ok ? 'info' : 'error', message, {}, 'Show Details')
      .then(choice => {
        if (choice === 'Show Details') {
          const ref: ExecutionRef = { connection, executionId: e.id };
          return vscode.commands.executeCommand('cdfWorkflows.openExecution', ref);
        }
        return undefined;
      });
  }

  private dropRemovedConnections(): void {
    const names = new Set(this.connections.list().map(c => c.name));
    for (const [name, w] of [...this.watches]) {
      if (!names.has(name)) {
        w.byId.dispose();
        w.byList.dispose();
        this.watches.delete(name);
      }
    }
    for (const key of [...this.stopped.keys()]) if (!names.has(key.split('\u0000')[0])) this.stopped.delete(key);
  }

  override dispose(): void {
    for (const w of this.watches.values()) {
      w.byId.dispose();
      w.byList.dispose();
    }
    this.watches.clear();
    super.dispose();
  }
}

function isDetailedExecution(e: Execution | ExecutionDetailed): e is ExecutionDetailed {
  return Array.isArray((e as Partial<ExecutionDetailed>).executedTasks) && (e as Partial<ExecutionDetailed>).workflowDefinition !== undefined;
}

/**
 * The watcher only reads id, status, end time and tasks of its initial state, so a summary (from run,
 * list or retry) serves: the first read then differs in its tasks and is reported as a change.
 */
function asInitial(e: ExecutionDetailed | Execution | undefined): ExecutionDetailed | undefined {
  return e as ExecutionDetailed | undefined;
}
