#!/usr/bin/env node
// npm test: type-check and lint, build, then the three tiers in order, each printing its own count line
// "<tier>: N passed, N failed". Every tier runs even when an earlier one failed, so one run shows all
// failures; the last line is the sum in the same form. Exits non-zero when a step or a tier failed, or a
// tier printed no count line.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const TIERS = [
  { tier: 'unit', script: 'test:unit' },
  { tier: 'extension', script: 'test:extension' },
  { tier: 'e2e', script: 'test:e2e' },
];
const COUNT = /^(\w[\w-]*): (\d+) passed, (\d+) failed$/;

/** Runs an npm script with its output shown as it comes; resolves with its exit code and the count line. */
function runScript(script, tier) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { cwd: ROOT, stdio: ['inherit', 'pipe', 'inherit'] });
    let counts;
    let rest = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (rest + chunk.toString('utf8')).split(/\r?\n/);
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const m = COUNT.exec(line.trim());
        if (m && m[1] === tier) counts = { passed: Number(m[2]), failed: Number(m[3]) };
      }
    });
    child.on('close', (code, signal) => {
      const m = COUNT.exec(rest.trim());
      if (m && m[1] === tier) counts = { passed: Number(m[2]), failed: Number(m[3]) };
      resolve({ code: code ?? (signal ? 1 : 0), counts });
    });
  });
}

// Ctrl-C reaches the running tier through the terminal: let it stop its servers, then report.
process.on('SIGINT', () => undefined);

async function main() {
  for (const step of ['check', 'build']) {
    const { code } = await runScript(step, '');
    if (code !== 0) {
      console.error(`npm test: npm run ${step} failed (exit ${code}); no tier was run.`);
      return 1;
    }
  }
  let passed = 0;
  let failed = 0;
  let ok = true;
  for (const { tier, script } of TIERS) {
    const { code, counts } = await runScript(script, tier);
    if (counts) {
      passed += counts.passed;
      failed += counts.failed;
    } else {
      console.log(`${tier}: no count line (npm run ${script} exited ${code})`);
    }
    if (code !== 0 || !counts || counts.failed > 0) ok = false;
  }
  console.log(`total: ${passed} passed, ${failed} failed`);
  return ok ? 0 : 1;
}

main().then((code) => process.exit(code), (e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
