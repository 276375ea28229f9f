// What a new user meets in the first hour, in a real extension host against a sandbox, driven by the
// scripted ui: live elapsed times without requests, the tasks a run has left, the status word of every
// task, task context menus, a new run expanded and in the status bar, what started a run, the sign-in
// test when a connection is added or edited (Fix Secret, Save Anyway, Cancel), Change Secret and the
// error item's fix, base URLs pasted with their API path, missing input keys shown where the input is
// chosen and added on request, and the schedule wizard's own secret check, zone list, stable steps and
// reopening after a failed deploy.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { testWorkspace } from './index';
import { addApprovalWorkflow, addFlakyWorkflow, transformationTask } from './support/workflows';
import { assertNoSecrets, executionHelpers, executionOf, hasToken, iconOf, labelOf, type NodeLike, sleep, tooltipOf, until, useTreeHarness } from './tree-fixtures';

const BOT = { clientId: 'first-hour-bot', clientSecret: 'first-hour-bot-secret-9c1e' };

function connections(): { name: string; project: string; baseUrl?: string }[] {
  return vscode.workspace.getConfiguration('cdfWorkflows').get('connections', []);
}

function activeConnection(): string | undefined {
  return vscode.workspace.getConfiguration('cdfWorkflows').get<string>('activeConnection') || undefined;
}

function description(node: NodeLike): string {
  return String(node.getTreeItem().description ?? '');
}

