// Extension-host benchmark of the tree and the following of executions, each against its budget: activate()
// time, requests per expansion, paging through 10,000 executions, requests per follow interval for 1, 20
// and 200 visible running executions of one version (and reads when one ends), and requests while the view
// is hidden with nothing followed. Run: npm run bench:extension.
// Prints one line per figure and fails when a figure is over its budget.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ManualClock } from '../../../src/sandbox/index';
import { addApprovalWorkflow } from '../support/workflows';
import { executionOf, labelOf, sleep, until, useTreeHarness } from '../tree-fixtures';

const INTERVAL_S = 2;
const LIST = /\/workflows\/executions\/list$/;
const READ = /\/workflows\/executions\/[0-9a-f-]{36}$/;
const FOLLOW_WINDOW_S = 10;
const HIDDEN_WINDOW_S = 30;

interface Figure {
  name: string;
  value: number;
  unit: string;
  budget: number;
}

const figures: Figure[] = [];
function report(name: string, value: number, unit: string, budget: number): void {
  figures.push({ name, value, unit, budget });
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(2);
  console.log(`  bench: ${name}: ${shown} ${unit} (budget ${budget} ${unit})${value > budget ? '  OVER BUDGET' : ''}`);
}

describe('extension benchmark: tree and following', function () {
  this.timeout(600_000);
  const clock = new ManualClock(Date.now());
  const harness = useTreeHarness('Bench', {
    clock,
    limits: { concurrentExecutions: 1000 },
    settings: { 'executions.pageSize': 25, 'follow.minIntervalSeconds': INTERVAL_S, 'follow.maxIntervalSeconds': INTERVAL_S },
  });

  before(async () => {
    const { sb, api, connection } = harness();
    sb.stubFunction('fn-step', { response: { ok: true } });
    for (let i = 0; i < 20; i++) {
      sb.upsertWorkflow({ externalId: `workflow-${String(i).padStart(2, '0')}`, description: `Workflow ${i}` }, [
        { version: '1', workflowDefinition: { tasks: [{ externalId: 'step', type: 'function', parameters: { function: { externalId: 'fn-step' } } }] } },
      ]);
    }
    sb.upsertWorkflow({ externalId: 'history' }, [{ version: '1', workflowDefinition: { tasks: [{ externalId: 'step', type: 'function', parameters: { function: { externalId: 'fn-step' } } }] } }]);
    sb.insertExecutions({ workflowExternalId: 'history', version: '1', count: 10_000 });
    addApprovalWorkflow(sb);
    for (const n of [1, 20, 200]) sb.upsertWorkflow({ externalId: `follow-${n}` }, [{ version: '1', workflowDefinition: { tasks: [{ externalId: 'wait', type: 'function', parameters: { function: { externalId: 'fn-approval' }, isAsyncComplete: true } }] } }]);
    const client = await harness().client();
    await client.executions.run('workflow-00', '1');
    await clock.advance(5000);
    api.tree.refresh({ connection });
  });

  after(() => {
    const over = figures.filter(f => f.value > f.budget);
    console.log(`  bench: ${figures.length} figures, ${over.length} over budget`);
  });

  it('activate()', () => {
    report('activate() time (measured inside activate)', harness().api.activationMs, 'ms', 25);
  });

  it('requests per expansion', async () => {
    const h = harness();
    h.sb.requests.reset();
    const root = await h.node();
    const workflows = await h.children(root);
    report('expand a connection (20+ workflows)', h.count(), 'requests', 1);

    h.sb.requests.reset();
    const wf = workflows.find(w => labelOf(w) === 'workflow-00')!;
    const versions = await h.children(wf);
    report('expand a workflow (versions; Schedules and Triggers load on their own expansion)', h.count(), 'requests', 1);

    h.sb.requests.reset();
    const executions = await h.children(versions[0]);
    report('expand a version (one page of executions)', h.count(), 'requests', 1);

    h.sb.requests.reset();
    await h.children(executions[0]);
    report('expand an execution (its task executions)', h.count(), 'requests', 1);

    h.sb.requests.reset();
    await h.children(versions.find(v => labelOf(v) === 'Triggers')!);
    report('expand the Triggers group', h.count(), 'requests', 1);
  });

  it('a version with 10,000 executions', async () => {
    const h = harness();
    const version = await h.node('history', 'v1');
    h.sb.requests.reset();
    const first = await h.children(version);
    report('10,000 executions: first page', h.count(), 'requests', 1);
    h.sb.requests.reset();
    await vscode.commands.executeCommand('cdfWorkflows.loadMore', first[first.length - 1]);
    const second = await h.children(version);
    report('10,000 executions: Load More', h.count(), 'requests', 1);
    assert.equal(second.length, 51);
  });

  for (const n of [1, 20, 200]) {
    it(`following ${n} visible running execution${n === 1 ? '' : 's'} of one version`, async () => {
      const h = harness();
      // Every one of them on screen: the first page holds them all.
      await vscode.workspace.getConfiguration('cdfWorkflows').update('executions.pageSize', 250, vscode.ConfigurationTarget.Global);
      const client = await h.client();
      const workflow = `follow-${n}`;
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        ids.push((await client.executions.run(workflow, '1')).id);
        // The stubbed function answers on the sandbox clock: let calls finish so their number stays under the limit.
        if (i % 50 === 49) await clock.advance(10);
      }
      await clock.advance(2000);
      const nodes = await h.children(await h.node(workflow, 'v1'));
      assert.equal(nodes.filter(node => executionOf(node).status === 'RUNNING').length, n);
      const tracker = h.api.services.tracker;
      await until(() => ids.every(id => tracker.isFollowing({ connection: h.connection, executionId: id })), `the ${n} running executions to be followed`);

      h.sb.requests.reset();
      await sleep(FOLLOW_WINDOW_S * 1000);
      const intervals = FOLLOW_WINDOW_S / INTERVAL_S;
      const lists = h.count('POST', LIST);
      const reads = h.count('GET', READ);
      console.log(`  bench: (${lists} list requests and ${reads} reads by id in ${FOLLOW_WINDOW_S} s at a ${INTERVAL_S} s interval, ${n} running; other requests: ${h.count() - lists - reads})`);
      report(`following ${n} running: requests per interval while nothing changes`, h.count() / intervals, 'requests', 1);

      // One of them ends: the next interval costs its list and one read of that execution.
      h.sb.requests.reset();
      await client.executions.cancel(ids[0]);
      await until(() => !tracker.isFollowing({ connection: h.connection, executionId: ids[0] }), 'the ended execution to be read');
      report(`following ${n} running: reads when one ends`, h.count('GET', READ), 'requests', 1);

      // Quiet again for the next figure: the rest end, each read once, and the version's loop stops.
      for (const id of ids.slice(1)) await client.executions.cancel(id);
      await until(() => tracker.listedVersions === 0 && tracker.followed.every(f => f.ids.length === 0), 'following to stop');
    });
  }

  it('live labels of running executions on screen', async () => {
    const h = harness();
    // 20 runs that wait for an asynchronous completion: running, their elapsed times moving every second.
    const client = await h.client();
    for (let i = 0; i < 20; i++) await client.executions.run('approval', '1');
    await clock.advance(2000);
    h.api.tree.refresh({ connection: h.connection });
    const version = await h.node('approval', 'v1');
    const nodes = await h.children(version);
    assert.equal(nodes.filter(node => executionOf(node).status === 'RUNNING').length, 20);
    // On screen: VS Code draws the rows of the expanded version.
    await h.api.tree.view.reveal(nodes[0] as never, { select: false, focus: false, expand: false });
    await sleep(1100);
    // Right after a poll of the follower (every 2 s, jittered by at most a fifth), so the window below holds none.
    h.sb.requests.reset();
    await until(() => h.count('POST', LIST) > 0, 'a poll of the running executions');
    h.sb.requests.reset();
    const redrawn = h.api.tree.redrawLiveLabels();
    await sleep(500); // VS Code asks for what the redraw changed
    console.log(`  bench: (${redrawn} rows redrawn on one tick of the label timer)`);
    report('requests made by redrawing the elapsed times of 20 running executions', h.count(), 'requests', 0);
    assert.ok(redrawn > 0, 'the running rows were redrawn');
    for (const node of nodes) await client.executions.cancel(executionOf(node).id);
  });

  it('view hidden, nothing followed', async () => {
    const h = harness();
    await vscode.commands.executeCommand('workbench.view.explorer');
    try {
      await until(() => !h.api.tree.view.visible, 'the view to hide');
      await until(() => h.api.services.tracker.followed.every(f => f.ids.length === 0), 'following to stop');
      h.sb.requests.reset();
      await sleep(HIDDEN_WINDOW_S * 1000);
      report(`requests in ${HIDDEN_WINDOW_S} s with the view hidden and nothing followed`, h.sb.requests.count(), 'requests', 0);
    } finally {
      await vscode.commands.executeCommand('workbench.view.extension.cdfWorkflows');
    }
  });

  it('is within every budget', () => {
    assert.deepEqual(figures.filter(f => f.value > f.budget).map(f => f.name), []);
  });
});
