// The workflow view in the workbench (Chromium, inside the webview's nested frames), on the demo seed and
// two workflows of its own: a running execution's graph turning green task by task, a failed run's failed
// task and its reason, the timeline, Compare Executions from two runs selected in the tree; screenshots in
// the light, dark and high contrast themes.
import * as assert from 'node:assert/strict';
import { ClientCredentialsTokenSource } from '../../src/core/auth/clientCredentials';
import { type CdfClient, createCdfClient } from '../../src/core/client';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { sandboxConnectionSettings, useWorkbench, type Workbench } from './workbench';
import { nodeStatuses, workflowViewFrame } from './workflowViewFrame';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sandboxClient(sb: Sandbox): CdfClient {
  const tokenSource = new ClientCredentialsTokenSource({ tokenUrl: sb.tokenUrl, clientId: sb.clientId, clientSecret: sb.clientSecret, baseUrl: sb.baseUrl });
  return createCdfClient({ baseUrl: sb.baseUrl, project: sb.project, appVersion: 'e2e', tokenSource });
}

const fn = (externalId: string, fnId: string, after?: string, extra: Record<string, unknown> = {}) => ({
  externalId,
  type: 'function',
  retries: 0,
  parameters: { function: { externalId: fnId } },
  ...(after ? { dependsOn: [{ externalId: after }] } : {}),
  ...extra,
});

async function waitForStatus(client: CdfClient, id: string, done: (status: string) => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (done((await client.executions.retrieve(id)).status)) return;
    await sleep(300);
  }
  throw new Error(`execution ${id} did not reach the status in time`);
}

/** Picks a colour theme by its id ('Default Dark Modern') in the theme picker. */
async function setTheme(w: Workbench, theme: string): Promise<void> {
  const page = w.page;
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.fill('>Preferences: Color Theme');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Preferences: Color Theme' }).first().click();
  await page.locator('.quick-input-widget input[placeholder^="Select Color Theme"]').waitFor();
  await input.fill(theme.replace(/^Default /, ''));
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: theme }).first();
  await row.waitFor();
  await row.click();
  await input.waitFor({ state: 'hidden' });
  await sleep(800);
}

