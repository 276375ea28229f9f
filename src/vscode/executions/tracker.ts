// Follows executions until they end and tells the tree and the user. Two kinds of following:
// - a run the user started (or retried) is followed to its end whatever the view does, and a
//   notification says how it ended;
// - running executions visible in the tree are followed only while the view is visible.
// One ExecutionWatcher per connection polls each execution by id, backing off while nothing changes.
import * as vscode from 'vscode';
import { CancelledError } from '../../core/errors';
import { type Execution, type ExecutionDetailed } from '../../core/schemas/executions';
import { ExecutionWatcher } from '../../core/watch';
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

interface ConnectionWatch {
  readonly watcher: ExecutionWatcher<ExecutionDetailed>;
  /** Executions followed because they are visible, with the controller that stops following them. */
  readonly visible: Map<string, AbortController>;
}

export class ExecutionTracker extends DisposableBase {
  private readonly watches = new Map<string, ConnectionWatch>();
  private readonly userFollowed = new Set<string>();
  private viewVisible = false;
  private readonly emitter = this.register(new vscode.EventEmitter<ExecutionUpdate>());
  /** Every new state of a followed execution (the tree updates the one node; details documents refresh). */
  readonly onDidUpdate = this.emitter.event;

  constructor(
    private readonly connections: ConnectionManager,
    private readonly ui: () => UserInput,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.registerAll(
      config.onDidChange(e => {
        if (e.affectsConfiguration('cdfWorkflows.follow')) {
          for (const w of this.watches.values()) w.watcher.setIntervals({ minIntervalMs: config.followMinIntervalMs(), maxIntervalMs: config.followMaxIntervalMs() });
        }
      }),
      connections.onDidChange(() => this.dropRemovedConnections()),
    );
  }

  /** Executions followed right now, by connection (for tests and benchmarks). */
  get followed(): { connection: string; ids: readonly string[] }[] {
    return [...this.watches].map(([connection, w]) => ({ connection, ids: w.watcher.followedIds }));
  }

  /**
   * Follows a run the user started until it ends, then notifies (per the follow.notify setting) with
   * "Show Details". Resolves with the final state; following the same run twice shares one poll loop.
   */
  async follow(ref: ExecutionRef, initial?: ExecutionDetailed | Execution, signal?: AbortSignal): Promise<ExecutionDetailed | undefined> {
    const key = `${ref.connection}\u0000${ref.executionId}`;
    const first = !this.userFollowed.has(key);
    this.userFollowed.add(key);
    try {
      const final = await this.watch(ref.connection).watcher.follow(ref.executionId, { initial: asInitial(initial), signal });
      if (first) this.notifyEnd(ref.connection, final);
      return final;
    } catch (e) {
      if (e instanceof CancelledError) return undefined;
      throw e;
    } finally {
      if (first) this.userFollowed.delete(key);
    }
  }

  /** True while some poll loop reads this execution (a followed run, a visible node, an open document). */
  isFollowing(ref: ExecutionRef): boolean {
    return this.watches.get(ref.connection)?.watcher.isFollowing(ref.executionId) ?? false;
  }

  isFollowedByUser(ref: ExecutionRef): boolean {
    return this.userFollowed.has(`${ref.connection}\u0000${ref.executionId}`);
  }

  /**
   * The tree shows these running executions: follow them while the view is visible. An execution given
   * as a (list) summary is the state already known, so its first read waits one interval: rendering a
   * page costs no extra request. An id alone is read at once.
   */
  showRunning(connection: string, executions: readonly (string | Execution)[]): void {
    if (!this.viewVisible) return;
    const w = this.watch(connection);
    for (const e of executions) {
      const id = typeof e === 'string' ? e : e.id;
      if (w.visible.has(id)) continue;
      const stop = new AbortController();
      w.visible.set(id, stop);
      w.watcher.follow(id, { signal: stop.signal, initial: typeof e === 'string' ? undefined : asInitial(e) }).then(
        () => w.visible.delete(id),
        () => w.visible.delete(id),
      );
    }
  }

