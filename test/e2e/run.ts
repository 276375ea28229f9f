// Runs the e2e scenarios (out/test/e2e/**/*.test.js) with mocha on plain Node: each scenario drives
// code-server's workbench with the packaged .vsix in headless Chromium (see workbench.ts).
// Usage: node out/test/e2e/run.js [--bench] [--grep <regexp>]   (after `npm run package` and `npm run build:out`)
// --bench runs the *.bench.js scenarios (performance figures with budgets) instead of the *.test.js ones.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type * as TestHostModule from '../host/code-server.js';
import { closeAllWorkbenches, REPO_ROOT, SCREENSHOT_DIR, VSIX } from './workbench';

const host = createRequire(__filename)(path.join(REPO_ROOT, 'test', 'host', 'code-server.js')) as typeof TestHostModule;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const grepAt = args.findIndex((a) => a === '--grep');
  const grep = grepAt >= 0 ? args[grepAt + 1] : args.find((a) => a.startsWith('--grep='))?.slice('--grep='.length);
  const kind = args.includes('--bench') ? 'bench' : 'test';
  if (!fs.existsSync(VSIX)) throw new Error(`${path.relative(process.cwd(), VSIX)} is missing: run \`npm run package\` first.`);
  host.chromiumExecutable();   // fails early with the install command
  host.ensureHost();

  // Ctrl-C: mocha would stop mid-test and skip the after hooks, so stop code-server here.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      console.error(`\ne2e: ${sig}, stopping code-server and Chromium`);
      // A browser that does not close in 5 s is killed by the exit hook (killChildBrowsersOnExit).
      const closed = Promise.race([closeAllWorkbenches(), new Promise((r) => setTimeout(r, 5000))]);
      void closed.then(() => host.stopAllGroups()).then(() => process.exit(130));
    });
  }

  // Screenshots and failure logs of an earlier run would pass for this run's.
  if (fs.existsSync(SCREENSHOT_DIR)) {
    for (const f of fs.readdirSync(SCREENSHOT_DIR)) if (f.endsWith('.png') || /^FAILED-.*\.log$/.test(f)) fs.rmSync(path.join(SCREENSHOT_DIR, f));
  }

  const files = fs.readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(`.${kind}.js`)).map((f) => path.join(__dirname, f)).sort();
  if (files.length === 0) throw new Error(`no *.${kind}.js under ${__dirname}: run \`npm run build:out\`.`);

  // mocha 12 is an ES module: import() it (esbuild keeps dynamic imports as they are).
  const { default: Mocha } = await import('mocha');
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: kind === 'bench' ? 600_000 : 60_000, slow: 10_000, ...(grep ? { grep: new RegExp(grep) } : {}) });
  for (const f of files) mocha.addFile(f);
  const stats = await new Promise<{ passes: number; failures: number; pending: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0, pending: runner.stats?.pending ?? 0 }));
  });
  console.log(`e2e ${kind === 'bench' ? 'benchmarks' : 'tests'}: ${stats.passes} passing, ${stats.failures} failing${stats.pending ? `, ${stats.pending} pending` : ''}`);
  // The tier's count alone on a line, in the form every tier prints (npm test sums them).
  console.log(`e2e${kind === 'bench' ? ' benchmarks' : ''}: ${stats.passes} passed, ${stats.failures} failed`);
  const shots = path.relative(process.cwd(), SCREENSHOT_DIR);
  console.log(`e2e screenshots: ${shots.startsWith('..') ? SCREENSHOT_DIR : shots}/`);
  return stats.failures > 0 || stats.passes === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`e2e: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