describe('workflow view in the workbench', function () {
  this.timeout(240_000);
  let sb: Sandbox | undefined;
  let client: CdfClient | undefined;
  const settings: Record<string, unknown> = {};

  before(async () => {
    sb = await startSandbox({ quiet: true, seed: 'demo' });
    sb.stubFunction('fn-pipeline-step', { durationMs: 2500, response: { rows: 120 } });
    sb.stubFunction('fn-pipeline-report', { durationMs: 1500, response: { file: 'report.csv' } });
    sb.stubFunction('fn-load-orders', { durationMs: 800, status: 'Failed', error: "KeyError: 'site_id' in row 17 of orders.csv" });
    sb.upsertWorkflow({ externalId: 'nightly-pipeline', description: 'Extract, transform and load orders; then report' }, [
      {
        version: '1',
        workflowDefinition: {
          tasks: [
            fn('extract', 'fn-pipeline-step', undefined, { name: 'Extract orders' }),
            fn('transform', 'fn-pipeline-step', 'extract', { name: 'Transform orders' }),
            fn('load', 'fn-pipeline-step', 'transform', { name: 'Load orders' }),
            fn('report', 'fn-pipeline-report', 'load', { name: 'Daily report' }),
          ],
        },
      },
    ]);
    sb.upsertWorkflow({ externalId: 'orders-import' }, [
      { version: '1', workflowDefinition: { tasks: [fn('prepare', 'fn-pipeline-report'), fn('load-orders', 'fn-load-orders', 'prepare'), fn('notify', 'fn-pipeline-report', 'load-orders')] } },
    ]);
    // A dynamic fan-out over 30 sites (collapsed at first: more than 12 tasks) and an inline subworkflow.
    sb.stubFunction('fn-plan-rollout', {
      durationMs: 1000,
      response: {
        tasks: Array.from({ length: 30 }, (_, i) => ({ externalId: `site-${String(i + 1).padStart(2, '0')}`, type: 'transformation', parameters: { transformation: { externalId: `tr-rollout-site-${i + 1}` } } })),
      },
    });
    sb.upsertWorkflow({ externalId: 'site-rollout', description: 'Roll a configuration out to every site, then verify' }, [
      {
        version: '3',
        workflowDefinition: {
          tasks: [
            fn('plan', 'fn-plan-rollout', undefined, { name: 'Plan rollout' }),
            { externalId: 'sites', name: 'Roll out per site', type: 'dynamic', parameters: { dynamic: { tasks: '${plan.output.response.tasks}' } }, dependsOn: [{ externalId: 'plan' }] },
            {
              externalId: 'verify',
              name: 'Verify',
              type: 'subworkflow',
              dependsOn: [{ externalId: 'sites' }],
              parameters: { subworkflow: { tasks: [fn('check-config', 'fn-pipeline-report'), fn('publish-status', 'fn-pipeline-report', 'check-config')] } },
            },
          ],
        },
      },
    ]);
    client = sandboxClient(sb);
    await client.executions.run('site-rollout', '3');
    Object.assign(settings, {
      ...sandboxConnectionSettings(sb),
      'cdfWorkflows.follow.minIntervalSeconds': 1,
      'cdfWorkflows.follow.maxIntervalSeconds': 1,
      'cdfWorkflows.follow.notify': 'never',
      'workbench.colorTheme': 'Default Light Modern',
    });
  });

  const wb = useWorkbench({ settings, viewport: { width: 1600, height: 900 } });

  after(async () => {
    await client?.close();
    await sb?.close();
  });

  async function openTree(w: Workbench): Promise<void> {
    await w.openViewContainer('CDF Workflows');
    await w.treeItem(/^nightly-pipeline/).waitFor({ timeout: 60_000 });
  }

  /** Collapses the tree, expands connection › workflow › its first version, and clicks its first execution that matches. */
  async function openExecution(w: Workbench, workflow: string, status: RegExp): Promise<void> {
    const page = w.page;
    await w.viewPane('Workflows').hover();
    await page.locator('.part.sidebar .action-item a[aria-label^="Collapse All"]').first().click();
    await w.treeItem(/^Local sandbox/).click();
    await w.treeItem(new RegExp(`^${workflow}\\b`)).click();
    await page.getByRole('treeitem', { name: /^v\d+ · \d+ tasks?/ }).first().click();
    await w.treeItem(status).click({ timeout: 30_000 });
  }

  it("draws a running execution's graph live: its tasks turn green one by one", async () => {
    const w = wb();
    await openTree(w);
    const e = await client!.executions.run('nightly-pipeline', '1', { input: { day: '2026-12-03' } });
    await openExecution(w, 'nightly-pipeline', /^Running/);
    const frame = await workflowViewFrame(w.page, { title: /^nightly-pipeline@1$/ });
    await frame.locator('.node[data-id="extract"]').waitFor();
    assert.equal(await frame.locator('.status-badge').innerText(), 'Running');

    const completedOrder: string[] = [];
    let shot = false;
    const deadline = Date.now() + 60_000;
    while (completedOrder.length < 4 && Date.now() < deadline) {
      const statuses = await nodeStatuses(frame);
      for (const id of ['extract', 'transform', 'load', 'report']) if (statuses[id] === 'completed' && !completedOrder.includes(id)) completedOrder.push(id);
      if (!shot && statuses['transform'] === 'in-progress') {
        assert.equal(statuses['extract'], 'completed');
        assert.equal(statuses['load'], 'not-started');
        await w.page.mouse.move(1500, 860);
        await w.screenshot('workflow-view-running-light');
        shot = true;
      }
      await sleep(150);
    }
    assert.deepEqual(completedOrder, ['extract', 'transform', 'load', 'report']);
    assert.ok(shot, 'saw the run half way');
    await frame.locator('.status-badge', { hasText: 'Completed' }).waitFor({ timeout: 15_000 });
    await waitForStatus(client!, e.id, (s) => s === 'COMPLETED');
    assert.deepEqual(w.pageErrors, []);
  });

  it("shows a failed run's failed task with its reason when it is clicked, and the timeline", async () => {
    const w = wb();
    await w.runCommand('View: Close All Editors');
    const e = await client!.executions.run('orders-import', '1');
    await waitForStatus(client!, e.id, (s) => s !== 'RUNNING');
    await openTree(w);
    await openExecution(w, 'orders-import', /^Failed/);
    const frame = await workflowViewFrame(w.page, { title: /^orders-import@1$/ });
    await frame.locator('.node[data-id="load-orders"].s-failed').click();
    const reason = frame.locator('.task-panel .reason');
    await reason.waitFor();
    assert.match(await reason.innerText(), /KeyError: 'site_id' in row 17 of orders\.csv/);
    assert.match(await frame.locator('.task-panel h2').innerText(), /^load-orders$/);
    await frame.locator('.task-panel .panel-json h3', { hasText: 'Input (resolved)' }).waitFor();
    // The task that never ran is greyed: skipped.
    assert.match((await frame.locator('.node[data-id="notify"]').getAttribute('class')) ?? '', /s-skipped|s-not-started/);
    await w.page.mouse.move(1500, 860);
    await w.screenshot('workflow-view-failed-light');

    await frame.getByRole('tab', { name: 'Timeline' }).click();
    await frame.locator('.tl-row').first().waitFor();
    const rows = await frame.locator('.tl-row .tl-name').allInnerTexts();
    assert.deepEqual(rows.map((r) => r.trim()), ['prepare', 'load-orders', 'notify']);
    assert.equal(await frame.locator('.tl-row.critical').count(), 2);
    await w.screenshot('workflow-view-timeline-light');
    // The tab is kept in the view's state.
    await frame.getByRole('tab', { name: 'Graph' }).click();
    assert.deepEqual(w.pageErrors, []);
  });

  it('compares two executions selected in the tree', async () => {
    const w = wb();
    const page = w.page;
    await w.runCommand('View: Close All Editors');
    await openTree(w);
    await w.viewPane('Workflows').hover();
    await page.locator('.part.sidebar .action-item a[aria-label^="Collapse All"]').first().click();
    await w.treeItem(/^Local sandbox/).click();
    await w.treeItem(/^daily-asset-sync/).click();
    await page.getByRole('treeitem', { name: /^v2\b/ }).first().click();
    const completed = w.treeItem(/^Completed/);
    const failed = w.treeItem(/^Failed/);
    await completed.waitFor({ timeout: 30_000 });
    await completed.click();
    await failed.click({ modifiers: ['Control'] });
    // The tree may redraw under an open menu (live times): try again then.
    for (let attempt = 1; ; attempt++) {
      try {
        await w.chooseFromContextMenu(failed, /^Compare Executions/);
        break;
      } catch (e) {
        if (attempt === 3) throw e;
        await page.keyboard.press('Escape');
      }
    }
    await page.locator('.monaco-diff-editor').first().waitFor({ timeout: 30_000 });
    const tab = page.locator('.tabs-container .tab.active');
    await tab.waitFor();
    assert.match((await tab.getAttribute('aria-label')) ?? '', /daily-asset-sync@2 \w{8} ↔ daily-asset-sync@2 \w{8}/);
    await page.locator('.monaco-diff-editor .view-lines', { hasText: '"status"' }).first().waitFor();
    await page.locator('.statusbar', { hasText: /Status (Completed → Failed|Failed → Completed)/ }).waitFor();
    await page.mouse.move(1500, 860);
    await w.screenshot('workflow-view-compare-light');
  });

  it("redraws a definition file's graph as the file is edited", async () => {
    const w = wb();
    const page = w.page;
    await w.runCommand('View: Close All Editors');
    await page.keyboard.press('Control+P');
    const quick = page.locator('.quick-input-widget input');
    await quick.fill('nightly.WorkflowVersion.yaml');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'nightly.WorkflowVersion.yaml' }).first().waitFor();
    await page.keyboard.press('Enter');
    const lens = page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Show Graph' }).first();
    await lens.waitFor({ timeout: 60_000 });
    await lens.click();
    const frame = await workflowViewFrame(page, { title: /^nightly-orders@1$/ });
    await frame.locator('.node[data-id="extract"]').waitFor();
    assert.deepEqual(Object.keys(await nodeStatuses(frame)).sort(), ['extract', 'load']);
    assert.equal(await frame.locator('.edges path.edge').count(), 1);

    // Rename a task in the editor (left): the graph (right) follows once typing pauses.
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.click();
    await page.keyboard.press('Control+F');
    await page.keyboard.insertText('externalId: extract');
    await page.keyboard.press('Escape');
    await page.keyboard.insertText('externalId: stage-orders');
    await frame.locator('.node[data-id="stage-orders"]').waitFor({ timeout: 15_000 });
    assert.deepEqual(Object.keys(await nodeStatuses(frame)).sort(), ['load', 'stage-orders']);
    // load still depends on extract, which no longer exists: no edge.
    assert.equal(await frame.locator('.edges path.edge').count(), 0);
    await page.mouse.move(1500, 860);
    await w.screenshot('workflow-view-file-light');
    await w.runCommand('File: Revert File');
  });

  it('reads well in the dark and high contrast themes (dynamic fan-out and subworkflow)', async () => {
    const w = wb();
    await w.runCommand('View: Close All Editors');
    await setTheme(w, 'Default Dark Modern');
    await openTree(w);
    await openExecution(w, 'site-rollout', /^(Completed|Failed|Running)/);
    const frame = await workflowViewFrame(w.page, { title: /^site-rollout@3$/ });
    const sites = frame.locator('.node[data-id="sites"]');
    await sites.waitFor();
    // 30 tasks: collapsed, with their statuses counted.
    await frame.locator('.node[data-id="sites"].collapsed .counts-text', { hasText: /^30 tasks/ }).waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('.node.group.expanded[data-id="verify"]').count(), 1, 'the subworkflow is drawn around its two tasks');
    await w.page.mouse.move(1500, 860);
    await w.screenshot('workflow-view-collapsed-dark');
    await sites.locator('.group-toggle').click();
    await frame.locator('.node.child').nth(31).waitFor();
    assert.equal(await frame.locator('.node.child').count(), 32);
    await frame.getByRole('button', { name: 'Fit to View' }).click();
    await w.screenshot('workflow-view-dynamic-dark');
    await setTheme(w, 'Default High Contrast');
    await sleep(500);
    await w.screenshot('workflow-view-dynamic-high-contrast');
    await setTheme(w, 'Default Light Modern');
    assert.deepEqual(w.pageErrors, []);
  });
});
