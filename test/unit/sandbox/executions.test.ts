/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- response bodies are read loosely once the harness has checked them against the spec */
import * as assert from 'node:assert/strict';
import { ManualClock } from '../../../src/sandbox';
import { Harness } from './harness';

const tr = (externalId: string, transformation: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  externalId,
  type: 'transformation',
  parameters: { transformation: { externalId: transformation } },
  ...extra,
});
const fnTask = (externalId: string, fn: string, extra: Record<string, unknown> = {}, data?: unknown): Record<string, unknown> => ({
  externalId,
  type: 'function',
  parameters: { function: { externalId: fn, ...(data !== undefined ? { data } : {}) } },
  ...extra,
});

const PLANNER = `
def handle(data, client, secrets, function_call_info):
    print("planning", data["sites"])
    return {"tasks": [
        {"externalId": "site-" + s, "type": "transformation", "parameters": {"transformation": {"externalId": "tr-" + s}}}
        for s in data["sites"]
    ]}
`;

describe('sandbox executions and the engine', function () {
  this.timeout(30_000);
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  let h: Harness;
  before(async () => {
    h = await Harness.start({ clock, functionDeployMs: { queued: 500, deploying: 500 } });
    await h.deployFunction('fn-plan', { 'handler.py': PLANNER });
    await clock.advance(1000);
  });
  after(async () => {
    await h?.close();
  });

  const byId = (e: any, id: string): any => e.executedTasks.find((t: any) => t.externalId === id);

  it('runs every task type to its end: function (python), cdf, transformation, dynamic, inline and referenced subworkflows, simulation', async () => {
    await h.upsertWorkflow('child');
    await h.upsertVersion('child', '1', [tr('child-a', 'tr-child-a'), tr('child-b', 'tr-child-b', { dependsOn: [{ externalId: 'child-a' }] })]);
    await h.upsertWorkflow('all-types');
    await h.upsertVersion('all-types', '1', [
      { externalId: 'read', type: 'cdf', parameters: { cdfRequest: { resourcePath: '/workflows/child', method: 'GET' } } },
      fnTask('plan', 'fn-plan', { dependsOn: [{ externalId: 'read' }] }, { sites: '${workflow.input.sites}', from: '${read.output.response.externalId}' }),
      { externalId: 'fan-out', type: 'dynamic', parameters: { dynamic: { tasks: '${plan.output.response.tasks}' } }, dependsOn: [{ externalId: 'plan' }] },
      { externalId: 'by-ref', type: 'subworkflow', parameters: { subworkflow: { workflowExternalId: 'child', version: '1' } }, dependsOn: [{ externalId: 'fan-out' }] },
      {
        externalId: 'inline',
        type: 'subworkflow',
        parameters: { subworkflow: { tasks: [tr('in-1', 'tr-in-1'), tr('in-2', 'tr-in-2', { dependsOn: [{ externalId: 'in-1' }] })] } },
        dependsOn: [{ externalId: 'fan-out' }],
      },
      { externalId: 'simulate', type: 'simulation', parameters: { simulation: { routineExternalId: 'routine-1' } }, dependsOn: [{ externalId: 'inline' }] },
    ]);
    const run = await h.run('all-types', '1', { sites: ['oslo', 'bergen'] });
    await clock.advance(60_000);
    const e = await h.execution(run.id);
    assert.equal(e.status, 'COMPLETED', JSON.stringify(e.executedTasks.map((t: any) => [t.externalId, t.status, t.reasonForIncompletion])));
    assert.equal(byId(e, 'read').output.statusCode, 200);
    const plan = byId(e, 'plan');
    assert.deepEqual(plan.input.function.data, { sites: ['oslo', 'bergen'], from: 'child' }, 'references resolved in the recorded input');
    assert.equal(plan.output.response.tasks.length, 2);
    assert.ok(plan.output.callId && plan.output.functionId);
    assert.deepEqual(byId(e, 'fan-out').output.dynamicTasks.map((t: any) => t.externalId), ['site-oslo', 'site-bergen']);
    assert.equal(byId(e, 'site-oslo').parentTaskExternalId, 'fan-out');
    assert.equal(byId(e, 'child-b').parentTaskExternalId, 'by-ref');
    assert.equal(byId(e, 'in-2').parentTaskExternalId, 'inline');
    assert.ok(byId(e, 'simulate').output.runId);
    for (const t of e.executedTasks) assert.equal(t.status, 'COMPLETED', t.externalId);
    const logs = await h.call('GET', `/functions/${plan.output.functionId}/calls/${plan.output.callId}/logs`);
    assert.deepEqual(logs.body.items.map((l: any) => l.message), ["planning ['oslo', 'bergen']"]);
  });

  it('answers 202 with a RUNNING summary and echoes metadata in list and details', async () => {
    await h.upsertWorkflow('meta');
    await h.upsertVersion('meta', '1', [tr('t', 'tr-meta')]);
    const r = await h.call('POST', '/workflows/meta/versions/1/run', { authentication: { nonce: await h.nonce() }, input: { a: 1 }, metadata: { ticket: 'OPS-1' } });
    assert.equal(r.status, 202);
    assert.equal(r.body.status, 'RUNNING');
    assert.deepEqual(r.body.metadata, { ticket: 'OPS-1' });
    const details = await h.execution(r.body.id);
    assert.deepEqual(details.input, { a: 1 });
    assert.deepEqual(details.metadata, { ticket: 'OPS-1' });
  });

  it('refuses a reused, unknown or expired nonce, and an input over 100 KB', async () => {
    await h.upsertWorkflow('nonces');
    await h.upsertVersion('nonces', '1', [tr('t', 'tr-n')]);
    const nonce = await h.nonce();
    const path = '/workflows/nonces/versions/1/run';
    assert.equal((await h.call('POST', path, { authentication: { nonce } })).status, 202);
    const reused = await h.call('POST', path, { authentication: { nonce } });
    assert.equal(reused.status, 400);
    assert.match(reused.body.error.message, /^authentication\.nonce: .*already been used/);
    assert.equal((await h.call('POST', path, { authentication: { nonce: 'made-up' } })).status, 400);
    const late = await h.nonce();
    await clock.advance(61_000);
    const expired = await h.call('POST', path, { authentication: { nonce: late } });
    assert.equal(expired.status, 400);
    assert.match(expired.body.error.message, /expired/);
    const big = await h.call('POST', path, { authentication: { nonce: await h.nonce() }, input: { blob: 'x'.repeat(100_001) } });
    assert.equal(big.status, 400);
    assert.match(big.body.error.message, /^input: must be at most 100 KB/);
    const meta = await h.call('POST', path, { authentication: { nonce: await h.nonce() }, metadata: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) });
    assert.equal(meta.status, 400);
    assert.match(meta.body.error.message, /^metadata: must have at most 10 entries/);
    const missing = await h.call('POST', path, {});
    assert.match(missing.body.error.message, /^authentication: is required/);
    const unknown = await h.call('POST', '/workflows/nonces/versions/9/run', { authentication: { nonce: await h.nonce() } });
    assert.equal(unknown.status, 404);
  });

  it('lists executions newest first with workflow, version, status and time filters, paging with cursors', async () => {
    await h.upsertWorkflow('paged');
    await h.upsertVersion('paged', '1', [tr('t', 'tr-p')]);
    await h.upsertVersion('paged', '2', [tr('t', 'tr-p')]);
    const start = clock.now();
    h.sandbox.insertExecutions({ workflowExternalId: 'paged', version: '1', count: 250, statuses: ['COMPLETED', 'FAILED'], newestCreatedTime: start - 1000 });
    h.sandbox.insertExecutions({ workflowExternalId: 'paged', version: '2', count: 10, statuses: ['TERMINATED'], newestCreatedTime: start - 500 });
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await h.call('POST', '/workflows/executions/list', { filter: { workflowFilters: [{ externalId: 'paged', version: '1' }], status: ['FAILED'] }, limit: 40, ...(cursor ? { cursor } : {}) });
      assert.equal(r.status, 200);
      for (const e of r.body.items) {
        assert.equal(e.status, 'FAILED');
        assert.equal(e.version, '1');
      }
      ids.push(...r.body.items.map((e: any) => e.id));
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor);
    assert.equal(ids.length, 125);
    assert.equal(new Set(ids).size, 125);
    assert.equal(pages, 4);
    const all = await h.call('POST', '/workflows/executions/list', { filter: { workflowFilters: [{ externalId: 'paged' }] }, limit: 1000 });
    assert.equal(all.body.items.length, 260);
    const times = all.body.items.map((e: any) => e.createdTime);
    assert.deepEqual(times, [...times].sort((a: number, b: number) => b - a), 'newest first');
    const window = await h.call('POST', '/workflows/executions/list', {
      filter: { workflowFilters: [{ externalId: 'paged', version: '1' }], createdTimeStart: start - 1000 - 9 * 60_000, createdTimeEnd: start - 1000 },
    });
    assert.equal(window.body.items.length, 10);
    const dup = await h.call('POST', '/workflows/executions/list', { filter: { status: ['FAILED', 'FAILED'] } });
    assert.equal(dup.status, 400);
    assert.equal((await h.call('POST', '/workflows/executions/list', { limit: 1001 })).status, 400);
    // Synthetic history still has task details.
    const detail = await h.execution(ids[0]);
    assert.ok(detail.executedTasks.length > 0);
  });

  it('answers 400 for a malformed execution id and 404 for an unknown one', async () => {
    assert.equal((await h.call('GET', '/workflows/executions/not-a-uuid')).status, 400);
    const r = await h.call('GET', '/workflows/executions/3f2b8c1e-7d4a-4e0b-9c55-0a1d2e3f4b5c');
    assert.equal(r.status, 404);
    assert.deepEqual(r.body.error.missing, [{ id: '3f2b8c1e-7d4a-4e0b-9c55-0a1d2e3f4b5c' }]);
  });

  it('cancels a running execution with a reason, marks running tasks CANCELED, and retries it to COMPLETED', async () => {
    h.sandbox.scriptTransformation('tr-slow', { durationMs: 60_000 });
    await h.upsertWorkflow('cancel-me');
    await h.upsertVersion('cancel-me', '1', [tr('slow', 'tr-slow'), tr('after', 'tr-after', { dependsOn: [{ externalId: 'slow' }] })]);
    const run = await h.run('cancel-me', '1');
    await clock.advance(1000);
    const cancelled = await h.call('POST', `/workflows/executions/${run.id}/cancel`, { reason: 'Superseded by a manual re-run' });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'TERMINATED');
    assert.equal(cancelled.body.reasonForIncompletion, 'Superseded by a manual re-run');
    const e = await h.execution(run.id);
    assert.equal(byId(e, 'slow').status, 'CANCELED');
    assert.equal(byId(e, 'after'), undefined);
    assert.equal((await h.call('POST', `/workflows/executions/${run.id}/cancel`, {})).status, 400);
    // Cancelling does not stop the transformation job it started; wait for it before retrying.
    await clock.advance(60_000);
    const bare = await h.call('POST', `/workflows/executions/${run.id}/retry`, {});
    assert.equal(bare.status, 400);
    const retried = await h.call('POST', `/workflows/executions/${run.id}/retry`, { authentication: { nonce: await h.nonce() } });
    assert.equal(retried.status, 200);
    assert.equal(retried.body.status, 'RUNNING');
    assert.equal(retried.body.id, run.id);
    await clock.advance(130_000);
    const done = await h.execution(run.id);
    assert.equal(done.status, 'COMPLETED');
    const again = await h.call('POST', `/workflows/executions/${run.id}/retry`, { authentication: { nonce: await h.nonce() } });
    assert.equal(again.status, 400);
    assert.match(again.body.error.message, /COMPLETED/);
  });

  it('retries a failing task up to its retries, then fails the execution and skips what comes after', async () => {
    h.sandbox.scriptTransformation('tr-flaky', { durationMs: 1000, status: 'Failed', error: 'Source table is locked' });
    await h.upsertWorkflow('fails');
    await h.upsertVersion('fails', '1', [tr('flaky', 'tr-flaky', { retries: 2 }), tr('next', 'tr-next', { dependsOn: [{ externalId: 'flaky' }] })]);
    const run = await h.run('fails', '1');
    await clock.advance(10_000);
    const e = await h.execution(run.id);
    assert.equal(e.status, 'FAILED');
    assert.match(e.reasonForIncompletion, /^Task flaky failed: Transformation job \d+ failed: Source table is locked/);
    assert.equal(byId(e, 'flaky').status, 'FAILED');
    assert.equal(byId(e, 'next').status, 'SKIPPED');
    // A retry gives the failed task one more attempt; this time it succeeds.
    h.sandbox.scriptTransformation('tr-flaky', { durationMs: 1000 });
    await h.call('POST', `/workflows/executions/${run.id}/retry`, { authentication: { nonce: await h.nonce() } });
    await clock.advance(10_000);
    const retried = await h.execution(run.id);
    assert.equal(retried.status, 'COMPLETED');
    assert.equal(byId(retried, 'next').status, 'COMPLETED');
  });

  it('goes on past a failed skipTask task as COMPLETED_WITH_ERRORS', async () => {
    h.sandbox.scriptTransformation('tr-broken', { durationMs: 500, status: 'Failed' });
    await h.upsertWorkflow('skips');
    await h.upsertVersion('skips', '1', [tr('optional', 'tr-broken', { retries: 0, onFailure: 'skipTask' }), tr('next', 'tr-ok', { dependsOn: [{ externalId: 'optional' }] })]);
    const run = await h.run('skips', '1');
    await clock.advance(10_000);
    const e = await h.execution(run.id);
    assert.equal(e.status, 'COMPLETED');
    assert.equal(byId(e, 'optional').status, 'COMPLETED_WITH_ERRORS');
    assert.equal(byId(e, 'next').status, 'COMPLETED');
  });

  it('times out a task without retry under abortWorkflow (TIMED_OUT, execution FAILED)', async () => {
    h.sandbox.scriptTransformation('tr-hangs', { durationMs: 10 * 60_000 });
    await h.upsertWorkflow('timeouts');
    await h.upsertVersion('timeouts', '1', [tr('hangs', 'tr-hangs', { timeout: 120, retries: 3 })]);
    const run = await h.run('timeouts', '1');
    await clock.advance(121_000);
    const e = await h.execution(run.id);
    assert.equal(e.status, 'FAILED');
    assert.equal(byId(e, 'hangs').status, 'TIMED_OUT');
    assert.match(byId(e, 'hangs').reasonForIncompletion, /timed out after 120 seconds/);
  });

  it('keeps an isAsyncComplete task IN_PROGRESS until a task update completes it, merging the output', async () => {
    h.sandbox.stubFunction('fn-approval', (data: any) => ({ durationMs: 1000, response: { requested: true, taskId: data.cogniteOrchestrationTaskId } }));
    await h.upsertWorkflow('approval');
    await h.upsertVersion('approval', '1', [
      { externalId: 'wait', type: 'function', parameters: { function: { externalId: 'fn-approval', data: { channel: 'ops' } }, isAsyncComplete: true } },
      tr('release', 'tr-release', { dependsOn: [{ externalId: 'wait' }] }),
    ]);
    const run = await h.run('approval', '1');
    await clock.advance(5000);
    let e = await h.execution(run.id);
    const wait = byId(e, 'wait');
    assert.equal(wait.status, 'IN_PROGRESS');
    assert.equal(wait.input.function.data.cogniteOrchestrationTaskId, wait.id);
    assert.equal(wait.output.response.taskId, wait.id);
    const wrong = await h.call('POST', `/workflows/tasks/${wait.id}/update`, { status: 'DONE' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body.error.message, /^status: must be one of/);
    const upd = await h.call('POST', `/workflows/tasks/${wait.id}/update`, { status: 'completed', output: { approvedBy: 'jane' } });
    assert.equal(upd.status, 200);
    assert.equal(upd.body.status, 'COMPLETED');
    assert.equal(upd.body.output.approvedBy, 'jane');
    assert.equal(upd.body.output.response.requested, true);
    await clock.advance(10_000);
    e = await h.execution(run.id);
    assert.equal(e.status, 'COMPLETED');
    const again = await h.call('POST', `/workflows/tasks/${wait.id}/update`, { status: 'COMPLETED' });
    assert.equal(again.status, 400);
    assert.equal((await h.call('POST', '/workflows/tasks/6a1f0b7c-3d2e-4f81-9a0b-1c2d3e4f5a6b/update', { status: 'COMPLETED' })).status, 404);
  });

  it('fails the dynamic container when a child fails, and the container onFailure decides', async () => {
    h.sandbox.stubFunction('fn-children', { response: { tasks: [tr('good', 'tr-good'), tr('bad', 'tr-bad', { retries: 0 })] } });
    h.sandbox.scriptTransformation('tr-bad', { durationMs: 500, status: 'Failed', error: 'boom' });
    await h.upsertWorkflow('dyn-fail');
    await h.upsertVersion('dyn-fail', '1', [
      fnTask('plan', 'fn-children'),
      { externalId: 'fan', type: 'dynamic', parameters: { dynamic: { tasks: '${plan.output.response.tasks}' } }, dependsOn: [{ externalId: 'plan' }], onFailure: 'skipTask' },
      tr('after', 'tr-after', { dependsOn: [{ externalId: 'fan' }] }),
    ]);
    const run = await h.run('dyn-fail', '1');
    await clock.advance(30_000);
    const e = await h.execution(run.id);
    assert.equal(e.status, 'COMPLETED');
    assert.equal(byId(e, 'bad').status, 'FAILED');
    assert.equal(byId(e, 'fan').status, 'COMPLETED_WITH_ERRORS');
    assert.equal(byId(e, 'after').status, 'COMPLETED');
  });

  it('fails a dynamic task whose reference does not resolve to task definitions', async () => {
    h.sandbox.stubFunction('fn-not-a-list', { response: { tasks: 'nope' } });
    await h.upsertWorkflow('dyn-bad');
    await h.upsertVersion('dyn-bad', '1', [
      fnTask('plan', 'fn-not-a-list'),
      { externalId: 'fan', type: 'dynamic', parameters: { dynamic: { tasks: '${plan.output.response.tasks}' } }, dependsOn: [{ externalId: 'plan' }], retries: 0 },
    ]);
    const run = await h.run('dyn-bad', '1');
    await clock.advance(5000);
    const e = await h.execution(run.id);
    assert.equal(e.status, 'FAILED');
    assert.match(byId(e, 'fan').reasonForIncompletion, /did not resolve to a list of task definitions/);
  });

  it('queues runs beyond maxConcurrentExecutions and starts them as others finish', async () => {
    h.sandbox.scriptTransformation('tr-queue', { durationMs: 10_000 });
    await h.upsertWorkflow('one-at-a-time', { maxConcurrentExecutions: 1 });
    await h.upsertVersion('one-at-a-time', '1', [tr('t', 'tr-queue')]);
    const a = await h.run('one-at-a-time', '1');
    const b = await h.run('one-at-a-time', '1');
    await clock.advance(1000);
    const eb = await h.execution(b.id);
    assert.equal(eb.status, 'RUNNING');
    assert.equal(eb.startTime, undefined, 'queued: not started');
    assert.equal(eb.executedTasks.length, 0);
    await clock.advance(10_000);
    assert.equal((await h.execution(a.id)).status, 'COMPLETED');
    assert.ok((await h.execution(b.id)).startTime);
    await clock.advance(11_000);
    assert.equal((await h.execution(b.id)).status, 'COMPLETED');
  });

  it('fails a function task whose function does not exist, after its retries', async () => {
    await h.upsertWorkflow('no-fn');
    await h.upsertVersion('no-fn', '1', [fnTask('call', 'fn-does-not-exist', { retries: 1 })]);
    const run = await h.run('no-fn', '1');
    await clock.advance(1000);
    const e = await h.execution(run.id);
    assert.equal(e.status, 'FAILED');
    assert.match(byId(e, 'call').reasonForIncompletion, /fn-does-not-exist was not found/);
  });

  it('fails a cdf task on a 4xx answer with the status code in its output', async () => {
    await h.upsertWorkflow('cdf-404');
    await h.upsertVersion('cdf-404', '1', [{ externalId: 'get', type: 'cdf', retries: 0, parameters: { cdfRequest: { resourcePath: '/workflows/ghost', method: 'GET' } } }]);
    const run = await h.run('cdf-404', '1');
    await clock.advance(1000);
    const e = await h.execution(run.id);
    assert.equal(e.status, 'FAILED');
    assert.equal(byId(e, 'get').output.statusCode, 404);
    assert.match(byId(e, 'get').reasonForIncompletion, /answered 404/);
  });
});
