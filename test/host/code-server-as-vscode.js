#!/usr/bin/env node
// A stand-in for the VS Code executable, for @vscode/test-electron's runTests({ vscodeExecutablePath }).
// It takes VS Code's test flags, starts code-server (the installed test host) on a free loopback port,
// opens its real workbench in headless Chromium with the development payload (extensionDevelopmentPath,
// extensionTestsPath), so the tests run in code-server's Node extension host; it prints the extension
// host's console output and exits with the test run's exit code. Everything it starts is stopped as a
// whole process group, also on failure, timeout and Ctrl-C.
// Env: CODE_SERVER_VERSION (test host version), CHROMIUM_PATH, VSCODE_SHIM_TIMEOUT_MS (default 600000).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');
const host = require('./code-server');

/** VS Code flags that take a value in a separate argument; the value must not be taken for the folder. */
const FLAGS_WITH_VALUE = new Set(['locale', 'log', 'profile', 'sync', 'disable-extension', 'inspect-extensions', 'inspect-brk-extensions']);

function parseArgs(argv) {
  const opt = { dev: [], tests: undefined, userDataDir: undefined, extensionsDir: undefined, folder: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-')) { opt.folder = path.resolve(a); continue; }
    const eq = a.indexOf('=');
    const key = a.replace(/^--?/, '').split('=')[0];
    const value = () => (eq >= 0 ? a.slice(eq + 1) : argv[++i]);
    if (key === 'extensionDevelopmentPath') opt.dev.push(path.resolve(value()));
    else if (key === 'extensionTestsPath') opt.tests = path.resolve(value());
    else if (key === 'user-data-dir') opt.userDataDir = path.resolve(value());
    else if (key === 'extensions-dir') opt.extensionsDir = path.resolve(value());
    else if (FLAGS_WITH_VALUE.has(key) && eq < 0) i++;
    // Everything else (--no-sandbox, --disable-updates, --skip-welcome, ...) is for desktop Electron.
  }
  return opt;
}

/**
 * The remote extension host's console reaches the page as console.log('%c INFO', css, message, ...args)
 * (the browser's log service); re-print those, minus the workbench's own chatter.
 */
const NOISE = /^(Resolving|Resolved|Creating a socket|Updating additional|\[Service Worker\]|Ignoring fetching additional builtin|\[reconnection-grace-time|ChatSessionStore|\[AgentHost|\[ChatModelSelection|\[AccountPolicyGate)/;
function extensionHostLine(args) {
  if (args.length < 3 || typeof args[2] !== 'string' || !/^%c\s+(INFO|WARN|ERR|DEBUG|TRACE)/.test(String(args[0]))) return undefined;
  if (NOISE.test(args[2])) return undefined;
  return util.format(args[2], ...args.slice(3));
}

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  if (!opt.tests || opt.dev.length === 0) {
    console.error('code-server-as-vscode: needs --extensionTestsPath and --extensionDevelopmentPath (it stands in for VS Code under @vscode/test-electron).');
    return 2;
  }
  host.killChildBrowsersOnExit();
  const testHost = host.installedHost();
  if (!testHost) {
    console.error(`code-server-as-vscode: the test host (code-server ${host.hostVersion()}) is not installed: run \`node test/host/install.js\`.`);
    return 2;
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdf-vscode-shim-'));
  const userDataDir = opt.userDataDir || path.join(scratch, 'user-data');
  const extensionsDir = opt.extensionsDir || path.join(scratch, 'extensions');
  if (!fs.existsSync(path.join(userDataDir, 'User', 'settings.json'))) host.writeUserSettings(userDataDir, host.WORKBENCH_SETTINGS);

  let server, browser, stopping;
  const stopAll = () => stopping || (stopping = (async () => {
    try { if (browser) await browser.close(); } catch { /* already gone */ }
    if (server) await server.stop();
    fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  })());
  // Ctrl-C reaches us twice (the terminal's process group, then test-electron forwarding it): stop once,
  // and keep handling the signal so a repeat cannot kill us before code-server is stopped.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      if (!stopping) console.error(`code-server-as-vscode: ${sig}, stopping code-server and Chromium`);
      void stopAll().then(() => process.exit(130));
    });
  }

  try {
    server = await host.startCodeServer({
      host: testHost, userDataDir, extensionsDir,
      logFile: path.join(scratch, 'code-server.log'),
      configFile: path.join(scratch, 'code-server.yaml'),
      env: { EXTENSIONS_GALLERY: '{}' },
      // Newer code-server builds honour the development payload only with the smoke-test driver on
      // (which also hides toasts: never for UI tests).
      args: ['--disable-proxy', '--ignore-last-opened', ...(testHost.supportsVscodeOption ? ['--vscode-option', 'enable-smoke-test-driver'] : [])],
    });
    const authority = `127.0.0.1:${server.port}`;
    const remote = (p) => `vscode-remote://${authority}${p}`;
    const payload = [...opt.dev.map((d) => ['extensionDevelopmentPath', remote(d)]), ['extensionTestsPath', remote(opt.tests)]];
    const url = `http://${authority}/?${opt.folder ? `folder=${encodeURIComponent(opt.folder)}` : 'ew=true'}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

    const { chromium } = require('playwright-core');
    browser = await chromium.launch({
      executablePath: host.chromiumExecutable(), headless: true, args: [...host.CHROMIUM_ARGS],
      handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,   // ours stop code-server too
    });
    const page = await (await browser.newContext()).newPage();
    let resolveExit;
    const finished = new Promise((r) => { resolveExit = r; });
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit({ code }));
    let printing = Promise.resolve();   // one chain keeps the output in order
    page.on('console', (m) => {
      printing = printing.then(async () => {
        let args;
        try { args = await Promise.all(m.args().map((a) => a.jsonValue())); } catch { return; }
        const line = extensionHostLine(args);
        if (line !== undefined) process.stdout.write(line + '\n');
      });
    });
    page.on('crash', () => resolveExit({ error: 'the workbench page crashed' }));
    void server.exited.then(({ code, signal }) => {
      if (!stopping) resolveExit({ error: `code-server exited (${signal || `exit ${code}`}); log: ${server.logFile}` });
    });
    const timeoutMs = Number(process.env.VSCODE_SHIM_TIMEOUT_MS) || 600000;
    const timer = setTimeout(() => resolveExit({ error: `no result from the extension host within ${timeoutMs / 1000} s (VSCODE_SHIM_TIMEOUT_MS)` }), timeoutMs);

    await page.goto(url);
    const result = await finished;
    clearTimeout(timer);
    await printing;
    if (result.error) {
      console.error(`code-server-as-vscode: ${result.error}\n--- code-server log (tail) ---\n${host.tailOf(server.logFile, 30)}`);
      return 1;
    }
    return result.code === 0 ? 0 : 1;
  } finally {
    await stopAll();
  }
}

main().then((code) => process.exit(code), (e) => {
  console.error('code-server-as-vscode:', e instanceof Error ? e.message : e);
  process.exit(1);
});
