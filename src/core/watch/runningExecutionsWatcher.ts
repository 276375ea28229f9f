// Follows the running executions a view shows, at a cost that does not grow with how many there are: per
// workflow version and interval one list of that version's RUNNING executions, plus one read by id for
// each watched execution that has left the list (to get its final state, tasks included). Backs off while
// nothing changes. An execution somebody reads by id anyway (a run the user started, an expanded node) is
// left to that reader when it ends.
import { CdfApiError } from '../errors';
import { type Logger, silentLogger } from '../log';
import { isRunningExecutionStatus } from '../schemas/executions';
import { type Disposable, Emitter, type Listener } from './emitter';
import { checkIntervals, DEFAULT_WATCH_INTERVALS, definedOnly, jittered, realTimers, type WatcherTimers, type WatchIntervals } from './intervals';

export interface VersionRef {
  readonly workflowExternalId: string;
  readonly version: string;
}

/** What the watcher reads of a listed execution; the client's execution summary fits it. */
export interface ListedExecution {
  readonly id: string;
  readonly status: string;
  readonly startTime?: number | null;
  readonly endTime?: number | null;
}

export interface RunningExecutionsWatcherOptions<S extends ListedExecution, D extends ListedExecution> extends Partial<WatchIntervals> {
  /** One page of the version's RUNNING executions (filter: the workflow, the version, status RUNNING). */
  readonly listRunning: (version: VersionRef, cursor: string | undefined, signal: AbortSignal) => Promise<{ items: readonly S[]; nextCursor?: string }>;
  /** Reads one execution that left the list. */
  readonly retrieve: (id: string, signal: AbortSignal) => Promise<D>;
  /** True while another loop reads this execution by id: when it ends, that loop reports it. */
  readonly readElsewhere?: (id: string) => boolean;
  readonly timers?: WatcherTimers;
  /** Each wait is stretched by up to this ratio at random (see jittered); default 0. */
  readonly jitter?: number;
  readonly random?: () => number;
  /** Consecutive failed polls of a version after which it is no longer followed; default 5. */
  readonly maxConsecutiveFailures?: number;
  readonly logger?: Logger;
}

export interface VersionWatchFailure {
  readonly version: VersionRef;
  readonly error: unknown;
  readonly consecutiveFailures: number;
  /** True when this failure ended the following of the version's executions (`ids`). */
  readonly gaveUp: boolean;
  readonly ids: readonly string[];
}

/** A list of more pages than this (1000 running executions each) is not read to its end. */
const MAX_PAGES = 10;

interface VersionLoop {
  readonly key: string;
  readonly version: VersionRef;
  /** Watched executions and the fingerprint of their last known state. */
  readonly executions: Map<string, string>;
  intervalMs: number;
  failures: number;
  timer?: unknown;
  scheduledAt: number;
  request?: AbortController;
}

function fingerprint(e: ListedExecution): string {
  return JSON.stringify([e.status, e.startTime ?? null, e.endTime ?? null]);
}

export class RunningExecutionsWatcher<S extends ListedExecution, D extends ListedExecution> implements Disposable {
  private readonly loops = new Map<string, VersionLoop>();
  private readonly changeEmitter = new Emitter<S | D>();
  private readonly failEmitter = new Emitter<VersionWatchFailure>();
  private readonly timers: WatcherTimers;
  private readonly logger: Logger;
  private readonly maxConsecutiveFailures: number;
  private intervals: WatchIntervals;
  private disposed = false;

  /** A newer state of a watched execution: a list summary while it runs, its full read once it has ended. */
  readonly onDidChange: (listener: Listener<S | D>) => Disposable = this.changeEmitter.event;
  /** A poll failed; `gaveUp` says the version's executions are no longer followed. */
  readonly onDidFail: (listener: Listener<VersionWatchFailure>) => Disposable = this.failEmitter.event;

  constructor(private readonly options: RunningExecutionsWatcherOptions<S, D>) {
    this.timers = options.timers ?? realTimers;
    this.logger = options.logger ?? silentLogger;
    this.maxConsecutiveFailures = options.maxConsecutiveFailures ?? 5;
    this.intervals = checkIntervals({ ...DEFAULT_WATCH_INTERVALS, ...definedOnly(options) });
  }

