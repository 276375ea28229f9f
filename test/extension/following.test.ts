// Following at any scale, counted in the sandbox's request log: the running executions a version shows
// cost one executions/list per interval plus one read of each that ended, however many there are; an
// expanded one is read by id for its tasks; a run the user started is read by id, and when its reads keep
// failing the user is told, its node stops spinning and Follow Execution takes it up again.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ManualClock } from '../../src/sandbox/index';
import { addApprovalWorkflow } from './support/workflows';
import { executionOf, hasToken, iconOf, labelOf, type NodeLike, sleep, until, useTreeHarness } from './tree-fixtures';

const INTERVAL_S = 2;
const RUNNING = 200;
const EXECUTIONS_LIST = /\/workflows\/executions\/list$/;
const READ = /\/workflows\/executions\/[0-9a-f-]{36}$/;

describe('following running executions', function () {
  this.timeout(120_000);
  const clock = new ManualClock(Date.now());
  const harness = useTreeHarness('Following', {
    clock,
    limits: { concurrentExecutions: 1000 },
    settings: { 'executions.pageSize': 250, 'follow.minIntervalSeconds': INTERVAL_S, 'follow.maxIntervalSeconds': INTERVAL_S, 'follow.notify': 'always' },
  });
  const ids: string[] = [];

  before(async function () {
    this.timeout(120_000);
    const { sb, api, connection } = harness();
    addApprovalWorkflow(sb);
    sb.upsertWorkflow({ externalId: 'solo' }, [{ version: '1', workflowDefinition: { tasks: [{ externalId: 'wait', type: 'function', parameters: { function: { externalId: 'fn-approval' }, isAsyncComplete: true } }] } }]);
    const client = await harness().client();
    for (let i = 0; i < RUNNING; i++) {
      ids.push((await client.executions.run('approval', '1')).id);
      // The stubbed function answers on the sandbox clock: let calls finish so their number stays under the limit.
      if (i % 50 === 49) await clock.advance(10);
    }
    await clock.advance(2000);
    api.tree.refresh({ connection });
  });

  beforeEach(() => harness().ui.reset());

  /** The tracker's requests while `seconds` pass on the real clock (its timers are real), after `start`. */
  async function during(seconds: number, start?: () => Promise<unknown>): Promise<{ lists: number; reads: string[]; other: number }> {
    const h = harness();
    h.sb.requests.reset();
    await start?.();
    await sleep(seconds * 1000);
    const reads = h.sb.requests.list.filter(r => r.method === 'GET' && READ.test(r.path)).map(r => r.path.split('/').pop()!);
    const lists = h.count('POST', EXECUTIONS_LIST);
    const cancels = h.count('POST', /\/cancel$/);
    return { lists, reads, other: h.count() - lists - reads.length - cancels };
  }

  it(`follows ${RUNNING} visible running executions with one list request per interval and no read by id`, async () => {
    const h = harness();
    const version = await h.node('approval', 'v1');
    const nodes = await h.children(version);
    assert.equal(nodes.filter(n => executionOf(n).status === 'RUNNING').length, RUNNING);
    await until(() => ids.every(id => h.api.services.tracker.isFollowing({ connection: h.connection, executionId: id })), 'every running execution to be followed');
    assert.equal(h.api.services.tracker.listedVersions, 1);

    const window = 5 * INTERVAL_S;
    const quiet = await during(window);
    // Waits are 2 s stretched by up to 20% at random: 4 or 5 lists in 10 s, never one per execution.
    assert.ok(quiet.lists >= window / INTERVAL_S - 1 && quiet.lists <= window / INTERVAL_S, `${quiet.lists} list requests in ${window} s`);
    assert.deepEqual(quiet.reads, [], 'no execution read by id');
    assert.equal(quiet.other, 0);
  });

  it('reads each execution that ended once, and shows it ended', async () => {
    const h = harness();
    const client = await h.client();
    const ended = ids.slice(0, 3);
    const after = await during(2 * INTERVAL_S + 1, async () => {
      for (const id of ended) await client.executions.cancel(id);
    });
    assert.deepEqual([...after.reads].sort(), [...ended].sort(), 'one read for each execution whose status changed');
    assert.ok(after.lists >= 1 && after.lists <= 3, `${after.lists} list requests`);
    const nodes = await h.children(await h.node('approval', 'v1'));
    for (const id of ended) {
      const node = nodes.find(n => executionOf(n).id === id)!;
      assert.equal(labelOf(node), 'Terminated');
      assert.notEqual(iconOf(node), 'sync~spin');
    }
    for (const id of ended) assert.ok(!h.api.services.tracker.isFollowing({ connection: h.connection, executionId: id }));
  });

  it('reads an expanded running execution by id so its tasks stay live, without costing the collapsed ones anything', async () => {
    const h = harness();
    const nodes = await h.children(await h.node('approval', 'v1'));
    const expanded = nodes.find(n => executionOf(n).id === ids[10])!;
    await h.children(expanded); // its children asked for: it is expanded
    const ref = { connection: h.connection, executionId: ids[10] };
    await until(() => h.api.services.tracker.isReadById(ref), 'the expanded execution to be read by id');
    const window = 3 * INTERVAL_S;
    const counted = await during(window);
    assert.ok(counted.reads.length >= 1 && counted.reads.every(id => id === ids[10]), `reads: ${JSON.stringify(counted.reads)}`);
    assert.ok(counted.reads.length <= window / INTERVAL_S, `${counted.reads.length} reads in ${window} s`);
  });

  it('stops following a run the user started when its reads keep failing: says so, stops the spinner, and follows again on request', async () => {
    const h = harness();
    const client = await h.client();
    const run = await client.executions.run('solo', '1');
    await clock.advance(1000);
    const ref = { connection: h.connection, executionId: run.id };
    const version = await h.node('solo', 'v1');
    await vscode.commands.executeCommand('cdfWorkflows.refresh', version);
    const nodeOf = async (): Promise<NodeLike> => (await h.children(await h.node('solo', 'v1'))).find(n => executionOf(n).id === run.id)!;
    assert.equal(iconOf(await nodeOf()), 'sync~spin');

    h.sb.faults.add({ method: 'GET', path: new RegExp(`/workflows/executions/${run.id}$`), count: 1000, kind: 500 });
    void h.api.services.tracker.follow(ref, run);
    const warning = await h.ui.waitForMessage(/^Stopped following the run of solo@1/, 60_000);
    assert.equal(warning.kind, 'warning');
    assert.match(warning.message, /5 reads in a row failed\. It may still be running in CDF\./);
    assert.deepEqual(warning.actions, ['Follow Again', 'Show Log']);
    assert.equal(h.api.services.tracker.stoppedFollowing(ref)?.user, true);
    const stopped = await nodeOf();
    assert.equal(iconOf(stopped), 'debug-disconnect', 'the node no longer spins');
    assert.ok(hasToken(stopped, 'unfollowed'));
    assert.match(String(stopped.getTreeItem().description), /^not followed/);
    assert.equal(stopped.getTreeItem().contextValue?.includes('running'), true);

    // Follow Execution (the node's action) takes it up again; it then ends and says so.
    h.sb.faults.clear();
    await vscode.commands.executeCommand('cdfWorkflows.followExecution', stopped);
    assert.equal(h.api.services.tracker.stoppedFollowing(ref), undefined);
    assert.ok(h.api.services.tracker.isFollowedByUser(ref));
    await until(async () => iconOf(await nodeOf()) === 'sync~spin', 'the node to spin again');
    await client.executions.cancel(run.id);
    await h.ui.waitForMessage(/^Run of solo@1 terminated/, 30_000);
  });

  it('stops listing a version once it is collapsed, and lists it again when it is expanded', async () => {
    const h = harness();
    const version = await h.node('approval', 'v1');
    await h.api.tree.view.reveal(version as never, { expand: true });
    await until(() => h.api.services.tracker.listedVersions > 0, 'the version to be listed');
    await vscode.commands.executeCommand('workbench.actions.treeView.cdfWorkflows.explorer.collapseAll');
    await until(() => h.api.services.tracker.listedVersions === 0, 'listing to stop');
    const counted = await during(2 * INTERVAL_S + 1);
    assert.equal(counted.lists, 0);
    await h.api.tree.view.reveal(version as never, { expand: true });
    await until(() => h.api.services.tracker.listedVersions > 0, 'listing to resume');
  });
});
