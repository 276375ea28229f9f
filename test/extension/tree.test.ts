// The workflows tree read from its provider in a real extension host, against a sandbox on a manual
// clock: labels, descriptions, icons, context values and tooltips from a connection down to the tasks
// of an execution; paging through 10,000 executions; the status filter; an error node and its retry;
// reveal; live updates of one node while the view shows and no requests while it is hidden; the
// Schedules and Triggers groups.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Execution } from '../../src/core/schemas/executions';
import { ManualClock } from '../../src/sandbox/index';
import { addApprovalWorkflow, addFlakyWorkflow, transformationTask } from './support/workflows';
import { executionHelpers, executionOf, hasToken, iconOf, labelOf, sleep, tooltipOf, until, useTreeHarness } from './tree-fixtures';

const EXECUTIONS_LIST = /\/workflows\/executions\/list$/;
const EXECUTION_GET = /\/workflows\/executions\/[0-9a-f-]{36}$/;

describe('workflows tree', function () {
  this.timeout(60_000);
  const clock = new ManualClock(Date.now());
  const harness = useTreeHarness('Tree', { clock, settings: { 'executions.pageSize': 25, 'follow.minIntervalSeconds': 1, 'follow.maxIntervalSeconds': 1 } });

  /**
   * Runs `counted` with a one-minute follow interval: the tracker's polls of executions still running from
   * earlier tests would otherwise land among the requests a test counts on a slow machine.
   */
  async function withoutPolls(counted: () => Promise<void>): Promise<void> {
    const follow = vscode.workspace.getConfiguration('cdfWorkflows');
    await follow.update('follow.maxIntervalSeconds', 60, vscode.ConfigurationTarget.Global);
    await follow.update('follow.minIntervalSeconds', 60, vscode.ConfigurationTarget.Global);
    try {
      await counted();
    } finally {
      await follow.update('follow.minIntervalSeconds', 1, vscode.ConfigurationTarget.Global);
      await follow.update('follow.maxIntervalSeconds', 1, vscode.ConfigurationTarget.Global);
    }
  }
  let finished: Execution;
  let running: Execution;

  const { run } = executionHelpers(harness);

  before(async () => {
    const { sb } = harness();
    sb.stubFunction('fn-plan', { response: { tasks: [transformationTask('child-a', 'tr-a'), transformationTask('child-b', 'tr-b', { retries: 2 })] } });
    sb.upsertWorkflow({ externalId: 'asset-sync', description: 'Sync [assets](https://example.com) <b>daily</b>', dataSetId: 42 }, [
      { version: '1', workflowDefinition: { tasks: [{ externalId: 'ping', type: 'cdf', parameters: { cdfRequest: { resourcePath: '/workflows', method: 'GET' } } }] } },
    ]);
    await clock.advance(1000);
    sb.upsertWorkflow({ externalId: 'asset-sync', description: 'Sync [assets](https://example.com) <b>daily</b>', dataSetId: 42 }, [
      {
        version: '2',
        workflowDefinition: {
          description: 'Plans per-site children, then publishes',
          tasks: [
            { externalId: 'plan', type: 'function', parameters: { function: { externalId: 'fn-plan' } } },
            { externalId: 'fan', type: 'dynamic', parameters: { dynamic: { tasks: '${plan.output.response.tasks}' } }, dependsOn: [{ externalId: 'plan' }] },
            transformationTask('publish', 'tr-publish', { dependsOn: [{ externalId: 'fan' }] }),
          ],
        },
      },
    ]);
    addApprovalWorkflow(sb);
    addFlakyWorkflow(sb, { status: 'Failed', error: 'the source system was down' });
    sb.upsertWorkflow({ externalId: 'history' }, [{ version: '1', workflowDefinition: { tasks: [transformationTask('load', 'tr-load')] } }]);
    sb.insertExecutions({ workflowExternalId: 'history', version: '1', count: 10_000 });
    sb.upsertWorkflow({ externalId: 'reveal-me' }, [{ version: '1', workflowDefinition: { tasks: [transformationTask('load', 'tr-load')] } }]);

    finished = await run('asset-sync', '2');
    await clock.advance(60_000);
    running = await run('asset-sync', '2');
    // The view may have listed the workflows while they were being created.
    harness().api.tree.refresh({ connection: harness().connection });
  });

  it('shows the workflows of a connection with description and data set, and their versions newest first', async () => {
    const h = harness();
    h.sb.requests.reset();
    const root = await h.node();
    assert.ok(hasToken(root, 'connection') && hasToken(root, 'refreshable'));
    const workflows = await h.children(root);
    assert.deepEqual(workflows.map(labelOf), ['approval', 'asset-sync', 'flaky', 'history', 'reveal-me']);
    assert.equal(h.count('GET', /\/workflows$/), 1, 'one request lists the workflows');

    const assetSync = workflows[1];
    const item = assetSync.getTreeItem();
    assert.equal(item.description, 'Sync [assets](https://example.com) <b>daily</b> · data set 42');
    assert.equal(iconOf(assetSync), 'type-hierarchy');
    for (const token of ['workflow', 'refreshable', 'schedulable']) assert.ok(hasToken(assetSync, token), token);
    // User text is escaped: no link and no HTML in the tooltip.
    const tip = tooltipOf(assetSync);
    assert.ok(tip.includes('Sync \\[assets\\](https://example.com) \\<b\\>daily\\</b\\>'), tip);
    assert.match(tip, /Data set: `42`/);

    h.sb.requests.reset();
    const versions = await h.children(assetSync);
    assert.deepEqual(versions.map(labelOf), ['v2', 'v1', 'Schedules', 'Triggers']);
    assert.equal(h.count(), 1, 'expanding a workflow costs one request; Schedules and Triggers wait until expanded');
    const v2 = versions[0];
    assert.match(String(v2.getTreeItem().description), /^3 tasks · updated (now|\d+ seconds ago|\d+ minutes? ago)$/);
    // Read as one line, never "2 3 tasks".
    assert.match(v2.getTreeItem().accessibilityInformation?.label ?? '', /^v2 · 3 tasks · updated /);
    assert.equal(iconOf(v2), 'versions');
    for (const token of ['version', 'schedulable', 'refreshable']) assert.ok(hasToken(v2, token), token);
    assert.match(tooltipOf(v2), /Plans per-site children, then publishes/);
    assert.match(tooltipOf(v2), /`fan` dynamic after `plan`/);
    assert.equal(v2.getTreeItem().collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
  });

  it('loads a node once when the view and another caller expand it at the same time', async () => {
    const h = harness();
    const version = await h.node('asset-sync', 'v2');
    await vscode.commands.executeCommand('cdfWorkflows.refresh', version);
    h.sb.requests.reset();
    const [a, b] = await Promise.all([version.getChildren(), version.getChildren()]);
    assert.equal(h.count('POST', EXECUTIONS_LIST), 1, 'one page request for both');
    assert.deepEqual(a.map(n => n.id), b.map(n => n.id));
    await vscode.commands.executeCommand('cdfWorkflows.refresh', version); // as it was for the next test
  });

  it('lists executions newest first in one request: status, relative start and duration, spinning while running', async () => {
    const h = harness();
    h.sb.requests.reset();
    const executions = await h.children(await h.node('asset-sync', 'v2'));
    assert.equal(h.count('POST', EXECUTIONS_LIST), 1);
    assert.equal(h.count('GET', EXECUTION_GET), 0, 'the list summaries spare a first read of the running execution');
    assert.deepEqual(executions.map(n => executionOf(n).id), [running.id, finished.id]);

    const [r, f] = executions;
    assert.equal(labelOf(r), 'Running');
    assert.equal(iconOf(r), 'sync~spin');
    for (const token of ['execution', 'running', 'cancelable']) assert.ok(hasToken(r, token), token);
    assert.ok(!hasToken(r, 'retryable'));
    assert.match(tooltipOf(r), new RegExp(`Execution id \`${running.id}\``));

    assert.equal(labelOf(f), 'Completed');
    assert.equal(iconOf(f), 'pass');
    // Relative time in words (Intl), duration, and what started it (the extension's client puts its run id in).
    assert.match(String(f.getTreeItem().description), /^(now|\d+ seconds ago|\d+ minutes? ago) · \d+s · run from VS Code$/);
    assert.ok(hasToken(f, 'execution') && !hasToken(f, 'cancelable') && !hasToken(f, 'retryable') && !hasToken(f, 'running'));
    assert.match(tooltipOf(f), /Took \d+s/);
  });

  it('shows the tasks of an execution (type, duration, status) with dynamic children under their parent', async () => {
    const h = harness();
    const completed = (await h.children(await h.node('asset-sync', 'v2'))).find(n => executionOf(n).id === finished.id)!;
    h.sb.requests.reset();
    const tasks = await h.children(completed);
    assert.equal(h.count('GET', new RegExp(`/workflows/executions/${finished.id}$`)), 1, 'one request reads the details');
    assert.deepEqual(tasks.map(labelOf), ['plan', 'fan', 'publish']);
    const [plan, fan, publish] = tasks;
    // Every status in words, not only the icon.
    assert.match(String(plan.getTreeItem().description), /^Completed · function · \d+ms$/);
    assert.equal(iconOf(plan), 'pass');
    assert.ok(hasToken(plan, 'task') && hasToken(plan, 'functionCall') && !hasToken(plan, 'asyncWaiting'));
    assert.match(tooltipOf(plan), /Function call `\d+` of function `\d+`/);
    assert.match(String(publish.getTreeItem().description), /^Completed · transformation · 4s$/);
    assert.ok(hasToken(publish, 'task') && !hasToken(publish, 'functionCall'));
    assert.equal(fan.getTreeItem().collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);

    h.sb.requests.reset();
    const children = await h.children(fan);
    assert.equal(h.count(), 0, 'children of a dynamic task come with the details');
    assert.deepEqual(children.map(labelOf), ['child-a', 'child-b']);
    assert.equal(children[0].parent?.id, fan.id);
    assert.match(tooltipOf(children[1]), /Started by `fan`/);
    assert.match(tooltipOf(children[1]), /Retries allowed: 2/);
    assert.equal(api().tree.provider.getParent(children[0] as never), fan as never);
  });

  it('marks a waiting async task asyncWaiting, and a failed execution retryable with the reason on its task', async () => {
    const h = harness();
    const waiting = await run('approval', '1');
    const failed = await run('flaky', '1');
    await clock.advance(2000);
    const approvalRuns = await h.children(await h.node('approval', 'v1'));
    const tasks = await h.children(approvalRuns.find(n => executionOf(n).id === waiting.id)!);
    const wait = tasks.find(t => labelOf(t) === 'wait')!;
    for (const token of ['task', 'asyncWaiting', 'functionCall']) assert.ok(hasToken(wait, token), token);
    assert.equal(iconOf(wait), 'sync~spin');
    assert.match(String(wait.getTreeItem().description), /^Waiting for completion · function · /);

    const flaky = (await h.children(await h.node('flaky', 'v1'))).find(n => executionOf(n).id === failed.id)!;
    assert.equal(labelOf(flaky), 'Failed');
    assert.equal(iconOf(flaky), 'error');
    assert.ok(hasToken(flaky, 'retryable') && !hasToken(flaky, 'cancelable'));
    const [step] = await h.children(flaky);
    assert.equal(iconOf(step), 'error');
    assert.match(String(step.getTreeItem().description), /^Failed · function · .*the source system was down/);
    assert.match(tooltipOf(flaky), /Reason: /);
  });

  it('pages through 10,000 executions: one request for the first page, one more for Load More', async () => {
    const h = harness();
    h.sb.requests.reset();
    const version = await h.node('history', 'v1');
    let children = await h.children(version);
    assert.equal(h.count('POST', EXECUTIONS_LIST), 1);
    assert.equal(children.length, 26);
    const more = children[25];
    assert.equal(labelOf(more), 'Load More...');
    assert.ok(hasToken(more, 'loadMore'));
    assert.equal(more.getTreeItem().command?.command, 'cdfWorkflows.loadMore');
    const created = children.slice(0, 25).map(n => executionOf(n).createdTime);
    assert.deepEqual(created, [...created].sort((a, b) => b - a), 'newest first');

    await vscode.commands.executeCommand('cdfWorkflows.loadMore', more);
    children = await h.children(version);
    assert.equal(h.count('POST', EXECUTIONS_LIST), 2, 'Load More costs one request and page one is not read again');
    assert.equal(children.length, 51);
    assert.equal(new Set(children.slice(0, 50).map(n => executionOf(n).id)).size, 50);
    assert.ok(executionOf(children[25]).createdTime <= executionOf(children[24]).createdTime);
  });

  it('loads a page once when Load More is clicked again while it loads: no execution listed twice', async () => {
    const h = harness();
    await withoutPolls(async () => {
      const version = await h.node('history', 'v1');
      await vscode.commands.executeCommand('cdfWorkflows.refresh', version);
      const first = await h.children(version);
      const more = first[first.length - 1];
      h.sb.requests.reset();
      // A slow page: the second click comes while the first is still loading.
      h.sb.faults.add({ method: 'POST', path: EXECUTIONS_LIST, count: 1, kind: 'delay', delayMs: 1500 });
      const clicks = [vscode.commands.executeCommand('cdfWorkflows.loadMore', more)];
      await until(() => labelOf(more) === 'Loading More...', 'the page to load');
      assert.equal(more.getTreeItem().command, undefined, 'no command while the page loads');
      clicks.push(vscode.commands.executeCommand('cdfWorkflows.loadMore', more));
      await Promise.all(clicks);
      const children = await h.children(version);
      assert.equal(h.count('POST', EXECUTIONS_LIST), 1, 'one request for the page');
      assert.equal(children.length, 51);
      const ids = children.map(n => n.id);
      assert.equal(new Set(ids).size, ids.length, 'no tree id twice');
      assert.equal(labelOf(children[50]), 'Load More...');
    });
  });

  it('filters the executions of every version by status, shows it in the view and remembers it', async () => {
    const h = harness();
    const api = h.api;
    const history = await h.node('history', 'v1');
    await h.children(history);
    h.sb.requests.reset();
    h.ui.script({ pick: 'Failed' });
    await vscode.commands.executeCommand('cdfWorkflows.filterExecutions');
    h.ui.assertAllUsed();
    // Shown where a returning user looks: the view's description, a message above the tree, a Clear action.
    assert.equal(api.tree.view.description, 'Failed only');
    assert.match(api.tree.view.message ?? '', /^Showing failed executions only\./);
    assert.equal(api.services.context.workspaceState.get('cdfWorkflows.executionFilter'), 'failed');
    let children = await h.children(history);
    assert.equal(children.length, 26);
    assert.ok(children.slice(0, 25).every(n => labelOf(n) === 'Failed' && iconOf(n) === 'error'));
    const flaky = await h.children(await h.node('flaky', 'v1'));
    assert.ok(flaky.length > 0 && flaky.every(n => labelOf(n) === 'Failed'));
    const approval = await h.children(await h.node('approval', 'v1'));
    assert.deepEqual(approval.map(labelOf), ['No failed executions']);

    h.ui.script({ pick: 'Not completed' });
    await vscode.commands.executeCommand('cdfWorkflows.filterExecutions');
    children = await h.children(history);
    assert.deepEqual(new Set(children.slice(0, 25).map(labelOf)), new Set(['Failed', 'Terminated', 'Timed out']));
    assert.equal(api.tree.view.description, 'Not completed only');

    await vscode.commands.executeCommand('cdfWorkflows.clearExecutionFilter');
    assert.equal(api.tree.view.description, undefined);
    assert.equal(api.tree.view.message, undefined);
    assert.equal(api.services.context.workspaceState.get('cdfWorkflows.executionFilter'), undefined);
    assert.ok((await h.children(history)).slice(0, 25).some(n => labelOf(n) === 'Completed'));
  });

  it('shows a failed load as an error node with Retry Loading while the rest of the tree stays', async () => {
    const h = harness();
    const version = await h.node('asset-sync', 'v1');
    h.sb.faults.add({ method: 'POST', path: '/workflows/executions/list', count: 1, kind: 500 });
    await vscode.commands.executeCommand('cdfWorkflows.refresh', version);
    const [error, ...rest] = await h.children(version);
    assert.equal(rest.length, 0);
    assert.ok(hasToken(error, 'error'));
    assert.equal(iconOf(error), 'error');
    assert.match(labelOf(error), /500/);
    assert.match(tooltipOf(error), /Retry Loading/);
    // The rest of the tree is intact.
    assert.deepEqual((await h.children(await h.node('asset-sync'))).map(labelOf), ['v2', 'v1', 'Schedules', 'Triggers']);
    assert.equal((await h.children(await h.node('asset-sync', 'v2'))).length, 2);

    await vscode.commands.executeCommand('cdfWorkflows.retryNode', error);
    const children = await h.children(version);
    assert.deepEqual(children.map(labelOf), ['No executions yet']);
  });

  it('reveals a new execution first under its version without reloading the page, and selects it', async () => {
    const h = harness();
    await withoutPolls(() => revealsWithoutReloading(h));
  });

  async function revealsWithoutReloading(h: ReturnType<typeof harness>): Promise<void> {
    const api = h.api;
    // Loaded version: no request at all.
    await h.children(await h.node('asset-sync', 'v2'));
    const fresh = await run('asset-sync', '2');
    h.sb.requests.reset();
    await api.tree.revealExecution({ connection: h.connection, executionId: fresh.id }, fresh);
    // Nothing but the follow loops' own polls of running executions (a loaded machine may hit one).
    const isPoll = (r: { method: string; path: string }) => {
      const id = /\/workflows\/executions\/([0-9a-f-]{36})$/.exec(r.path)?.[1];
      return r.method === 'GET' && id !== undefined && api.services.tracker.isFollowing({ connection: h.connection, executionId: id });
    };
    const made = h.sb.requests.list.filter(r => !/\/oauth2\//.test(r.path) && !isPoll(r));
    assert.deepEqual(made.map(r => `${r.method} ${r.path}`), []);
    const first = (await h.children(await h.node('asset-sync', 'v2')))[0];
    assert.equal(executionOf(first).id, fresh.id);
    await until(() => api.tree.view.selection.some(n => n.id === first.id), 'the new execution to be selected');

    // A version never expanded: the one page request.
    await h.children(await h.node('reveal-me'));
    const other = await run('reveal-me', '1');
    h.sb.requests.reset();
    await api.tree.revealExecution({ connection: h.connection, executionId: other.id }, other);
    assert.equal(h.count(), 1);
    assert.equal(h.count('POST', EXECUTIONS_LIST), 1);
    const revealed = (await h.children(await h.node('reveal-me', 'v1')))[0];
    assert.equal(executionOf(revealed).id, other.id);
    await until(() => api.tree.view.selection.some(n => n.id === revealed.id), 'the execution to be selected');
    assert.equal(api.tree.provider.getParent(revealed as never)?.id, (await h.node('reveal-me', 'v1')).id);
  }

  it('updates only the node of a running execution in place while the view shows', async () => {
    const h = harness();
    const api = h.api;
    const waiting = await run('approval', '1');
    await clock.advance(2000);
    const version = await h.node('approval', 'v1');
    await vscode.commands.executeCommand('cdfWorkflows.refresh', version);
    const node = (await h.children(version)).find(n => executionOf(n).id === waiting.id)!;
    await until(() => api.services.tracker.isFollowing({ connection: h.connection, executionId: waiting.id }), 'the tree to follow the running execution');
    const [wait] = await h.children(node);
    const fired: (string | undefined)[] = [];
    const sub = api.tree.provider.onDidChangeTreeData(n => fired.push(n?.id));
    try {
      await (await h.client()).tasks.update((wait as unknown as { task: { id: string } }).task.id, 'COMPLETED', { output: { approvedBy: 'jane' } });
      await clock.advance(10_000);
      await until(() => labelOf(node) === 'Completed', 'the node to show the execution completed');
    } finally {
      sub.dispose();
    }
    assert.ok(fired.includes(node.id));
    // Other executions on the clock change too; never a version, a workflow or the whole tree.
    assert.ok(fired.every(id => id !== undefined && /\/x\/[0-9a-f-]{36}$/.test(id)), `only execution nodes changed, got ${JSON.stringify(fired)}`);
    assert.equal(iconOf(node), 'pass');
    assert.ok(!hasToken(node, 'cancelable'));
    h.sb.requests.reset();
    const tasks = await h.children(node);
    assert.equal(h.count(), 0, 'the followed state carries the tasks');
    assert.deepEqual(tasks.map(t => [labelOf(t), iconOf(t)]), [['wait', 'pass'], ['release', 'pass']]);
  });

  it('reads nothing while the view is hidden and nothing is followed, and follows again when it shows', async () => {
    const h = harness();
    const api = h.api;
    const waiting = await run('approval', '1');
    await clock.advance(2000);
    const ref = { connection: h.connection, executionId: waiting.id };
    await vscode.commands.executeCommand('cdfWorkflows.refresh', await h.node('approval', 'v1'));
    await h.children(await h.node('approval', 'v1'));
    await until(() => api.services.tracker.isFollowing(ref), 'the tree to follow the running execution');
    await vscode.commands.executeCommand('workbench.view.explorer');
    try {
      await until(() => !api.tree.view.visible, 'the view to hide');
      await until(() => api.services.tracker.followed.every(f => f.ids.length === 0), 'following to stop');
      h.sb.requests.reset();
      await sleep(3500); // three and a half poll intervals
      assert.equal(h.count(), 0);
    } finally {
      await vscode.commands.executeCommand('workbench.view.extension.cdfWorkflows');
    }
    await until(() => api.tree.view.visible, 'the view to show');
    await until(() => api.services.tracker.isFollowing(ref), 'following to resume');
    // The version's running executions are listed again (one request for all of them), not read one by one.
    await until(() => h.count('POST', EXECUTIONS_LIST) > 0, 'a list of the running executions');
    assert.equal(h.count('GET', new RegExp(`/workflows/executions/${waiting.id}$`)), 0);
  });

  it('shows the triggers and the function schedules of a workflow only when expanded, reading schedule data once', async () => {
    const h = harness();
    const client = await h.client();
    h.sb.stubFunction('workflow-trigger', { response: {} });
    const [fn] = await client.functions.list({ filter: { externalIdPrefix: 'workflow-trigger' } });
    await client.functionSchedules.create({ name: 'nightly asset-sync', cronExpression: '0 2 * * *', functionId: fn.id, data: { workflowExternalId: 'asset-sync', version: '2', input: { full: true } } });
    await client.functionSchedules.create({ name: 'history backfill', cronExpression: '30 3 * * 1', functionId: fn.id, data: { workflowExternalId: 'history', version: '1' } });
    await client.triggers.upsert({
      externalId: 'asset-sync-hourly',
      triggerRule: { triggerType: 'schedule', cronExpression: '0 * * * *', timezone: 'Europe/Oslo' },
      workflowExternalId: 'asset-sync',
      workflowVersion: '2',
      input: { since: '1h' },
    });
    await client.triggers.pause('asset-sync-hourly');
    await client.triggers.upsert({ externalId: 'history-daily', triggerRule: { triggerType: 'schedule', cronExpression: '0 6 * * *' }, workflowExternalId: 'history', workflowVersion: '1' });
    await vscode.commands.executeCommand('cdfWorkflows.refresh', await h.node('asset-sync'));

    h.sb.requests.reset();
    const children = await h.children(await h.node('asset-sync'));
    const [schedules, triggers] = children.slice(-2);
    assert.equal(h.count(), 1, 'the groups load only when expanded');
    assert.ok(hasToken(schedules, 'refreshable') && hasToken(triggers, 'refreshable'));

    h.sb.requests.reset();
    const [trigger, ...noMore] = await h.children(triggers);
    assert.equal(noMore.length, 0);
    assert.equal(h.count(), 1);
    assert.equal(labelOf(trigger), 'asset-sync-hourly');
    assert.equal(trigger.getTreeItem().description, '0 * * * * Europe/Oslo · v2 · paused');
    assert.ok(hasToken(trigger, 'trigger') && hasToken(trigger, 'paused'));
    assert.match(tooltipOf(trigger), /"since": "1h"/);

    h.sb.requests.reset();
    const [schedule, ...none] = await h.children(schedules);
    assert.equal(none.length, 0);
    assert.equal(labelOf(schedule), 'nightly asset-sync');
    assert.match(String(schedule.getTreeItem().description), /^0 2 \* \* \* · v2/);
    assert.match(tooltipOf(schedule), /"full": true/);
    assert.equal(h.count('GET', /\/functions\/schedules$/), 1);
    assert.equal(h.count('GET', /\/input_data$/), 2, 'each schedule read once');

    h.sb.requests.reset();
    const historySchedules = (await h.children(await h.node('history'))).find(n => labelOf(n) === 'Schedules')!;
    assert.deepEqual((await h.children(historySchedules)).map(labelOf), ['history backfill']);
    assert.equal(h.count('GET', /\/input_data$/), 0, 'schedule data is cached for the session');
    const historyTriggers = (await h.children(await h.node('history'))).find(n => labelOf(n) === 'Triggers')!;
    const [daily] = await h.children(historyTriggers);
    assert.equal(daily.getTreeItem().description, '0 6 * * * UTC · v1 · active');
    const flakyGroups = (await h.children(await h.node('flaky'))).slice(-2);
    assert.deepEqual((await h.children(flakyGroups[0])).map(labelOf), ['No schedules for this workflow']);
    assert.deepEqual((await h.children(flakyGroups[1])).map(labelOf), ['No triggers for this workflow']);
  });

  it('refreshes everything from the view title', async () => {
    const h = harness();
    await h.children(await h.node('asset-sync'));
    h.sb.requests.reset();
    await vscode.commands.executeCommand('cdfWorkflows.refresh');
    await h.children(await h.node('asset-sync'));
    assert.equal(h.count('GET', /\/workflows$/), 1);
    assert.equal(h.count('POST', /\/workflows\/versions\/list$/), 1);
  });

  function api() {
    return harness().api;
  }
});
