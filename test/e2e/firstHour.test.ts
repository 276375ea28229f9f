// The first hour in the workbench, on the demo seed: the connection in the status bar from start-up, a
// connection added with a mistyped secret (the sign-in test on Finish, Fix Secret back at the secret with
// every other answer kept), the elapsed time of a running execution moving on by itself, and a status
// filter that says so above the tree and in the title bar, with Clear. Screenshots of each moment.
import * as assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { sandboxConnectionSettings, useWorkbench, type Workbench } from './workbench';

/** Fills the quick input that shows `expect` and accepts (Enter), as a user types an answer. */
async function answer(w: Workbench, expect: RegExp, text: string | undefined): Promise<void> {
  await w.quickInputShowing(expect);
  const input = w.page.locator('.quick-input-widget .quick-input-box input').first();
  if (text !== undefined) await input.fill(text);
  // A pick list filters as it is typed: Enter must not accept the row that was first before the filter ran.
  if (text) {
    await w.page.waitForFunction(
      (typed) => {
        const rows = Array.from(document.querySelectorAll<HTMLElement>('.quick-input-widget .quick-input-list .monaco-list-row')).filter(r => r.offsetParent !== null);
        return rows.length === 0 || rows[0].innerText.toLowerCase().includes(typed.toLowerCase());
      },
      text,
      { timeout: 30_000 },
    );
  }
  await w.page.keyboard.press('Enter');
}

/** Expands a tree item (a click toggles: only click what is collapsed). */
async function expand(w: Workbench, name: RegExp): Promise<void> {
  const item = w.treeItem(name);
  await item.waitFor({ timeout: 30_000 });
  await w.expandTreeItem(item);
  await w.page.waitForFunction((source) => {
    const row = Array.from(document.querySelectorAll('[role="treeitem"]')).find(e => new RegExp(source).test(e.getAttribute('aria-label') ?? ''));
    return row?.getAttribute('aria-expanded') === 'true';
  }, name.source, { timeout: 30_000 });
}

