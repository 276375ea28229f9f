// The first minute of a new user, on the demo seed `npm start` and "Try the Local Sandbox" show: open a
// JSON input, run daily-asset-sync@2 from the editor, watch its tasks in the tree until the completion
// notification, open the details, and look at a failed run's tasks. `npm run screenshots` copies its
// screenshots into media/screenshots for the README.
import * as assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { sandboxConnectionSettings, useWorkbench, type Workbench } from './workbench';

async function shot(w: Workbench, name: string): Promise<void> {
  await w.screenshot(`tour-${name}`);
}

describe('tour of the demo seed', function () {
  this.timeout(180_000);
  let sb: Sandbox | undefined;
  const settings: Record<string, unknown> = {};

  before(async () => {
    sb = await startSandbox({ quiet: true, seed: 'demo' });
    Object.assign(settings, {
      ...sandboxConnectionSettings(sb),
      'cdfWorkflows.follow.minIntervalSeconds': 1,
      'cdfWorkflows.follow.maxIntervalSeconds': 2,
      'workbench.colorTheme': 'Default Light Modern',
      // The tour shows the details as rendered text; the workflow view's own scenarios show the graph.
      'cdfWorkflows.executions.openIn': 'text',
    });
  });

  const wb = useWorkbench({ settings, viewport: { width: 1600, height: 900 } });

  after(async () => {
    await sb?.close();
  });

  it('runs daily-asset-sync@2 with a JSON file from the editor and follows it to the end, tasks and details included', async () => {
    const w = wb();
    const page = w.page;
    await w.openViewContainer('CDF Workflows');
    await w.widenSideBar(220);
    await w.treeItem(/^daily-asset-sync/).waitFor({ timeout: 60_000 });

    await page.keyboard.press('Control+P');
    const quick = page.locator('.quick-input-widget input');
    await quick.fill('daily-asset-sync.json');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'daily-asset-sync.json' }).first().waitFor();
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor .view-lines').first();
    await editor.getByText('runDate').waitFor();

    await w.chooseFromContextMenu(editor, /Run Workflow with JSON Input/);
    // Type to filter, then Enter: clicking a row can race the list while its items load.
    const row = (text: string | RegExp) => page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
    await row('daily-asset-sync').waitFor({ timeout: 30_000 });
    await quick.fill('daily-asset-sync');
    await page.keyboard.press('Enter');
    await row(/4 tasks/).waitFor({ timeout: 30_000 });
    await quick.fill('4 tasks');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'key=value' }).waitFor();
    await page.keyboard.press('Enter');

    // Revealed, selected and expanded under its version while it runs: the tasks turn green one by one,
    // and those not started yet show greyed; the status bar says a run is being followed.
    const running = w.treeItem(/^Running/);
    await running.waitFor({ timeout: 30_000 });
    await w.treeItem(/^extract-sources/).waitFor({ timeout: 30_000 });
    await w.page.locator('.statusbar-item', { hasText: /daily-asset-sync v2/ }).first().waitFor({ timeout: 30_000 });
    await page.mouse.move(1200, 700);
    await shot(w, 'tree-running');

    const message = await w.notification(/Run of daily-asset-sync@2 completed/, 120_000);
    assert.match(message, /^Run of daily-asset-sync@2 completed in \d/);
    await w.treeItem(/^Refresh asset hierarchy|^refresh-asset-hierarchy/).waitFor();
    // The details open rendered, in a tab named by the run.
    await w.clickNotificationButton(/Run of daily-asset-sync@2 completed/, 'Show Details');
    await page.locator('.tabs-container .tab', { hasText: /^daily-asset-sync v2 · / }).first().waitFor({ timeout: 30_000 });
    await page.frameLocator('iframe.webview.ready').frameLocator('iframe').getByText(/Tasks/).first().waitFor({ timeout: 30_000 });
    await page.mouse.move(1200, 700);
    await shot(w, 'tree-run-details');
    // Further down the rendered details: every task with its status, times, input and output.
    const preview = page.frameLocator('iframe.webview.ready').frameLocator('iframe');
    await preview.getByRole('heading', { name: /^Tasks \(4 of 4 defined\)/ }).scrollIntoViewIfNeeded();
    await shot(w, 'execution-details');

    // A failed run of the same version: the task its reason names is the red one, the task after it was
    // skipped, each took its own time; the failing task's tooltip says why.
    await w.runCommand('View: Focus into Primary Side Bar');
    const failed = w.treeItem(/^Failed \d+ days ago/).first();
    await w.expandTreeItem(failed);
    const failingTask = w.treeItem(/^contextualize-assets Failed · function/).first();
    await failingTask.waitFor({ timeout: 30_000 });
    await w.treeItem(/^refresh-asset-hierarchy Skipped · transformation/).first().waitFor();
    await failingTask.hover();
    await page.locator('.monaco-hover', { hasText: /TimeoutError/ }).first().waitFor({ timeout: 15_000 });
    await shot(w, 'tree-tasks');
    assert.equal(sb!.requests.count({ method: 'POST', path: /\/workflows\/daily-asset-sync\/versions\/2\/run$/ }), 1);
    assert.deepEqual(w.pageErrors, []);
  });
});
