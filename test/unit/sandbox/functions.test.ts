/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- response bodies are read loosely once the harness has checked them against the spec */
import * as assert from 'node:assert/strict';
import { ManualClock } from '../../../src/sandbox';
import { TRIGGER_WORKFLOW } from '../../../src/sandbox/demo-functions';
import { Harness } from './harness';

const ECHO_HANDLER = `import os

def handle(client, data, secrets, function_call_info):
    print("hello from", function_call_info["function_id"], function_call_info["call_id"])
    print("env", os.environ.get("GREETING"))
    print("secret keys", sorted(secrets))
    return {"echo": data, "project": client.config.project, "scheduled": "schedule_id" in function_call_info}
`;

const FAILING_HANDLER = `def handle(data):
    print("about to fail")
    return {"x": 1 / data["zero"]}
`;

describe('sandbox functions, calls and schedules', function () {
  this.timeout(30_000);
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 0));
  let h: Harness;
  before(async () => {
    h = await Harness.start({ clock });
  });
  after(async () => {
    await h?.close();
  });

  async function ready(id: number): Promise<any> {
    await clock.advance(3000);
    const fn = await h.call('GET', `/functions/${id}`);
    assert.equal(fn.body.status, 'Ready', JSON.stringify(fn.body));
    return fn.body;
  }

  async function callAndWait(id: number, data: unknown): Promise<any> {
    const call = await h.call('POST', `/functions/${id}/call`, { data, nonce: await h.nonce() });
    assert.equal(call.status, 201);
    assert.equal(call.body.status, 'Running');
    await h.sandbox.settle();
    const done = await h.call('GET', `/functions/${id}/calls/${call.body.id}`);
    return done.body;
  }

  it('uploads a zip through the Files flow: uploadUrl, PUT without auth, uploaded flips', async () => {
    const created = await h.call('POST', '/files', { name: 'code.zip', externalId: 'code.zip', mimeType: 'application/zip', metadata: { purpose: 'function-code' } });
    assert.equal(created.status, 201);
    assert.equal(created.body.uploaded, false);
    assert.ok(created.body.uploadUrl.startsWith(h.sandbox.baseUrl));
    const wrong = await fetch(created.body.uploadUrl.replace(/upload_id=[^&]+/, 'upload_id=forged'), { method: 'PUT', body: 'x' });
    assert.equal(wrong.status, 403);
    const put = await fetch(created.body.uploadUrl, { method: 'PUT', headers: { 'content-type': 'application/zip' }, body: 'PK...' });
    assert.equal(put.status, 200);
    const byIds = await h.call('POST', '/files/byids', { items: [{ id: created.body.id }] });
    assert.equal(byIds.body.items[0].uploaded, true);
    assert.ok(byIds.body.items[0].uploadedTime);
    const dup = await h.call('POST', '/files', { name: 'code.zip', externalId: 'code.zip' });
    assert.equal(dup.status, 409);
    assert.deepEqual(dup.body.error.duplicated, [{ externalId: 'code.zip' }]);
    const missing = await h.call('POST', '/files/byids', { items: [{ id: 1 }] });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body.error.missing, [{ id: 1 }]);
    assert.equal((await h.call('POST', '/files/delete', { items: [{ id: created.body.id }] })).status, 200);
    assert.equal((await h.call('GET', `/files/${created.body.id}`)).status, 404);
  });

  it('deploys a function Queued -> Deploying -> Ready on the clock, with secrets masked', async () => {
    const fn = await h.deployFunction('fn-echo', { 'handler.py': ECHO_HANDLER }, { secrets: { 'api-key': 'very-secret-value' }, envVars: { GREETING: 'hei' } });
    assert.equal(fn.status, 'Queued');
    assert.deepEqual(fn.secrets, { 'api-key': '***' });
    await clock.advance(1000);
    assert.equal((await h.call('GET', `/functions/${fn.id}`)).body.status, 'Deploying');
    const readyFn = await ready(fn.id);
    assert.match(readyFn.runtimeVersion, /^Python 3\./);
    const listed = await h.call('GET', '/functions');
    assert.ok(!listed.text.includes('very-secret-value'));
    const filtered = await h.call('POST', '/functions/list', { filter: { externalIdPrefix: 'fn-ec', status: 'Ready' } });
    assert.deepEqual(filtered.body.items.map((f: any) => f.externalId), ['fn-echo']);
  });

  it('calls a function in python: prints become logs, the return value the response, secrets and envVars reach the handler', async () => {
    const fn = (await h.call('POST', '/functions/byids', { items: [{ externalId: 'fn-echo' }] })).body.items[0];
    const call = await callAndWait(fn.id, { hello: 'world' });
    assert.equal(call.status, 'Completed', JSON.stringify(call));
    const response = await h.call('GET', `/functions/${fn.id}/calls/${call.id}/response`);
    assert.deepEqual(response.body.response, { echo: { hello: 'world' }, project: 'sandbox', scheduled: false });
    const logs = await h.call('GET', `/functions/${fn.id}/calls/${call.id}/logs`);
    assert.deepEqual(
      logs.body.items.map((l: any) => l.message),
      [`hello from ${fn.id} ${call.id}`, 'env hei', "secret keys ['api-key']"],
    );
    const listed = await h.call('POST', `/functions/${fn.id}/calls/list`, { filter: { status: 'Completed' } });
    assert.ok(listed.body.items.some((c: any) => c.id === call.id));
    assert.ok((await h.call('GET', `/functions/${fn.id}`)).body.lastCalled);
  });

  it('turns an exception into a Failed call with the traceback in the logs', async () => {
    const fn = await h.deployFunction('fn-fails', { 'handler.py': FAILING_HANDLER });
    await ready(fn.id);
    const call = await callAndWait(fn.id, { zero: 0 });
    assert.equal(call.status, 'Failed');
    assert.match(call.error.message, /ZeroDivisionError: division by zero/);
    const logs = (await h.call('GET', `/functions/${fn.id}/calls/${call.id}/logs`)).body.items.map((l: any) => l.message);
    assert.equal(logs[0], 'about to fail');
    assert.ok(logs.includes('Traceback (most recent call last):'));
    assert.ok(logs.some((l: string) => l.startsWith('ZeroDivisionError')));
  });

  it('fails the build of a zip without the handler file, or without handle()', async () => {
    const noFile = await h.deployFunction('fn-no-handler', { 'main.py': 'def handle(data):\n    return {}\n' });
    await clock.advance(3000);
    const failed = (await h.call('GET', `/functions/${noFile.id}`)).body;
    assert.equal(failed.status, 'Failed');
    assert.match(failed.error.message, /Could not find handler\.py/);
    assert.match(failed.error.trace, /main\.py/);
    const noHandle = await h.deployFunction('fn-no-handle', { 'handler.py': 'def main(data):\n    return {}\n' });
    await clock.advance(3000);
    assert.match((await h.call('GET', `/functions/${noHandle.id}`)).body.error.message, /must define a top-level function named handle/);
    const notReady = await h.call('POST', `/functions/${noFile.id}/call`, { nonce: await h.nonce() });
    assert.equal(notReady.status, 400);
    assert.match(notReady.body.error.message, /not ready/);
  });

  it('refuses function definitions the service refuses, naming the field', async () => {
    const file = await h.call('POST', '/files', { name: 'x.zip' });
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: 'x', fileId: file.body.id }, /has no content yet/],
      [{ name: 'x', fileId: 1 }, /file 1 does not exist/],
      [{ name: '', fileId: 1 }, /^items\[0\]\.name: must not be empty/],
      [{ name: 'x', fileId: 1, secrets: { Bad_Key: 'v' } }, /^items\[0\]\.secrets\.Bad_Key: secret names must be/],
      [{ name: 'x', fileId: 1, secrets: { token: 'v' } }, /reserved secret names/],
      [{ name: 'x', fileId: 1, envVars: { 'bad-name': 'v' } }, /^items\[0\]\.envVars\.bad-name:/],
      [{ name: 'x', fileId: 1, runtime: 'py27' }, /^items\[0\]\.runtime: must be one of/],
      [{ name: 'x', fileId: 1, cpu: 10 }, /^items\[0\]\.cpu: must be less than or equal to 3/],
    ];
    for (const [item, message] of cases) {
      const r = await h.call('POST', '/functions', { items: [item] });
      assert.equal(r.status, 400, JSON.stringify(item));
      assert.match(r.body.error.message, message);
    }
    const dup = await h.call('POST', '/functions', { items: [{ name: 'again', externalId: 'fn-echo', fileId: 1 }] });
    assert.equal(dup.status, 409);
  });

  it('answers the functions limits', async () => {
    const r = await h.call('GET', '/functions/limits');
    assert.equal(r.body.timeoutMinutes, 9);
    assert.ok(r.body.runtimes.includes('py311'));
  });

  it('fires a function schedule on the advanced clock: the generated trigger handler starts the right workflow version with the right input', async () => {
    h.sandbox.scriptTransformation('tr-nightly', { durationMs: 1000 });
    await h.upsertWorkflow('nightly');
    await h.upsertVersion('nightly', '1', [{ externalId: 't', type: 'transformation', parameters: { transformation: { externalId: 'tr-nightly' } } }]);
    await h.upsertVersion('nightly', '2', [{ externalId: 't', type: 'transformation', parameters: { transformation: { externalId: 'tr-nightly' } } }]);
    const fn = await h.deployFunction(
      'wf-trigger-nightly',
      { 'handler.py': TRIGGER_WORKFLOW },
      {
        secrets: { 'client-id': h.sandbox.clientId, 'client-secret': h.sandbox.clientSecret },
        envVars: { IDP_TOKEN_URL: h.sandbox.tokenUrl, CDF_PROJECT: h.sandbox.project, CDF_URL: h.sandbox.baseUrl, IDP_SCOPES: `${h.sandbox.baseUrl}/.default` },
      },
    );
    await ready(fn.id);
    const created = await h.call('POST', '/functions/schedules', {
      items: [{ name: 'nightly at 02:00', cronExpression: '0 2 * * *', functionId: fn.id, data: { workflowExternalId: 'nightly', version: '2', input: { mode: 'full' } }, nonce: await h.nonce() }],
    });
    assert.equal(created.status, 201);
    const schedule = created.body.items[0];
    assert.equal(schedule.when, 'At 02:00 AM');
    assert.equal(schedule.nonce, undefined);
    assert.equal(schedule.data, undefined, 'data is write-only');
    assert.equal((await h.call('GET', `/functions/schedules/${schedule.id}/input_data`)).body.data.version, '2');
    h.sandbox.requests.reset();
    await clock.advanceTo(Date.UTC(2026, 0, 1, 2, 0, 1));
    const handlerTokenRequests = h.sandbox.requests.count({ method: 'POST', path: '/oauth2/token' });
    const calls = await h.call('POST', `/functions/${fn.id}/calls/list`, { filter: { scheduleId: schedule.id } });
    assert.equal(calls.body.items.length, 1);
    const call = calls.body.items[0];
    assert.equal(call.status, 'Completed', JSON.stringify(call));
    assert.equal(call.scheduledTime, Date.UTC(2026, 0, 1, 2, 0, 0));
    const response = (await h.call('GET', `/functions/${fn.id}/calls/${call.id}/response`)).body.response;
    const logs = (await h.call('GET', `/functions/${fn.id}/calls/${call.id}/logs`)).body.items.map((l: any) => l.message);
    assert.deepEqual(logs, [`started ${response.executionId}`]);
    const execution = await h.execution(response.executionId);
    assert.equal(execution.workflowExternalId, 'nightly');
    assert.equal(execution.version, '2');
    assert.deepEqual(execution.input, { mode: 'full' });
    // The handler went through the real token endpoint, created a session and called run.
    assert.equal(handlerTokenRequests, 1);
    assert.equal(h.sandbox.requests.count({ method: 'POST', path: /\/sessions$/ }), 1);
    assert.equal(h.sandbox.requests.count({ method: 'POST', path: '/workflows/nightly/versions/2/run' }), 1);
    // It fires again the next night, and not before.
    await clock.advanceTo(Date.UTC(2026, 0, 2, 1, 59, 0));
    assert.equal((await h.call('POST', `/functions/${fn.id}/calls/list`, { filter: { scheduleId: schedule.id } })).body.items.length, 1);
    await clock.advanceTo(Date.UTC(2026, 0, 2, 2, 0, 5));
    assert.equal((await h.call('POST', `/functions/${fn.id}/calls/list`, { filter: { scheduleId: schedule.id } })).body.items.length, 2);
    // Deleting the schedule stops it.
    assert.equal((await h.call('POST', '/functions/schedules/delete', { items: [{ id: schedule.id }] })).status, 200);
    await clock.advanceTo(Date.UTC(2026, 0, 3, 2, 0, 5));
    assert.equal((await h.call('POST', `/functions/${fn.id}/calls/list`, { filter: { scheduleId: schedule.id } })).body.items.length, 2);
  });

  it('refuses schedules without a nonce, with a bad cron expression, or for an unknown function', async () => {
    const fn = (await h.call('POST', '/functions/byids', { items: [{ externalId: 'fn-echo' }] })).body.items[0];
    const item = (extra: Record<string, unknown>) => ({ items: [{ name: 's', cronExpression: '0 * * * *', functionId: fn.id, ...extra }] });
    const noNonce = await h.call('POST', '/functions/schedules', item({}));
    assert.match(noNonce.body.error.message, /^items\[0\]\.nonce: is required/);
    const badCron = await h.call('POST', '/functions/schedules', item({ cronExpression: '0 0 * *', nonce: await h.nonce() }));
    assert.match(badCron.body.error.message, /^items\[0\]\.cronExpression: must have 5 fields/);
    const seconds = await h.call('POST', '/functions/schedules', item({ cronExpression: '0 0 * * * *', nonce: await h.nonce() }));
    assert.equal(seconds.status, 400);
    const unknownFn = await h.call('POST', '/functions/schedules', item({ functionId: 1, nonce: await h.nonce() }));
    assert.match(unknownFn.body.error.message, /function 1 does not exist/);
    const listed = await h.call('POST', '/functions/schedules/list', { filter: { functionId: fn.id } });
    assert.equal(listed.status, 200);
  });

  it('fails a call with a clear message when python3 is not on PATH', async () => {
    const noPython = await Harness.start({ clock: new ManualClock(Date.UTC(2026, 0, 1)), python: 'python3-not-installed-here', functionDeployMs: { queued: 0, deploying: 0 } });
    try {
      const fn = await noPython.deployFunction('fn-x', { 'handler.py': 'def handle():\n    return {}\n' });
      await noPython.sandbox.settle();
      await (noPython.sandbox.clock as ManualClock).advance(1);
      const call = await noPython.call('POST', `/functions/${fn.id}/call`, { nonce: await noPython.nonce() });
      await noPython.sandbox.settle();
      const done = (await noPython.call('GET', `/functions/${fn.id}/calls/${call.body.id}`)).body;
      assert.equal(done.status, 'Failed');
      assert.match(done.error.message, /python3-not-installed-here was not found on PATH: the sandbox runs function code with Python 3/);
    } finally {
      await noPython.close();
    }
  });

  it('answers calls of stubbed functions without python', async () => {
    h.sandbox.stubFunction('fn-stub', { durationMs: 2000, response: { ok: true }, logs: ['stubbed'] });
    const fn = (await h.call('POST', '/functions/byids', { items: [{ externalId: 'fn-stub' }] })).body.items[0];
    const call = await h.call('POST', `/functions/${fn.id}/call`, { nonce: await h.nonce() });
    assert.equal((await h.call('GET', `/functions/${fn.id}/calls/${call.body.id}`)).body.status, 'Running');
    await clock.advance(2000);
    const done = (await h.call('GET', `/functions/${fn.id}/calls/${call.body.id}`)).body;
    assert.equal(done.status, 'Completed');
    assert.deepEqual((await h.call('GET', `/functions/${fn.id}/calls/${call.body.id}/response`)).body.response, { ok: true });
  });
});
