// Benchmarks for the pure core modules (run input, definition checks, cron, trigger package, watcher).
// Run: npm run build:out && node out/test/bench/core.bench.js. Prints one line per case and exits 1 when
// a median exceeds its budget. Budgets are generous for a 2-core CI machine; they catch regressions of
// an order of magnitude, not noise.
import { performance } from 'node:perf_hooks';
import { type TaskDefinitionLike, checkDefinition, topologicalOrder } from '../../src/core/definition';
import { InputError } from '../../src/core/errors';
import { RUN_INPUT_MAX_BYTES, missingInputReferences, parseRunInput } from '../../src/core/run';
import { buildTriggerFunction, describeCron, nextFireTimes, parseCron } from '../../src/core/schedule';
import { ExecutionWatcher, type WatcherTimers } from '../../src/core/watch';

interface Result {
  name: string;
  medianMs: number;
  budgetMs: number;
}

function bench(name: string, budgetMs: number, fn: () => void, runs = 30): Result {
  for (let i = 0; i < 3; i++) fn(); // warm up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { name, medianMs: samples[Math.floor(samples.length / 2)] ?? 0, budgetMs };
}

/** A pretty-printed input just under 100 KB as sent. */
function largeInput(): string {
  const rows: Record<string, unknown>[] = [];
  let size = 2;
  for (let i = 0; size < RUN_INPUT_MAX_BYTES - 200; i++) {
    const row = { id: i, site: `site-${i}`, tags: ['a', 'b'], active: i % 2 === 0, weight: i / 7 };
    size += JSON.stringify(row).length + 1;
    rows.push(row);
  }
  return JSON.stringify({ rows: rows.slice(0, -1) }, null, 2);
}

/** 100 tasks in a chain, each reading the previous task's output and the workflow input. */
function chainDefinition(): { tasks: TaskDefinitionLike[] } {
  const tasks: TaskDefinitionLike[] = [];
  for (let i = 0; i < 100; i++) {
    tasks.push({
      externalId: `task-${i}`,
      type: 'function',
      parameters: {
        function: {
          externalId: `fn-${i}`,
          data: { previous: i > 0 ? `\${task-${i - 1}.output.response}` : '${workflow.input}', day: '${workflow.input.day}', nested: { list: [`\${workflow.input.k${i}}`] } },
        },
      },
      dependsOn: i > 0 ? [{ externalId: `task-${i - 1}` }] : [],
    });
  }
  return { tasks };
}

async function watcherRequests(): Promise<{ requests: number; intervals: number }> {
  // 20 executions followed for 10 simulated minutes on a fake clock: how many reads does it cost?
  let now = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let handle = 0;
  const clock: WatcherTimers = {
    setTimeout: (fn, ms) => (timers.set(++handle, { at: now + ms, fn }), handle),
    clearTimeout: (h) => void timers.delete(h as number),
    now: () => now,
  };
  let requests = 0;
  const watcher = new ExecutionWatcher({
    retrieve: (id) => {
      requests++;
      return Promise.resolve({ id, status: 'RUNNING' });
    },
    timers: clock,
    minIntervalMs: 2000,
    maxIntervalMs: 30000,
    backoffFactor: 1.5,
  });
  for (let i = 0; i < 20; i++) void watcher.follow(`e${i}`).catch(() => undefined);
  const end = 10 * 60 * 1000;
  for (;;) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const next = [...timers.entries()].sort((a, b) => a[1].at - b[1].at)[0];
    if (!next || next[1].at > end) break;
    timers.delete(next[0]);
    now = next[1].at;
    next[1].fn();
  }
  watcher.dispose();
  return { requests, intervals: end / 2000 };
}

async function main(): Promise<void> {
  const input = largeInput();
  const broken = `${input.slice(0, -2)},\n}`;
  const def = chainDefinition();
  const results: Result[] = [
    bench(`parseRunInput, ${Buffer.byteLength(input).toLocaleString('en-US')} bytes pretty JSON`, 25, () => parseRunInput(input)),
    bench('parseRunInput, same text with a trailing comma at the end', 50, () => {
      try {
        parseRunInput(broken);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
      }
    }),
    bench('checkDefinition, 100 chained tasks with references', 10, () => checkDefinition(def)),
    bench('topologicalOrder, 100 chained tasks', 10, () => topologicalOrder(def)),
    bench('missingInputReferences, 100 tasks', 10, () => missingInputReferences(def, { day: 'x' })),
    bench('parseCron + describeCron', 5, () => describeCron(parseCron('30 5 * 1-6 MON-FRI').expression)),
    bench('nextFireTimes, 5 in Europe/Oslo', 10, () => nextFireTimes('*/15 6-18 * * 1-5', { timezone: 'Europe/Oslo', from: new Date('2026-03-28T00:00:00Z') })),
    bench('buildTriggerFunction (zip + hash)', 20, () => buildTriggerFunction()),
  ];
  let failed = false;
  for (const r of results) {
    const over = r.medianMs > r.budgetMs;
    failed ||= over;
    console.log(`${over ? 'OVER ' : 'ok   '} ${r.medianMs.toFixed(3).padStart(9)} ms  (budget ${r.budgetMs} ms)  ${r.name}`);
  }
  const { requests, intervals } = await watcherRequests();
  const perExecution = requests / 20;
  // Budget: never more than one read per execution per minimum interval (it backs off, so far fewer).
  const overReads = perExecution > intervals;
  failed ||= overReads;
  console.log(`${overReads ? 'OVER ' : 'ok   '} ${String(requests).padStart(9)} reads (budget ${intervals * 20})  ExecutionWatcher, 20 unchanged executions, 10 min, 2-30 s backoff (${perExecution} each)`);
  if (failed) process.exitCode = 1;
}

void main();
