import * as assert from 'node:assert/strict';
import { CancelledError, InputError } from '../../../../src/core/errors';
import { ExecutionWatcher, type WatchFailure, type WatchedExecution } from '../../../../src/core/watch';
import { FakeClock, settle } from './fakeClock';

interface Execution extends WatchedExecution {
  readonly id: string;
  status: string;
  endTime?: number;
  executedTasks: { externalId: string; status: string }[];
}

/** Executions as a CDF project holds them, read through `retrieve`, which records every request. */
class ExecutionSource {
  readonly executions = new Map<string, Execution>();
  readonly requests: { id: string; at: number }[] = [];
  failuresLeft = 0;
  /** When set, reads hang until aborted. */
  hang = false;
  aborted = 0;

  constructor(private readonly clock: FakeClock) {}

  add(id: string, status = 'RUNNING'): Execution {
    const execution: Execution = { id, status, executedTasks: [{ externalId: 'load', status: 'IN_PROGRESS' }] };
    this.executions.set(id, execution);
    return execution;
  }

  end(id: string, status = 'COMPLETED'): void {
    const execution = this.executions.get(id)!;
    execution.status = status;
    execution.endTime = this.clock.now();
  }

  retrieve = (id: string, signal: AbortSignal): Promise<Execution> => {
    this.requests.push({ id, at: this.clock.now() });
    if (this.hang) {
      return new Promise((_, reject) => {
        signal.addEventListener('abort', () => {
          this.aborted++;
          reject(new Error('aborted'));
        });
      });
    }
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      return Promise.reject(new Error('503 Service Unavailable'));
    }
    const execution = this.executions.get(id);
    if (!execution) return Promise.reject(new Error(`no execution ${id}`));
    return Promise.resolve(structuredClone(execution));
  };

  times(id?: string): number[] {
    return this.requests.filter((r) => id === undefined || r.id === id).map((r) => r.at);
  }
}

