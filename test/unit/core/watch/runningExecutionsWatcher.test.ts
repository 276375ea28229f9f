import * as assert from 'node:assert/strict';
import { CdfApiError } from '../../../../src/core/errors';
import { jittered, RunningExecutionsWatcher, type ListedExecution, type VersionRef, type VersionWatchFailure } from '../../../../src/core/watch';
import { FakeClock, settle } from './fakeClock';

interface Summary extends ListedExecution {
  readonly id: string;
  readonly workflowExternalId: string;
  readonly version: string;
  status: string;
  startTime?: number | null;
  endTime?: number | null;
}

interface Detailed extends Summary {
  readonly executedTasks: { externalId: string; status: string }[];
}

const V1: VersionRef = { workflowExternalId: 'wf', version: '1' };
const V2: VersionRef = { workflowExternalId: 'wf', version: '2' };

/** A CDF project's executions, listed and read through the watcher's two calls, which record each request. */
class Project {
  readonly executions = new Map<string, Summary>();
  readonly lists: { version: string; cursor?: string; at: number }[] = [];
  readonly reads: { id: string; at: number }[] = [];
  listFailuresLeft = 0;
  /** Executions the list leaves out although they run (a listing that lags behind). */
  readonly unlisted = new Set<string>();
  pageSize = 1000;

  constructor(private readonly clock: FakeClock) {}

  add(id: string, version: VersionRef = V1): Summary {
    const e: Summary = { id, workflowExternalId: version.workflowExternalId, version: version.version, status: 'RUNNING', startTime: null, endTime: null };
    this.executions.set(id, e);
    return { ...e };
  }

  end(id: string, status = 'COMPLETED'): void {
    const e = this.executions.get(id)!;
    e.status = status;
    e.endTime = this.clock.now();
  }

  listRunning = (version: VersionRef, cursor: string | undefined): Promise<{ items: Summary[]; nextCursor?: string }> => {
    this.lists.push({ version: version.version, cursor, at: this.clock.now() });
    if (this.listFailuresLeft > 0) {
      this.listFailuresLeft--;
      return Promise.reject(new Error('503 Service Unavailable'));
    }
    const all = [...this.executions.values()].filter(
      (e) => e.status === 'RUNNING' && e.workflowExternalId === version.workflowExternalId && e.version === version.version && !this.unlisted.has(e.id),
    );
    const start = cursor ? Number(cursor) : 0;
    const items = all.slice(start, start + this.pageSize).map((e) => ({ ...e }));
    const next = start + this.pageSize < all.length ? String(start + this.pageSize) : undefined;
    return Promise.resolve(next ? { items, nextCursor: next } : { items });
  };

  retrieve = (id: string): Promise<Detailed> => {
    this.reads.push({ id, at: this.clock.now() });
    const e = this.executions.get(id);
    if (!e) {
      return Promise.reject(
        new CdfApiError('not found', { status: 404, serverMessage: 'not found', reason: 'not-found', target: { method: 'GET', path: `/x/${id}` }, retries: 0 }),
      );
    }
    return Promise.resolve({ ...e, executedTasks: [{ externalId: 'load', status: e.status === 'RUNNING' ? 'IN_PROGRESS' : e.status }] });
  };
}

