// The workflows tree as a user sees it: the CDF Workflows view with a connection to the local sandbox
// (demo seed, in this process), expanded down to the task executions of a run with a dynamic task, a
// running execution waiting for its async task, and the execution's details document.
import * as assert from 'node:assert/strict';
import { ClientCredentialsTokenSource } from '../../src/core/auth/clientCredentials';
import { type CdfClient, createCdfClient } from '../../src/core/client';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import type { Locator } from 'playwright-core';
import { sandboxConnectionSettings, useWorkbench, type Workbench } from './workbench';

/** The first tree item matching `name` below the item matching `anchor` (aria labels are "label description"). */
async function itemBelow(w: Workbench, anchor: RegExp, name: RegExp): Promise<Locator> {
  const items = w.page.getByRole('treeitem');
  const labels = await items.evaluateAll(els => els.map(e => e.getAttribute('aria-label') ?? ''));
  const from = labels.findIndex(l => anchor.test(l));
  const at = labels.findIndex((l, i) => i > from && name.test(l));
  if (from < 0 || at < 0) throw new Error(`No tree item ${String(name)} below ${String(anchor)} in: ${labels.join(' | ')}`);
  return items.nth(at);
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, capMs = 60_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() - start > capMs) throw new Error(`Still waiting for ${what}`);
    await new Promise(r => setTimeout(r, 250));
  }
}

describe('workflows tree in the workbench', function () {
  this.timeout(180_000);
  let sb: Sandbox | undefined;
  let client: CdfClient | undefined;
  let batchRun = '';
  const settings: Record<string, unknown> = {};

  before(async function () {
    this.timeout(120_000);
    sb = await startSandbox({ quiet: true, seed: 'demo' });
    client = createCdfClient({
      baseUrl: sb.baseUrl,
      project: sb.project,
      appVersion: 'e2e',
      tokenSource: new ClientCredentialsTokenSource({ tokenUrl: sb.tokenUrl, clientId: sb.clientId, clientSecret: sb.clientSecret, baseUrl: sb.baseUrl }),
    });
    // A finished run with a dynamic task (the demo's python function plans one task per site) ...
    const batch = await client.executions.run('site-batch-processing', '1', { input: { sites: ['oslo', 'bergen', 'stavanger'] }, metadata: { startedBy: 'e2e' } });
    batchRun = batch.id;
    // ... and one that waits for an approval (an async function task) while the test looks at it.
    await client.executions.run('release-approval', '1', { input: { model: 'forecast-v7' } });
    const ended = await until(() => client!.executions.retrieve(batchRun), e => e.status !== 'RUNNING', 'the batch run to end', 90_000);
    assert.equal(ended.status, 'COMPLETED', `the batch run ended ${ended.status}: ${ended.reasonForIncompletion ?? ''}`);
    Object.assign(settings, {
      ...sandboxConnectionSettings(sb),
      'cdfWorkflows.follow.minIntervalSeconds': 2,
      'cdfWorkflows.follow.maxIntervalSeconds': 5,
    });
  });

  const wb = useWorkbench({ settings, viewport: { width: 1400, height: 900 } });

  after(async () => {
    await client?.close();
    await sb?.close();
  });

  it('expands a connection down to the tasks of an execution, with dynamic children nested', async () => {
    const w = wb();
    await w.openViewContainer('CDF Workflows');
    await w.widenSideBar(220);
    // The active connection is expanded: its workflows are listed.
    await w.treeItem(/^site-batch-processing/).waitFor({ timeout: 60_000 });
    await w.clickTreeItem(/^site-batch-processing/);
    await w.treeItem(/^v1 · 3 tasks/).waitFor();
    await (await itemBelow(w, /^site-batch-processing/, /^v1 · 3 tasks/)).click();
    await w.treeItem(/^Completed/).waitFor();
    await w.expandTreeItem(await itemBelow(w, /^site-batch-processing/, /^Completed/));
    await w.treeItem(/^plan-batches/).waitFor();
    await w.clickTreeItem(/^process-sites/);
    for (const site of ['oslo', 'bergen', 'stavanger']) await w.treeItem(new RegExp(`^process-${site}`)).waitFor();
    await w.treeItem(/^aggregate-production/).waitFor();
    const level = async (name: RegExp) => Number(await w.treeItem(name).getAttribute('aria-level'));
    assert.equal(await level(/^process-oslo/), (await level(/^process-sites/)) + 1, 'children of the dynamic task are nested under it');
    await w.page.mouse.move(900, 500);
    await w.screenshot('tree-execution-tasks');

    // The task's tooltip: status, times, retries, the task execution id.
    await w.treeItem(/^process-bergen/).hover();
    const hover = w.page.locator('.monaco-hover:not(.hidden)').last();
    await hover.getByText(/Retries allowed: 1/).waitFor();
    await w.screenshot('tree-task-tooltip');
    await w.page.mouse.move(900, 500);
  });

  it('shows a running execution with a spinning icon and its task waiting for completion', async () => {
    const w = wb();
    await w.clickTreeItem(/^release-approval/);
    // The versions of release-approval come right after it.
    await w.treeItem(/^v1 · 2 tasks/).waitFor();
    await (await itemBelow(w, /^release-approval/, /^v1 · 2 tasks/)).click();
    await w.treeItem(/^Running/).waitFor();
    const running = await itemBelow(w, /^release-approval/, /^Running/);
    assert.equal(await running.locator('.codicon-sync.codicon-modifier-spin, .codicon-sync~spin, .codicon-modifier-spin').count() > 0, true, 'a spinning icon');
    await w.expandTreeItem(running);
    await w.treeItem(/^request-approval Waiting for completion · function/).waitFor();
    await w.page.mouse.move(900, 500);
    await w.screenshot('tree-running-execution');
  });

  it('opens the details of an execution from its context menu', async () => {
    const w = wb();
    await w.chooseFromContextMenu(await itemBelow(w, /^site-batch-processing/, /^Completed/), /Show Execution Details/);
    // Opened rendered, in a tab named by the execution: workflow, version and when it started.
    const tab = w.page.locator('.tabs-container .tab', { hasText: /^site-batch-processing v1 · / });
    await tab.waitFor({ timeout: 30_000 });
    await w.page.frameLocator('iframe.webview.ready').frameLocator('iframe').getByText('site-batch-processing version 1: Completed').waitFor({ timeout: 30_000 });
    assert.equal(await w.page.locator('.editor-instance .monaco-editor .view-lines').count(), 0, 'no Markdown source on screen');
    await w.page.mouse.move(900, 500);
    await w.screenshot('execution-details-preview');
    assert.deepEqual(w.pageErrors.filter(e => /cdf|workflow/i.test(e)), []);
  });
});
