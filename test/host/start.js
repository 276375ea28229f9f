#!/usr/bin/env node
// npm start: the whole product on this machine. Builds and packages the extension, installs the .vsix into
// code-server (a profile under .vscode-test/start/ that survives restarts), starts the local CDF sandbox
// when it is built and preconfigures the extension's connection to it, and serves the workbench on
// http://127.0.0.1:8080. Ctrl-C stops everything it started.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const host = require('./code-server');

const USAGE = 'Usage: npm start [-- --port 8080] [--sandbox-port 8787] [--no-sandbox]';
const START_DIR = path.join(host.TEST_HOST_ROOT, 'start');
const SANDBOX_MAIN = path.join(host.REPO_ROOT, 'dist', 'sandbox', 'main.js');
const VSIX = path.join(host.REPO_ROOT, 'dist', 'cdf-workflows.vsix');
const SANDBOX_CONNECTION = 'Local sandbox';

function parseArgs(argv) {
  const opt = { port: 8080, sandboxPort: 8787, sandbox: true };
  const port = (flag, v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${flag} needs a port number from 1 to 65535, got "${v ?? ''}". ${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === '--port') opt.port = port(flag, value());
    else if (flag === '--sandbox-port') opt.sandboxPort = port(flag, value());
    else if (flag === '--no-sandbox') opt.sandbox = false;
    else if (flag === '--help' || flag === '-h') { console.log(USAGE); process.exit(0); }
    else throw new Error(`Unknown option "${argv[i]}". ${USAGE}`);
  }
  return opt;
}

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  if (!(await host.portIsFree(opt.port))) {
    throw new Error(`Port ${opt.port} on 127.0.0.1 is taken by another program (an earlier npm start?). Stop it, or pick another port: npm start -- --port ${opt.port + 1}`);
  }
  const testHost = host.ensureHost();

  console.log('Building and packaging the extension (npm run package)...');
  const pack = spawnSync('npm', ['run', '--silent', 'package'], { cwd: host.REPO_ROOT, encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(`npm run package failed:\n${pack.stdout}${pack.stderr}`);

  const userDataDir = path.join(START_DIR, 'user-data');
  const extensionsDir = path.join(START_DIR, 'extensions');
  const workspace = path.join(START_DIR, 'workspace');
  fs.mkdirSync(START_DIR, { recursive: true });
  host.installExtension(testHost, VSIX, { extensionsDir, userDataDir });
  // Sample files new since the last start are added; files already there (the user's edits) are kept.
  fs.cpSync(path.join(host.REPO_ROOT, 'test', 'extension', 'fixtures', 'workspace'), workspace, { recursive: true, force: false, errorOnExist: false });

  let stopping = false;
  let sandbox;
  const stopAll = async (code) => {
    if (stopping) return;
    stopping = true;
    await host.stopAllGroups();
    process.exit(code);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => { console.log(`\n${sig === 'SIGINT' ? 'Ctrl-C' : sig}: stopping code-server${sandbox ? ' and the sandbox' : ''}...`); void stopAll(130); });
  }

  if (opt.sandbox && fs.existsSync(SANDBOX_MAIN)) sandbox = await startSandbox(opt.sandboxPort, () => stopping);
  else if (opt.sandbox) console.log(`No sandbox build at ${path.relative(process.cwd(), SANDBOX_MAIN)}: starting without the local sandbox.`);
  const settingsFile = updateUserSettings(userDataDir, sandbox && sandbox.info);

  const server = await host.startCodeServer({
    host: testHost, port: opt.port, userDataDir, extensionsDir, folder: workspace,
    configFile: path.join(START_DIR, 'code-server.yaml'),
    logFile: path.join(START_DIR, 'code-server.log'),
  });
  void server.exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`code-server stopped (${signal || `exit ${code}`}). Last lines of ${server.logFile}:\n${host.tailOf(server.logFile, 20)}`);
    void stopAll(1);
  });

  const rel = (p) => path.relative(process.cwd(), p);
  console.log([
    '',
    `CDF Data Workflows is running in VS Code ${testHost.vscodeVersion} (code-server ${testHost.version}):`,
    '',
    `    ${server.url}`,
    '',
    sandbox
      ? `Local sandbox: ${sandbox.info.baseUrl} (project ${sandbox.info.project}); the connection "${SANDBOX_CONNECTION}" is set in ${rel(settingsFile)}.`
      : 'No local sandbox: add a connection from the CDF Workflows view.',
    `Profile (kept between runs): ${rel(START_DIR)}/   logs: code-server.log${sandbox ? ', sandbox.log' : ''}`,
    'Ctrl-C stops everything.',
  ].join('\n'));
}

