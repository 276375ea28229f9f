// e2e helpers: a code-server with the packaged .vsix installed in a fresh profile, and its real workbench in
// headless Chromium (playwright-core) with a fresh browser profile. A scenario is a mocha suite:
//
//   describe('my scenario', function () {
//     const wb = useWorkbench({ settings: { ... } });          // before/after hooks: start, open, stop
//     it('does the thing', async () => {
//       await wb().runCommand('CDF Workflows: About CDF Data Workflows');
//       assert.match(await wb().notification(/is active/), /CDF Data Workflows/);
//       await wb().screenshot('about');
//     });
//   });
//
// Everything started here is stopped (code-server as a whole process group) in the after hook, also when
// a test fails; a failed test leaves a screenshot FAILED-<title>.png next to the others.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { Sandbox } from '../../src/sandbox/index';
import type * as TestHostModule from '../host/code-server.js';

export const REPO_ROOT = findRepoRoot(__dirname);
/** Screenshots land here (git-ignored). */
export const SCREENSHOT_DIR = process.env.CDF_WORKFLOWS_SCREENSHOTS ?? path.join(REPO_ROOT, 'test-results', 'e2e');
/** The package under test: `npm run package` writes it. */
export const VSIX = process.env.CDF_WORKFLOWS_VSIX ?? path.join(REPO_ROOT, 'dist', 'cdf-workflows.vsix');
/** The workspace a workbench opens by default (a fresh copy per server). */
export const FIXTURE_WORKSPACE = path.join(REPO_ROOT, 'test', 'extension', 'fixtures', 'workspace');

/** The connection name the scenarios give the sandbox they start. */
export const SANDBOX_CONNECTION = 'Local sandbox';

/**
 * User settings with one connection, the active one, to a sandbox running in this process. `sandbox: true`
 * with the sandbox's default client: the extension knows its public secret, and uses this sandbox because
 * it is listening on the connection's port.
 */
export function sandboxConnectionSettings(sb: Pick<Sandbox, 'baseUrl' | 'project' | 'tokenUrl' | 'clientId'>, name = SANDBOX_CONNECTION): Record<string, unknown> {
  return {
    'cdfWorkflows.connections': [
      { name, baseUrl: sb.baseUrl, project: sb.project, auth: { type: 'clientCredentials', tokenUrl: sb.tokenUrl, clientId: sb.clientId }, sandbox: true },
    ],
    'cdfWorkflows.activeConnection': name,
  };
}

const host = createRequire(__filename)(path.join(REPO_ROOT, 'test', 'host', 'code-server.js')) as typeof TestHostModule;

const TIMEOUT_MS = 30_000;
const openWorkbenches = new Set<Workbench>();
host.killChildBrowsersOnExit();

/** Closes every open workbench's browser (for Ctrl-C handlers; then stop code-server with stopAllGroups). */
export async function closeAllWorkbenches(): Promise<void> {
  await Promise.all([...openWorkbenches].map((wb) => wb.close()));
}

export interface CodeServerOptions {
  /** Default: dist/cdf-workflows.vsix (CDF_WORKFLOWS_VSIX). Pass null to install nothing. */
  vsix?: string | null;
  /** User settings, on top of the harness defaults (telemetry off, no tips, no trust prompt). */
  settings?: Record<string, unknown>;
  /** A folder to copy into the scratch dir and open; default test/extension/fixtures/workspace. */
  workspace?: string;
  /** Extra environment for code-server and its extension host. */
  env?: Record<string, string>;
}

/** code-server with the extension installed, in a fresh user-data-dir and extensions dir. */
export class TestCodeServer {
  private constructor(
    private readonly server: TestHostModule.RunningCodeServer,
    readonly scratch: string,
    readonly userDataDir: string,
    readonly workspace: string,
  ) {}

  get url(): string { return this.server.url; }
  get logFile(): string { return this.server.logFile; }

  static async start(options: CodeServerOptions = {}): Promise<TestCodeServer> {
    const testHost = host.ensureHost();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdf-e2e-'));
    const userDataDir = path.join(scratch, 'user-data');
    const extensionsDir = path.join(scratch, 'extensions');
    const workspace = path.join(scratch, 'workspace');
    try {
      fs.cpSync(options.workspace ?? FIXTURE_WORKSPACE, workspace, { recursive: true });
      host.writeUserSettings(userDataDir, { ...host.WORKBENCH_SETTINGS, ...options.settings });
      const vsix = options.vsix === undefined ? VSIX : options.vsix;
      if (vsix) host.installExtension(testHost, vsix, { extensionsDir, userDataDir });
      const server = await host.startCodeServer({
        host: testHost, userDataDir, extensionsDir,
        env: { EXTENSIONS_GALLERY: '{}', ...options.env },
        args: ['--disable-proxy', '--ignore-last-opened'],
      });
      return new TestCodeServer(server, scratch, userDataDir, workspace);
    } catch (e) {
      fs.rmSync(scratch, { recursive: true, force: true });
      throw e;
    }
  }

