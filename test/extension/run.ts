// Runs the extension-host suites (out/test/extension/**/*.test.js) in a real VS Code through
// @vscode/test-electron's runTests: by default code-server, started by the repo's stand-in executable
// (test/host/code-server-as-vscode.js); with --electron a desktop VS Code that test-electron downloads.
// Usage: node out/test/extension/run.js [--electron] [--bench] [--grep <regexp>]
import { runTests, TestRunFailedError } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as TestHostModule from '../host/code-server.js';
import { RESULTS_ENV, type SuiteResults } from './index';

const REPO_ROOT = findRepoRoot(__dirname);
const STAND_IN = path.join(REPO_ROOT, 'test', 'host', 'code-server-as-vscode.js');
const FIXTURE_WORKSPACE = path.join(REPO_ROOT, 'test', 'extension', 'fixtures', 'workspace');

interface Options { electron: boolean; bench: boolean; grep?: string }

function parseArgs(argv: string[]): Options {
  const options: Options = { electron: false, bench: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--electron') options.electron = true;
    else if (a === '--bench') options.bench = true;
    else if (a === '--grep' && argv[i + 1] !== undefined) options.grep = argv[++i];
    else if (a.startsWith('--grep=')) options.grep = a.slice('--grep='.length);
    else throw new Error(`Unknown argument "${a}". Usage: node out/test/extension/run.js [--electron] [--bench] [--grep <regexp>]`);
  }
  return options;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const label = options.bench ? 'extension benchmarks' : 'extension tests';
  const main = path.join(REPO_ROOT, 'dist', 'extension.js');
  if (!fs.existsSync(main)) throw new Error(`${path.relative(process.cwd(), main)} is missing: run \`npm run build\` first.`);
  if (options.electron && needsVirtualDisplay()) return rerunUnderXvfb();

  // A fresh profile, extensions dir and workspace copy per run: nothing leaks from one run into the next.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdf-ext-tests-'));
  const workspace = path.join(scratch, 'workspace');
  fs.cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
  const resultsFile = path.join(scratch, 'results.json');
  const cleanup = () => fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  process.once('exit', cleanup);

  let vscodeExecutablePath: string | undefined;
  if (!options.electron) {
    const host = loadTestHost();
    host.ensureHost();
    vscodeExecutablePath = STAND_IN;
  }
  const extensionTestsEnv: Record<string, string> = {
    CDF_WORKFLOWS_REPO_ROOT: REPO_ROOT,
    CDF_WORKFLOWS_TEST_WORKSPACE: workspace,
    CDF_WORKFLOWS_TEST_KIND: options.bench ? 'bench' : 'test',
    CDF_WORKFLOWS_TEST_COLOR: process.stdout.isTTY ? '1' : '',
    [RESULTS_ENV]: resultsFile,
    ...(options.grep ? { CDF_WORKFLOWS_TEST_GREP: options.grep } : {}),
  };
  // test-electron forwards Ctrl-C to the stand-in, which stops code-server; we only report it.
  let interrupted = false;
  process.on('SIGINT', () => { interrupted = true; });
  let exitCode = 0;
  try {
    await runTests({
      ...(vscodeExecutablePath ? { vscodeExecutablePath } : { version: process.env.VSCODE_VERSION || 'stable' }),
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'extension', 'index.js'),
      extensionTestsEnv,
      launchArgs: [
        workspace,
        `--user-data-dir=${path.join(scratch, 'user-data')}`,
        `--extensions-dir=${path.join(scratch, 'extensions')}`,
      ],
    });
  } catch (e) {
    if (!(e instanceof TestRunFailedError)) {
      console.error(`${label}: could not start VS Code: ${e instanceof Error ? e.message : String(e)}`);
      return 1;
    }
    // A non-zero exit: the results file says whether tests failed or never ran.
    console.error(`${label}: ${e.message}`);
    exitCode = 1;
  }
  if (interrupted) {
    console.error(`${label}: interrupted`);
    return 130;
  }
  const results = readResults(resultsFile);
  if (!results) {
    console.error(`${label}: the extension host reported no results (did it start? is out/test/extension/index.js built?)`);
    return 1;
  }
  // The tier's count alone on a line, in the form every tier prints (npm test sums them).
  if (!options.bench) console.log(`extension: ${results.passing} passed, ${results.failing} failed`);
  if (results.failing > 0 || results.total === 0) exitCode = 1;
  return exitCode;
}

function readResults(file: string): SuiteResults | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as SuiteResults;
  } catch {
    return undefined;
  }
}

/** Desktop VS Code needs a display; on a headless Linux box run it under Xvfb. */
function needsVirtualDisplay(): boolean {
  return process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && !process.env.CDF_WORKFLOWS_UNDER_XVFB;
}

function rerunUnderXvfb(): number {
  if (spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('Desktop VS Code needs a display and there is none: install Xvfb (`sudo apt-get install -y xvfb`) or run with DISPLAY set.');
  }
  const r = spawnSync('xvfb-run', ['-a', process.execPath, __filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, CDF_WORKFLOWS_UNDER_XVFB: '1' },
  });
  return r.status ?? 1;
}

function loadTestHost(): typeof TestHostModule {
  // Plain JS that runs before the build, so it is loaded from the source tree, not from out/.
  return createRequire(__filename)(path.join(REPO_ROOT, 'test', 'host', 'code-server.js')) as typeof TestHostModule;
}

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'cdf-workflows') return dir;
    if (path.dirname(dir) === dir) throw new Error(`No cdf-workflows package.json above ${from}`);
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  },
);