/** A scratch JSON file in the test workspace, written fresh. */
function scratch(name: string, content: unknown): vscode.Uri {
  const file = path.join(testWorkspace(), 'first-hour', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`);
  return vscode.Uri.file(file);
}

describe('the first hour', function () {
  this.timeout(90_000);
  // Long follow intervals: a poll never overlaps the request counts below.
  const harness = useTreeHarness('First hour', {
    clients: [BOT],
    settings: { 'follow.minIntervalSeconds': 60, 'follow.maxIntervalSeconds': 60, 'follow.notify': 'always' },
  });
  const { run, nodeOf, errors } = executionHelpers(harness);
  const infos = () => harness().ui.messages.filter(m => m.kind === 'info').map(m => m.message);

  before(() => {
    const { sb, api, connection } = harness();
    addApprovalWorkflow(sb);
    addFlakyWorkflow(sb, { status: 'Failed', error: 'the source system was down' });
    sb.stubFunction('fn-report', { response: { rows: 1 } });
    sb.upsertWorkflow({ externalId: 'report' }, [
      {
        version: '1',
        workflowDefinition: {
          tasks: [
            { externalId: 'build', type: 'function', parameters: { function: { externalId: 'fn-report', data: { day: '${workflow.input.runDate}', site: '${workflow.input.site.id}' } } } },
            transformationTask('publish', 'tr-publish', { dependsOn: [{ externalId: 'build' }] }),
          ],
        },
      },
    ]);
    api.tree.refresh({ connection });
  });

  beforeEach(() => harness().ui.reset());
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    const { api } = harness();
    // The pair the wizard stored, and no secret typed (right or wrong) left anywhere.
    await api.services.context.secrets.delete(`cdfWorkflows.scheduleCredentials/${BOT.clientId}/clientSecret`);
    const pairs = api.services.context.globalState.get<{ clientId: string }[]>('cdfWorkflows.schedule.credentials') ?? [];
    await api.services.context.globalState.update('cdfWorkflows.schedule.credentials', pairs.filter(p => p.clientId !== BOT.clientId));
    assertNoSecrets(api, [BOT.clientSecret, 'not-the-secret', 'still-wrong', 'typo-secret', 'a-new-wrong-secret']);
  });

  describe('the tree', () => {
    it('redraws the elapsed time of a running execution on screen on its label timer, without a request', async () => {
      const h = harness();
      const e = await run('approval', '1');
      const node = await nodeOf('approval', '1', e.id);
      // On screen: VS Code draws the row (the reveal expands its parents).
      await h.api.tree.view.reveal(node as never, { select: false, focus: false, expand: false });
      const before = description(node);
      assert.match(before, /^(now|\d+ seconds ago) · \d+(ms|s)/);
      h.sb.requests.reset();
      // The label timer (every 5 s) or a tick asked for here redraws the row once its text has moved on.
      const redrawsBefore = h.api.tree.labelRefreshes;
      await until(() => {
        h.api.tree.redrawLiveLabels();
        return h.api.tree.labelRefreshes > redrawsBefore && description(node) !== before;
      }, 'the running row to be redrawn with a later elapsed time', 15_000);
      await sleep(300); // VS Code asks for what the redraw changed
      assert.equal(h.count(), 0, 'a redraw makes no request');
      await (await h.client()).executions.cancel(e.id);
    });

    it('redraws nothing while the view is hidden', async () => {
      const h = harness();
      await vscode.commands.executeCommand('workbench.view.explorer');
      try {
        await until(() => !h.api.tree.view.visible, 'the view to hide');
        assert.equal(h.api.tree.redrawLiveLabels(), 0);
      } finally {
        await vscode.commands.executeCommand('workbench.view.extension.cdfWorkflows');
        await until(() => h.api.tree.view.visible, 'the view to show');
      }
    });

    it('shows the tasks a running execution has not started, greyed, with what they wait for', async () => {
      const h = harness();
      const e = await run('approval', '1');
      const tasks = await h.children(await nodeOf('approval', '1', e.id));
      assert.deepEqual(tasks.map(labelOf), ['wait', 'release']);
      const [wait, release] = tasks;
      assert.match(description(wait), /^Waiting for completion · function/);
      assert.equal(description(release), 'Not started · transformation · after wait');
      assert.equal(iconOf(release), 'circle-large-outline');
      assert.equal((release.getTreeItem().iconPath as vscode.ThemeIcon).color?.id, 'disabledForeground');
      assert.equal(release.getTreeItem().contextValue, 'taskNotStarted', 'no task actions on a task that has no execution yet');
      // Its menu still shows the execution's details.
      await vscode.commands.executeCommand('cdfWorkflows.showExecutionDetails', release);
      assert.deepEqual(errors(), []);
      assert.match((vscode.window.tabGroups.activeTabGroup.activeTab?.input as { uri?: vscode.Uri } | undefined)?.uri?.path ?? '', new RegExp(`/executions/${e.id}/`));
      assert.match(tooltipOf(release), /Waits for `wait`/);
      await (await h.client()).executions.cancel(e.id);
    });

    it('names every status in words and gives every task a context menu, saying why a task has no logs', async () => {
      const h = harness();
      const e = await run('flaky', '1');
      await until(async () => (await (await h.client()).executions.retrieve(e.id)).status === 'FAILED', 'the run to fail');
      const [step] = await h.children(await nodeOf('flaky', '1', e.id));
      assert.match(description(step), /^Failed · function/);
      for (const token of ['task', 'functionTask', 'functionCall']) assert.ok(hasToken(step, token), token);

      const id = await vscode.commands.executeCommand<string>('cdfWorkflows.copyTaskExecutionId', step);
      assert.equal(await vscode.env.clipboard.readText(), id);
      assert.equal(id, (step as unknown as { task: { id: string } }).task.id);

      // A function task that made no call: the command says why instead of doing nothing.
      const shown = step as unknown as { task: object; execution: object };
      const task = { ...shown.task, output: {}, status: 'COMPLETED' };
      await vscode.commands.executeCommand('cdfWorkflows.showFunctionLogs', { task, execution: shown.execution, ref: { connection: h.connection, executionId: e.id } });
      assert.match(infos().join('\n'), /^No function logs for step: CDF reports no function call for step \(its output has no callId\)/m);
      assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab, undefined, 'nothing opened');
      assert.deepEqual(errors(), []);
    });

    it('says on each row what started the run when its metadata says so', async () => {
      const h = harness();
      const byTrigger = await run('approval', '1', {}, { 'cdf-workflows:trigger': 'nightly-approval' });
      const bySchedule = await run('approval', '1', {}, { 'cdf-workflows:schedule': 'every morning' });
      const [t, s] = [await nodeOf('approval', '1', byTrigger.id), await nodeOf('approval', '1', bySchedule.id)];
      assert.match(description(t), / · trigger nightly-approval$/);
      assert.match(tooltipOf(t), /Started by the trigger nightly-approval\./);
      assert.match(description(s), / · schedule every morning$/);
      for (const e of [byTrigger, bySchedule]) await (await h.client()).executions.cancel(e.id);
    });
  });

  describe('a run the user starts', () => {
    it('is revealed expanded without a read of its own, shows in the status bar while followed, and a failure is an error that stays', async () => {
      const h = harness();
      const file = scratch('approval.json', { any: 1 });
      await vscode.window.showTextDocument(file);
      h.sb.requests.reset();
      h.ui.script({ pick: 'approval' }, { pick: /^v1 · / }, { input: '' });
      const e = await vscode.commands.executeCommand<{ id: string }>('cdfWorkflows.runWorkflow');
      assert.ok(e, JSON.stringify(errors()));
      // The version's page as the reveal left it (no refresh): the new run first, expanded.
      const node = (await h.children(await h.node('approval', 'v1'))).find(n => executionOf(n).id === e.id)!;
      assert.ok(node, 'the run is under its version');
      await until(() => (node as unknown as { loaded?: unknown[] }).loaded !== undefined, 'the new run to be expanded').catch((e: unknown) => {
        const logDir = h.api.services.context.logUri.fsPath;
        const log = fs.readdirSync(logDir, { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('.log')).map(f => fs.readFileSync(path.join(logDir, f), 'utf8')).join('\n');
        throw new Error(`${String(e)}; visible ${h.api.tree.view.visible}; selection ${h.api.tree.view.selection.map(n => n.id).join(',')}; node ${node.id}\n${log.split('\n').filter(l => /warn|error|Showing|reveal/i.test(l)).slice(-15).join('\n')}`);
      });
      assert.deepEqual((await node.getChildren()).map(labelOf), ['wait', 'release']);
      assert.equal(h.count('GET', new RegExp(`/workflows/executions/${e.id}$`)), 1, 'its tasks come from the follow loop\'s read');
      await until(() => h.api.tree.view.selection.some(n => n.id === node.id), 'the new run to be selected');

      // The status bar says what is followed; its command shows the run in the view.
      await until(() => h.api.followedRuns.text !== undefined, 'the status bar item');
      assert.match(h.api.followedRuns.text ?? '', /^\$\(sync~spin\) approval v1 · \d+(ms|s)/);
      assert.ok(h.api.services.tracker.followedRuns.some(r => r.ref.executionId === e.id));
      await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
      await vscode.commands.executeCommand('cdfWorkflows.showFollowedRun');
      assert.deepEqual(errors(), []);
      await until(() => h.api.tree.view.selection.some(n => n.id === node.id), 'the run to be shown again');

      // Ended by someone else (not asked for here): an error with an action, which VS Code keeps until dismissed.
      const settings = vscode.workspace.getConfiguration('cdfWorkflows');
      await settings.update('follow.minIntervalSeconds', 1, vscode.ConfigurationTarget.Global);
      await settings.update('follow.maxIntervalSeconds', 1, vscode.ConfigurationTarget.Global);
      try {
        await (await h.client()).executions.cancel(e.id, { reason: 'stopped by ops' });
        const ended = await h.ui.waitForMessage(/^Run of approval@1 terminated/);
        assert.equal(ended.kind, 'error');
        assert.match(ended.message, /: stopped by ops$/);
        assert.deepEqual(ended.actions, ['Show Details']);
        await until(() => h.api.followedRuns.text === undefined, 'the status bar item to go');
      } finally {
        await settings.update('follow.minIntervalSeconds', 60, vscode.ConfigurationTarget.Global);
        await settings.update('follow.maxIntervalSeconds', 60, vscode.ConfigurationTarget.Global);
      }
    });

    it('reports a cancel the user asked for as information, not as a failure', async () => {
      const h = harness();
      const e = await run('approval', '1');
      const ref = { connection: h.connection, executionId: e.id };
      const followed = h.api.services.tracker.follow(ref, e);
      // A follow loop that starts from the run's summary reads it first after one interval: make it short.
      const settings = vscode.workspace.getConfiguration('cdfWorkflows');
      await settings.update('follow.minIntervalSeconds', 1, vscode.ConfigurationTarget.Global);
      await settings.update('follow.maxIntervalSeconds', 1, vscode.ConfigurationTarget.Global);
      h.ui.script({ ask: 'Cancel Execution' });
      await vscode.commands.executeCommand('cdfWorkflows.cancelExecution', ref);
      try {
        await followed;
      } finally {
        await settings.update('follow.minIntervalSeconds', 60, vscode.ConfigurationTarget.Global);
        await settings.update('follow.maxIntervalSeconds', 60, vscode.ConfigurationTarget.Global);
      }
      const ended = await h.ui.waitForMessage(/^Run of approval@1 /);
      assert.equal(ended.kind, 'info');
      assert.match(ended.message, /^Run of approval@1 cancelled as you asked/);
    });
  });

  describe('missing input keys', () => {
    it('shows what the input lacks in the version picker, defaults to adding the keys, and adds them with null without running', async () => {
      const h = harness();
      const file = scratch('report.json', { site: { name: 'oslo' } });
      await vscode.window.showTextDocument(file);
      h.sb.requests.reset();
      h.ui.script({ pick: 'report' }, { pick: /^v1 · / }, { ask: 'Add Missing Keys' });
      const result = await vscode.commands.executeCommand('cdfWorkflows.runWorkflow');
      assert.equal(result, undefined, 'nothing ran');
      h.ui.assertAllUsed();
      const versionPick = h.ui.prompts[1];
      assert.deepEqual(versionPick.details, ['$(warning) first-hour/report.json lacks runDate, site.id']);
      const question = h.ui.messages.find(m => m.modal)!;
      assert.deepEqual(question.actions, ['Add Missing Keys', 'Run Anyway'], 'the safe choice is the default button');
      assert.equal(h.count('POST', /\/run$/), 0);
      assert.equal(h.count('POST', /\/sessions$/), 0);

      const doc = vscode.workspace.textDocuments.find(d => d.uri.toString() === file.toString())!;
      assert.deepEqual(JSON.parse(doc.getText()), { site: { name: 'oslo', id: null }, runDate: null });
      assert.ok(doc.isDirty, 'left for the user to fill and save');
      const editor = vscode.window.activeTextEditor!;
      assert.equal(editor.document.getText(editor.selection), 'null', 'the first new value is selected');
      assert.match(infos().join('\n'), /Added runDate, site\.id to first-hour\/report\.json with the value null: fill them in\. Then run report@1 again\./);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });
  });

  describe('connections', () => {
    const added: string[] = [];
    after(async () => {
      for (const name of added) await harness().api.services.connections.remove(name).catch(() => undefined);
    });

    /** The answers of the add wizard up to the secret (base URL route, token URL). */
    const upToSecret = (name: string) => {
      const { sb } = harness();
      added.push(name);
      return [{ input: name }, { pick: 'Another base URL' }, { input: sb.baseUrl }, { input: sb.project }, { pick: 'Client credentials' }, { pick: 'Token URL' }, { input: sb.tokenUrl }, { input: BOT.clientId }];
    };

    it('tests the sign-in on Finish: Fix Secret goes back to the secret with every other answer kept', async () => {
      const h = harness();
      const activeBefore = activeConnection();
      h.ui.script(...upToSecret('Typo'), { input: 'not-the-secret' }, { input: '' }, { ask: 'Fix Secret' }, { input: BOT.clientSecret }, { input: '' }, { ask: undefined });
      await vscode.commands.executeCommand('cdfWorkflows.addConnection');
      h.ui.assertAllUsed();
      assert.deepEqual(errors().filter(m => !/cannot sign in/.test(m)), []);
      const refused = h.ui.messages.find(m => m.modal)!;
      assert.match(refused.message, /^"Typo" cannot sign in: .*invalid_client/);
      assert.deepEqual(refused.actions, ['Fix Secret', 'Save Anyway']);
      assert.equal(refused.cancel, 'Cancel');
      // Back at the secret prompt (step 9 of 10), then the scopes; nothing asked twice before it.
      const afterFix = h.ui.prompts.slice(10);
      assert.deepEqual(afterFix.map(p => [p.step, p.totalSteps]), [[9, 10], [10, 10]]);
      assert.match(afterFix[0].prompt ?? '', /^Client secret\./);
      const saved = connections().find(c => c.name === 'Typo');
      assert.ok(saved, 'saved once it signed in');
      assert.equal(activeConnection(), 'Typo');
      assert.match(infos().join('\n'), /Connection "Typo" added and made active\. Signed in to project/);
      await h.api.services.connections.setActive(activeBefore ?? h.connection);
    });

    it('tests the sign-in when an edit finishes: the stored secret when none is typed, a new one before it replaces the old', async () => {
      const h = harness();
      const keep = [{ input: 'Typo' }, { pick: 'Another base URL' }, { input: h.sb.baseUrl }, { input: h.sb.project }, { pick: 'Client credentials' }, { pick: 'Token URL' }, { input: h.sb.tokenUrl }, { input: BOT.clientId }];
      h.ui.script(...keep, { input: '' }, { input: '' });
      await vscode.commands.executeCommand('cdfWorkflows.editConnection', 'Typo');
      h.ui.assertAllUsed();
      assert.deepEqual(h.ui.messages.filter(m => m.modal), [], 'the stored secret signs in: no question');

      h.ui.reset();
      h.ui.script(...keep, { input: 'a-new-wrong-secret' }, { input: '' }, { ask: 'Cancel' });
      await vscode.commands.executeCommand('cdfWorkflows.editConnection', 'Typo');
      h.ui.assertAllUsed();
      assert.match(h.ui.messages.find(m => m.modal)?.message ?? '', /^"Typo" cannot sign in: /);
      assert.equal(await h.api.services.context.secrets.get('cdfWorkflows.connection/Typo/clientSecret'), BOT.clientSecret, 'the working secret was kept');
    });

    it('saves anyway without making it active, or saves nothing on Cancel', async () => {
      const h = harness();
      const activeBefore = activeConnection();
      h.ui.script(...upToSecret('Broken'), { input: 'wrong' }, { input: '' }, { ask: 'Save Anyway' });
      await vscode.commands.executeCommand('cdfWorkflows.addConnection');
      assert.ok(connections().some(c => c.name === 'Broken'));
      assert.equal(activeConnection(), activeBefore, 'not made active');
      assert.match(h.ui.messages.map(m => m.message).join('\n'), /"Broken" saved, not made active/);

      h.ui.reset();
      h.ui.script(...upToSecret('Abandoned'), { input: 'wrong' }, { input: '' }, { ask: 'Cancel' });
      await vscode.commands.executeCommand('cdfWorkflows.addConnection');
      assert.ok(!connections().some(c => c.name === 'Abandoned'), 'nothing saved');
      assert.equal(await h.api.services.context.secrets.get(`cdfWorkflows.connection/Abandoned/clientSecret`), undefined);
    });

    it('shows the whole sign-in error on the connection with its fix, and Change Secret tests a secret before storing it', async () => {
      const h = harness();
      const root = (await h.api.tree.provider.getChildren(undefined)).find(r => labelOf(r as never) === 'Broken') as unknown as NodeLike;
      assert.ok(root && hasToken(root, 'secret'), 'the connection offers Change Secret...');
      const [error] = await root.getChildren();
      assert.ok(hasToken(error, 'error') && hasToken(error, 'fixSecret'));
      assert.match(tooltipOf(error), /invalid\\?_client[\s\S]*Enter the client secret again with \*Change Secret\.\.\.\*/);

      h.ui.script({ input: 'still-wrong' }, { input: BOT.clientSecret });
      await vscode.commands.executeCommand('cdfWorkflows.changeSecret', error);
      h.ui.assertAllUsed();
      const box = h.ui.prompts[0];
      assert.equal(box.refusals?.length, 1, 'the refused secret kept the box open');
      assert.match(box.refusals?.[0] ?? '', /^Not stored: .*invalid_client/);
      assert.equal(await h.api.services.context.secrets.get(`cdfWorkflows.connection/Broken/clientSecret`), BOT.clientSecret);
      await until(async () => {
        const fresh = (await h.api.tree.provider.getChildren(undefined)).find(r => labelOf(r as never) === 'Broken') as unknown as NodeLike | undefined;
        const [first] = fresh ? await fresh.getChildren() : [];
        return !!first && !hasToken(first, 'error');
      }, 'the connection to load with its new secret');
    });

    it('takes the project from a base URL pasted with its API path', async () => {
      const h = harness();
      added.push('Pasted');
      h.ui.script(
        { input: 'Pasted' },
        { pick: 'Another base URL' },
        { input: `${h.sb.baseUrl}/api/v1/projects/${h.sb.project}/workflows` },
        { input: h.sb.project },
        { pick: 'Client credentials' },
        { pick: 'Token URL' },
        { input: h.sb.tokenUrl },
        { input: BOT.clientId },
        { input: BOT.clientSecret },
        { input: '' },
        { ask: undefined },
      );
      await vscode.commands.executeCommand('cdfWorkflows.addConnection');
      h.ui.assertAllUsed();
      const projectBox = h.ui.prompts[3];
      assert.equal(projectBox.value, h.sb.project, 'the project step is prefilled from the URL');
      assert.equal(connections().find(c => c.name === 'Pasted')?.baseUrl, h.sb.baseUrl, 'the server only');
    });
  });

  describe('the schedule wizard', () => {
    const schedule = (arg?: unknown) => vscode.commands.executeCommand<{ id: string } | undefined>('cdfWorkflows.scheduleWorkflow', arg);

    it('checks a typed secret on its own step, lists every IANA zone, keeps the step count, and speaks of the native route', async () => {
      const h = harness();
      const version = await h.node('report', 'v1');
      h.ui.script(
        { pick: 'Native schedule trigger' },
        { pick: 'Europe/Oslo' },
        { input: '15 6 * * *' },
        { pick: /^\$\(check\) Use / },
        { pick: /^No input/ },
        { pick: 'Enter a client id and secret...' },
        { input: BOT.clientId },
        { input: 'typo-secret' },
        { input: BOT.clientSecret },
        { input: 'report-first-hour' },
        { pick: /Deploy/ },
      );
      const outcome = await schedule(version);
      assert.deepEqual(errors(), []);
      h.ui.assertAllUsed();
      assert.equal(outcome?.id, 'report-first-hour');

      const zones = h.ui.prompts.find(p => /Time zone the cron expression is read in/.test(p.placeholder ?? ''))!;
      assert.ok((zones.labels ?? []).length > 300, 'every IANA zone, to filter by typing');
      assert.ok(zones.labels?.includes('Europe/Oslo') && zones.labels.includes('America/New_York'));
      const secret = h.ui.prompts.find(p => /^Client secret of first-hour-bot/.test(p.prompt ?? ''))!;
      assert.equal(secret.refusals?.length, 1, 'the wrong secret was refused on its step, the box kept open');
      assert.match(secret.refusals?.[0] ?? '', /^Refused: .*invalid_client/);
      // One counter for the whole run: zone, cron and its runs are one step; the credentials pick, id and secret one.
      assert.deepEqual([...new Set(h.ui.prompts.map(p => p.totalSteps))], [6]);
      assert.deepEqual(h.ui.prompts.map(p => p.step), [1, 2, 2, 2, 3, 4, 4, 4, 5, 6]);
      const method = h.ui.prompts[0];
      for (const detail of method.details ?? []) assert.ok(detail.length <= 72, `cut off in the pick: ${detail}`);
      const review = h.ui.prompts[h.ui.prompts.length - 1];
      assert.ok(!(review.details ?? []).some(d => /function secrets/.test(d)), 'no function secrets on the native route');
      assert.ok(review.details?.some(d => /^Its nonce lets CDF start the runs/.test(d)));
      assert.equal(review.active, '$(warning) The input lacks 2 values the version reads', 'Enter lands on the warning, not on Deploy');
      assert.match(infos().join('\n'), /Next run \w{3}, \w{3} \d+, 6:15\s[AP]M GMT\+\d \(Europe\/Oslo\) · \d+:15\s[AP]M UTC/);
    });

    it('takes a time zone IANA knows by another name, typed in the list', async () => {
      const h = harness();
      h.ui.script({ pick: /^v1 · / }, { pick: 'Native schedule trigger' }, { pick: 'US/Eastern' }, { input: '0 7 * * *' }, { pick: /^\$\(check\) Use / }, { pick: /^No input/ }, { pick: /^Client credentials of connection/ }, { input: 'report-eastern' }, { pick: /Deploy/ });
      await schedule(await h.node('report'));
      assert.deepEqual(errors(), []);
      const [t] = (await (await h.client()).triggers.list()).items.filter(x => x.externalId === 'report-eastern');
      assert.equal((t.triggerRule as { timezone?: string }).timezone, 'US/Eastern');
    });

    it('reopens at the review with every answer kept when the deploy fails, and deploys the second time', async () => {
      const h = harness();
      h.sb.faults.add({ method: 'POST', path: '/workflows/triggers', count: 1, kind: 500 });
      h.ui.script(
        { pick: /^v1 · / },
        { pick: 'Native schedule trigger' },
        { pick: 'UTC' },
        { input: '0 5 * * *' },
        { pick: /^\$\(check\) Use / },
        { pick: /^No input/ },
        { pick: /^Client credentials of connection/ },
        { input: 'report-retry' },
        { pick: /Deploy/ },
        { ask: 'Reopen at Review', match: /Create the schedule trigger failed/ },
        { pick: /Deploy/ },
      );
      const outcome = await schedule(await h.node('report'));
      h.ui.assertAllUsed();
      assert.equal(outcome?.id, 'report-retry');
      const reviews = h.ui.prompts.filter(p => /^Review/.test(p.placeholder ?? ''));
      assert.equal(reviews.length, 2, 'the wizard reopened at the review');
      assert.equal(h.ui.prompts.length, 10, 'no other answer was asked again');
    });

    it('shows what each input lacks where it is chosen, and adds the keys to a file on request', async () => {
      const h = harness();
      const file = scratch('schedule-input.json', { runDate: '2026-01-01' });
      await vscode.window.showTextDocument(file);
      h.ui.script(
        { pick: /^v1 · / },
        { pick: 'Native schedule trigger' },
        { pick: 'UTC' },
        { input: '0 5 * * *' },
        { pick: /^\$\(check\) Use / },
        { pick: /^Active editor/ },
        { ask: 'Add Missing Keys' },
        { pick: /^Active editor/ },
        { pick: /^Client credentials of connection/ },
        { input: 'report-keys' },
        { pick: /^\$\(close\) Cancel$/ },
      );
      await schedule(await h.node('report'));
      const inputs = h.ui.prompts.filter(p => /^Input every scheduled run gets/.test(p.placeholder ?? ''));
      assert.equal(inputs.length, 2);
      assert.ok(inputs[0].rows?.includes('No input runs get {} · lacks runDate, site.id'), inputs[0].rows?.join(' | '));
      assert.ok(inputs[0].rows?.some(r => /^Active editor: first-hour\/schedule-input\.json lacks site\.id$/.test(r)), inputs[0].rows?.join(' | '));
      const warning = h.ui.messages.find(m => m.modal)!;
      assert.deepEqual(warning.actions, ['Add Missing Keys', 'Use It Anyway']);
      assert.equal(warning.cancel, 'Choose Another Input');
      // The second time the file has the key (null, for the user to fill): nothing is missing.
      assert.ok(inputs[1].rows?.some(r => r === 'Active editor: first-hour/schedule-input.json'), inputs[1].rows?.join(' | '));
      const doc = vscode.workspace.textDocuments.find(d => d.uri.toString() === file.toString())!;
      assert.deepEqual(JSON.parse(doc.getText()), { runDate: '2026-01-01', site: { id: null } });
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });
  });
});
