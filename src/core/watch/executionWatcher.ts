// Follows executions by id until they end: one poll loop per execution however many callers follow it,
// at most one request per execution per interval, backing off while nothing changes. Which executions are
// worth following (a run just started, a visible running node) is the caller's business.
import { CancelledError, InputError } from '../errors';
import { type Logger, silentLogger } from '../log';
import { isTerminalExecutionStatus } from '../schemas/executions';
import { type Disposable, Emitter, type Listener } from './emitter';
import { checkIntervals, DEFAULT_WATCH_INTERVALS, definedOnly, jittered, realTimers, type WatcherTimers, type WatchIntervals } from './intervals';

/** What the watcher reads of an execution; the client's detailed execution type fits it. */
export interface WatchedExecution {
  readonly id: string;
  readonly status: string;
  readonly endTime?: number | null;
  readonly executedTasks?: readonly {
    readonly id?: string;
    readonly externalId?: string;
    readonly status?: string;
    readonly endTime?: number | null;
  }[] | null;
}

export interface ExecutionWatcherOptions<E extends WatchedExecution> extends Partial<WatchIntervals> {
  /** Reads one execution by id; must honour the signal (the watcher aborts it on cancel and dispose). */
  readonly retrieve: (id: string, signal: AbortSignal) => Promise<E>;
  readonly timers?: WatcherTimers;
  /** What counts as a change; default: status, end time, and each task's status and end time. */
  readonly fingerprint?: (execution: E) => string;
  /** Consecutive failed reads after which following gives up; default 5. */
  readonly maxConsecutiveFailures?: number;
  /** Each wait is stretched by up to this ratio at random (see jittered); default 0, exact waits. */
  readonly jitter?: number;
  /** Random numbers in [0, 1) for the jitter; default Math.random. */
  readonly random?: () => number;
  readonly logger?: Logger;
}

export interface WatchFailure {
  readonly id: string;
  readonly error: unknown;
  readonly consecutiveFailures: number;
  /** True when this failure made the watcher stop following the execution. */
  readonly gaveUp: boolean;
}

export interface FollowOptions<E> {
  /** Rejects this caller's promise with CancelledError; the loop stops when no caller is left. */
  readonly signal?: AbortSignal;
  /** The execution as already known (e.g. the run response): the first read then waits one interval. */
  readonly initial?: E;
}


interface Follower<E> {
  resolve(execution: E): void;
  reject(error: Error): void;
}

interface PollLoop<E> {
  readonly id: string;
  readonly followers: Set<Follower<E>>;
  intervalMs: number;
  fingerprint?: string;
  failures: number;
  timer?: unknown;
  /** When the pending timer was set, to re-time it when the intervals change. */
  scheduledAt: number;
  request?: AbortController;
}

export function isTerminal(execution: WatchedExecution): boolean {
  return isTerminalExecutionStatus(execution.status);
}

export function defaultFingerprint(execution: WatchedExecution): string {
  const tasks = (execution.executedTasks ?? []).map((t) => [t.id ?? t.externalId, t.status, t.endTime ?? null]);
  return JSON.stringify([execution.status, execution.endTime ?? null, tasks]);
}

export class ExecutionWatcher<E extends WatchedExecution = WatchedExecution> implements Disposable {
  private readonly loops = new Map<string, PollLoop<E>>();
  private readonly changeEmitter = new Emitter<E>();
  private readonly endEmitter = new Emitter<E>();
  private readonly failEmitter = new Emitter<WatchFailure>();
  private readonly timers: WatcherTimers;
  private readonly logger: Logger;
  private readonly fingerprint: (execution: E) => string;
  private readonly maxConsecutiveFailures: number;
  private intervals: WatchIntervals;
  private disposed = false;

  /** A followed execution changed (also fired for its first read). */
  readonly onDidChange: (listener: Listener<E>) => Disposable = this.changeEmitter.event;
  /** A followed execution reached a terminal status; it is no longer polled. */
  readonly onDidEnd: (listener: Listener<E>) => Disposable = this.endEmitter.event;
  /** A read failed; `gaveUp` says following stopped and the followers' promises were rejected. */
  readonly onDidFail: (listener: Listener<WatchFailure>) => Disposable = this.failEmitter.event;

  constructor(private readonly options: ExecutionWatcherOptions<E>) {
    this.timers = options.timers ?? realTimers;
    this.logger = options.logger ?? silentLogger;
    this.fingerprint = options.fingerprint ?? defaultFingerprint;
    this.maxConsecutiveFailures = options.maxConsecutiveFailures ?? 5;
    if (!Number.isInteger(this.maxConsecutiveFailures) || this.maxConsecutiveFailures < 1) {
      throw new InputError('maxConsecutiveFailures must be a whole number of at least 1.');
    }
    this.intervals = checkIntervals({ ...DEFAULT_WATCH_INTERVALS, ...definedOnly(options) });
  }