  /**
   * Follows these executions of a version (their states as shown, so the first poll waits one interval).
   * Ones that are not running, or watched already, are skipped. New ones bring a backed-off version back
   * to the shortest interval.
   */
  watch(version: VersionRef, executions: readonly S[]): void {
    if (this.disposed) return;
    const key = versionKey(version);
    let loop = this.loops.get(key);
    let added = false;
    for (const e of executions) {
      if (!isRunningExecutionStatus(e.status)) continue;
      if (!loop) {
        loop = { key, version: { workflowExternalId: version.workflowExternalId, version: version.version }, executions: new Map(), intervalMs: this.intervals.minIntervalMs, failures: 0, scheduledAt: this.timers.now() };
        this.loops.set(key, loop);
      }
      if (loop.executions.has(e.id)) continue;
      loop.executions.set(e.id, fingerprint(e));
      added = true;
    }
    if (!loop || !added) return;
    if (loop.timer === undefined && loop.request === undefined) {
      this.schedule(loop, loop.intervalMs);
    } else if (loop.timer !== undefined && loop.intervalMs > this.intervals.minIntervalMs) {
      loop.intervalMs = this.intervals.minIntervalMs;
      this.timers.clearTimeout(loop.timer);
      this.schedule(loop, Math.max(0, loop.scheduledAt + loop.intervalMs - this.timers.now()));
    }
  }

  /** Follows exactly these executions of a version: ones watched before and not given are dropped. */
  show(version: VersionRef, executions: readonly S[]): void {
    const loop = this.loops.get(versionKey(version));
    if (loop) {
      const keep = new Set(executions.map((e) => e.id));
      this.unwatch(version, [...loop.executions.keys()].filter((id) => !keep.has(id)));
    }
    this.watch(version, executions);
  }

  /** Stops following some executions of a version (all of them without `ids`). */
  unwatch(version: VersionRef, ids?: readonly string[]): void {
    const loop = this.loops.get(versionKey(version));
    if (!loop) return;
    if (ids) for (const id of ids) loop.executions.delete(id);
    else loop.executions.clear();
    if (loop.executions.size === 0) this.stop(loop);
  }

  /** Stops following everything (the view was hidden). */
  clear(): void {
    for (const loop of [...this.loops.values()]) this.stop(loop);
  }

  isWatching(id: string): boolean {
    for (const loop of this.loops.values()) if (loop.executions.has(id)) return true;
    return false;
  }

  get watchedIds(): string[] {
    return [...this.loops.values()].flatMap((l) => [...l.executions.keys()]);
  }

  /** Versions with a poll loop (for tests and benchmarks). */
  get versionCount(): number {
    return this.loops.size;
  }