  /** Stops code-server's whole process group and removes its scratch dir. */
  async stop(): Promise<void> {
    await this.server.stop();
    fs.rmSync(this.scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}

export interface WorkbenchOptions {
  /** A folder to open; default the server's workspace copy. */
  folder?: string;
  viewport?: { width: number; height: number };
}

/** The workbench page of a TestCodeServer in a fresh Chromium profile, with the moves scenarios need. */
export class Workbench {
  /** Uncaught page errors, for assertions and failure reports. */
  readonly pageErrors: string[] = [];

  private constructor(readonly context: BrowserContext, readonly page: Page, private readonly profile: string) {
    page.on('pageerror', (e) => this.pageErrors.push(e.message));
  }

  static async open(server: TestCodeServer, options: WorkbenchOptions = {}): Promise<Workbench> {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cdf-e2e-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: host.chromiumExecutable(),
      headless: true,
      viewport: options.viewport ?? { width: 1400, height: 850 },
      args: [...host.CHROMIUM_ARGS],
      // run.ts handles Ctrl-C for the browser and code-server together.
      handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    });
    const page = context.pages()[0] ?? await context.newPage();
    const wb = new Workbench(context, page, profile);
    openWorkbenches.add(wb);
    try {
      await page.goto(`${server.url}?folder=${encodeURIComponent(options.folder ?? server.workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      // The status bar appears once the remote connection and the extension host are up.
      await page.locator('.statusbar').waitFor({ timeout: 60_000 });
      return wb;
    } catch (e) {
      await wb.close();
      throw e;
    }
  }

  /** Clicks a view container in the activity bar, e.g. 'CDF Workflows', and waits for its side bar. */
  async openViewContainer(title: string): Promise<Locator> {
    const item = this.page.locator(`.activitybar .action-item [aria-label^="${cssString(title)}"]`).first();
    await item.waitFor({ timeout: TIMEOUT_MS });
    const sidebar = this.page.locator('.part.sidebar');
    const open = await sidebar.isVisible() && (await sidebar.locator('.composite.title').innerText()).toUpperCase().includes(title.toUpperCase());
    if (!open) {
      await item.click();
      await this.page.mouse.move(700, 400);   // no hover tooltip over the view in screenshots
    }
    await sidebar.locator('.composite.title', { hasText: new RegExp(escapeRegExp(title), 'i') }).waitFor({ timeout: TIMEOUT_MS });
    return sidebar;
  }

  /** Drags the open side bar's edge `by` pixels to the right, so that descriptions show in screenshots. */
  async widenSideBar(by: number): Promise<void> {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box) return;
    await this.page.mouse.move(box.x + box.width, box.y + box.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + box.width + by, box.y + box.height / 2, { steps: 5 });
    await this.page.mouse.up();
  }

  /** A view pane of the side bar, by its name ('Workflows'). */
  viewPane(name: string): Locator {
    return this.page.locator('.part.sidebar .pane', { has: this.page.locator('.pane-header', { hasText: name }) });
  }

  /** Runs a command through the palette (F1) by its full title, e.g. 'CDF Workflows: About CDF Data Workflows'. */
  async runCommand(title: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    // A menu or hover left open (e.g. by a failed test) takes F1 for itself: close it and press again.
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('F1');
      try {
        await input.waitFor({ timeout: attempt < 3 ? 5_000 : TIMEOUT_MS });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
        await this.page.keyboard.press('Escape');
        await this.page.keyboard.press('Escape');
      }
    }
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ timeout: TIMEOUT_MS });
    await row.click();
    await input.waitFor({ state: 'hidden', timeout: TIMEOUT_MS });
  }

  /**
   * Starts a command from the palette whose first prompt reuses the quick input (runCommand waits for the
   * input to close, which these never do), then moves the mouse to `rest` so no hover covers the prompt.
   */
  async startFromPalette(title: string, rest: { x: number; y: number }): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input').first();
    await input.waitFor({ timeout: TIMEOUT_MS });
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().click({ timeout: TIMEOUT_MS });
    await this.page.mouse.move(rest.x, rest.y);
  }

  /** Waits until the quick input shows text matching `expect` (title, prompt, placeholder, message or items). */
  async quickInputShowing(expect: RegExp): Promise<void> {
    await this.page.waitForFunction(
      ([source, flags]) => {
        const widget = document.querySelector<HTMLElement>('.quick-input-widget');
        if (!widget || widget.style.display === 'none') return false;
        const text = `${widget.querySelector('.quick-input-box input')?.getAttribute('placeholder') ?? ''}\n${widget.innerText}`;
        return new RegExp(source, flags).test(text);
      },
      [expect.source, expect.flags] as const,
      { timeout: TIMEOUT_MS },
    );
  }

  /** The newest notification toast whose message matches, e.g. notificationToast(/^Run of .* completed/) (anchors apply to the message). */
  notificationToast(text: string | RegExp): Locator {
    const message = this.page.locator('.notification-list-item-message', { hasText: text });
    return this.page.locator('.notifications-toasts .notification-toast', { has: message }).last();
  }

  /** Waits for a notification toast and returns its message (first line), once its slide-in has ended. */
  async notification(text: string | RegExp, timeout = TIMEOUT_MS): Promise<string> {
    const toast = this.notificationToast(text);
    await toast.waitFor({ timeout });
    await toast.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));
    return (await toast.locator('.notification-list-item-message').innerText()).trim();
  }

  /** Clicks a button of a notification toast, e.g. 'Show Log'. */
  async clickNotificationButton(text: string | RegExp, button: string): Promise<void> {
    await this.notificationToast(text).getByRole('button', { name: button }).click();
  }

  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
  }

  /** A tree item of any tree in the workbench, by its accessible name (its label, plus description if any). */
  treeItem(name: string | RegExp): Locator {
    return this.page.getByRole('treeitem', { name }).first();
  }

  /** Expands a tree item by its twistie: a click on the row runs the row's command (an execution opens its view). */
  async expandTreeItem(item: Locator): Promise<Locator> {
    await item.waitFor({ timeout: TIMEOUT_MS });
    if ((await item.getAttribute('aria-expanded')) !== 'true') await item.locator('.monaco-tl-twistie').click({ timeout: TIMEOUT_MS });
    return item;
  }

  async clickTreeItem(name: string | RegExp): Promise<Locator> {
    const item = this.treeItem(name);
    await item.click({ timeout: TIMEOUT_MS });
    return item;
  }

  /** Right-clicks an element (a tree item, an editor, an explorer file) and returns the context menu. */
  async openContextMenu(target: Locator): Promise<Locator> {
    await target.click({ button: 'right', timeout: TIMEOUT_MS });
    const menu = this.page.locator('.context-view .monaco-menu').last();
    await menu.waitFor({ timeout: TIMEOUT_MS });
    return menu;
  }

  /** Right-clicks target and chooses a context menu entry by its label. */
  async chooseFromContextMenu(target: Locator, label: string | RegExp): Promise<void> {
    const menu = await this.openContextMenu(target);
    const item = menu.getByRole('menuitem', { name: label }).first();
    await item.click({ timeout: TIMEOUT_MS });
    // The workbench's menu can drop a click that comes right after it opened, staying open with the item
    // highlighted: the item then has the keyboard focus, and Enter chooses it.
    if (await menu.waitFor({ state: 'hidden', timeout: 1_000 }).then(() => false, () => true)) {
      await item.hover();
      await this.page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden', timeout: TIMEOUT_MS });
    }
  }

  /** Saves a PNG of the whole workbench to SCREENSHOT_DIR/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${slug(name)}.png`);
    // A moment for the status bar's transient "Activating Extensions..." to go, so screenshots show the steady state.
    await this.page.locator('.statusbar', { hasText: 'Activating Extensions' }).waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    await this.page.screenshot({ path: file });
    return file;
  }

  async close(): Promise<void> {
    openWorkbenches.delete(this);
    try { await this.context.close(); } catch { /* the browser is already gone */ }
    // Chromium may still be flushing the profile while it exits: retry, and never fail a test over it.
    try { fs.rmSync(this.profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }); } catch { /* left in the temp dir */ }
  }
}