  /** The promise settles with the execution once it ends; following an id twice shares one poll loop. */
  follow(id: string, options: FollowOptions<E> = {}): Promise<E> {
    if (this.disposed) return Promise.reject(new CancelledError('The execution watcher was disposed.'));
    const { signal, initial } = options;
    if (signal?.aborted) return Promise.reject(new CancelledError());
    return new Promise<E>((resolve, reject) => {
      let loop = this.loops.get(id);
      const isNew = loop === undefined;
      loop ??= this.createLoop(id);
      const onAbort = (): void => {
        const current = this.loops.get(id);
        if (current && current.followers.delete(follower)) {
          reject(new CancelledError());
          if (current.followers.size === 0) this.stop(current);
        }
      };
      const follower: Follower<E> = {
        resolve: (execution) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(execution);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      loop.followers.add(follower);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (!isNew) return;
      if (initial && initial.id === id) {
        loop.fingerprint = this.fingerprint(initial);
        if (isTerminal(initial)) this.finish(loop, initial);
        else this.schedule(loop, loop.intervalMs);
      } else {
        void this.poll(loop);
      }
    });
  }

  isFollowing(id: string): boolean {
    return this.loops.has(id);
  }

  get followedIds(): string[] {
    return [...this.loops.keys()];
  }

  /** Applies new interval settings at once: pending waits are re-timed from when they started. */
  setIntervals(intervals: Partial<WatchIntervals>): void {
    this.intervals = checkIntervals({ ...this.intervals, ...definedOnly(intervals) });
    for (const loop of this.loops.values()) {
      loop.intervalMs = this.clamp(loop.intervalMs);
      if (loop.timer === undefined) continue;
      this.timers.clearTimeout(loop.timer);
      const remaining = Math.max(0, loop.scheduledAt + loop.intervalMs - this.timers.now());
      loop.timer = this.timers.setTimeout(() => void this.poll(loop), remaining);
    }
  }

  get currentIntervals(): WatchIntervals {
    return this.intervals;
  }

  /** Stops every timer and request; pending follow() promises reject with CancelledError. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const loop of [...this.loops.values()]) {
      const followers = [...loop.followers];
      this.stop(loop);
      for (const f of followers) f.reject(new CancelledError('The execution watcher was disposed.'));
    }
    this.changeEmitter.dispose();
    this.endEmitter.dispose();
    this.failEmitter.dispose();
  }

  private createLoop(id: string): PollLoop<E> {
    const loop: PollLoop<E> = { id, followers: new Set(), intervalMs: this.intervals.minIntervalMs, failures: 0, scheduledAt: this.timers.now() };
    this.loops.set(id, loop);
    return loop;
  }

  private async poll(loop: PollLoop<E>): Promise<void> {
    loop.timer = undefined;
    if (this.loops.get(loop.id) !== loop) return;
    const request = new AbortController();
    loop.request = request;
    let execution: E;
    try {
      this.logger.trace(`watch: reading execution ${loop.id}`);
      execution = await this.options.retrieve(loop.id, request.signal);
    } catch (error) {
      if (request.signal.aborted || this.loops.get(loop.id) !== loop) return;
      loop.request = undefined;
      this.onFailure(loop, error);
      return;
    }
    if (request.signal.aborted || this.loops.get(loop.id) !== loop) return;
    loop.request = undefined;
    loop.failures = 0;
    const fingerprint = this.fingerprint(execution);
    const changed = fingerprint !== loop.fingerprint;
    loop.fingerprint = fingerprint;
    if (changed) this.changeEmitter.fire(execution, this.listenerFailed);
    if (isTerminal(execution)) {
      this.finish(loop, execution);
      return;
    }
    loop.intervalMs = changed ? this.intervals.minIntervalMs : this.grow(loop.intervalMs);
    this.schedule(loop, loop.intervalMs);
  }

  private onFailure(loop: PollLoop<E>, error: unknown): void {
    loop.failures += 1;
    const gaveUp = loop.failures >= this.maxConsecutiveFailures;
    this.logger.warn(`watch: reading execution ${loop.id} failed (${loop.failures} in a row${gaveUp ? ', giving up' : ''}): ${String(error)}`);
    this.failEmitter.fire({ id: loop.id, error, consecutiveFailures: loop.failures, gaveUp }, this.listenerFailed);
    if (gaveUp) {
      const followers = [...loop.followers];
      this.stop(loop);
      const reason = error instanceof Error ? error : new Error(String(error));
      for (const f of followers) f.reject(reason);
      return;
    }
    loop.intervalMs = this.grow(loop.intervalMs);
    this.schedule(loop, loop.intervalMs);
  }

  private finish(loop: PollLoop<E>, execution: E): void {
    const followers = [...loop.followers];
    this.stop(loop);
    this.endEmitter.fire(execution, this.listenerFailed);
    for (const f of followers) f.resolve(execution);
  }

  private schedule(loop: PollLoop<E>, delayMs: number): void {
    if (this.disposed || this.loops.get(loop.id) !== loop) return;
    loop.scheduledAt = this.timers.now();
    loop.timer = this.timers.setTimeout(() => void this.poll(loop), jittered(delayMs, this.options.jitter ?? 0, this.options.random));
  }

  private stop(loop: PollLoop<E>): void {
    if (loop.timer !== undefined) this.timers.clearTimeout(loop.timer);
    loop.timer = undefined;
    loop.request?.abort();
    loop.request = undefined;
    loop.followers.clear();
    if (this.loops.get(loop.id) === loop) this.loops.delete(loop.id);
  }

  private grow(intervalMs: number): number {
    return this.clamp(intervalMs * this.intervals.backoffFactor);
  }

  private clamp(intervalMs: number): number {
    return Math.min(this.intervals.maxIntervalMs, Math.max(this.intervals.minIntervalMs, intervalMs));
  }

  private readonly listenerFailed = (error: unknown): void => {
    this.logger.error(`watch: an event listener threw: ${String(error)}`);
  };
}