  setIntervals(intervals: Partial<WatchIntervals>): void {
    this.intervals = checkIntervals({ ...this.intervals, ...definedOnly(intervals) });
    for (const loop of this.loops.values()) {
      loop.intervalMs = Math.min(this.intervals.maxIntervalMs, Math.max(this.intervals.minIntervalMs, loop.intervalMs));
      if (loop.timer === undefined) continue;
      this.timers.clearTimeout(loop.timer);
      this.schedule(loop, Math.max(0, loop.scheduledAt + loop.intervalMs - this.timers.now()));
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clear();
    this.changeEmitter.dispose();
    this.failEmitter.dispose();
  }

  private async poll(loop: VersionLoop): Promise<void> {
    loop.timer = undefined;
    if (this.loops.get(loop.key) !== loop) return;
    const request = new AbortController();
    loop.request = request;
    const current = () => !request.signal.aborted && this.loops.get(loop.key) === loop;
    // Only executions watched when the list was asked for can be missing from it.
    const asked = [...loop.executions.keys()];
    let changed = false;
    try {
      const listed = new Map<string, S>();
      let cursor: string | undefined;
      let pages = 0;
      do {
        this.logger.trace(`watch: listing running executions of ${loop.version.workflowExternalId}@${loop.version.version}`);
        const page = await this.options.listRunning(loop.version, cursor, request.signal);
        if (!current()) return;
        for (const e of page.items) listed.set(e.id, e);
        cursor = page.nextCursor;
      } while (cursor !== undefined && ++pages < MAX_PAGES);
      const complete = cursor === undefined;
      for (const id of asked) {
        const known = loop.executions.get(id);
        if (known === undefined) continue;
        const summary = listed.get(id);
        if (summary && isRunningExecutionStatus(summary.status)) {
          const print = fingerprint(summary);
          if (print !== known) {
            loop.executions.set(id, print);
            changed = true;
            this.changeEmitter.fire(summary, this.listenerFailed);
          }
          continue;
        }
        if (!summary && !complete) continue; // on a page not read
        // Left the running list: it ended (or is gone).
        changed = true;
        if (this.options.readElsewhere?.(id)) {
          loop.executions.delete(id);
          continue;
        }
        await this.readEnded(loop, id, request.signal);
        if (!current()) return;
      }
    } catch (error) {
      if (!current()) return;
      loop.request = undefined;
      this.onFailure(loop, error);
      return;
    }
    if (!current()) return;
    loop.request = undefined;
    loop.failures = 0;
    if (loop.executions.size === 0) {
      this.stop(loop);
      return;
    }
    loop.intervalMs = changed ? this.intervals.minIntervalMs : Math.min(this.intervals.maxIntervalMs, loop.intervalMs * this.intervals.backoffFactor);
    this.schedule(loop, loop.intervalMs);
  }

  /** One read of an execution that is no longer listed as running. */
  private async readEnded(loop: VersionLoop, id: string, signal: AbortSignal): Promise<void> {
    let execution: D;
    try {
      execution = await this.options.retrieve(id, signal);
    } catch (error) {
      if (error instanceof CdfApiError && error.reason === 'not-found') {
        this.logger.debug(`watch: execution ${id} is gone; no longer following it`);
        loop.executions.delete(id);
        return;
      }
      throw error;
    }
    if (signal.aborted || !loop.executions.has(id)) return;
    if (isRunningExecutionStatus(execution.status)) {
      // Listing lags behind a new execution: it is still running, so keep following it.
      const print = fingerprint(execution);
      if (print !== loop.executions.get(id)) this.changeEmitter.fire(execution, this.listenerFailed);
      loop.executions.set(id, print);
      return;
    }
    loop.executions.delete(id);
    this.changeEmitter.fire(execution, this.listenerFailed);
  }

  private onFailure(loop: VersionLoop, error: unknown): void {
    loop.failures += 1;
    const gaveUp = loop.failures >= this.maxConsecutiveFailures;
    const ids = [...loop.executions.keys()];
    const name = `${loop.version.workflowExternalId}@${loop.version.version}`;
    this.logger.warn(`watch: following the running executions of ${name} failed (${loop.failures} in a row${gaveUp ? ', giving up' : ''}): ${String(error)}`);
    if (gaveUp) this.stop(loop);
    this.failEmitter.fire({ version: loop.version, error, consecutiveFailures: loop.failures, gaveUp, ids }, this.listenerFailed);
    if (gaveUp) return;
    loop.intervalMs = Math.min(this.intervals.maxIntervalMs, loop.intervalMs * this.intervals.backoffFactor);
    this.schedule(loop, loop.intervalMs);
  }

  private schedule(loop: VersionLoop, delayMs: number): void {
    if (this.disposed || this.loops.get(loop.key) !== loop) return;
    loop.scheduledAt = this.timers.now();
    loop.timer = this.timers.setTimeout(() => void this.poll(loop), jittered(delayMs, this.options.jitter ?? 0, this.options.random));
  }

  private stop(loop: VersionLoop): void {
    if (loop.timer !== undefined) this.timers.clearTimeout(loop.timer);
    loop.timer = undefined;
    loop.request?.abort();
    loop.request = undefined;
    if (this.loops.get(loop.key) === loop) this.loops.delete(loop.key);
  }

  private readonly listenerFailed = (error: unknown): void => {
    this.logger.error(`watch: an event listener threw: ${String(error)}`);
  };
}

function versionKey(v: VersionRef): string {
  return `${v.workflowExternalId}\u0000${v.version}`;
}
