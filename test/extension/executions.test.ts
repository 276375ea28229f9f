// Execution actions through a scripted ui in a real extension host, against a sandbox on a manual clock:
// cancel a running execution (modal, optional reason), retry a failed one and follow it to its end, run
// again with the same input (an untitled JSON document), copy the id, complete an async task so the
// execution continues; also from the palette (a pick) and from a plain ExecutionRef.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ManualClock } from '../../src/sandbox/index';
import { testWorkspace } from './index';
import { addApprovalWorkflow, addFlakyWorkflow, transformationTask } from './support/workflows';
import { executionHelpers, hasToken, labelOf, until, useTreeHarness } from './tree-fixtures';

describe('execution actions', function () {
  this.timeout(60_000);
  const clock = new ManualClock(Date.now());
  const harness = useTreeHarness('Actions', { clock, settings: { 'follow.minIntervalSeconds': 1, 'follow.maxIntervalSeconds': 1, 'follow.notify': 'always' } });
  let flakyCalls = 0;

  const client = () => harness().client();
  const { run, retrieve, nodeOf, errors } = executionHelpers(harness);

  before(async () => {
    const { sb, api, connection } = harness();
    addApprovalWorkflow(sb);
    addFlakyWorkflow(sb, () => (++flakyCalls === 1 ? { status: 'Failed', error: 'the source system was down' } : { response: { ok: true } }));
    sb.upsertWorkflow({ externalId: 'with-input' }, [{ version: '3', workflowDefinition: { tasks: [transformationTask('load', 'tr-load')] } }]);
    api.tree.refresh({ connection });
    await api.services.connections.setActive(connection);
  });

  beforeEach(() => harness().ui.reset());
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('cancels a running execution after a modal confirmation, with the reason given', async () => {
    const h = harness();
    const e = await run('approval', '1');
    await clock.advance(2000);
    const node = await nodeOf('approval', '1', e.id);
    assert.ok(hasToken(node, 'cancelable'));

    // Dismissing the question, or Keep Running, sends nothing.
    h.sb.requests.reset();
    h.ui.script({ ask: undefined }, { ask: 'Keep Running' });
    await vscode.commands.executeCommand('cdfWorkflows.cancelExecution', node);
    await vscode.commands.executeCommand('cdfWorkflows.cancelExecution', node);
    assert.equal(h.count('POST', /\/cancel$/), 0);
    assert.equal((await retrieve(e.id)).status, 'RUNNING');

    h.ui.script({ ask: 'Cancel Execution with Reason...' }, { input: 'superseded by a manual run' });
    await vscode.commands.executeCommand('cdfWorkflows.cancelExecution', node);
    h.ui.assertAllUsed();
    const question = h.ui.messages.find(m => m.modal)!;
    assert.equal(question.kind, 'warning');
    assert.match(question.message, /^Cancel the execution of approval@1 started /);
    // Three buttons, and only two of them cancel: the dialog's own close button keeps it running.
    assert.deepEqual(question.actions, ['Cancel Execution', 'Cancel Execution with Reason...']);
    assert.equal(question.cancel, 'Keep Running');
    assert.equal(h.count('POST', new RegExp(`/workflows/executions/${e.id}/cancel$`)), 1);
    const after = await retrieve(e.id);
    assert.equal(after.status, 'TERMINATED');
    assert.equal(after.reasonForIncompletion, 'superseded by a manual run');
    // The node shows the new state at once.
    assert.equal(labelOf(node), 'Terminated');
    assert.ok(!hasToken(node, 'cancelable') && hasToken(node, 'retryable'));
    assert.deepEqual(errors(), []);
  });

  it('refuses a cancel reason over 500 characters before sending anything', async () => {
    const h = harness();
    const e = await run('approval', '1');
    await clock.advance(2000);
    h.sb.requests.reset();
    h.ui.script({ ask: 'Cancel Execution with Reason...' }, { input: 'x'.repeat(501) });
    await vscode.commands.executeCommand('cdfWorkflows.cancelExecution', { connection: h.connection, executionId: e.id });
    assert.equal(h.count('POST', /\/cancel$/), 0);
    assert.match(errors()[0] ?? '', /501 characters; CDF allows 500/);
    await (await client()).executions.cancel(e.id);
  });

  it('retries a failed execution with a fresh session, then follows it to its end', async () => {
    const h = harness();
    const e = await run('flaky', '1');
    await clock.advance(2000);
    assert.equal((await retrieve(e.id)).status, 'FAILED');
    const node = await nodeOf('flaky', '1', e.id);
    assert.ok(hasToken(node, 'retryable'));

    h.sb.requests.reset();
    await vscode.commands.executeCommand('cdfWorkflows.retryExecution', node);
    assert.deepEqual(errors(), []);
    assert.equal(h.count('POST', /\/sessions$/), 1, 'a fresh session for the nonce');
    assert.equal(h.count('POST', new RegExp(`/workflows/executions/${e.id}/retry$`)), 1);
    assert.equal(labelOf(node), 'Running');
    assert.ok(h.api.services.tracker.isFollowedByUser({ connection: h.connection, executionId: e.id }));

    await clock.advance(2000);
    const done = await h.ui.waitForMessage(/^Run of flaky@1 completed/);
    assert.deepEqual(done.actions, ['Show Details']);
    await until(() => labelOf(node) === 'Completed', 'the node to show the retried execution completed');
  });

  it('opens the input of an execution as an untitled JSON document to run again', async () => {
    const h = harness();
    const input = { assetExternalId: 'pump-station-01', days: 3, options: { dryRun: true } };
    const e = await run('with-input', '3', input);
    const node = await nodeOf('with-input', '3', e.id);
    await vscode.commands.executeCommand('cdfWorkflows.runAgainWithSameInput', node);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.equal(editor.document.uri.scheme, 'untitled');
    assert.equal(editor.document.languageId, 'json');
    assert.deepEqual(JSON.parse(editor.document.getText()), input);
    assert.match(editor.document.getText(), /^\{\n {2}"assetExternalId"/, 'pretty-printed');
    const offer = await h.ui.waitForMessage(/input of with-input@3 is open/);
    assert.deepEqual(offer.actions, ['Run with-input@3']);

    // From a notification's ExecutionRef too.
    await vscode.commands.executeCommand('cdfWorkflows.runAgainWithSameInput', { connection: h.connection, executionId: e.id });
    assert.deepEqual(JSON.parse(vscode.window.activeTextEditor!.document.getText()), input);
    assert.deepEqual(errors(), []);
    await clock.advance(10_000);
  });

  it('copies the execution id to the clipboard', async () => {
    const h = harness();
    const e = await run('with-input', '3');
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('cdfWorkflows.copyExecutionId', await nodeOf('with-input', '3', e.id));
    assert.equal(await vscode.env.clipboard.readText(), e.id);
    const other = await run('with-input', '3');
    await vscode.commands.executeCommand('cdfWorkflows.copyExecutionId', { connection: h.connection, executionId: other.id });
    assert.equal(await vscode.env.clipboard.readText(), other.id);
    await clock.advance(10_000);
  });

  it('asks which execution when started from the palette, offering only those it applies to', async () => {
    const h = harness();
    const e = await run('approval', '1');
    await clock.advance(2000);
    h.ui.script({ pick: new RegExp(`^approval@1 Running`) });
    await vscode.commands.executeCommand('cdfWorkflows.copyExecutionId');
    h.ui.assertAllUsed();
    assert.equal(await vscode.env.clipboard.readText(), e.id);

    h.ui.reset();
    h.ui.script({ pick: /^approval@1/ }, { ask: 'Cancel Execution' });
    await vscode.commands.executeCommand('cdfWorkflows.cancelExecution');
    const offered = h.ui.prompts[0].labels ?? [];
    assert.ok(offered.length > 0 && offered.every(l => l === 'approval@1'), `only running executions: ${offered.join(', ')}`);
    assert.equal((await retrieve(e.id)).status, 'TERMINATED');
  });

  it('completes an async task with the active JSON editor as output, and the execution continues', async () => {
    const h = harness();
    const e = await run('approval', '1');
    await clock.advance(2000);
    const node = await nodeOf('approval', '1', e.id);
    const wait = (await h.children(node)).find(t => labelOf(t) === 'wait')!;
    assert.ok(hasToken(wait, 'asyncWaiting'));

    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: '{ "approvedBy": "jane", "ticket": 42 }' });
    await vscode.window.showTextDocument(doc);
    h.sb.requests.reset();
    h.ui.script({ pick: 'Completed' }, { pick: /^Active Editor/ });
    await vscode.commands.executeCommand('cdfWorkflows.completeAsyncTask', wait);
    h.ui.assertAllUsed();
    assert.deepEqual(errors(), []);
    assert.deepEqual(h.ui.prompts.map(p => [p.step, p.totalSteps]), [[1, 2], [2, 2]]);
    assert.equal(h.count('POST', /\/workflows\/tasks\/[^/]+\/update$/), 1);
    let after = await retrieve(e.id);
    const task = after.executedTasks.find(t => t.externalId === 'wait')!;
    assert.equal(task.status, 'COMPLETED');
    assert.equal((task.output as { approvedBy?: string }).approvedBy, 'jane');

    await clock.advance(10_000);
    after = await retrieve(e.id);
    assert.equal(after.status, 'COMPLETED', 'the execution went on after the task');
    await until(() => labelOf(node) === 'Completed', 'the node to show the execution completed');
  });

  it('fails an async task with output from a JSON file, and refuses an output that is not a JSON object', async () => {
    const h = harness();
    const e = await run('approval', '1');
    await clock.advance(2000);
    const wait = (await h.children(await nodeOf('approval', '1', e.id))).find(t => labelOf(t) === 'wait')!;

    const dir = path.join(testWorkspace(), 'task-outputs');
    fs.mkdirSync(dir, { recursive: true });
    const list = path.join(dir, 'list.json');
    const rejected = path.join(dir, 'rejected.json');
    fs.writeFileSync(list, '[1, 2, 3]\n');
    fs.writeFileSync(rejected, '{ "rejectedBy": "ops" }\n');

    h.sb.requests.reset();
    h.ui.script({ pick: 'Failed with terminal error' }, { pick: 'Choose a JSON File...' }, { file: list });
    await vscode.commands.executeCommand('cdfWorkflows.completeAsyncTask', wait);
    assert.equal(h.count('POST', /\/update$/), 0, 'nothing sent');
    assert.match(errors()[0] ?? '', /^The output in task-outputs\/list\.json cannot be sent: it must be a JSON object/);

    h.ui.reset();
    h.ui.script({ pick: 'Failed with terminal error' }, { pick: 'Choose a JSON File...' }, { file: rejected });
    await vscode.commands.executeCommand('cdfWorkflows.completeAsyncTask', wait);
    assert.deepEqual(errors(), []);
    await clock.advance(2000);
    const after = await retrieve(e.id);
    const task = after.executedTasks.find(t => t.externalId === 'wait')!;
    assert.equal(task.status, 'FAILED_WITH_TERMINAL_ERROR');
    assert.equal((task.output as { rejectedBy?: string }).rejectedBy, 'ops');
    assert.equal(after.status, 'FAILED');
  });

  it('sends only the status when "No Output" is chosen', async () => {
    const h = harness();
    const e = await run('approval', '1');
    await clock.advance(2000);
    const wait = (await h.children(await nodeOf('approval', '1', e.id))).find(t => labelOf(t) === 'wait')!;
    h.ui.script({ pick: 'Completed' }, { pick: 'No Output' });
    await vscode.commands.executeCommand('cdfWorkflows.completeAsyncTask', wait);
    assert.deepEqual(errors(), []);
    const task = (await retrieve(e.id)).executedTasks.find(t => t.externalId === 'wait')!;
    assert.equal(task.status, 'COMPLETED');
    assert.deepEqual(Object.keys(task.output as object).sort(), ['callId', 'functionId', 'response']);
    await clock.advance(10_000);
  });
});
