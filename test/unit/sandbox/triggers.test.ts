/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- response bodies are read loosely once the harness has checked them against the spec */
import * as assert from 'node:assert/strict';
import { ManualClock } from '../../../src/sandbox';
import { Harness } from './harness';

describe('sandbox workflow triggers', function () {
  this.timeout(20_000);
  // 2026-01-01 00:00 UTC is 01:00 in Oslo.
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 0));
  let h: Harness;
  before(async () => {
    h = await Harness.start({ clock });
    h.sandbox.scriptTransformation('tr-trig', { durationMs: 1000 });
    await h.upsertWorkflow('daily');
    await h.upsertVersion('daily', '3', [{ externalId: 't', type: 'transformation', parameters: { transformation: { externalId: 'tr-trig' } } }]);
  });
  after(async () => {
    await h?.close();
  });

  const upsert = async (item: Record<string, unknown>): Promise<any> =>
    h.call('POST', '/workflows/triggers', { items: [{ workflowExternalId: 'daily', workflowVersion: '3', authentication: { nonce: await h.nonce() }, ...item }] });

  it('upserts a schedule trigger with timezone UTC by default and keeps createdTime on update', async () => {
    const first = await upsert({ externalId: 'plain', triggerRule: { triggerType: 'schedule', cronExpression: '0 12 * * *' } });
    assert.equal(first.status, 200);
    const t = first.body.items[0];
    assert.equal(t.triggerRule.timezone, 'UTC');
    assert.equal(t.isPaused, false);
    assert.equal(t.authentication, undefined);
    await clock.advance(1000);
    const second = await upsert({ externalId: 'plain', triggerRule: { triggerType: 'schedule', cronExpression: '0 13 * * *' }, input: { a: 1 } });
    assert.equal(second.body.items[0].createdTime, t.createdTime);
    assert.deepEqual(second.body.items[0].input, { a: 1 });
    assert.equal((await h.call('POST', '/workflows/triggers/delete', { items: [{ externalId: 'plain' }] })).status, 200);
  });

  it('fires on cron in its time zone, starts the version with input + version and the trigger metadata, and records history', async () => {
    const r = await upsert({
      externalId: 'oslo-0530',
      triggerRule: { triggerType: 'schedule', cronExpression: '30 5 * * *', timezone: 'Europe/Oslo' },
      input: { dryRun: false },
      metadata: { owner: 'data-platform' },
    });
    assert.equal(r.status, 200);
    // 05:30 in Oslo is 04:30 UTC in January.
    await clock.advanceTo(Date.UTC(2026, 0, 1, 4, 29, 0));
    assert.equal((await h.call('GET', '/workflows/triggers/oslo-0530/history')).body.items.length, 0);
    await clock.advanceTo(Date.UTC(2026, 0, 1, 4, 31, 0));
    const history = (await h.call('GET', '/workflows/triggers/oslo-0530/history')).body.items;
    assert.equal(history.length, 1);
    assert.equal(history[0].status, 'success');
    assert.equal(history[0].fireTime, Date.UTC(2026, 0, 1, 4, 30, 0));
    const e = await h.execution(history[0].workflowExecutionId);
    assert.deepEqual(e.input, { dryRun: false, version: '3' });
    assert.deepEqual(e.metadata, { owner: 'data-platform' });
    assert.equal(e.version, '3');
  });

  it('does not fire while paused, fires again after resume; pause and resume are idempotent', async () => {
    assert.equal((await h.call('POST', '/workflows/triggers/oslo-0530/pause')).status, 200);
    assert.equal((await h.call('POST', '/workflows/triggers/oslo-0530/pause')).status, 200);
    const listed = await h.call('GET', '/workflows/triggers');
    assert.equal(listed.body.items.find((t: any) => t.externalId === 'oslo-0530').isPaused, true);
    await clock.advanceTo(Date.UTC(2026, 0, 2, 4, 31, 0));
    assert.equal((await h.call('GET', '/workflows/triggers/oslo-0530/history')).body.items.length, 1);
    assert.equal((await h.call('POST', '/workflows/triggers/oslo-0530/resume')).status, 200);
    await clock.advanceTo(Date.UTC(2026, 0, 3, 4, 31, 0));
    const history = (await h.call('GET', '/workflows/triggers/oslo-0530/history')).body.items;
    assert.equal(history.length, 2);
    assert.ok(history[0].fireTime > history[1].fireTime, 'newest first');
  });

  it('records a failed run when the version is gone', async () => {
    await h.upsertVersion('daily', '4', [{ externalId: 't', type: 'transformation', parameters: { transformation: { externalId: 'tr-trig' } } }]);
    await h.call('POST', '/workflows/triggers', {
      items: [{ externalId: 'v4', triggerRule: { triggerType: 'schedule', cronExpression: '0 6 * * *' }, workflowExternalId: 'daily', workflowVersion: '4', authentication: { nonce: await h.nonce() } }],
    });
    await h.call('POST', '/workflows/versions/delete', { items: [{ workflowExternalId: 'daily', version: '4' }] });
    await clock.advanceTo(Date.UTC(2026, 0, 3, 6, 0, 1));
    const [run] = (await h.call('GET', '/workflows/triggers/v4/history')).body.items;
    assert.equal(run.status, 'failed');
    assert.equal(run.workflowExecutionId, null);
    assert.match(run.reasonForFailure, /version 4 was not found/);
  });

  it('accepts a dataModeling trigger and validates its rule', async () => {
    const rule = {
      triggerType: 'dataModeling',
      dataModelingQuery: { with: { pumps: { nodes: {}, limit: 200 } }, select: { pumps: {} } },
      batchSize: 200,
      batchTimeout: 300,
    };
    assert.equal((await upsert({ externalId: 'dm', triggerRule: rule })).status, 200);
    const bad = await upsert({ externalId: 'dm2', triggerRule: { ...rule, batchTimeout: 5 } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /^items\[0\]\.triggerRule\.batchTimeout: must be greater than or equal to 10/);
  });

  it('refuses bad rules, unknown versions and reused nonces, naming the field', async () => {
    const badTz = await upsert({ externalId: 'x', triggerRule: { triggerType: 'schedule', cronExpression: '0 * * * *', timezone: 'Mars/Olympus' } });
    assert.match(badTz.body.error.message, /^items\[0\]\.triggerRule\.timezone:/);
    const badCron = await upsert({ externalId: 'x', triggerRule: { triggerType: 'schedule', cronExpression: '61 * * * *' } });
    assert.match(badCron.body.error.message, /^items\[0\]\.triggerRule\.cronExpression:/);
    const badType = await upsert({ externalId: 'x', triggerRule: { triggerType: 'kafkaTopic' } });
    assert.match(badType.body.error.message, /^items\[0\]\.triggerRule\.triggerType: must be one of/);
    const noVersion = await upsert({ externalId: 'x', workflowVersion: '99', triggerRule: { triggerType: 'schedule', cronExpression: '0 * * * *' } });
    assert.match(noVersion.body.error.message, /^items\[0\]\.workflowVersion:/);
    const nonce = await h.nonce();
    const item = { externalId: 'y', workflowExternalId: 'daily', workflowVersion: '3', triggerRule: { triggerType: 'schedule', cronExpression: '0 * * * *' }, authentication: { nonce } };
    assert.equal((await h.call('POST', '/workflows/triggers', { items: [item] })).status, 200);
    const reused = await h.call('POST', '/workflows/triggers', { items: [item] });
    assert.equal(reused.status, 400);
    assert.match(reused.body.error.message, /^items\[0\]\.authentication\.nonce:/);
    const two = await h.call('POST', '/workflows/triggers', { items: [item, item] });
    assert.match(two.body.error.message, /^items: must have at most 1 items/);
  });

  it('answers 404 for history, pause, resume and delete of an unknown trigger', async () => {
    assert.match((await h.call('GET', '/workflows/triggers/ghost/history')).body.error.message, /Workflow trigger not found/);
    assert.match((await h.call('POST', '/workflows/triggers/ghost/pause')).body.error.message, /Trigger not found/);
    assert.equal((await h.call('POST', '/workflows/triggers/ghost/resume')).status, 404);
    assert.equal((await h.call('POST', '/workflows/triggers/delete', { items: [{ externalId: 'ghost' }] })).status, 404);
  });

  it('lists triggers sorted by external id with cursors', async () => {
    const first = await h.call('GET', '/workflows/triggers?limit=2');
    assert.equal(first.body.items.length, 2);
    const rest = await h.call('GET', `/workflows/triggers?limit=100&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    const ids = [...first.body.items, ...rest.body.items].map((t: any) => t.externalId);
    assert.deepEqual(ids, [...ids].sort());
  });
});
