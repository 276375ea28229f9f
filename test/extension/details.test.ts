// The read-only documents in a real extension host, against a sandbox on a manual clock: an execution's
// details as Markdown (summary, input, metadata, tasks), reused when opened twice, refreshed while the
// execution runs and no longer followed once closed; a function call's logs; "Show Details" from the
// notification at the end of a followed run.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ManualClock } from '../../src/sandbox/index';
import { addApprovalWorkflow, transformationTask } from './support/workflows';
import { executionHelpers, labelOf, sleep, until, useTreeHarness } from './tree-fixtures';

function detailsTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap(g => g.tabs).filter(t => detailsUriOf(t) !== undefined);
}

function detailsUriOf(tab: vscode.Tab | undefined): vscode.Uri | undefined {
  const input = tab?.input;
  const uri = input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom ? input.uri : undefined;
  return uri?.scheme === 'cdf-workflows' ? uri : undefined;
}

/** The details or logs document of the active tab: its URI, its editor (the rendered preview) and text. */
function activeDetails(): { uri: vscode.Uri; tab: vscode.Tab; text: string } | undefined {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  const uri = detailsUriOf(tab);
  if (!tab || !uri) return undefined;
  const doc = vscode.workspace.textDocuments.find(d => d.uri.toString() === uri.toString());
  return { uri, tab, text: doc?.getText() ?? '' };
}

/** Opened rendered: the Markdown preview is the tab's editor, titled by the document's name. */
function assertRendered(tab: vscode.Tab, title: RegExp): void {
  assert.ok(tab.input instanceof vscode.TabInputCustom, `the tab is not the rendered preview: ${JSON.stringify(tab.input)}`);
  assert.equal(tab.input.viewType, 'vscode.markdown.preview.editor');
  assert.match(tab.label, title);
}

