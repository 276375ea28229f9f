/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- response bodies are read loosely once the harness has checked them against the spec */
import * as assert from 'node:assert/strict';
import { ManualClock, startSandbox } from '../../../src/sandbox';
import { Harness } from './harness';

describe('sandbox sessions and data-set scoped access', function () {
  this.timeout(20_000);
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  let h: Harness;
  before(async () => {
    h = await Harness.start({
      clock,
      clients: [
        { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' },
        {
          clientId: 'scoped',
          clientSecret: 'scoped-secret',
          capabilities: [
            { workflowOrchestrationAcl: { actions: ['READ', 'WRITE'], scope: { datasetScope: { ids: ['111'] } } } },
            { sessionsAcl: { actions: ['CREATE'], scope: { all: {} } } },
          ],
        },
      ],
    });
  });
  after(async () => {
    await h?.close();
  });

  it('creates client-credentials, token-exchange and one-shot sessions; refuses wrong credentials', async () => {
    const cc = await h.call('POST', '/sessions', { items: [{ clientId: 'sandbox-client', clientSecret: 'sandbox-secret' }] });
    assert.equal(cc.status, 200);
    assert.deepEqual([cc.body.items[0].type, cc.body.items[0].status, cc.body.items[0].clientId], ['CLIENT_CREDENTIALS', 'READY', 'sandbox-client']);
    assert.ok(cc.body.items[0].nonce);
    const te = await h.call('POST', '/sessions', { items: [{ tokenExchange: true }] });
    assert.equal(te.body.items[0].type, 'TOKEN_EXCHANGE');
    const one = await h.call('POST', '/sessions', { items: [{ oneshotTokenExchange: true }] });
    assert.equal(one.body.items[0].type, 'ONESHOT_TOKEN_EXCHANGE');
    const wrong = await h.call('POST', '/sessions', { items: [{ clientId: 'sandbox-client', clientSecret: 'nope' }] });
    assert.equal(wrong.status, 400);
    assert.ok(!wrong.text.includes('nope'));
    const half = await h.call('POST', '/sessions', { items: [{ clientId: 'sandbox-client' }] });
    assert.match(half.body.error.message, /^items\[0\]\.clientSecret: is required/);
    const two = await h.call('POST', '/sessions', { items: [{ tokenExchange: true }, { tokenExchange: true }] });
    assert.match(two.body.error.message, /^items: must have at most 1 items/);
  });

  it('lists sessions newest first with a status filter in either case, pages them, and reads them by id', async () => {
    for (let i = 0; i < 5; i++) {
      await clock.advance(1000);
      await h.nonce();
    }
    const page = await h.call('GET', '/sessions?limit=2');
    assert.equal(page.body.items.length, 2);
    assert.ok(page.body.items[0].creationTime >= page.body.items[1].creationTime);
    const next = await h.call('GET', `/sessions?limit=2&cursor=${encodeURIComponent(page.body.nextCursor)}`);
    assert.ok(next.body.items.every((s: any) => !page.body.items.some((p: any) => p.id === s.id)));
    const ready = await h.call('GET', '/sessions?status=ready&limit=1000');
    const READY = await h.call('GET', '/sessions?status=READY&limit=1000');
    assert.equal(ready.body.items.length, READY.body.items.length);
    assert.ok(ready.body.items.every((s: any) => s.status === 'READY'));
    assert.equal((await h.call('GET', '/sessions?status=sleepy')).status, 400);
    const byIds = await h.call('POST', '/sessions/byids', { items: [{ id: page.body.items[0].id }] });
    assert.equal(byIds.body.items[0].id, page.body.items[0].id);
    const missing = await h.call('POST', '/sessions/byids', { items: [{ id: 42 }] });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body.error.missing, [{ id: 42 }]);
  });

  it('marks a session ACTIVE when its nonce is bound, and refuses the nonce of a revoked session', async () => {
    await h.upsertWorkflow('s-wf');
    await h.upsertVersion('s-wf', '1', [{ externalId: 't', type: 'transformation', parameters: { transformation: { externalId: 'tr' } } }]);
    const created = (await h.call('POST', '/sessions', { items: [{ tokenExchange: true }] })).body.items[0];
    await h.call('POST', '/workflows/s-wf/versions/1/run', { authentication: { nonce: created.nonce } });
    assert.equal((await h.call('POST', '/sessions/byids', { items: [{ id: created.id }] })).body.items[0].status, 'ACTIVE');
    const other = (await h.call('POST', '/sessions', { items: [{ tokenExchange: true }] })).body.items[0];
    const revoked = await h.call('POST', '/sessions/revoke', { items: [{ id: other.id }] });
    assert.equal(revoked.body.items[0].status, 'REVOKED');
    assert.equal((await h.call('POST', '/sessions/revoke', { items: [{ id: other.id }] })).status, 200, 'revoking twice is fine');
    const refused = await h.call('POST', '/workflows/s-wf/versions/1/run', { authentication: { nonce: other.nonce } });
    assert.equal(refused.status, 400);
    assert.match(refused.body.error.message, /revoked/);
  });

  it('fails the cdf task of an execution whose session was revoked while it ran', async () => {
    h.sandbox.scriptTransformation('tr-first', { durationMs: 5000 });
    await h.upsertVersion('s-wf', '2', [
      { externalId: 'first', type: 'transformation', parameters: { transformation: { externalId: 'tr-first' } } },
      { externalId: 'read', type: 'cdf', retries: 0, parameters: { cdfRequest: { resourcePath: '/workflows', method: 'GET' } }, dependsOn: [{ externalId: 'first' }] },
    ]);
    const created = (await h.call('POST', '/sessions', { items: [{ tokenExchange: true }] })).body.items[0];
    const run = (await h.call('POST', '/workflows/s-wf/versions/2/run', { authentication: { nonce: created.nonce } })).body;
    await h.call('POST', '/sessions/revoke', { items: [{ id: created.id }] });
    await clock.advance(6000);
    const e = await h.execution(run.id);
    assert.equal(e.status, 'FAILED');
    assert.match(e.executedTasks.find((t: any) => t.externalId === 'read').reasonForIncompletion, /session/);
  });

  it('limits a data-set scoped client to the workflows of its data sets', async () => {
    await h.upsertWorkflow('in-scope', { dataSetId: 111 });
    await h.upsertWorkflow('out-of-scope', { dataSetId: 222 });
    const token = await h.fetchToken('scoped', 'scoped-secret');
    const listed = (await h.call('GET', '/workflows', undefined, { token })).body.items.map((w: any) => w.externalId);
    assert.deepEqual(listed, ['in-scope']);
    assert.equal((await h.call('GET', '/workflows/in-scope', undefined, { token })).status, 200);
    assert.equal((await h.call('GET', '/workflows/out-of-scope', undefined, { token })).status, 403);
    const upsert = await h.call('POST', '/workflows', { items: [{ externalId: 'new', dataSetId: 222 }] }, { token });
    assert.equal(upsert.status, 403);
    assert.equal((await h.call('POST', '/workflows', { items: [{ externalId: 'new', dataSetId: 111 }] }, { token })).status, 200);
  });
});

