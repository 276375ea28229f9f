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
  return vscode.window.tabGroups.all.flatMap(g => g.tabs).filter(t => t.input instanceof vscode.TabInputText && t.input.uri.scheme === 'cdf-workflows');
}

describe('details documents', function () {
  this.timeout(60_000);
  const clock = new ManualClock(Date.now());
  const harness = useTreeHarness('Details', { clock, settings: { 'follow.minIntervalSeconds': 1, 'follow.maxIntervalSeconds': 1, 'follow.notify': 'always' } });

  const client = () => harness().client();
  const { run, nodeOf, errors } = executionHelpers(harness);
  const activeText = () => vscode.window.activeTextEditor?.document.getText() ?? '';

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
    await vscode.commands.executeCommand('cdfWorkflows.showExecutionDetails', await nodeOf('report', '1', e.id));
    assert.deepEqual(errors(), []);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    const uri = editor.document.uri;
    assert.equal(uri.scheme, 'cdf-workflows');
    assert.equal(uri.path, `/${h.connection}/executions/${e.id}/report@1.md`);
    assert.equal(editor.document.languageId, 'markdown');
    const text = editor.document.getText();
    assert.match(text, /^# ✔ report version 1: Completed\n/);
    assert.match(text, /\| Workflow \| `report` \|/);
    assert.match(text, /\| Version \| `1` \|/);
    assert.match(text, /\| Duration \| \d+ s \|/);
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
    assert.match(vscode.window.activeTextEditor?.document.uri.path ?? '', new RegExp(e.id));
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
      await vscode.commands.executeCommand('cdfWorkflows.showExecutionDetails', ref);
      const doc = vscode.window.activeTextEditor!.document;
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
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.scheme, 'cdf-workflows');
    assert.match(editor.document.uri.path, /\/functions\/\d+\/calls\/\d+\/logs\.md$/);
    const text = editor.document.getText();
    assert.match(text, /^# Logs of call \d+ of fn-report: Completed\n/);
    assert.match(text, /\| Task \| report@1 › build \|/);
    assert.match(text, /\| Duration \| 1 s \|/);
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
      await until(() => vscode.window.activeTextEditor?.document.uri.path.includes(e.id) ?? false, 'the details document to open');
      assert.match(activeText(), /^# ✔ report version 1: Completed/);
      h.ui.assertAllUsed();
    } finally {
      await settings.update('executions.openIn', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
