// The workflow view in a real extension host (its webview runs in the workbench's browser), against a
// sandbox on a manual clock: the panel opens for an execution and a version and its app draws the model;
// opening costs one read; a followed execution's status change reaches it as one update; messages from
// the webview that do not fit the protocol are refused and logged and run nothing; clicking an execution
// follows the setting; Compare Executions opens a diff of two runs.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CdfWorkflowsApi } from '../../src/extension';
import { ManualClock } from '../../src/sandbox/index';
import type { ToWebview, ViewTarget } from '../../src/webview/workflowView/protocol';
import { testWorkspace } from './index';
import type { OpenViewInfo } from '../../src/vscode/workflowView/views';
import { addApprovalWorkflow, transformationTask } from './support/workflows';
import { executionHelpers, extensionApi, sleep, until, useTreeHarness } from './tree-fixtures';

describe('workflow view', function () {
  this.timeout(60_000);
  const clock = new ManualClock(Date.now());
  const harness = useTreeHarness('Graph', { clock, settings: { 'follow.minIntervalSeconds': 1, 'follow.maxIntervalSeconds': 1, 'follow.notify': 'never' } });
  const { run, retrieve, nodeOf } = executionHelpers(harness);
  const views = () => harness().api.workflowViews;
  const viewOf = (target: Partial<ViewTarget> & { kind: ViewTarget['kind'] }): OpenViewInfo | undefined =>
    views().open.find((v) => Object.entries(target).every(([k, val]) => (v.target as Record<string, unknown>)[k] === val));

  before(() => {
    const { sb, api, connection } = harness();
    sb.stubFunction('fn-plan', {
      durationMs: 1000,
      response: { tasks: ['north', 'south', 'east'].map((site) => ({ externalId: `sync-${site}`, type: 'transformation', parameters: { transformation: { externalId: `tr-${site}` } } })) },
    });
    sb.stubFunction('fn-fail', { durationMs: 500, status: 'Failed', error: 'KeyError: site' });
    sb.upsertWorkflow({ externalId: 'fan' }, [
      {
        version: '1',
        workflowDefinition: {
          description: 'Plan, then one transformation per site',
          tasks: [
            { externalId: 'plan', type: 'function', parameters: { function: { externalId: 'fn-plan' } } },
            { externalId: 'sites', type: 'dynamic', parameters: { dynamic: { tasks: '${plan.output.response.tasks}' } }, dependsOn: [{ externalId: 'plan' }] },
            transformationTask('publish', 'tr-publish', { dependsOn: [{ externalId: 'sites' }] }),
          ],
        },
      },
    ]);
    sb.upsertWorkflow({ externalId: 'breaks' }, [
      { version: '1', workflowDefinition: { tasks: [transformationTask('extract', 'tr-extract'), { externalId: 'load', type: 'function', retries: 0, parameters: { function: { externalId: 'fn-fail' } }, dependsOn: [{ externalId: 'extract' }] }] } },
    ]);
    addApprovalWorkflow(sb);
    api.tree.refresh({ connection });
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('cdfWorkflows').update('executions.openIn', undefined, vscode.ConfigurationTarget.Global);
  });

  it("opens an execution's view with one read; its app draws every task, the dynamic task's included", async () => {
    const h = harness();
    const e = await run('fan', '1');
    await clock.advance(120_000);
    assert.equal((await retrieve(e.id)).status, 'COMPLETED');
    // The tree has loaded what it shows; from here on every request is the view's.
    await h.node('fan', /^v1/);
    await sleep(500);
    h.sb.requests.reset();
    await vscode.commands.executeCommand('cdfWorkflows.showWorkflowView', { connection: h.connection, executionId: e.id });
    await until(() => viewOf({ kind: 'execution', executionId: e.id })?.record.rendered !== undefined, 'the app to draw the model');
    const view = viewOf({ kind: 'execution', executionId: e.id })!;
    assert.equal(view.title, 'fan@1 · Completed');
    assert.deepEqual(view.record.posted, ['model']);
    // plan, sites and its three generated tasks, publish.
    assert.equal(view.record.rendered!.nodes, 6);
    assert.equal(view.following, false);
    await sleep(1500);
    assert.equal(h.count(), 1, `one request, the execution read; sent: ${h.sb.requests.list.map((r) => `${r.method} ${r.path}`).join(', ')}`);
    assert.equal(h.count('GET', new RegExp(`/workflows/executions/${e.id}$`)), 1);
  });

  it('restores a view after a reload from the state its app saved, and refuses a state that names nothing', async () => {
    const h = harness();
    const e = await run('breaks', '1');
    await clock.advance(60_000);
    // What VS Code hands the serializer after a reload: a new panel of the view's type and the saved state.
    const restore = (views() as unknown as { restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> }).restore.bind(views());
    const panel = vscode.window.createWebviewPanel('cdfWorkflows.workflowView', 'restored', vscode.ViewColumn.One, {});
    await restore(panel, { target: { kind: 'execution', connection: h.connection, executionId: e.id }, tab: 'timeline' });
    await until(() => viewOf({ kind: 'execution', executionId: e.id })?.record.rendered !== undefined, 'the restored app to draw the model');
    const view = viewOf({ kind: 'execution', executionId: e.id })!;
    assert.equal(view.title, 'breaks@1 · Failed');
    assert.equal(view.record.rendered!.nodes, 2);
    // A state without a target (an older or damaged one): the panel goes, nothing else opens.
    const before = views().open.length;
    let disposed = false;
    const stray = vscode.window.createWebviewPanel('cdfWorkflows.workflowView', 'stray', vscode.ViewColumn.One, {});
    stray.onDidDispose(() => (disposed = true));
    await restore(stray, { tab: 'graph' });
    assert.ok(disposed, 'the panel without a target was closed');
    assert.equal(views().open.length, before);
  });

  it('shows the same execution in one panel however often it is opened', async () => {
    const h = harness();
    const e = await run('breaks', '1');
    await clock.advance(60_000);
    const node = await nodeOf('breaks', '1', e.id);
    await vscode.commands.executeCommand('cdfWorkflows.showWorkflowView', node);
    await vscode.commands.executeCommand('cdfWorkflows.showWorkflowView', { connection: h.connection, executionId: e.id });
    await vscode.commands.executeCommand('cdfWorkflows.openExecution', node);
    assert.equal(views().open.filter((v) => v.target.kind === 'execution' && v.target.executionId === e.id).length, 1);
    const webviewTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
    await until(() => webviewTabs().length > 0, 'the tab to be listed');
    await sleep(300);
    const tabs = webviewTabs();
    assert.equal(tabs.length, 1);
    assert.match(tabs[0].label, /^breaks@1 · Failed$/);
  });

  it("follows a running execution with the tracker's loop, and a status change reaches the view as one update", async () => {
    const h = harness();
    // Hidden tree: only the view keeps the execution followed.
    await vscode.commands.executeCommand('workbench.view.explorer');
    try {
      const e = await run('approval', '1');
      await clock.advance(2000);
      const ref = { connection: h.connection, executionId: e.id };
      h.sb.requests.reset();
      await vscode.commands.executeCommand('cdfWorkflows.showWorkflowView', ref);
      await until(() => viewOf({ kind: 'execution', executionId: e.id })?.record.rendered !== undefined, 'the app to draw the model');
      const view = () => viewOf({ kind: 'execution', executionId: e.id })!;
      assert.equal(view().following, true);
      assert.equal(h.api.services.tracker.isFollowing(ref), true);
      assert.deepEqual(view().record.posted, ['model']);

      const wait = (await retrieve(e.id)).executedTasks.find((t) => t.externalId === 'wait')!;
      await (await h.client()).tasks.update(wait.id, 'COMPLETED');
      await until(() => view().record.posted.length > 1, 'the change to reach the view');
      await sleep(2500); // two more poll intervals: nothing else changed, nothing else is sent
      assert.deepEqual(view().record.posted, ['model', 'update']);

      // One poll loop: the view's reads are the tracker's (one a second here), not a second loop's.
      h.sb.requests.reset();
      await sleep(3000);
      const reads = h.count('GET', new RegExp(`/workflows/executions/${e.id}$`));
      assert.ok(reads >= 2 && reads <= 4, `${reads} reads of the execution in 3 s`);

      await clock.advance(120_000);
      await until(() => view().title === 'approval@1 · Completed', 'the view to show the end of the run');
      await until(() => !view().following, 'following to end with the run');
      assert.ok(view().record.posted.slice(1).every((p) => p === 'update'), 'no new layout for status changes');
    } finally {
      await vscode.commands.executeCommand('workbench.view.extension.cdfWorkflows');
    }
  });

  it('stops following when the view is closed', async () => {
    const h = harness();
    await vscode.commands.executeCommand('workbench.view.explorer');
    try {
      const e = await run('approval', '1');
      await clock.advance(2000);
      const ref = { connection: h.connection, executionId: e.id };
      await vscode.commands.executeCommand('cdfWorkflows.showWorkflowView', ref);
      await until(() => h.api.services.tracker.isFollowing(ref), 'the view to follow the execution');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await until(() => !h.api.services.tracker.isFollowing(ref), 'following to stop once the view closed');
      h.sb.requests.reset();
      await sleep(2500);
      assert.equal(h.count('GET', new RegExp(`/workflows/executions/${e.id}$`)), 0);
      await (await h.client()).executions.cancel(e.id);
    } finally {
      await vscode.commands.executeCommand('workbench.view.extension.cdfWorkflows');
    }
  });

  it('refuses and logs messages from the webview that do not fit the protocol, and runs nothing', async () => {
    const h = harness();
    const e = await run('approval', '1');
    await clock.advance(2000);
    const target: ViewTarget = { kind: 'execution', connection: h.connection, executionId: e.id };
    await vscode.commands.executeCommand('cdfWorkflows.showWorkflowView', { connection: h.connection, executionId: e.id });
    await until(() => viewOf(target)?.record.rendered !== undefined, 'the app to draw the model');
    h.sb.requests.reset();
    const bad: unknown[] = [
      { type: 'runAction', action: 'cancel', force: true },
      { type: 'runAction', action: 'deleteEverything' },
      { type: 'taskAction', action: 'completeAsync' },
      { type: 'taskAction', action: 'completeAsync', id: 'no-such-task' },
      { type: 'evaluate', code: 'process.exit(1)' },
      'cancel',
      null,
      { type: 'selectTask', id: 'x'.repeat(5000) },
    ];
    for (const m of bad) views().deliver(target, m);
    await sleep(500);
    assert.equal(viewOf(target)!.record.refused, bad.length);
    assert.equal(h.count(), 0, 'nothing was sent to CDF');
    assert.equal((await retrieve(e.id)).status, 'RUNNING');
    assert.deepEqual(h.ui.messages.filter((m) => m.modal), [], 'no cancel question was asked');
    await (await h.client()).executions.cancel(e.id);
  });

  it("opens a deployed version's view from its tree node without a request", async () => {
    const h = harness();
    const version = await h.node('fan', /^v1/);
    h.sb.requests.reset();
    await vscode.commands.executeCommand('cdfWorkflows.showWorkflowView', version);
    await until(() => viewOf({ kind: 'version', workflowExternalId: 'fan', version: '1' })?.record.rendered !== undefined, 'the app to draw the version');
    const view = viewOf({ kind: 'version', workflowExternalId: 'fan', version: '1' })!;
    assert.equal(view.title, 'fan@1');
    // plan, sites (its tasks are known only when it runs), publish.
    assert.equal(view.record.rendered!.nodes, 3);
    assert.equal(h.count(), 0);
  });

  it('opens the graph or the text when an execution is clicked, as executions.openIn says', async () => {
    const e = await run('breaks', '1');
    await clock.advance(60_000);
    const node = await nodeOf('breaks', '1', e.id);
    const command = node.getTreeItem().command;
    assert.equal(command?.command, 'cdfWorkflows.openExecution');
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    await until(() => vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputWebview, 'the workflow view to be the active tab');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('cdfWorkflows').update('executions.openIn', 'text', vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    // The text opens rendered: the Markdown preview of the cdf-workflows document is the active tab.
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.equal(input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom ? input.uri.scheme : undefined, 'cdf-workflows');
    assert.ok(!views().open.some((v) => v.target.kind === 'execution' && v.target.executionId === e.id));
  });

  it('opens the workflow view from "Show Details" on the notification that a followed run ended', async () => {
    const h = harness();
    const settings = vscode.workspace.getConfiguration('cdfWorkflows');
    await settings.update('follow.notify', 'always', vscode.ConfigurationTarget.Global);
    try {
      const e = await run('breaks', '1');
      h.ui.script({ ask: 'Show Details', match: /^Run of breaks@1 failed/ });
      const followed = h.api.services.tracker.follow({ connection: h.connection, executionId: e.id }, e);
      await clock.advance(60_000);
      await followed;
      await until(() => viewOf({ kind: 'execution', executionId: e.id })?.record.rendered !== undefined, 'the workflow view to open');
      h.ui.assertAllUsed();
    } finally {
      await settings.update('follow.notify', 'never', vscode.ConfigurationTarget.Global);
    }
  });

  it('compares two executions selected in the tree as a diff of their normalised runs, with a summary', async () => {
    const h = harness();
    const ok = await run('breaks', '1');
    await clock.advance(60_000);
    // The second run's load succeeds: fn-fail answers differently now.
    h.sb.stubFunction('fn-fail', { durationMs: 4000, response: { loaded: 12 } });
    const fixed = await run('breaks', '1');
    await clock.advance(60_000);
    h.sb.stubFunction('fn-fail', { durationMs: 500, status: 'Failed', error: 'KeyError: site' });
    const a = await nodeOf('breaks', '1', ok.id);
    const b = (await h.children(await h.node('breaks', /^v1/))).find((n) => (n as unknown as { execution: { id: string } }).execution.id === fixed.id)!;
    await vscode.commands.executeCommand('cdfWorkflows.compareExecutions', a, [a, b]);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'a diff editor');
    const left = (await vscode.workspace.openTextDocument(tab.input.original)).getText();
    const right = (await vscode.workspace.openTextDocument(tab.input.modified)).getText();
    assert.match(left, new RegExp(`^// first: breaks@1 execution ${ok.id}`));
    assert.match(right, new RegExp(`^// second: breaks@1 execution ${fixed.id}`));
    // The summary follows the first line, one part per comment line, the same on both sides.
    const summaryOf = (text: string) => text.split('\n').slice(1).filter((l) => l.startsWith('// ')).map((l) => l.slice(3)).join('; ');
    const summary = summaryOf(left);
    assert.equal(summary, summaryOf(right));
    assert.match(summary, /^Status Failed → Completed; 1 task changed status: load \(Failed → Completed\); slowest growth: load /);
    const json = JSON.parse(right.split('\n').filter((l) => !l.startsWith('//')).join('\n')) as { tasks: { task: string; status: string; output?: Record<string, unknown> }[]; metadata: Record<string, string> };
    assert.deepEqual(json.tasks.map((t) => [t.task, t.status]), [['extract', 'Completed'], ['load', 'Completed']]);
    assert.equal(json.tasks[1].output?.['callId'], undefined, 'per-run ids are left out');
    assert.deepEqual(json.tasks[1].output?.['response'], { loaded: 12 });
  });
});