describe('core/watch ExecutionWatcher', () => {
  let clock: FakeClock;
  let source: ExecutionSource;
  let watcher: ExecutionWatcher<Execution>;

  function makeWatcher(options: Partial<ConstructorParameters<typeof ExecutionWatcher<Execution>>[0]> = {}): ExecutionWatcher<Execution> {
    watcher?.dispose();
    watcher = new ExecutionWatcher<Execution>({ retrieve: source.retrieve, timers: clock, minIntervalMs: 1000, maxIntervalMs: 5000, backoffFactor: 2, ...options });
    return watcher;
  }

  beforeEach(() => {
    clock = new FakeClock();
    source = new ExecutionSource(clock);
    makeWatcher();
  });

  afterEach(() => {
    watcher.dispose();
    assert.equal(clock.pendingTimers, 0, 'a timer was left running');
  });

  it('reads at once, then backs off x factor up to the max while nothing changes', async () => {
    source.add('e1');
    void watcher.follow('e1').catch(() => undefined);
    await clock.advance(20_000);
    // 0, +1000, +2000, +4000, then capped at 5000.
    assert.deepEqual(source.times(), [0, 1000, 3000, 7000, 12000, 17000]);
  });

  it('makes at most one request per execution per interval', async () => {
    for (let i = 0; i < 20; i++) source.add(`e${i}`);
    for (let i = 0; i < 20; i++) void watcher.follow(`e${i}`).catch(() => undefined);
    await clock.advance(60_000);
    for (let i = 0; i < 20; i++) {
      const times = source.times(`e${i}`);
      for (let k = 1; k < times.length; k++) assert.ok(times[k] - times[k - 1] >= 1000, `e${i} read twice within the minimum interval: ${times.join(',')}`);
      // 60 s: 0, 1, 3, 7 s while ramping up, then every 5 s (12, 17, ..., 57) -> 14 reads.
      assert.equal(times.length, 14);
    }
  });

  it('resets the interval to the minimum when a task status changes', async () => {
    const execution = source.add('e1');
    void watcher.follow('e1').catch(() => undefined);
    await clock.advance(7000); // reads at 0, 1000, 3000, 7000; the next is due at 12000
    execution.executedTasks[0].status = 'COMPLETED';
    await clock.advance(5000); // read at 12000 sees the change
    await clock.advance(1000); // so the next read is 1000 later
    assert.deepEqual(source.times(), [0, 1000, 3000, 7000, 12000, 13000]);
  });

  it('resolves with the final execution, firing onDidChange and onDidEnd, and stops polling it', async () => {
    source.add('e1');
    const changes: string[] = [];
    const ends: string[] = [];
    watcher.onDidChange((e) => changes.push(e.status));
    watcher.onDidEnd((e) => ends.push(`${e.id}:${e.status}`));
    const done = watcher.follow('e1');
    await clock.advance(2500);
    source.end('e1', 'FAILED');
    await clock.advance(2000);
    const final = await done;
    assert.equal(final.status, 'FAILED');
    assert.deepEqual(changes, ['RUNNING', 'FAILED']);
    assert.deepEqual(ends, ['e1:FAILED']);
    assert.equal(watcher.isFollowing('e1'), false);
    const count = source.requests.length;
    await clock.advance(60_000);
    assert.equal(source.requests.length, count, 'kept polling an ended execution');
    assert.equal(clock.pendingTimers, 0);
  });

  it('treats every status but RUNNING as the end', async () => {
    for (const status of ['COMPLETED', 'FAILED', 'TIMED_OUT', 'TERMINATED']) source.add(status, status);
    const finals = await Promise.all(['COMPLETED', 'FAILED', 'TIMED_OUT', 'TERMINATED'].map((id) => watcher.follow(id)));
    assert.deepEqual(finals.map((e) => e.status), ['COMPLETED', 'FAILED', 'TIMED_OUT', 'TERMINATED']);
    assert.equal(source.requests.length, 4);
  });

  it('shares one poll loop when the same execution is followed twice', async () => {
    source.add('e1');
    const first = watcher.follow('e1');
    await clock.advance(1000);
    const second = watcher.follow('e1');
    await clock.advance(2000);
    assert.deepEqual(source.times(), [0, 1000, 3000]);
    source.end('e1');
    await clock.advance(4000);
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.status, 'COMPLETED');
    assert.deepEqual(a, b);
    assert.deepEqual(watcher.followedIds, []);
  });

  it('cancels one follower without stopping the loop the other still needs', async () => {
    source.add('e1');
    const cancel = new AbortController();
    const cancelled = watcher.follow('e1', { signal: cancel.signal });
    const kept = watcher.follow('e1');
    await clock.advance(1000);
    cancel.abort();
    await assert.rejects(cancelled, CancelledError);
    assert.ok(watcher.isFollowing('e1'));
    source.end('e1');
    await clock.advance(2000);
    assert.equal((await kept).status, 'COMPLETED');
  });

  it('stops polling, and aborts the request in flight, when the last follower cancels', async () => {
    source.add('e1');
    source.hang = true;
    const cancel = new AbortController();
    const following = watcher.follow('e1', { signal: cancel.signal });
    await settle();
    cancel.abort();
    await assert.rejects(following, CancelledError);
    assert.equal(source.aborted, 1);
    assert.equal(watcher.isFollowing('e1'), false);
    assert.equal(clock.pendingTimers, 0);
    await clock.advance(60_000);
    assert.equal(source.requests.length, 1);
  });

  it('refuses to follow with a signal that is already aborted', async () => {
    source.add('e1');
    await assert.rejects(watcher.follow('e1', { signal: AbortSignal.abort() }), CancelledError);
    assert.equal(source.requests.length, 0);
  });

  it('keeps following through failed reads with backoff, reporting each, and recovers', async () => {
    source.add('e1');
    const failures: WatchFailure[] = [];
    watcher.onDidFail((f) => failures.push(f));
    source.failuresLeft = 2;
    const done = watcher.follow('e1');
    await clock.advance(3000);
    assert.deepEqual(failures.map((f) => [f.consecutiveFailures, f.gaveUp]), [[1, false], [2, false]]);
    assert.deepEqual(source.times(), [0, 2000]); // the interval grew after the first failure
    await clock.advance(4000);
    // The read at 6000 succeeds; being the first good one, it counts as a change, so the next is 1000 later.
    assert.deepEqual(source.times(), [0, 2000, 6000, 7000]);
    source.end('e1');
    await clock.advance(10_000);
    assert.equal((await done).status, 'COMPLETED');
  });

  it('gives up after N consecutive failures with an error event and rejects the followers', async () => {
    makeWatcher({ maxConsecutiveFailures: 3 });
    source.add('e1');
    source.failuresLeft = 100;
    const failures: WatchFailure[] = [];
    watcher.onDidFail((f) => failures.push(f));
    const done = watcher.follow('e1');
    const rejected = assert.rejects(done, /503 Service Unavailable/);
    await clock.advance(60_000);
    await rejected;
    assert.deepEqual(failures.map((f) => f.gaveUp), [false, false, true]);
    assert.equal(failures[2].id, 'e1');
    assert.equal(source.requests.length, 3);
    assert.equal(watcher.isFollowing('e1'), false);
  });

  it('stops every timer and request on dispose, rejecting pending follows', async () => {
    source.add('e1');
    source.add('e2');
    const a = watcher.follow('e1');
    const b = watcher.follow('e2');
    await clock.advance(1500);
    assert.equal(clock.pendingTimers, 2);
    watcher.dispose();
    assert.equal(clock.pendingTimers, 0);
    await assert.rejects(a, CancelledError);
    await assert.rejects(b, CancelledError);
    await assert.rejects(watcher.follow('e1'), CancelledError);
    const count = source.requests.length;
    await clock.advance(60_000);
    assert.equal(source.requests.length, count);
  });

  it('aborts a request in flight on dispose', async () => {
    source.add('e1');
    source.hang = true;
    const following = watcher.follow('e1');
    await settle();
    watcher.dispose();
    await assert.rejects(following, CancelledError);
    assert.equal(source.aborted, 1);
  });

  it('applies new intervals live, re-timing the wait in progress', async () => {
    source.add('e1');
    void watcher.follow('e1').catch(() => undefined);
    await clock.advance(7000); // reads at 0, 1000, 3000, 7000; next due at 12000
    watcher.setIntervals({ minIntervalMs: 500, maxIntervalMs: 2000 });
    await clock.advance(2000);
    assert.deepEqual(source.times().slice(-1), [9000]); // 7000 + the new max
    await clock.advance(2000);
    assert.deepEqual(source.times().slice(-2), [9000, 11000]);
  });

  it('can be told what counts as a change', async () => {
    const execution = source.add('e1');
    makeWatcher({ fingerprint: (e) => e.status });
    void watcher.follow('e1').catch(() => undefined);
    await clock.advance(3000); // 0, 1000, 3000
    execution.executedTasks[0].status = 'COMPLETED'; // ignored by this fingerprint
    await clock.advance(4000);
    assert.deepEqual(source.times(), [0, 1000, 3000, 7000]);
  });

  it('starts from a known execution: one interval later, or not at all when it has ended', async () => {
    const running = source.add('e1');
    const changes: string[] = [];
    watcher.onDidChange((e) => changes.push(e.id));
    void watcher.follow('e1', { initial: structuredClone(running) }).catch(() => undefined);
    await clock.advance(1000);
    assert.deepEqual(source.times(), [1000]);
    assert.deepEqual(changes, [], 'an unchanged first read is not a change');
    const ended = source.add('e2', 'COMPLETED');
    assert.equal((await watcher.follow('e2', { initial: ended })).status, 'COMPLETED');
    assert.equal(source.times('e2').length, 0);
  });

  it('keeps polling when an event listener throws', async () => {
    source.add('e1');
    watcher.onDidChange(() => {
      throw new Error('listener bug');
    });
    const done = watcher.follow('e1');
    await clock.advance(1000);
    source.end('e1');
    await clock.advance(2000);
    assert.equal((await done).status, 'COMPLETED');
  });

  it('stops delivering events to a disposed subscription', async () => {
    source.add('e1');
    const seen: string[] = [];
    const subscription = watcher.onDidChange((e) => seen.push(e.status));
    void watcher.follow('e1').catch(() => undefined);
    await settle();
    subscription.dispose();
    source.end('e1');
    await clock.advance(1000);
    assert.deepEqual(seen, ['RUNNING']);
  });

  it('refuses interval settings that make no sense', () => {
    assert.throws(() => makeWatcher({ minIntervalMs: 0 }), InputError);
    assert.throws(() => makeWatcher({ minIntervalMs: 5000, maxIntervalMs: 1000 }), /must be at least the minimum/);
    assert.throws(() => makeWatcher({ backoffFactor: 0.5 }), /at least 1/);
    assert.throws(() => watcher.setIntervals({ maxIntervalMs: 10 }), InputError);
    assert.equal(watcher.currentIntervals.maxIntervalMs, 5000, 'a refused change leaves the intervals as they were');
  });
});
