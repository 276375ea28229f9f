// Deploying a Toolkit version file as a user does it, in Chromium: open the file, click "Deploy" in the
// CodeLens above it, see the new version under the workflow in the CDF Workflows view; then change the
// file and click "Compare with Deployed" to see the one change against what CDF holds. The sandbox runs
// in this process; the connection to it is in the user settings.
import * as assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { SANDBOX_CONNECTION, sandboxConnectionSettings, useWorkbench } from './workbench';

describe('deploy and compare a definition file in the workbench', function () {
  this.timeout(180_000);
  let sb: Sandbox | undefined;
  const settings: Record<string, unknown> = {};

  before(async () => {
    sb = await startSandbox({ quiet: true });
    // The data set the workflow file names by external id.
    const created = await fetch(`${sb.baseUrl}/api/v1/projects/${sb.project}/datasets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sb.accessToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ externalId: 'ds_ship', name: 'Ship tests' }] }),
    });
    assert.equal(created.status, 201);
    Object.assign(settings, sandboxConnectionSettings(sb));
  });

  const wb = useWorkbench({ settings });

  after(async () => {
    await sb?.close();
  });

  async function openFile(name: string): Promise<void> {
    const page = wb().page;
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(name);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
  }

  const codeLens = (title: RegExp) => wb().page.locator('.monaco-editor .codelens-decoration a', { hasText: title }).first();

  it('deploys the version from its CodeLens and shows it under its workflow in the tree', async () => {
    const page = wb().page;
    await wb().openViewContainer('CDF Workflows');
    await wb().widenSideBar(120);
    await openFile('nightly_v1.WorkflowVersion.yaml');
    await codeLens(new RegExp(`Deploy to ${SANDBOX_CONNECTION}`)).waitFor({ timeout: 60_000 });
    await page.locator('.editor-instance .monaco-editor .view-lines').first().getByText('Plans, then loads').waitFor();
    await wb().screenshot('ship-codelens');
    await codeLens(/Deploy to/).click();
    const message = await wb().notification(/^Deployed ship-nightly@1 to/);
    assert.equal(message, `Deployed ship-nightly@1 to "${SANDBOX_CONNECTION}": workflow created, version created. It has a trigger to deploy: ship-nightly-0300 (new).`);
    // The progress notifications of the check and the deploy close first.
    for (const progress of ['Checking ship-nightly@1', 'Deploying ship-nightly@1']) {
      await page.locator('.notifications-toasts .notification-toast', { hasText: progress }).first().waitFor({ state: 'hidden' });
    }
    await wb().screenshot('ship-deployed');
    // The trigger beside the file is offered with the deploy, not deployed without asking.
    await wb().clickNotificationButton(/^Deployed ship-nightly@1/, 'Not Now');
    // The active connection is expanded; the refreshed tree lists the new workflow.
    const workflow = wb().treeItem(/^ship-nightly/);
    if (!(await workflow.isVisible())) await wb().clickTreeItem(new RegExp(`^${SANDBOX_CONNECTION}`));
    await wb().clickTreeItem(/^ship-nightly/);
    await wb().treeItem(/^v1\W+2 tasks/).waitFor();
    await wb().screenshot('ship-deployed-tree');
    assert.equal(sb!.requests.count({ method: 'POST', path: /\/workflows\/versions$/ }), 1);
    const version = sb!.requests.list.find((r) => r.method === 'POST' && /\/workflows\/versions$/.test(r.path));
    assert.ok(version);
  });

  it('compares the changed file with the deployed version: the diff shows the one change', async () => {
    const page = wb().page;
    await wb().clearNotifications();
    // Change the description on line 5 of the open file.
    const text = page.locator('.editor-instance .monaco-editor .view-lines').first().getByText('Plans, then loads');
    await text.dblclick();
    await page.keyboard.press('End');
    await page.keyboard.type(' in the tuned order');
    await codeLens(/Compare with Deployed/).click();
    const diff = page.locator('.monaco-diff-editor').first();
    await diff.waitFor({ timeout: 30_000 });
    await page.locator('.tab', { hasText: /ship-nightly@1 on Local sandbox ↔ nightly_v1\.WorkflowVersion\.yaml/ }).first().waitFor();
    // One changed line on each side: the description.
    await diff.locator('.editor.original .view-lines', { hasText: 'Plans, then loads' }).first().waitFor();
    await diff.locator('.editor.modified .view-lines', { hasText: 'Plans, then loads in the tuned order' }).first().waitFor();
    await page.waitForTimeout(500);
    await wb().screenshot('ship-compare');
    assert.equal(await diff.locator('.editor.original .line-delete, .editor.original .char-delete').count() > 0, true, 'the deployed side marks the change');
  });
});
