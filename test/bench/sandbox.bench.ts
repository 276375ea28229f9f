// Sandbox benchmark (npm run bench:sandbox): figures one per line, each compared to its budget:
//   - a filtered page of 100 executions (status filter) out of 100,000 in 1,000 workflows: p50 <= 5 ms
//   - memory after loading them: <= 300 MB
//   - startup with the demo seed: <= 300 ms
//   - the embedded sandbox (SandboxHost) as a child process, from start() to its ready line: <= 1 s
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { Agent } from 'undici';
import { startSandbox, type WorkflowStatus } from '../../src/sandbox';
import { SandboxHost } from '../../src/vscode/connections/sandboxHost';

const WORKFLOWS = 1000;
const PER_WORKFLOW = 100;
const SAMPLES = 400;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const round = (n: number): number => Math.round(n * 100) / 100;

const lines: { name: string; value: number; unit: string; budget?: number }[] = [];
function report(name: string, value: number, unit: string, budget?: number): void {
  lines.push({ name, value, unit, ...(budget !== undefined ? { budget } : {}) });
  const verdict = budget === undefined ? '' : value <= budget ? `  (budget ${budget} ${unit}: PASS)` : `  (budget ${budget} ${unit}: FAIL)`;
  console.log(`${name}: ${value} ${unit}${verdict}`);
}

async function timeRequests(label: string, url: string, token: string, bodies: () => unknown, budget?: number): Promise<void> {
  const dispatcher = new Agent({ connections: 1, pipelining: 1 });
  const { request } = await import('undici');
  const once = async (): Promise<number> => {
    const started = performance.now();
    const res = await request(url, {
      method: 'POST',
      dispatcher,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(bodies()),
    });
    const body = (await res.body.json()) as { items?: unknown[] };
    const elapsed = performance.now() - started;
    if (res.statusCode !== 200 || !body.items) throw new Error(`${label}: status ${res.statusCode}`);
    return elapsed;
  };
  for (let i = 0; i < 30; i++) await once(); // warm up
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) samples.push(await once());
  samples.sort((a, b) => a - b);
  report(`${label} p50`, round(percentile(samples, 50)), 'ms', budget);
  report(`${label} p95`, round(percentile(samples, 95)), 'ms');
  await dispatcher.close();
}

async function loadedBenchmark(): Promise<void> {
  gc();
  const baseline = process.memoryUsage();
  const sandbox = await startSandbox({ quiet: true });
  try {
    const loadStart = performance.now();
    const statuses: WorkflowStatus[] = ['COMPLETED', 'COMPLETED', 'COMPLETED', 'FAILED', 'COMPLETED', 'TERMINATED', 'COMPLETED', 'TIMED_OUT', 'COMPLETED', 'COMPLETED'];
    const now = Date.now();
    for (let w = 0; w < WORKFLOWS; w++) {
      const externalId = `bench-workflow-${String(w).padStart(4, '0')}`;
      sandbox.upsertWorkflow({ externalId, description: `Benchmark workflow ${w}` }, [
        {
          version: '1',
          workflowDefinition: {
            tasks: [
              { externalId: 'extract', type: 'transformation', parameters: { transformation: { externalId: `tr-${w}` } } },
              { externalId: 'process', type: 'function', parameters: { function: { externalId: 'fn-process', data: { w } } }, dependsOn: [{ externalId: 'extract' }] },
            ],
          },
        },
      ]);
      // Interleave workflows in time so a status page spans many of them.
      sandbox.insertExecutions({
        workflowExternalId: externalId,
        version: '1',
        count: PER_WORKFLOW,
        statuses: statuses.slice(w % statuses.length).concat(statuses.slice(0, w % statuses.length)),
        newestCreatedTime: now - w * 1000,
        spacingMs: WORKFLOWS * 1000,
      });
    }
    report('load 1,000 workflows + 100,000 executions (in-process)', Math.round(performance.now() - loadStart), 'ms');
    gc();
    const loaded = process.memoryUsage();
    report('RSS after loading', mb(loaded.rss), 'MB', 300);
    report('heap used after loading', mb(loaded.heapUsed), 'MB');
    report('heap growth for the loaded state', mb(loaded.heapUsed - baseline.heapUsed), 'MB');

    const token = sandbox.accessToken();
    const url = `${sandbox.baseUrl}/api/v1/projects/${sandbox.project}/workflows/executions/list`;
    await timeRequests('page of 100, status FAILED, all workflows', url, token, () => ({ filter: { status: ['FAILED'] }, limit: 100 }), 5);
    let w = 0;
    await timeRequests('page of 100, status COMPLETED, one workflow', url, token, () => ({
      filter: { status: ['COMPLETED'], workflowFilters: [{ externalId: `bench-workflow-${String(w++ % WORKFLOWS).padStart(4, '0')}` }] },
      limit: 100,
    }));
    // A later page: the cursor of page 10.
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ filter: { status: ['FAILED'] }, limit: 100, ...(cursor ? { cursor } : {}) }) });
      cursor = ((await res.json()) as { nextCursor?: string }).nextCursor;
    }
    await timeRequests('page 11 of 100 via cursor, status FAILED', url, token, () => ({ filter: { status: ['FAILED'] }, limit: 100, cursor }));
    await timeRequests('page of 100, status RUNNING (none match)', url, token, () => ({ filter: { status: ['RUNNING'] }, limit: 100 }));
  } finally {
    await sandbox.close();
  }
}