describe('the first hour in the workbench', function () {
  this.timeout(180_000);
  let sb: Sandbox | undefined;
  const settings: Record<string, unknown> = {};

  before(async () => {
    sb = await startSandbox({ quiet: true, seed: 'demo' });
    Object.assign(settings, sandboxConnectionSettings(sb), { 'workbench.colorTheme': 'Default Light Modern' });
  });

  const wb = useWorkbench({ settings, viewport: { width: 1500, height: 850 } });

  after(async () => {
    await sb?.close();
  });

  it('shows the active connection in the status bar from start-up, before the view is opened', async () => {
    const w = wb();
    // The extension activates once start-up has finished: no click on the activity bar needed.
    await w.page.locator('.statusbar-item', { hasText: 'Local sandbox' }).first().waitFor({ timeout: 60_000 });
    assert.equal(await w.page.locator('.part.sidebar .composite.title', { hasText: /CDF Workflows/i }).count(), 0, 'the view was not opened');
    await w.screenshot('first-hour-status-bar');
  });

  it('tests the sign-in on Finish of Add Connection, and Fix Secret goes back to the secret with every answer kept', async () => {
    const w = wb();
    const s = sb!;
    await w.openViewContainer('CDF Workflows');
    await w.widenSideBar(220);
    await w.startFromPalette('CDF Workflows: Add Connection...', { x: 1100, y: 600 });
    await answer(w, /Name of the connection/, 'Production');
    await answer(w, /Where does the CDF project live/, 'Another base URL');
    await answer(w, /API base URL/, s.baseUrl);
    await answer(w, /CDF project name/, s.project);
    await answer(w, /How to sign in/, 'Client credentials');
    await answer(w, /Identity provider/, 'Token URL');
    await answer(w, /OAuth2 token URL/, s.tokenUrl);
    await answer(w, /Client id/, s.clientId);
    await answer(w, /Client secret/, 'a-mistyped-secret');
    await answer(w, /Scopes, comma separated/, '');

    const dialog = w.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    assert.match(await dialog.innerText(), /"Production" cannot sign in: .*invalid_client/);
    const buttons = await dialog.locator('.monaco-button').allInnerTexts();
    assert.deepEqual(buttons.map(b => b.trim()).sort(), ['Cancel', 'Fix Secret', 'Save Anyway']);
    await w.screenshot('first-hour-connection-sign-in-failed');
    await dialog.getByRole('button', { name: 'Fix Secret' }).click();

    // Back at the secret (step 9 of 10), everything else as it was typed.
    const title = w.page.locator('.quick-input-widget .quick-input-title');
    await w.page.locator('.quick-input-widget', { hasText: /Client secret/ }).waitFor({ timeout: 30_000 });
    assert.match(await title.innerText(), /9\/10/);
    await w.screenshot('first-hour-connection-fix-secret');
    await answer(w, /Client secret/, s.clientSecret);
    await answer(w, /Scopes, comma separated/, '');
    const message = await w.notification(/Connection "Production" added and made active/);
    assert.match(message, /Signed in to project "sandbox"/);
    await w.page.locator('.statusbar-item', { hasText: 'Production' }).first().waitFor();
    await w.screenshot('first-hour-connection-added');
    await w.clearNotifications();
  });

  it('moves the elapsed time of a running execution on by itself', async () => {
    const w = wb();
    // Back to the sandbox connection the demo runs on.
    await w.startFromPalette('CDF Workflows: Switch Connection...', { x: 1100, y: 600 });
    await answer(w, /Connection to use/, 'Local sandbox');
    await expand(w, /^Local sandbox/);
    await expand(w, /^monthly-reprocessing/);
    await expand(w, /^v1 · 2 tasks/);
    const running = w.treeItem(/^Running /);
    await running.waitFor({ timeout: 30_000 });
    const first = await running.getAttribute('aria-label');
    await w.expandTreeItem(running);
    await w.treeItem(/^rebuild-aggregates Not started|^rebuild-aggregates In progress|^reprocess-history/).first().waitFor({ timeout: 30_000 });
    await w.page.mouse.move(1100, 600);
    await w.screenshot('first-hour-running-before');
    // The label timer redraws it (no request is made for it): a few seconds later it reads later.
    await w.page.waitForFunction((before) => {
      const row = Array.from(document.querySelectorAll('[role="treeitem"]')).find(e => (e.getAttribute('aria-label') ?? '').startsWith('Running '));
      return !!row && row.getAttribute('aria-label') !== before;
    }, first, { timeout: 20_000 });
    const later = await running.getAttribute('aria-label');
    const seconds = (label: string | null) => {
      const m = /· (?:(\d+)m )?(\d+)s/.exec(label ?? '');
      return m ? Number(m[1] ?? 0) * 60 + Number(m[2]) : NaN;
    };
    assert.ok(seconds(later) > seconds(first), `${first} -> ${later}`);
    await w.screenshot('first-hour-running-after');
  });

  it('says above the tree and in the title that a status filter hides executions, and clears it', async () => {
    const w = wb();
    await w.page.locator('.part.sidebar .actions-container [aria-label^="Filter Executions"]').first().click();
    await answer(w, /Executions to show under every version/, 'Failed');
    const message = w.page.locator('.part.sidebar .message', { hasText: 'Showing failed executions only' });
    await message.waitFor({ timeout: 30_000 });
    const clear = w.page.locator('.part.sidebar .actions-container [aria-label="Clear Execution Filter"]').first();
    await clear.waitFor();
    await w.treeItem(/^No failed executions/).first().waitFor({ timeout: 30_000 });
    await w.page.mouse.move(1100, 600);
    await w.screenshot('first-hour-filter');
    await clear.click();
    await message.waitFor({ state: 'hidden', timeout: 30_000 });
    await w.treeItem(/^Running /).waitFor();
    assert.deepEqual(w.pageErrors, []);
  });
});