describe('workflow view of a definition file', function () {
  this.timeout(60_000);
  const file = () => vscode.Uri.file(path.join(testWorkspace(), 'graph', 'nightly.WorkflowVersion.yaml'));
  let views: () => CdfWorkflowsApi['workflowViews'];
  const view = () => views().open.find((v) => v.target.kind === 'file' && v.target.uri === file().toString());
  const nodesOf = (m: ToWebview | undefined) => (m?.type === 'model' ? m.model.graph.nodes : m?.type === 'update' ? m.nodes : []);

  before(async () => {
    const api = await extensionApi();
    views = () => api.workflowViews;
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('draws the version in a Toolkit file, redraws it after an edit, marks diagnostics on their task and reveals a task in the file', async () => {
    const doc = await vscode.workspace.openTextDocument(file());
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('cdfWorkflows.showWorkflowView', file());
    await until(() => view()?.record.rendered !== undefined, 'the app to draw the file');
    assert.equal(view()!.title, 'nightly-orders@1 (file)');
    assert.equal(view()!.record.rendered!.nodes, 2);

    // A task added to the file: drawn once the edits pause, a new layout.
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(file(), end, '\n    - externalId: report\n      type: function\n      parameters:\n        function:\n          externalId: fn-report\n      dependsOn:\n        - externalId: load\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await until(() => view()!.record.rendered?.nodes === 3, 'the graph to show the new task');
    assert.equal(view()!.record.posted.filter((p) => p === 'model').length, 2);

    // A finding inside the new task's text lands on its node.
    const diagnostics = vscode.languages.createDiagnosticCollection('workflow-view-test');
    try {
      const at = doc.getText().indexOf('fn-report');
      diagnostics.set(file(), [new vscode.Diagnostic(new vscode.Range(doc.positionAt(at), doc.positionAt(at + 9)), 'Function fn-report was not found', vscode.DiagnosticSeverity.Warning)]);
      await until(() => nodesOf(view()!.record.last).some((n) => n.id === 'report' && n.diagnostics?.[0]?.message === 'Function fn-report was not found'), 'the finding on the report node');
    } finally {
      diagnostics.dispose();
    }

    // Enter on a node (or Reveal in File): the file shows it, its id selected.
    views().deliver({ kind: 'file', uri: file().toString() }, { type: 'taskAction', action: 'reveal', id: 'load' });
    await until(() => vscode.window.activeTextEditor?.document.uri.toString() === file().toString() && !vscode.window.activeTextEditor.selection.isEmpty, 'the task to be revealed');
    const selected = vscode.window.activeTextEditor!;
    assert.equal(selected.document.getText(selected.selection), 'load');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('offers Show Graph as a CodeLens on the version', async () => {
    const doc = await vscode.workspace.openTextDocument(file());
    await vscode.window.showTextDocument(doc);
    let lenses: vscode.CodeLens[] = [];
    await until(async () => {
      lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [];
      return lenses.some((l) => l.command?.command === 'cdfWorkflows.showWorkflowView');
    }, 'the Show Graph CodeLens');
    const lens = lenses.find((l) => l.command?.command === 'cdfWorkflows.showWorkflowView')!;
    assert.match(lens.command!.title, /Show Graph/);
    assert.equal(lens.range.start.line, 1);
  });
});
