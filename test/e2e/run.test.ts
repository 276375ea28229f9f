// A run from the editor, as a user does it: open a JSON file of the workspace, "Run Workflow with JSON
// Input..." from the editor's context menu, pick the workflow and version, accept the metadata box, see
// the completion notification and open the execution's details from it. The sandbox runs in this process
// (a quick workflow whose task reads the file's keys); the connection to it is in the user settings.
import * as assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { sandboxConnectionSettings, useWorkbench } from './workbench';

describe('run a workflow from the editor', function () {
  this.timeout(120_000);
  let sb: Sandbox | undefined;
  // Filled in before the workbench starts (mocha runs before-hooks in the order they are registered).
  const settings: Record<string, unknown> = {};

  before(async () => {
    sb = await startSandbox({ quiet: true });
    sb.stubFunction('fn-check-asset', { durationMs: 1500, response: { checked: true } });
    sb.upsertWorkflow({ externalId: 'asset-check', description: 'Checks one asset over a time window' }, [
      {
        version: '1',
        workflowDefinition: {
          description: 'One function task',
          tasks: [
            {
              externalId: 'check',
              type: 'function',
              parameters: { function: { externalId: 'fn-check-asset', data: { asset: '${workflow.input.assetExternalId}', window: '${workflow.input.window}' } } },
            },
          ],
        },
      },
    ]);
    Object.assign(settings, {
      ...sandboxConnectionSettings(sb),
      'cdfWorkflows.follow.minIntervalSeconds': 1,
      'cdfWorkflows.follow.maxIntervalSeconds': 2,
      // Show Details opens the rendered text here; the workflow view's scenarios open the graph.
      'cdfWorkflows.executions.openIn': 'text',
    });
  });

  const wb = useWorkbench({ settings });

  after(async () => {
    await sb?.close();
  });

  it('runs the open JSON file from the editor context menu, notifies when the run completes and opens its details', async () => {
    const page = wb().page;
    // Open inputs/run-input.json with Quick Open.
    await page.keyboard.press('Control+P');
    const quickInput = page.locator('.quick-input-widget input');
    await quickInput.waitFor();
    await quickInput.fill('run-input.json');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'run-input.json' }).first().waitFor();
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor .view-lines').first();
    await editor.getByText('pump-station-01').waitFor();

    const menu = await wb().openContextMenu(editor);
    await wb().screenshot('run-editor-context-menu');
    await menu.getByRole('menuitem', { name: /Run Workflow with JSON Input/ }).first().click();

    // Workflow, version (newest first, with task count and description), then the optional metadata.
    const row = (text: string | RegExp) => page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
    await row('asset-check').waitFor();
    await wb().screenshot('run-pick-workflow');
    await row('asset-check').click();
    await row(/v1 · 1 task.*One function task/).waitFor();
    await wb().screenshot('run-pick-version');
    await row(/v1 · 1 task/).click();
    await page.locator('.quick-input-widget', { hasText: 'key=value' }).waitFor();
    await quickInput.fill('ticket=E2E-1');
    await wb().screenshot('run-metadata');
    await page.keyboard.press('Enter');

    const message = await wb().notification(/Run of asset-check@1 completed/, 60_000);
    assert.match(message, /^Run of asset-check@1 completed in \d.*\.$/);
    // The new execution was revealed under its version in the CDF Workflows view.
    await wb().treeItem(/Completed/).waitFor();
    await wb().screenshot('run-completed-notification');
    assert.equal(sb!.requests.count({ method: 'POST', path: /\/workflows\/asset-check\/versions\/1\/run$/ }), 1);

    await wb().clickNotificationButton(/Run of asset-check@1 completed/, 'Show Details');
    // The details open rendered, in a tab named by the execution's workflow, version and start.
    const tab = page.locator('.tabs-container .tab', { hasText: /^asset-check v1 · / }).first();
    await tab.waitFor({ timeout: 30_000 });
    await page.frameLocator('iframe.webview.ready').frameLocator('iframe').getByText(/asset-check version 1: Completed/).waitFor({ timeout: 30_000 });
    await wb().screenshot('run-details');
  });
});
