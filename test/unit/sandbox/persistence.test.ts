 
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ManualClock } from '../../../src/sandbox';
import { Harness } from './harness';

describe('sandbox persistence with a data dir', function () {
  this.timeout(20_000);
  let dataDir: string;
  const open: Harness[] = [];
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-persist-'));
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((h) => h.close()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async (clock: ManualClock): Promise<Harness> => {
    const h = await Harness.start({ clock, dataDir, functionDeployMs: { queued: 0, deploying: 0 } });
    open.push(h);
    return h;
  };

  it('keeps workflows, versions, executions, triggers, functions and files across a restart, without plain-text secrets', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const first = await start(clock);
    first.sandbox.scriptTransformation('tr', { durationMs: 1000 });
    await first.upsertWorkflow('kept', { description: 'survives restarts' });
    await first.upsertVersion('kept', '1', [{ externalId: 't', type: 'transformation', parameters: { transformation: { externalId: 'tr' } } }]);
    const run = await first.run('kept', '1', { day: 'monday' });
    await clock.advance(5000);
    await first.call('POST', '/workflows/triggers', {
      items: [{ externalId: 'kept-trigger', triggerRule: { triggerType: 'schedule', cronExpression: '0 3 * * *' }, workflowExternalId: 'kept', workflowVersion: '1', authentication: { nonce: await first.nonce() } }],
    });
    const fn = await first.deployFunction('fn-kept', { 'handler.py': 'def handle(data):\n    return {"ok": True}\n' }, {
      secrets: { 'api-key': 'plain-text-must-not-leak' },
      envVars: { CDF_URL: first.sandbox.baseUrl, IDP_TOKEN_URL: first.sandbox.tokenUrl, OTHER: 'http://127.0.0.1.example/x' },
    });
    await clock.advance(10);
    await first.close();
    open.length = 0;

    const state = fs.readFileSync(path.join(dataDir, 'state.json'), 'utf8');
    assert.ok(!state.includes('plain-text-must-not-leak'), 'function secrets are encrypted at rest');
    assert.ok(!state.includes('sandbox-secret'), 'client secrets are not written');
    assert.ok(fs.readdirSync(dataDir).every((f) => !f.includes('.tmp-')), 'no temp files left behind');

    const second = await start(new ManualClock(clock.now()));
    assert.equal((await second.call('GET', '/workflows/kept')).body.description, 'survives restarts');
    const e = await second.execution(run.id);
    assert.equal(e.status, 'COMPLETED');
    assert.deepEqual(e.input, { day: 'monday' });
    assert.equal((await second.call('GET', '/workflows/triggers')).body.items[0].externalId, 'kept-trigger');
    const restored = (await second.call('GET', `/functions/${fn.id}`)).body;
    assert.equal(restored.status, 'Ready');
    assert.deepEqual(restored.secrets, { 'api-key': '***' });
    // Loopback sandbox URLs in envVars follow the new port.
    assert.deepEqual(restored.envVars, { CDF_URL: second.sandbox.baseUrl, IDP_TOKEN_URL: second.sandbox.tokenUrl, OTHER: 'http://127.0.0.1.example/x' });
    // The code survived too: the function still runs.
    const call = await second.call('POST', `/functions/${fn.id}/call`, { nonce: await second.nonce() });
    await second.sandbox.settle();
    assert.equal((await second.call('GET', `/functions/${fn.id}/calls/${call.body.id}`)).body.status, 'Completed');
  });

  it('resumes a running execution after a restart', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const first = await start(clock);
    first.sandbox.scriptTransformation('tr-long', { durationMs: 60_000 });
    await first.upsertWorkflow('long');
    await first.upsertVersion('long', '1', [{ externalId: 't', type: 'transformation', parameters: { transformation: { externalId: 'tr-long' } } }]);
    const run = await first.run('long', '1');
    await clock.advance(1000);
    await first.close();
    open.length = 0;
    const clock2 = new ManualClock(clock.now());
    const second = await start(clock2);
    assert.equal((await second.execution(run.id)).status, 'RUNNING');
    await clock2.advance(10_000);
    assert.equal((await second.execution(run.id)).status, 'COMPLETED', 'the interrupted task ran again');
  });

  it('starts blank with a demo seed only when the data dir is new', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const h1 = await Harness.start({ clock, dataDir, seed: 'demo' });
    open.push(h1);
    await h1.call('POST', '/workflows/delete', { items: [{ externalId: 'daily-report' }] });
    await h1.close();
    open.length = 0;
    const h2 = await Harness.start({ clock: new ManualClock(clock.now()), dataDir, seed: 'demo' });
    open.push(h2);
    assert.equal((await h2.call('GET', '/workflows/daily-report')).status, 404, 'the saved state wins over the seed');
    assert.equal((await h2.call('GET', '/workflows/daily-asset-sync')).status, 200);
  });
});