/**
 * Starts dist/sandbox/main.js in its own process group and waits for the JSON line it prints once it
 * accepts requests. Resolves undefined (and stops it) when it exits, prints something else or is slow.
 */
async function startSandbox(port, stopping) {
  if (!(await host.portIsFree(port))) {
    console.log(`Port ${port} is taken, so the local sandbox is not started: pick another with npm start -- --sandbox-port ${port + 1}`);
    return undefined;
  }
  const logFile = path.join(START_DIR, 'sandbox.log');
  const log = fs.openSync(logFile, 'w');
  const child = host.spawnGroup(process.execPath, [SANDBOX_MAIN, '--port', String(port), '--seed', 'demo'], { stdio: ['ignore', 'pipe', log] });
  fs.closeSync(log);
  const lines = readline.createInterface({ input: child.stdout });
  const first = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ error: 'no answer within 20 s' }), 20000);
    lines.once('line', (line) => { clearTimeout(timer); resolve({ line }); });
    child.once('exit', (code, signal) => { clearTimeout(timer); resolve({ error: `it exited (${signal || `exit ${code}`})` }); });
  });
  lines.on('line', (line) => fs.appendFileSync(logFile, line + '\n'));   // later stdout goes to the log too
  let info;
  if (first.line !== undefined) {
    try { info = JSON.parse(first.line); } catch { /* reported below */ }
    const valid = info && ['baseUrl', 'project', 'tokenUrl', 'clientId'].every((k) => typeof info[k] === 'string' && info[k]);
    if (!valid) { first.error = `it printed ${JSON.stringify(first.line.slice(0, 200))} instead of {"baseUrl","project","tokenUrl","clientId"}`; info = undefined; }
  }
  if (first.error) {
    await host.stopProcessGroup(child);
    console.log(`The local sandbox did not start (${first.error}; see ${path.relative(process.cwd(), logFile)}): continuing without it.`);
    return undefined;
  }
  void new Promise((resolve) => child.once('exit', resolve)).then(() => {
    if (!stopping()) console.error(`The local sandbox stopped; see ${path.relative(process.cwd(), logFile)}. code-server keeps running.`);
  });
  return { child, info };
}

/**
 * Merges into the user settings.json (comments and the user's other settings kept): quiet defaults where
 * unset and, with a sandbox, the "Local sandbox" connection made active. The sandbox's secret is not
 * written: the extension knows the sandbox's default and keeps secrets in SecretStorage only.
 */
function updateUserSettings(userDataDir, sandboxInfo) {
  const { parse, modify, applyEdits } = require('jsonc-parser');
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '{}\n';
  const errors = [];
  const current = parse(text, errors, { allowTrailingComma: true });
  if (errors.length || current === null || typeof current !== 'object' || Array.isArray(current)) {
    console.log(`${file} is not a JSON object, so it is left as it is (fix it to get the sandbox connection preconfigured).`);
    return file;
  }
  const set = (key, value) => {
    text = applyEdits(text, modify(text, [key], value, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } }));
  };
  for (const [key, value] of Object.entries(host.WORKBENCH_SETTINGS)) if (!(key in current)) set(key, value);
  if (sandboxInfo) {
    const others = Array.isArray(current['cdfWorkflows.connections'])
      ? current['cdfWorkflows.connections'].filter((c) => !(c && c.name === SANDBOX_CONNECTION))
      : [];
    set('cdfWorkflows.connections', [...others, {
      name: SANDBOX_CONNECTION,
      baseUrl: sandboxInfo.baseUrl,
      project: sandboxInfo.project,
      auth: { type: 'clientCredentials', tokenUrl: sandboxInfo.tokenUrl, clientId: sandboxInfo.clientId },
      sandbox: true,
    }]);
    set('cdfWorkflows.activeConnection', SANDBOX_CONNECTION);
  }
  fs.writeFileSync(file, text.endsWith('\n') ? text : text + '\n');
  return file;
}

main().catch(async (e) => {
  console.error(e instanceof Error ? e.message : String(e));
  await host.stopAllGroups();
  process.exit(1);
});
