/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- response bodies are read loosely once the harness has checked them against the spec */
import * as assert from 'node:assert/strict';
import { ManualClock } from '../../../src/sandbox';
import { Harness } from './harness';

describe('sandbox demo seed', function () {
  this.timeout(30_000);
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 0));
  let h: Harness;
  before(async () => {
    h = await Harness.start({ clock, seed: 'demo' });
  });
  after(async () => {
    await h?.close();
  });

  const list = async (filter: Record<string, unknown>): Promise<any[]> => (await h.call('POST', '/workflows/executions/list', { filter, limit: 1000 })).body.items;

  it('has described workflows with versions, data sets and an execution history in every status', async () => {
    const workflows = (await h.call('GET', '/workflows')).body.items;
    assert.ok(workflows.length >= 6);
    for (const w of workflows) assert.ok(w.description, `${w.externalId} has a description`);
    assert.ok(workflows.some((w: any) => w.dataSetId));
    const executions = await list({});
    const statuses = new Set(executions.map((e: any) => e.status));
    assert.deepEqual([...statuses].sort(), ['COMPLETED', 'FAILED', 'RUNNING', 'TERMINATED', 'TIMED_OUT']);
    assert.ok(executions.every((e: any) => e.createdTime <= clock.now() && e.createdTime > clock.now() - 10 * 24 * 3600_000));
    const failed = executions.find((e: any) => e.status === 'FAILED');
    const detail = await h.execution(failed.id);
    assert.ok(detail.executedTasks.some((t: any) => t.status === 'FAILED'));
  });

  it('tells one story in a seeded failed run: the task the reason names is the red one, durations differ and add up', async () => {
    const [failed] = await list({ workflowFilters: [{ externalId: 'daily-asset-sync' }], status: ['FAILED'] });
    const e = await h.execution(failed.id);
    const byId = new Map<string, any>(e.executedTasks.map((t: any) => [t.externalId, t]));
    assert.match(e.reasonForIncompletion, /^Task contextualize-assets failed: /);
    assert.deepEqual(
      e.executedTasks.map((t: any) => [t.externalId, t.status]),
      [['extract-sources', 'COMPLETED'], ['load-site-config', 'COMPLETED'], ['contextualize-assets', 'FAILED'], ['refresh-asset-hierarchy', 'SKIPPED']],
    );
    const took = (t: any) => t.endTime - t.startTime;
    const durations = ['extract-sources', 'load-site-config', 'contextualize-assets'].map((x) => took(byId.get(x)));
    assert.equal(new Set(durations).size, 3, `every task has its own duration: ${durations.join(', ')}`);
    // The longest chain ends when the execution ends; the failed task starts after both of its dependencies.
    const ctx = byId.get('contextualize-assets');
    assert.equal(ctx.startTime, Math.max(byId.get('extract-sources').endTime, byId.get('load-site-config').endTime));
    assert.ok(Math.abs(ctx.endTime - e.endTime) <= 1, 'the failed task ends the execution');
    assert.ok(Math.abs(ctx.startTime - e.startTime - Math.max(durations[0], durations[1])) <= 1);
    assert.match(ctx.reasonForIncompletion, /^Function call \d+ failed: TimeoutError/);
    assert.equal(byId.get('refresh-asset-hierarchy').startTime, undefined, 'a skipped task never started');
    // Its function call is there, with the error and logs, as for a real run.
    const call = (await h.call('GET', `/functions/${ctx.output.functionId}/calls/${ctx.output.callId}`)).body;
    assert.equal(call.status, 'Failed');
    assert.match(call.error.message, /TimeoutError/);
    const logs = (await h.call('GET', `/functions/${ctx.output.functionId}/calls/${ctx.output.callId}/logs`)).body.items;
    assert.ok(logs.some((l: any) => /ERROR .*TimeoutError/.test(l.message)));
    // Read twice, the same story.
    assert.deepEqual((await h.execution(failed.id)).executedTasks, e.executedTasks);
  });

  it('says in each seeded run\'s metadata what started it: the trigger, the function schedule, or VS Code', async () => {
    const sync = await list({ workflowFilters: [{ externalId: 'daily-asset-sync' }] });
    assert.ok(sync.every((e: any) => e.metadata['cdf-workflows:trigger'] === 'daily-asset-sync-0530'));
    const report = await list({ workflowFilters: [{ externalId: 'daily-report' }] });
    assert.ok(report.some((e: any) => e.metadata['cdf-workflows:schedule'] === 'daily-report 06:15 UTC'));
    assert.ok(report.some((e: any) => typeof e.metadata['cdf-workflows-run-id'] === 'string'));
  });

  it('has Ready demo functions, a function schedule and triggers', async () => {
    const functions = (await h.call('GET', '/functions')).body.items;
    assert.ok(functions.length >= 6);
    assert.ok(functions.every((f: any) => f.status === 'Ready'));
    const schedules = (await h.call('GET', '/functions/schedules')).body.items;
    assert.equal(schedules.length, 1);
    const triggers = (await h.call('GET', '/workflows/triggers')).body.items;
    assert.deepEqual(triggers.map((t: any) => t.triggerRule.triggerType).sort(), ['dataModeling', 'schedule', 'schedule']);
    assert.ok((await h.call('GET', '/workflows/triggers/daily-asset-sync-0530/history')).body.items.length > 3);
  });

  it('runs the ingestion pipeline end to end: transformation, cdf, python function, transformation', async () => {
    const run = await h.run('daily-asset-sync', '2', { runDate: '2026-01-01' });
    await clock.advance(60_000);
    const e = await h.execution(run.id);
    assert.equal(e.status, 'COMPLETED', JSON.stringify(e.executedTasks.map((t: any) => [t.externalId, t.status, t.reasonForIncompletion])));
    const ctx = e.executedTasks.find((t: any) => t.externalId === 'contextualize-assets');
    assert.equal(ctx.output.response.sites, 3);
  });

  it('runs the dynamic workflow, fails the quality check in its function, and completes the waiting approval', async () => {
    const dyn = await h.run('site-batch-processing', '1', { sites: ['oslo', 'bergen'] });
    const bad = await h.run('timeseries-quality-check', '3');
    await clock.advance(60_000);
    const d = await h.execution(dyn.id);
    assert.equal(d.status, 'COMPLETED');
    assert.deepEqual(d.executedTasks.filter((t: any) => t.parentTaskExternalId === 'process-sites').map((t: any) => t.externalId), ['process-oslo', 'process-bergen']);
    const q = await h.execution(bad.id);
    assert.equal(q.status, 'FAILED');
    assert.match(q.reasonForIncompletion, /ValueError: 3 time series have gaps/);
    const [waiting] = await list({ workflowFilters: [{ externalId: 'release-approval' }], status: ['RUNNING'] });
    const detail = await h.execution(waiting.id);
    const task = detail.executedTasks.find((t: any) => t.status === 'IN_PROGRESS');
    assert.equal((await h.call('POST', `/workflows/tasks/${task.id}/update`, { status: 'COMPLETED', output: { approvedBy: 'demo' } })).status, 200);
    await clock.advance(10_000);
    assert.equal((await h.execution(waiting.id)).status, 'COMPLETED');
  });

  it('fires the demo function schedule: the wizard-style trigger function starts daily-report', async () => {
    const before = (await list({ workflowFilters: [{ externalId: 'daily-report' }] })).length;
    await clock.advanceTo(Date.UTC(2026, 0, 1, 6, 15, 30));
    const after = await list({ workflowFilters: [{ externalId: 'daily-report' }] });
    assert.equal(after.length, before + 1);
    await clock.advance(60_000);
    const newest = await h.execution(after[0].id);
    assert.equal(newest.status, 'COMPLETED', JSON.stringify(newest.executedTasks.map((t: any) => [t.externalId, t.status, t.reasonForIncompletion])));
    assert.deepEqual(newest.input, { reportDate: 'today' });
    assert.equal(newest.metadata['cdf-workflows:schedule'], 'daily-report 06:15 UTC', 'the schedule names itself in the run');
  });
});