async function startupBenchmark(): Promise<void> {
  // In-process: what the extension pays when it starts the embedded sandbox (modules already loaded).
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const started = performance.now();
    const sandbox = await startSandbox({ quiet: true, seed: 'demo' });
    times.push(performance.now() - started);
    await sandbox.close();
  }
  times.sort((a, b) => a - b);
  report('startup with the demo seed, in-process (median of 7)', round(percentile(times, 50)), 'ms', 300);

  // Cold: node + the bundle + demo seed until the JSON line (what `npm run sandbox` users wait for).
  const bundle = path.resolve(__dirname, '../../../dist/sandbox/main.js');
  if (!fs.existsSync(bundle)) {
    console.log('cold start of dist/sandbox/main.js: skipped (run npm run build:ext first)');
    return;
  }
  const cold: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const child = spawn(process.execPath, [bundle, '--port', '0', '--seed', 'demo', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
    });
    cold.push(performance.now() - started);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  cold.sort((a, b) => a - b);
  report('cold start: node + bundle + demo seed until the JSON line (median of 3)', round(percentile(cold, 50)), 'ms');
}

/**
 * What "Try the Local Sandbox" waits for: SandboxHost spawns node with dist/sandbox/main.js, passes the
 * secret on stdin and reads the ready line. First start on an install (demo seed written to disk), and a
 * restart that loads the saved state.
 */
async function embeddedStartBenchmark(): Promise<void> {
  const extensionPath = path.resolve(__dirname, '../../..');
  if (!fs.existsSync(path.join(extensionPath, 'dist', 'sandbox', 'main.js'))) {
    console.log('embedded sandbox start: skipped (run npm run build:ext first)');
    return;
  }
  const store = new Map<string, string>();
  const secrets = { get: (k: string) => Promise.resolve(store.get(k)), store: (k: string, v: string) => Promise.resolve(void store.set(k, v)) };
  const quiet = (): void => undefined;
  const log = { info: quiet, warn: quiet, error: quiet, debug: quiet, trace: quiet };
  const timeStart = async (dataDir: string): Promise<number> => {
    const host = new SandboxHost({ extensionPath, dataDir, log, secrets });
    const started = performance.now();
    await host.start();
    const elapsed = performance.now() - started;
    await host.stop();
    return elapsed;
  };
  const first: number[] = [];
  const again: number[] = [];
  const dirs: string[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-embedded-'));
      dirs.push(dir);
      store.clear();
      first.push(await timeStart(dir));
      again.push(await timeStart(dir));
    }
  } finally {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
  first.sort((a, b) => a - b);
  again.sort((a, b) => a - b);
  report('embedded sandbox: first start as a child process to its ready line (median of 5)', round(percentile(first, 50)), 'ms', 1000);
  report('embedded sandbox: restart with its saved state to its ready line (median of 5)', round(percentile(again, 50)), 'ms', 1000);
}

async function main(): Promise<void> {
  console.log(`sandbox benchmark on Node ${process.version}, ${SAMPLES} samples per figure`);
  await startupBenchmark();
  await embeddedStartBenchmark();
  await loadedBenchmark();
  const failed = lines.filter((l) => l.budget !== undefined && l.value > l.budget);
  console.log(failed.length === 0 ? 'all budgets met' : `over budget: ${failed.map((l) => l.name).join('; ')}`);
  process.exitCode = failed.length === 0 ? 0 : 1;
}

void main();
