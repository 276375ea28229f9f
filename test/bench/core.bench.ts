// Benchmarks for the pure core modules (run input, definition checks, cron, trigger package, watcher).
// Run: npm run build:out && node out/test/bench/core.bench.js. Prints one line per case and exits 1 when
// a median exceeds its budget. Budgets are generous for a 2-core CI machine; they catch regressions of
// an order of magnitude, not noise.
import { performance } from 'node:perf_hooks';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type TaskDefinitionLike, checkDefinition, topologicalOrder } from '../../src/core/definition';
import { completeAt } from '../../src/core/definition/completion';
import { diagnoseDefinition } from '../../src/core/definition/diagnose';
import { parseDefinitionDocument } from '../../src/core/definition/document';
import { YamlChunkCache } from '../../src/core/definition/parseSource';
import { generateDefinitionSchemas } from '../../src/core/definition/schema/generate';
import { SchemaSet } from '../../src/core/definition/schema/schemaSet';
import { InputError } from '../../src/core/errors';
import { RUN_INPUT_MAX_BYTES, missingInputReferences, parseRunInput } from '../../src/core/run';
import { buildTriggerFunction, describeCron, nextFireTimes, parseCron } from '../../src/core/schedule';
import { ExecutionWatcher, type WatcherTimers } from '../../src/core/watch';

interface Result {
  name: string;
  medianMs: number;
  budgetMs: number;
  /** For the definition benches: the median wall time, shown beside the CPU time the budget applies to. */
  wallMs?: number;
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

/**
 * Median CPU time (user + system of this process) and wall time per call. On a machine shared with other
 * jobs the wall time also counts the waits for a core; the CPU time is the work done, which the budget is for.
 */
async function benchCpu(name: string, budgetMs: number, fn: () => unknown, runs = 60): Promise<Result> {
  // A user types many edits into one file: the figure is the steady state, after the code has warmed up.
  for (let i = 0; i < 30; i++) await fn();
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const start = performance.now();
    await fn();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  return { name, medianMs: median(cpu), budgetMs, wallMs: median(wall) };
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

/** A Toolkit version file of `n` tasks: each reads the previous one's output and the workflow input. */
function toolkitVersion(n: number): string {
  let text = "workflowExternalId: {{ workflow }}\nversion: '1'\nworkflowDefinition:\n  description: Long pipeline\n  tasks:\n";
  for (let i = 0; i < n; i++) {
    text += `    - externalId: task-${i}\n      type: function\n      name: Step ${i}\n      parameters:\n        function:\n          externalId: fn-${i % 7}\n          data:\n`;
    text += `            previous: \${task-${Math.max(0, i - 1)}.output.response}\n            day: \${workflow.input.day}\n        isAsyncComplete: false\n      retries: 2\n      timeout: 3600\n`;
    if (i > 0) text += `      dependsOn:\n        - externalId: task-${i - 1}\n`;
  }
  return text;
}

const SCHEMAS = new SchemaSet(
  generateDefinitionSchemas(JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../spec/cognite-api-v1-workflows-sessions-functions-files.subset.json'), 'utf8'))),
);

/** Diagnostics of a document after an edit: parse (one task again, with the cache) and every check. */
async function definitionBenches(): Promise<Result[]> {
  const yaml = toolkitVersion(200);
  const variables = new Map([['workflow', 'long-pipeline']]);
  const cache = new YamlChunkCache();
  let edit = 0;
  const diagnoseYaml = (): void => {
    // Each run types one more character into task 100's name, as a user does.
    const text = yaml.replace('name: Step 100\n', `name: Step 100${'x'.repeat(++edit % 50)}\n`);
    const doc = parseDefinitionDocument(text, { fileName: 'long.WorkflowVersion.yaml', variables, cache });
    if (!doc) throw new Error('not a definition');
    diagnoseDefinition(doc, { schemas: SCHEMAS });
  };
  const json = JSON.stringify(
    { workflowExternalId: 'long', version: '1', workflowDefinition: { tasks: Array.from({ length: 200 }, (_, i) => ({ externalId: `task-${i}`, type: 'function', parameters: { function: { externalId: `fn-${i % 7}`, data: { previous: `\${task-${Math.max(0, i - 1)}.output.response}` } } }, retries: 2, ...(i > 0 ? { dependsOn: [{ externalId: `task-${i - 1}` }] } : {}) })) } },
    null,
    2,
  );
  const diagnoseJson = (): void => {
    const text = json.replace('"Step', '"Step').replace('"task-100"', `"task-100${'x'.repeat(++edit % 50)}"`);
    const doc = parseDefinitionDocument(text, { format: 'json' });
    if (!doc) throw new Error('not a definition');
    diagnoseDefinition(doc, { schemas: SCHEMAS });
  };
  // Completion inside ${ in task 150's data, and of a dependsOn id, in the 200-task file.
  const refText = yaml.replace('previous: ${task-149.output.response}', 'previous: ${}');
  const refOffset = refText.indexOf('previous: ${}') + 'previous: ${'.length;
  const refDoc = parseDefinitionDocument(refText, { fileName: 'long.WorkflowVersion.yaml', variables, cache })!;
  const depText = yaml.replace('        - externalId: task-149\n', '        - externalId: \n');
  const depOffset = depText.indexOf('        - externalId: \n') + '        - externalId: '.length;
  const depDoc = parseDefinitionDocument(depText, { fileName: 'long.WorkflowVersion.yaml', variables, cache })!;
  const completeBench = (doc: typeof refDoc, offset: number, expect: string) => async (): Promise<void> => {
    const entries = await completeAt(doc, offset, { schemas: SCHEMAS, cache });
    if (!entries.some((e) => e.label === expect)) throw new Error(`completion did not offer ${expect}`);
  };
  return [
    await benchCpu('diagnostics after an edit, 200-task Toolkit YAML with templates (CPU)', 15, diagnoseYaml),
    await benchCpu('diagnostics after an edit, 200-task API JSON (CPU)', 15, diagnoseJson),
    await benchCpu('completion inside ${ in a 200-task YAML definition (CPU)', 5, completeBench(refDoc, refOffset, 'task-149')),
    await benchCpu('completion of a dependsOn task id in a 200-task YAML definition (CPU)', 5, completeBench(depDoc, depOffset, 'task-149')),
  ];
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
    ...(await definitionBenches()),
  ];
  let failed = false;
  for (const r of results) {
    const over = r.medianMs > r.budgetMs;
    failed ||= over;
    console.log(`${over ? 'OVER ' : 'ok   '} ${r.medianMs.toFixed(3).padStart(9)} ms  (budget ${r.budgetMs} ms)  ${r.name}${r.wallMs !== undefined ? `; wall ${r.wallMs.toFixed(1)} ms` : ''}`);
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