describe('core/watch RunningExecutionsWatcher', () => {
  let clock: FakeClock;
  let project: Project;
  let watcher: RunningExecutionsWatcher<Summary, Detailed>;
  let changes: (Summary | Detailed)[];
  let failures: VersionWatchFailure[];
  let readElsewhere: Set<string>;

  function make(options: Partial<ConstructorParameters<typeof RunningExecutionsWatcher<Summary, Detailed>>[0]> = {}): void {
    watcher?.dispose();
    watcher = new RunningExecutionsWatcher<Summary, Detailed>({
      listRunning: project.listRunning,
      retrieve: project.retrieve,
      readElsewhere: (id) => readElsewhere.has(id),
      timers: clock,
      minIntervalMs: 1000,
      maxIntervalMs: 4000,
      backoffFactor: 2,
      ...options,
    });
    changes = [];
    failures = [];
    watcher.onDidChange((e) => changes.push(e));
    watcher.onDidFail((f) => failures.push(f));
  }

  beforeEach(() => {
    clock = new FakeClock();
    project = new Project(clock);
    readElsewhere = new Set();
    make();
  });

  afterEach(() => {
    watcher.dispose();
    assert.equal(clock.pendingTimers, 0, 'a timer was left running');
  });

  it('costs one list per version per interval however many executions it follows', async () => {
    const shown = Array.from({ length: 200 }, (_, i) => project.add(`e${i}`));
    watcher.watch(V1, shown);
    await clock.advance(5000);
    assert.equal(project.reads.length, 0);
    // Nothing changed: 1 s, then backing off to 2 s and 4 s.
    assert.deepEqual(project.lists.map((l) => l.at), [1000, 3000]);
    await clock.advance(10_000);
    assert.deepEqual(project.lists.map((l) => l.at), [1000, 3000, 7000, 11000, 15000]);
    assert.equal(watcher.watchedIds.length, 200);
  });

  it('reads each execution that left the list once, reports its final state and stops following it', async () => {
    const shown = ['a', 'b', 'c'].map((id) => project.add(id));
    watcher.watch(V1, shown);
    project.end('b', 'FAILED');
    await clock.advance(1000);
    assert.deepEqual(project.reads.map((r) => r.id), ['b']);
    assert.deepEqual(changes.map((c) => [c.id, c.status, 'executedTasks' in c]), [['b', 'FAILED', true]]);
    assert.deepEqual(watcher.watchedIds.sort(), ['a', 'c']);
    project.end('a');
    project.end('c');
    await clock.advance(1000);
    assert.deepEqual(project.reads.map((r) => r.id).sort(), ['a', 'b', 'c']);
    assert.equal(watcher.versionCount, 0, 'nothing left to follow: the loop stopped');
    await clock.advance(10_000);
    assert.equal(project.lists.length, 2);
  });

  it('reports a newer summary of one still running (it started) without a read', async () => {
    const [a] = [project.add('a')];
    watcher.watch(V1, [a]);
    project.executions.get('a')!.startTime = 500;
    await clock.advance(1000);
    assert.equal(project.reads.length, 0);
    assert.deepEqual(changes.map((c) => [c.id, c.startTime]), [['a', 500]]);
  });

  it('leaves an execution read by id elsewhere to that reader when it ends', async () => {
    watcher.watch(V1, [project.add('mine'), project.add('theirs')]);
    readElsewhere.add('mine');
    project.end('mine');
    await clock.advance(1000);
    assert.deepEqual(project.reads, []);
    assert.deepEqual(watcher.watchedIds, ['theirs']);
  });

  it('keeps following one the list does not show yet but that still runs (a lagging list)', async () => {
    watcher.watch(V1, [project.add('new')]);
    project.unlisted.add('new');
    await clock.advance(1000);
    assert.deepEqual(project.reads.map((r) => r.id), ['new']);
    assert.deepEqual(watcher.watchedIds, ['new']);
    project.unlisted.delete('new');
    await clock.advance(1000);
    assert.equal(project.reads.length, 1);
  });

  it('forgets an execution that is gone (404) without failing the version', async () => {
    watcher.watch(V1, [project.add('gone'), project.add('kept')]);
    project.executions.delete('gone');
    await clock.advance(1000);
    assert.deepEqual(watcher.watchedIds, ['kept']);
    assert.deepEqual(failures, []);
  });

  it('polls each version on its own, one list each', async () => {
    watcher.watch(V1, [project.add('a', V1)]);
    watcher.watch(V2, [project.add('b', V2), project.add('c', V2)]);
    await clock.advance(1000);
    assert.deepEqual(project.lists.map((l) => l.version).sort(), ['1', '2']);
    watcher.unwatch(V2);
    await clock.advance(2000);
    assert.deepEqual(project.lists.map((l) => l.version).sort(), ['1', '1', '2']);
  });

  it('reads every page of a version with more running executions than one page holds', async () => {
    project.pageSize = 2;
    const shown = ['a', 'b', 'c', 'd', 'e'].map((id) => project.add(id));
    watcher.watch(V1, shown);
    await clock.advance(1000);
    assert.deepEqual(project.lists.map((l) => l.cursor), [undefined, '2', '4']);
    assert.equal(project.reads.length, 0, 'none missing: nothing read');
  });

  it('follows new executions of a backed-off version at the shortest interval again', async () => {
    watcher.watch(V1, [project.add('a')]);
    await clock.advance(7000); // lists at 1, 3, 7 s: the next wait is 4 s
    watcher.watch(V1, [project.add('b')]);
    await clock.advance(1000);
    assert.deepEqual(project.lists.map((l) => l.at), [1000, 3000, 7000, 8000]);
  });

  it('gives up on a version after N failed polls in a row, naming its executions', async () => {
    make({ maxConsecutiveFailures: 3 });
    watcher.watch(V1, [project.add('a'), project.add('b')]);
    project.listFailuresLeft = 10;
    await clock.advance(20_000);
    assert.deepEqual(failures.map((f) => [f.consecutiveFailures, f.gaveUp]), [[1, false], [2, false], [3, true]]);
    assert.deepEqual([...failures[2].ids].sort(), ['a', 'b']);
    assert.equal(watcher.versionCount, 0);
  });

  it('stops every timer and request on clear and dispose', async () => {
    watcher.watch(V1, [project.add('a')]);
    watcher.watch(V2, [project.add('b', V2)]);
    watcher.clear();
    await clock.advance(5000);
    assert.equal(project.lists.length, 0);
    watcher.watch(V1, [project.add('c')]);
    watcher.dispose();
    await settle();
  });

  it('follows exactly what a version shows when told again (a filter hid some)', async () => {
    watcher.watch(V1, [project.add('a'), project.add('b'), project.add('c')]);
    watcher.show(V1, [{ ...project.executions.get('b')! }]);
    assert.deepEqual(watcher.watchedIds, ['b']);
    project.end('a');
    await clock.advance(1000);
    assert.deepEqual(project.reads, [], 'an execution no longer shown is not read when it ends');
    watcher.show(V1, []);
    assert.equal(watcher.versionCount, 0);
  });

  it('ignores executions that are not running', () => {
    const done = project.add('done');
    project.end('done');
    watcher.watch(V1, [{ ...done, status: 'COMPLETED' }]);
    assert.equal(watcher.versionCount, 0);
  });

  it('spreads loops started together apart with jitter, never below the interval', async () => {
    const randoms = [0, 0.5, 0.999];
    make({ jitter: 0.2, random: () => randoms.shift() ?? 0 });
    watcher.watch(V1, [project.add('a', V1)]);
    watcher.watch(V2, [project.add('b', V2)]);
    watcher.watch({ workflowExternalId: 'other', version: '1' }, [project.add('c', { workflowExternalId: 'other', version: '1' })]);
    await clock.advance(1200);
    assert.deepEqual(project.lists.map((l) => l.at), [1000, 1100, 1200]);
    assert.equal(jittered(1000, 0), 1000);
    for (let i = 0; i < 100; i++) {
      const ms = jittered(2000, 0.2);
      assert.ok(ms >= 2000 && ms <= 2400, String(ms));
    }
  });
});
