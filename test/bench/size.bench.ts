// Size benchmark (npm run bench:size): packages the extension (npm run package) and prints the .vsix
// size against its 500 KB budget, the two bundles (raw, and compressed as the .vsix holds
// them), and the time a fresh Node process takes to require() dist/extension.js with a stub 'vscode'
// module: the extension host pays that before it calls activate(). Exits 1 when the .vsix is over budget.
// Pass --no-package to measure what dist/ already holds.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleOutput } from '../support/bundle';
import { gzipSync, unzipSync } from 'fflate';

const VSIX_BUDGET_KB = 500;
const REQUIRE_RUNS = 7;

const REPO_ROOT = findRepoRoot(__dirname);
const VSIX = path.join(REPO_ROOT, 'dist', 'cdf-workflows.vsix');
const BUNDLES = ['dist/extension.js', 'dist/sandbox/main.js', 'dist/webview/workflowView.js', 'dist/webview/workflowView.css', 'dist/webview/codicon.woff2'];

const kb = (bytes: number): string => (bytes / 1024).toFixed(1);

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'src', 'extension.ts'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No repository root above ${from}.`);
  }
}

function packageExtension(): void {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', '--silent', 'package'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`npm run package failed (exit ${result.status ?? result.signal}).`);
  }
}

/** Compressed size of each file in the .vsix, from the zip's own entries. */
function vsixEntries(): Map<string, { size: number; originalSize: number }> {
  const entries = new Map<string, { size: number; originalSize: number }>();
  unzipSync(fs.readFileSync(VSIX), {
    filter: (file) => {
      entries.set(file.name, { size: file.size, originalSize: file.originalSize });
      return false; // sizes only, nothing inflated
    },
  });
  return entries;
}

// Runs in a fresh process: 'vscode' resolves to a stub that tolerates any use at module load
// (property reads, `extends`, calls), so only the bundle's own load time is measured.
const REQUIRE_PROBE = `
const Module = require('node:module');
const { performance } = require('node:perf_hooks');
const stub = new Proxy(function () {}, {
  get: (_t, key) => (key === 'then' ? undefined : key === 'prototype' ? {} : stub),
  apply: () => stub,
  construct: () => stub,
});
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
const started = performance.now();
require(process.argv[1]);
process.stdout.write(String(performance.now() - started));
`;

function requireMs(file: string): number {
  const samples: number[] = [];
  for (let i = 0; i < REQUIRE_RUNS; i++) {
    const result = spawnSync(process.execPath, ['-e', REQUIRE_PROBE, file], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`require(${path.relative(REPO_ROOT, file)}) failed in a fresh process:\n${result.stderr}`);
    samples.push(Number(result.stdout));
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/**
 * What parts of extension.js weigh, from esbuild's metafile (built the way build:ext builds it): bytes in
 * the bundle. Groups: the yaml library, the definition features and the HTTP client.
 */
async function bundleParts(): Promise<void> {
  const output = await bundleOutput(REPO_ROOT, 'src/extension.ts');
  const groups: [string, RegExp][] = [
    ['the yaml library', /^node_modules\/yaml\//],
    ['definition features (src/core/definition, src/vscode/definitions)', /^src\/(core\/definition|vscode\/definitions)\//],
    ['the HTTP client (src/core/http, on node:http/https)', /^src\/core\/http\//],
  ];
  for (const [name, pattern] of groups) {
    const bytes = Object.entries(output.inputs).filter(([file]) => pattern.test(file)).reduce((n, [, input]) => n + input.bytesInOutput, 0);
    console.log(`  of which ${name}: ${kb(bytes)} KB`);
  }
  const schemas = fs.readdirSync(path.join(REPO_ROOT, 'dist', 'schemas')).filter((f) => f.endsWith('.schema.json'));
  const raw = schemas.reduce((n, f) => n + fs.statSync(path.join(REPO_ROOT, 'dist', 'schemas', f)).size, 0);
  const packed = schemas.reduce((n, f) => n + gzipSync(fs.readFileSync(path.join(REPO_ROOT, 'dist', 'schemas', f))).length, 0);
  console.log(`dist/schemas: ${schemas.length} generated schemas, ${kb(raw)} KB (about ${kb(packed)} KB compressed), read from disk, not bundled`);
}

async function main(): Promise<void> {
  if (!process.argv.includes('--no-package')) packageExtension();
  if (!fs.existsSync(VSIX)) throw new Error(`${path.relative(REPO_ROOT, VSIX)} is missing: run \`npm run package\` first.`);
  const vsixBytes = fs.statSync(VSIX).size;
  const entries = vsixEntries();
  const over = vsixBytes > VSIX_BUDGET_KB * 1024;
  console.log(`.vsix: ${kb(vsixBytes)} KB (budget ${VSIX_BUDGET_KB} KB)${over ? ': OVER BUDGET' : ''}`);
  for (const bundle of BUNDLES) {
    const bytes = fs.statSync(path.join(REPO_ROOT, bundle)).size;
    const packed = entries.get(`extension/${bundle}`);
    console.log(`${bundle}: ${kb(bytes)} KB${packed ? ` (${kb(packed.size)} KB compressed in the .vsix)` : ' (not in the .vsix)'}`);
    if (bundle === 'dist/extension.js') await bundleParts();
  }
  const ms = requireMs(path.join(REPO_ROOT, 'dist', 'extension.js'));
  console.log(`require() dist/extension.js with a stub 'vscode', fresh process (median of ${REQUIRE_RUNS}): ${ms.toFixed(1)} ms`);
  if (over) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(`size benchmark: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
