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
  });
});