  /**
   * Follows an execution quietly (no notification, whatever the view does) until it ends or `signal`
   * aborts: an open details document uses it. Resolves with the final state, or undefined when aborted.
   */
  async observe(ref: ExecutionRef, signal: AbortSignal, initial?: ExecutionDetailed | Execution): Promise<ExecutionDetailed | undefined> {
    try {
      return await this.watch(ref.connection).watcher.follow(ref.executionId, { initial: asInitial(initial), signal });
    } catch (e) {
      if (e instanceof CancelledError) return undefined;
      throw e;
    }
  }

  /** A state read elsewhere (after cancel, retry, a task update): tell the tree and the documents. */
  publish(update: ExecutionUpdate): void {
    this.emitter.fire(update);
  }

  /** The view was hidden or shown: visible-only following stops while it is hidden. */
  setViewVisible(visible: boolean): void {
    this.viewVisible = visible;
    if (visible) return;
    for (const w of this.watches.values()) {
      for (const stop of w.visible.values()) stop.abort();
      w.visible.clear();
    }
  }

  private watch(connection: string): ConnectionWatch {
    let w = this.watches.get(connection);
    if (!w) {
      const watcher = new ExecutionWatcher<ExecutionDetailed>({
        retrieve: async (id, signal) => (await this.connections.client(connection)).client.executions.retrieve(id, { signal }),
        minIntervalMs: config.followMinIntervalMs(),
        maxIntervalMs: config.followMaxIntervalMs(),
        logger: this.log,
      });
      watcher.onDidChange(execution => this.emitter.fire({ connection, execution }));
      watcher.onDidFail(f => {
        if (f.gaveUp) this.log.warn(`Stopped following execution ${f.id} after ${f.consecutiveFailures} failed reads: ${f.error instanceof Error ? f.error.message : String(f.error)}`);
      });
      w = { watcher, visible: new Map() };
      this.watches.set(connection, w);
    }
    return w;
  }

  private notifyEnd(connection: string, e: ExecutionDetailed): void {
    const when = config.followNotify();
    const ok = e.status === 'COMPLETED';
    if (when === 'never' || (when === 'failures' && ok)) return;
    const name = `${e.workflowExternalId}@${e.version ?? '?'}`;
    const took = elapsed(e.startTime ?? e.createdTime, e.endTime);
    const duration = took === undefined ? '' : ` in ${formatDuration(took)}`;
    const message = ok
      ? `Run of ${name} completed${duration}.`
      : `Run of ${name} ${statusLabel(e.status).toLowerCase()}${duration}${e.reasonForIncompletion ? `: ${e.reasonForIncompletion}` : '.'}`;
    void this.ui()
      .ask(ok ? 'info' : 'error', message, {}, 'Show Details')
      .then(choice => {
        if (choice === 'Show Details') {
          const ref: ExecutionRef = { connection, executionId: e.id };
          return vscode.commands.executeCommand('cdfWorkflows.showExecutionDetails', ref);
        }
        return undefined;
      });
  }

  private dropRemovedConnections(): void {
    const names = new Set(this.connections.list().map(c => c.name));
    for (const [name, w] of [...this.watches]) {
      if (!names.has(name)) {
        w.watcher.dispose();
        this.watches.delete(name);
      }
    }
  }

  override dispose(): void {
    for (const w of this.watches.values()) w.watcher.dispose();
    this.watches.clear();
    super.dispose();
  }
}

/**
 * The watcher only reads id, status, end time and tasks of its initial state, so a summary (from run,
 * list or retry) serves: the first read then differs in its tasks and is reported as a change.
 */
function asInitial(e: ExecutionDetailed | Execution | undefined): ExecutionDetailed | undefined {
  return e as ExecutionDetailed | undefined;
}
