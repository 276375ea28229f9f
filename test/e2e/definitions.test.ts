// Definition files in the workbench, as a user meets them: open a Toolkit module's version file, see the
// Toolkit environment in the status bar, type a typo into dependsOn and see the squiggle and its hover
// (with the quick fix), then complete inside `${`. The sandbox (demo seed) runs in this process; the
// connection to it is in the user settings.
import * as assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { sandboxConnectionSettings, useWorkbench } from './workbench';

describe('definition files in the workbench', function () {
  this.timeout(180_000);
  let sb: Sandbox | undefined;
  const settings: Record<string, unknown> = {};

  before(async () => {
    sb = await startSandbox({ quiet: true, seed: 'demo' });
    Object.assign(settings, sandboxConnectionSettings(sb), { 'cdfWorkflows.definitions.diagnosticsDelayMs': 100, 'editor.hover.delay': 100, 'editor.stickyScroll.enabled': false });
  });

  const wb = useWorkbench({ settings });

  after(async () => {
    await sb?.close();
  });

  async function goTo(line: number, column: number): Promise<void> {
    const page = wb().page;
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`:${line}:${column}`);
    await page.keyboard.press('Enter');
  }

  it('marks a dependsOn typo with a squiggle whose hover says which task was meant, and completes inside ${', async () => {
    const page = wb().page;
    await page.keyboard.press('Control+P');
    const quickInput = page.locator('.quick-input-widget input');
    await quickInput.waitFor();
    await quickInput.fill('v2.WorkflowVersion.yaml');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'v2.WorkflowVersion.yaml' }).first().waitFor();
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines').getByText('contextualize-assets').first().waitFor();

    // The Toolkit environment of the file's project, from its config.<env>.yaml files.
    await page.locator('.statusbar-item', { hasText: 'dev' }).first().waitFor();

    // Line 38 is `        - externalId: load-site-config`: delete its last letter.
    await goTo(38, 39);
    await page.keyboard.press('Backspace');
    await editor.locator('.squiggly-error').first().waitFor({ timeout: 30_000 });
    // The squiggle is drawn under the text layer: point at the misspelt id itself.
    const typo = editor.locator('.view-lines span', { hasText: /^load-site-confi$/ }).first();
    const box = await typo.boundingBox();
    assert.ok(box, 'the typo is on screen');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const hover = page.locator('.monaco-hover:visible', { hasText: 'Did you mean "load-site-config"?' }).first();
    await hover.waitFor({ timeout: 30_000 });
    assert.match(await hover.innerText(), /depends on "load-site-confi", which is not a task of this definition/);
    await wb().screenshot('definitions-typo-hover');

    // The quick fix puts the id right; the squiggle goes.
    await page.mouse.move(1200, 700);
    await goTo(38, 30);
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Change to "load-site-config"' }).first();
    await fix.waitFor();
    await wb().screenshot('definitions-quick-fix');
    await page.keyboard.press('Enter');
    await editor.locator('.squiggly-error').first().waitFor({ state: 'detached', timeout: 30_000 });

    // A new data key that reads another task's output: `${` offers workflow.input and the upstream tasks.
    await goTo(34, 48);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('source: ${');
    const suggest = page.locator('.suggest-widget.visible');
    await suggest.waitFor({ timeout: 30_000 });
    for (const label of ['workflow.input', 'extract-sources', 'load-site-config']) await suggest.locator('.monaco-list-row', { hasText: label }).first().waitFor();
    assert.equal(await suggest.locator('.monaco-list-row', { hasText: 'refresh-asset-hierarchy' }).count(), 0, 'a downstream task is not offered');
    await wb().screenshot('definitions-reference-completion');
    await page.keyboard.type('load');
    await page.keyboard.press('Enter');
    await editor.locator('.view-lines').getByText('source: ${load-site-config.output}').waitFor();
    assert.equal(await editor.locator('.squiggly-error').count(), 0);
  });
});
