// Extension-host benchmark of the tree and the following of executions, each against its budget: activate()
// time, requests per expansion, paging through 10,000 executions, requests while following 20 running
// executions, and requests while the view is hidden with nothing followed. Run: npm run bench:extension.
// Prints one line per figure and fails when a figure is over its budget.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ManualClock } from '../../../src/sandbox/index';
import { addApprovalWorkflow } from '../support/workflows';
import { executionOf, labelOf, sleep, until, useTreeHarness } from '../tree-fixtures';

const INTERVAL_S = 2;
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
    const version = await h.node('history', '1');
    h.sb.requests.reset();
    const first = await h.children(version);
    report('10,000 executions: first page', h.count(), 'requests', 1);
    h.sb.requests.reset();
    await vscode.commands.executeCommand('cdfWorkflows.loadMore', first[first.length - 1]);
    const second = await h.children(version);
    report('10,000 executions: Load More', h.count(), 'requests', 1);
    assert.equal(second.length, 51);
  });

  it('following 20 running executions', async () => {
    const h = harness();
    const client = await h.client();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await client.executions.run('approval', '1')).id);
    await clock.advance(2000);
    const version = await h.node('approval', '1');
    const nodes = await h.children(version);
    assert.equal(nodes.filter(n => executionOf(n).status === 'RUNNING').length, 20);
    await until(() => ids.every(id => h.api.services.tracker.isFollowing({ connection: h.connection, executionId: id })), 'the 20 running executions to be followed');
    h.sb.requests.reset();
    await sleep(FOLLOW_WINDOW_S * 1000);
    const reads = h.count('GET', /\/workflows\/executions\/[0-9a-f-]{36}$/);
    const intervals = FOLLOW_WINDOW_S / INTERVAL_S;
    console.log(`  bench: (${reads} reads of 20 running executions in ${FOLLOW_WINDOW_S} s at a ${INTERVAL_S} s interval; other requests: ${h.count() - reads})`);
    report('following 20 running executions: reads per execution per interval', reads / 20 / intervals, 'requests', 1);
    report('following 20 running executions: other requests', h.count() - reads, 'requests', 0);
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