describe('sandbox lifecycle', function () {
  this.timeout(20_000);

  it('close() stops a running python call, timers and the server, and can be called twice', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const h = await Harness.start({ clock, functionDeployMs: { queued: 0, deploying: 0 } });
    const fn = await h.deployFunction('fn-sleeps', { 'handler.py': 'import time\n\ndef handle():\n    print("sleeping", flush=True)\n    time.sleep(60)\n    return {}\n' });
    await clock.advance(1);
    await h.call('POST', `/functions/${fn.id}/call`, { nonce: await h.nonce() });
    const closing = h.close();
    await closing;
    await h.close();
    await assert.rejects(fetch(`${h.sandbox.baseUrl}/_sandbox/info`));
  });

  it('refuses bad options with a message naming the option', async () => {
    await assert.rejects(startSandbox({ project: 'Bad Project' }), /project "Bad Project" is not a valid CDF project name/);
    await assert.rejects(startSandbox({ port: 70000 }), /port must be an integer 0-65535/);
    await assert.rejects(startSandbox({ clients: [] }), /clients must list at least one/);
  });

  it('ManualClock fires due timers in order and only when advanced', async () => {
    const clock = new ManualClock(1000);
    const fired: string[] = [];
    clock.setTimer(() => fired.push('b'), 200);
    clock.setTimer(() => fired.push('a'), 100);
    const cancelled = clock.setTimer(() => fired.push('never'), 150);
    cancelled.cancel();
    await clock.advance(99);
    assert.deepEqual(fired, []);
    await clock.advance(101);
    assert.deepEqual(fired, ['a', 'b']);
    assert.equal(clock.now(), 1200);
    assert.equal(clock.pendingTimers, 0);
    await assert.rejects(clock.advance(-1), /non-negative/);
  });
});
