// The schedule wizard as a user sees it in the workbench: started from the palette against the local
// sandbox (demo seed, in this process), its cron step with the live preview, the review page, the deploy
// notification, and the new schedule under its workflow in the tree.
import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { sandboxConnectionSettings, useWorkbench, type Workbench } from './workbench';

const WORKFLOW = 'daily-report';

/** The quick input (pick or box) that is showing. */
function quickInput(w: Workbench): { widget: Locator; input: Locator; message: Locator; title: Locator } {
  const widget = w.page.locator('.quick-input-widget');
  return { widget, input: widget.locator('.quick-input-box input').first(), message: widget.locator('.quick-input-message'), title: widget.locator('.quick-input-title') };
}

/**
 * Answers the quick input once it shows `expect`: types `text` (filtering a pick, or filling a box) and
 * accepts. A pick's items may load after its placeholder shows: Enter waits for the first row.
 */
async function answer(w: Workbench, expect: RegExp, text?: string, screenshot?: string, pick = true): Promise<void> {
  await w.quickInputShowing(expect);
  if (pick) await quickInput(w).widget.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 30_000 });
  if (text !== undefined) await quickInput(w).input.fill(text);
  if (screenshot) await w.screenshot(screenshot);
  await w.page.keyboard.press('Enter');
}

describe('schedule wizard in the workbench', function () {
  this.timeout(180_000);
  let sb: Sandbox | undefined;
  const settings: Record<string, unknown> = {};

  before(async () => {
    sb = await startSandbox({ quiet: true, seed: 'demo', functionDeployMs: { queued: 300, deploying: 700 } });
    Object.assign(settings, sandboxConnectionSettings(sb));
  });

  // The extension host reads "local time" from its own zone: Oslo, so the preview shows both columns.
  const wb = useWorkbench({ settings, env: { TZ: 'Europe/Oslo' }, viewport: { width: 1400, height: 900 } });

  after(async () => {
    await sb?.close();
  });

  it('previews the cron expression live, reviews, deploys, and shows the new schedule under its workflow', async () => {
    const w = wb();
    await w.openViewContainer('CDF Workflows');
    // Wider, so that schedule names and descriptions show in the screenshots.
    await w.widenSideBar(260);
    await w.treeItem(new RegExp(`^${WORKFLOW}`)).waitFor({ timeout: 60_000 });
    // No hover tooltip over the quick input's title in screenshots.
    await w.startFromPalette('CDF Workflows: Schedule Workflow...', { x: 700, y: 600 });

    await answer(w, /Workflow to schedule/, WORKFLOW);
    await answer(w, /Version of daily-report/);
    await answer(w, /How the workflow is started/, 'Cognite Function');

    // The cron step: a refusal names the field, then the preview of a good expression.
    const q = quickInput(w);
    // The box's prompt gives way to the live preview of its initial value as soon as that is computed.
    await w.quickInputShowing(/Cron expression in UTC|\(UTC\) · next run /);
    await q.input.fill('30 25 * * 1-5');
    await q.message.filter({ hasText: /25 in the hour field/ }).waitFor({ timeout: 10_000 });
    assert.match(await q.message.innerText(), /is out of range; the hour field takes 0-23/);
    await w.screenshot('schedule-wizard-cron-refused');
    await q.input.fill('30 5 * * 1-5');
    await q.message.filter({ hasText: /Monday through Friday/ }).waitFor({ timeout: 10_000 });
    // One line under the box (the message does not keep line breaks): meaning and next run.
    // Local time (Oslo, the extension host's zone) beside UTC, in VS Code's language, nothing twice.
    assert.match(await q.message.innerText(), /^At 05:30 AM, Monday through Friday \(UTC\) · next run \w{3}, \w{3} \d+, 5:30\sAM UTC · [67]:30\sAM GMT\+[12] \(Europe\/Oslo\)$/);
    // Eight steps from the palette, whichever route: the count does not jump as answers open sub-steps.
    assert.match(await q.title.innerText(), /Schedule Workflow\s*\(?4\/8\)?/);
    await w.screenshot('schedule-wizard-cron-preview');
    await w.page.keyboard.press('Enter');

    // The next step lists the next five runs, one per row.
    await w.quickInputShowing(/the next runs\. Enter to continue/);
    await q.widget.locator('.quick-input-list .monaco-list-row', { hasText: 'Change the cron expression' }).waitFor({ timeout: 10_000 });
    const rows = await q.widget.locator('.quick-input-list .monaco-list-row').allInnerTexts();
    assert.equal(rows.filter(r => / 5:30\sAM UTC · [67]:30\sAM GMT\+[12] \(Europe\/Oslo\)/.test(r)).length, 5, rows.join(' | '));
    await w.screenshot('schedule-wizard-next-runs');
    await w.page.keyboard.press('Enter');

    await answer(w, /Input every scheduled run gets/, 'No input');
    await answer(w, /Client credentials the schedule runs as/);
    await answer(w, /Schedule name/, undefined, undefined, false);
    // The review: with no input the version lacks reportDate, so Enter lands on that warning, not on Deploy.
    await w.quickInputShowing(/Review the warning, then choose Deploy/);
    await w.quickInputShowing(/Create trigger function "workflow-trigger"/);
    assert.match(await w.page.locator('.quick-input-list .monaco-list-row.focused').first().innerText(), /The input lacks 1 value the version reads/);
    await w.screenshot('schedule-wizard-review');
    await answer(w, /Deploy/, 'Deploy');
    const message = await w.notification(/^Scheduled daily-report@/, 90_000);
    assert.match(message, /"Scheduled trigger: daily-report@\d+" at 30 5 \* \* 1-5 \(UTC\), trigger function "workflow-trigger" created/);
    await w.screenshot('schedule-wizard-deployed');

    // The tree: workflow > Schedules > the new schedule, with its cron, version and description.
    await w.clickTreeItem(new RegExp(`^${WORKFLOW}`));
    await w.clickTreeItem(/^Schedules/);
    const item = w.treeItem(/^Scheduled trigger: daily-report@\d+ 30 5 \* \* 1-5 · v\d+ · At 05:30 AM, Monday through Friday/);
    await item.waitFor({ timeout: 30_000 });
    await item.click();
    const next = w.treeItem(/^Next run \w{3}, \w{3} \d+, 5:30\sAM UTC · [67]:30\sAM GMT\+[12] \(Europe\/Oslo\)/);
    await next.waitFor({ timeout: 30_000 });
    await w.page.mouse.move(900, 600);
    await w.screenshot('schedule-in-tree');
    assert.deepEqual(w.pageErrors, []);
  });
});