export interface UseWorkbench extends CodeServerOptions, WorkbenchOptions {}

/**
 * Registers mocha hooks in the calling describe(): before starts a TestCodeServer and opens a Workbench,
 * afterEach screenshots a failed test, after closes the browser and stops code-server. Returns a getter.
 */
export function useWorkbench(options: UseWorkbench = {}): () => Workbench {
  let server: TestCodeServer | undefined;
  let wb: Workbench | undefined;
  before(async function () {
    this.timeout(180_000);
    server = await TestCodeServer.start(options);
    wb = await Workbench.open(server, options);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) {
      const file = await wb.screenshot(`FAILED-${this.currentTest.fullTitle()}`).catch(() => undefined);
      if (file) console.log(`      screenshot of the failure: ${path.relative(process.cwd(), file)}`);
      if (wb.pageErrors.length) console.log(`      page errors: ${wb.pageErrors.slice(0, 5).join(' | ')}`);
      if (server) {
        const log = path.join(SCREENSHOT_DIR, `${slug(`FAILED-${this.currentTest.fullTitle()}`)}-code-server.log`);
        fs.copyFileSync(server.logFile, log);
        console.log(`      code-server log: ${path.relative(process.cwd(), log)}`);
      }
    }
  });
  after(async function () {
    this.timeout(60_000);
    await wb?.close();
    await server?.stop();
  });
  return () => {
    if (!wb) throw new Error('The workbench did not start: see the before-all hook error.');
    return wb;
  };
}

function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 120);
}

function cssString(s: string): string {
  return s.replace(/["\\]/g, '\\$&');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'cdf-workflows') return dir;
    if (path.dirname(dir) === dir) throw new Error(`No cdf-workflows package.json above ${from}`);
  }
}