describe('details documents', function () {
  this.timeout(60_000);
  const clock = new ManualClock(Date.now());
  const harness = useTreeHarness('Details', { clock, settings: { 'follow.minIntervalSeconds': 1, 'follow.maxIntervalSeconds': 1, 'follow.notify': 'always' } });

  const client = () => harness().client();
  const { run, nodeOf, errors } = executionHelpers(harness);
  const activeText = () => activeDetails()?.text ?? '';

  before(() => {
    const { sb, api, connection } = harness();
    sb.stubFunction('fn-report', { durationMs: 1500, response: { rows: 3, file: 'report-2026.csv' }, logs: ['starting report for pump-station-01', 'wrote 3 rows'] });
    sb.upsertWorkflow({ externalId: 'report', description: 'Daily report' }, [
      {
        version: '1',
        workflowDefinition: {
          tasks: [
            { externalId: 'build', type: 'function', retries: 1, parameters: { function: { externalId: 'fn-report', data: { asset: '${workflow.input.assetExternalId}' } } } },
            transformationTask('publish', 'tr-publish', { dependsOn: [{ externalId: 'build' }] }),
          ],
        },
      },
    ]);
    addApprovalWorkflow(sb);
    api.tree.refresh({ connection });
  });

  beforeEach(() => harness().ui.reset());
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows an execution as readable Markdown: summary, input, metadata and every task with input and output', async () => {
    const h = harness();
    const e = await run('report', '1', { assetExternalId: 'pump-station-01', note: '| not a table | `code` <b>' }, { source: 'vscode-test' });
    await clock.advance(10_000);
    const opened = await vscode.commands.executeCommand<vscode.Uri>('cdfWorkflows.showExecutionDetails', await nodeOf('report', '1', e.id));
    assert.deepEqual(errors(), []);
    const active = activeDetails();
    assert.ok(active, 'the details are the active tab');
    const uri = active.uri;
    assert.equal(uri.toString(), opened.toString());
    assert.equal(uri.scheme, 'cdf-workflows');
    // The tab says which execution: workflow, version and when it started.
    assert.match(uri.path, new RegExp(`^/${h.connection}/executions/${e.id}/report v1 · \\w{3} \\d+, \\d+:\\d\\d\\s[AP]M\\.md$`));
    assertRendered(active.tab, /^report v1 · \w{3} \d+, \d+:\d\d\s[AP]M\.md$/);
    const doc = vscode.workspace.textDocuments.find(d => d.uri.toString() === uri.toString());
    assert.equal(doc?.languageId, 'markdown');
    const text = active.text;
    assert.match(text, /^# ✔ report version 1: Completed\n/);
    assert.match(text, /\| Workflow \| `report` \|/);
    assert.match(text, /\| Version \| `1` \|/);
    assert.match(text, /\| Duration \| \d+s \|/);
    assert.match(text, /\| Started by \| run from VS Code \|/);
    assert.match(text, new RegExp(`\\| Execution id \\| \`${e.id}\` \\|`));
    assert.match(text, /## Input\n\n```json\n\{\n {2}"assetExternalId": "pump-station-01",/);
    assert.match(text, /\| `source` \| vscode-test \|/);
    assert.match(text, /## Tasks \(2 of 2 defined\)/);
    assert.match(text, /### ✔ build: Completed\n\n- Type: `function`/);
    assert.match(text, /- Retries allowed: 1/);
    assert.match(text, /Input \(resolved\):\n\n```json\n\{\n {2}"function": \{\n {4}"externalId": "fn-report",\n {4}"data": \{\n {6}"asset": "pump-station-01"/);
    assert.match(text, /Output:\n\n```json\n[^`]*"rows": 3/);
    assert.match(text, /### ✔ publish: Completed/);
    // The input's text stays inside its JSON block.
    assert.ok(text.includes('"note": "| not a table | `code` <b>"'));
  });

  it('opens the same execution once, from a node or from an ExecutionRef', async () => {
    const h = harness();
    const e = await run('report', '1', { assetExternalId: 'pump-station-02' });
    await clock.advance(10_000);
    await vscode.commands.executeCommand('cdfWorkflows.showExecutionDetails', await nodeOf('report', '1', e.id));
    await vscode.commands.executeCommand('workbench.action.files.newUntitledFile');
    await vscode.commands.executeCommand('cdfWorkflows.showExecutionDetails', { connection: h.connection, executionId: e.id });
    assert.equal(detailsTabs().length, 1);
    assert.equal(vscode.workspace.textDocuments.filter(d => d.uri.scheme === 'cdf-workflows' && d.uri.path.includes(e.id)).length, 1);
    assert.match(activeDetails()?.uri.path ?? '', new RegExp(e.id));
  });

  it('refreshes while the execution runs, and stops following it once closed', async () => {
    const h = harness();
    const api = h.api;
    // Hidden view: only the document follows the execution.
    await vscode.commands.executeCommand('workbench.view.explorer');
    try {
      await until(() => !api.tree.view.visible, 'the view to hide');
      const e = await run('approval', '1');
      await clock.advance(2000);
      const ref = { connection: h.connection, executionId: e.id };
      const uri = await vscode.commands.executeCommand<vscode.Uri>('cdfWorkflows.showExecutionDetails', ref);
      const doc = await vscode.workspace.openTextDocument(uri);
      assert.match(doc.getText(), /^# ⟳ approval version 1: Running/);
      assert.match(doc.getText(), /this document refreshes while the execution runs/);
      assert.match(doc.getText(), /### ⟳ wait: In progress/);
      assert.match(doc.getText(), /Waiting for an asynchronous completion/);
      await until(() => api.services.tracker.isFollowing(ref), 'the document to follow the execution');

      const wait = (await (await client()).executions.retrieve(e.id)).executedTasks.find(t => t.externalId === 'wait')!;
      await (await client()).tasks.update(wait.id, 'COMPLETED');
      await clock.advance(10_000);
      await until(() => /^# ✔ approval version 1: Completed/.test(doc.getText()), 'the document to show the execution completed');
      assert.match(doc.getText(), /### ✔ release: Completed/);
      await until(() => !api.services.tracker.isFollowing(ref), 'following to end with the execution');

      // Closed while running: no more reads.
      const other = await run('approval', '1');
      await clock.advance(2000);
      const otherRef = { connection: h.connection, executionId: other.id };
      await vscode.commands.executeCommand('cdfWorkflows.showExecutionDetails', otherRef);
      await until(() => api.services.tracker.isFollowing(otherRef), 'the document to follow the other execution');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await until(() => !api.services.tracker.isFollowing(otherRef), 'following to stop when the document closed');
      h.sb.requests.reset();
      await sleep(2500); // two and a half poll intervals
      assert.equal(h.count('GET', new RegExp(`/workflows/executions/${other.id}$`)), 0);
      await (await client()).executions.cancel(other.id);
    } finally {
      await vscode.commands.executeCommand('workbench.view.extension.cdfWorkflows');
    }
  });

  it('shows the logs of a function task with the call status and response on top', async () => {
    const h = harness();
    const e = await run('report', '1', { assetExternalId: 'pump-station-01' });
    await clock.advance(10_000);
    const build = (await h.children(await nodeOf('report', '1', e.id))).find(t => labelOf(t) === 'build')!;
    await vscode.commands.executeCommand('cdfWorkflows.showFunctionLogs', build);
    assert.deepEqual(errors(), []);
    const active = activeDetails();
    assert.ok(active, 'the logs are the active tab');
    // Titled by the task and the execution, so two logs tabs can be told apart.
    assert.match(active.uri.path, /\/functions\/\d+\/calls\/\d+\/build logs · report v1 · \w{3} \d+, \d+:\d\d\s[AP]M\.md$/);
    assertRendered(active.tab, /^build logs · report v1 · /);
    const text = active.text;
    assert.match(text, /^# Logs of call \d+ of fn-report: Completed\n/);
    assert.match(text, /\| Task \| report@1 › build \|/);
    assert.match(text, /\| Duration \| 1s \|/);
    assert.match(text, /## Response\n\n```json\n\{\n {2}"rows": 3,/);
    assert.match(text, /## Logs \(2 lines\)\n\n```log\n.*starting report for pump-station-01\n.*wrote 3 rows\n```/);
  });

  it('opens the details from "Show Details" on the notification that a followed run ended, when executions open as text', async () => {
    const h = harness();
    // By default Show Details opens the workflow view (its suite covers that).
    const settings = vscode.workspace.getConfiguration('cdfWorkflows');
    await settings.update('executions.openIn', 'text', vscode.ConfigurationTarget.Global);
    try {
      const e = await run('report', '1', { assetExternalId: 'pump-station-03' });
      h.ui.script({ ask: 'Show Details', match: /^Run of report@1 completed/ });
      const followed = h.api.services.tracker.follow({ connection: h.connection, executionId: e.id }, e);
      await clock.advance(10_000);
      await followed;
      await until(() => activeDetails()?.uri.path.includes(e.id) ?? false, 'the details document to open');
      assert.match(activeText(), /^# ✔ report version 1: Completed/);
      h.ui.assertAllUsed();
    } finally {
      await settings.update('executions.openIn', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
