// The mocha runner inside the extension host: VS Code loads this file as extensionTestsPath and calls run().
// It runs every *.test.js under out/test/extension (every *.bench.js with CDF_WORKFLOWS_TEST_KIND=bench),
// prints `extension tests: N passing, M failing`, writes the counts for run.ts, and rejects when a test
// fails, which makes VS Code exit non-zero. Adding a suite = dropping a *.test.ts file in test/extension/.
//
// For suites: CDF_WORKFLOWS_REPO_ROOT is the repository root; CDF_WORKFLOWS_TEST_WORKSPACE the opened
// workspace folder (a fresh copy of test/extension/fixtures/workspace/); both also as functions below.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Env var naming the file where run() writes its SuiteResults. */
export const RESULTS_ENV = 'CDF_WORKFLOWS_TEST_RESULTS';

export interface SuiteResults {
  kind: 'test' | 'bench';
  total: number;
  passing: number;
  failing: number;
  pending: number;
  failures: string[];
}

export function repoRoot(): string {
  return process.env.CDF_WORKFLOWS_REPO_ROOT ?? path.resolve(__dirname, '../../..');
}

export function testWorkspace(): string {
  const dir = process.env.CDF_WORKFLOWS_TEST_WORKSPACE;
  if (!dir) throw new Error('CDF_WORKFLOWS_TEST_WORKSPACE is not set: start the suites with `npm run test:extension`.');
  return dir;
}

export async function run(): Promise<void> {
  const kind = process.env.CDF_WORKFLOWS_TEST_KIND === 'bench' ? 'bench' : 'test';
  const label = kind === 'bench' ? 'extension benchmarks' : 'extension tests';
  const files = findFiles(__dirname, `.${kind}.js`);
  if (files.length === 0) throw new Error(`${label}: no *.${kind}.js under ${__dirname}: run \`npm run build:out\`.`);

  // mocha 12 is an ES module: import() it (esbuild keeps dynamic imports as they are).
  const { default: Mocha } = await import('mocha');
  const grep = process.env.CDF_WORKFLOWS_TEST_GREP;
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: process.env.CDF_WORKFLOWS_TEST_COLOR === '1',
    timeout: kind === 'bench' ? 600_000 : 30_000,
    slow: 2_000,
    ...(grep ? { grep: new RegExp(grep) } : {}),
  });
  for (const file of files) mocha.addFile(file);

  const results = await new Promise<SuiteResults>((resolve) => {
    const failures: string[] = [];
    const runner = mocha.run(() => {
      const s = runner.stats;
      resolve({ kind, total: runner.total, passing: s?.passes ?? 0, failing: s?.failures ?? 0, pending: s?.pending ?? 0, failures });
    });
    runner.on('fail', (test) => failures.push(test.fullTitle()));
  });

  const out = process.env[RESULTS_ENV];
  if (out) fs.writeFileSync(out, JSON.stringify(results, null, 2));
  console.log(`${label}: ${results.passing} passing, ${results.failing} failing${results.pending ? `, ${results.pending} pending` : ''}`);
  if (results.failing > 0) throw new Error(`${results.failing} of ${results.total} ${label} failed`);
}

/** Suites that end the extension (as VS Code does when a window closes) run after every other suite. */
const LAST = new Set(['deactivate.test.js']);

function findFiles(dir: string, suffix: string): string[] {
  const last = (f: string): number => (LAST.has(path.basename(f)) ? 1 : 0);
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(suffix))
    .map((f) => path.join(dir, f))
    .sort((a, b) => last(a) - last(b) || (a < b ? -1 : a > b ? 1 : 0));
}
