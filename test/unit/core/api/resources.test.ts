import assert from 'node:assert/strict';
import { zipSync, strToU8 } from 'fflate';
import { collect } from '../../../../src/core/api/paging';
import { CdfApiError, InputError, OutcomeUnknownError } from '../../../../src/core/errors';
import { isTaskDefinitionOfType } from '../../../../src/core/schemas/tasks';
import { isTriggerRuleOfType } from '../../../../src/core/schemas/triggers';
import { type Sandbox } from '../../../../src/sandbox/index';
import { countRequests, idleWorkflow, startTestSandbox, testClient, type TestClient, useSandboxCleanup } from '../support/sandbox';
import { rejection, rememberSecret } from '../support/secretScan';

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('core/api resource round trips', function () {
  let sandbox: Sandbox;
  let t: TestClient;

  before(async () => {
    sandbox = await startTestSandbox({ functionDeployMs: { queued: 5, deploying: 5 } });
    t = testClient(sandbox);
  });
  useSandboxCleanup(() => ({ sandbox, t }));

  it('workflows: upsert (full replace), retrieve, list, iterate, delete', async () => {
    const created = await t.client.workflows.upsert({ externalId: 'rt-wf', description: 'first', maxConcurrentExecutions: 3 });
    assert.equal(created.description, 'first');
    assert.equal((await t.client.workflows.retrieve('rt-wf')).maxConcurrentExecutions, 3);
    const replaced = await t.client.workflows.upsert({ externalId: 'rt-wf' });
    assert.equal(replaced.description ?? undefined, undefined, 'an omitted description is cleared');
    assert.equal(replaced.createdTime, created.createdTime);
    assert.ok((await t.client.workflows.list({ limit: 1000 })).items.some((w) => w.externalId === 'rt-wf'));
    assert.ok((await collect(t.client.workflows.iterate({ limit: 1 }))).some((w) => w.externalId === 'rt-wf'));
    await t.client.workflows.delete(['rt-wf']);
    assert.equal(((await rejection(() => t.client.workflows.retrieve('rt-wf'))) as CdfApiError).status, 404);
    const strict = await rejection(() => t.client.workflows.delete(['rt-wf'], { ignoreUnknownIds: false }));
    assert.ok(strict instanceof CdfApiError);
    assert.deepEqual(strict.missing, [{ externalId: 'rt-wf' }]);
  });

  it('workflows: refuses an invalid upsert before sending it', async () => {
    const error = await rejection(() => t.client.workflows.upsert({ externalId: 'x'.repeat(256) }));
    assert.ok(error instanceof InputError);
    assert.match(error.message, /Workflow "x+" is not valid: externalId: Too big/);
    assert.equal(sandbox.requests.count(), 0);
  });

  it('versions: upsert with several task types, retrieve with hash and defaults, list, delete', async () => {
    await t.client.workflows.upsert({ externalId: 'rt-ver' });
    const upserted = await t.client.versions.upsert({
      workflowExternalId: 'rt-ver',
      version: '1',
      workflowDefinition: {
        description: 'v1',
        tasks: [
          { externalId: 'fetch', type: 'cdf', parameters: { cdfRequest: { resourcePath: '/workflows', method: 'GET' } } },
          { externalId: 'transform', type: 'transformation', parameters: { transformation: { externalId: 'tr' } }, dependsOn: [{ externalId: 'fetch' }] },
          {
            externalId: 'call',
            type: 'function',
            parameters: { function: { externalId: 'fn', data: { site: '${workflow.input.site}' } }, isAsyncComplete: false },
            dependsOn: [{ externalId: 'transform' }],
          },
        ],
      },
    });
    assert.match(upserted.workflowDefinition.hash, /^[0-9A-F]{40}$/);
    const retrieved = await t.client.versions.retrieve('rt-ver', '1');
    assert.equal(retrieved.workflowDefinition.tasks.length, 3);
    const call = retrieved.workflowDefinition.tasks[2];
    assert.ok(isTaskDefinitionOfType(call, 'function'));
    assert.deepEqual(call.parameters.function.data, { site: '${workflow.input.site}' });
    assert.equal(call.retries, 3, 'defaults filled in');
    const listed = await t.client.versions.list({ workflowFilters: [{ externalId: 'rt-ver' }] });
    assert.deepEqual(listed.items.map((v) => v.version), ['1']);
    await t.client.versions.delete([{ workflowExternalId: 'rt-ver', version: '1' }]);
    assert.deepEqual((await t.client.versions.list({ workflowFilters: [{ externalId: 'rt-ver' }] })).items, []);
  });

  it('executions: run, details with task executions, cancel with a reason, retry with a fresh nonce', async () => {
    sandbox.scriptTransformation('tr-long', { durationMs: 3_600_000 });
    await t.client.workflows.upsert({ externalId: 'rt-exec' });
    await t.client.versions.upsert({
      workflowExternalId: 'rt-exec',
      version: '1',
      workflowDefinition: {
        // waitForCurrent: the retried task joins the job the cancelled one left running instead of failing.
        tasks: [{ externalId: 'wait', type: 'transformation', parameters: { transformation: { externalId: 'tr-long', concurrencyPolicy: 'waitForCurrent' } } }],
      },
    });
    const run = await t.client.executions.run('rt-exec', '1', { input: { a: 1 } });
    const detailed = await until(async () => {
      const d = await t.client.executions.retrieve(run.id);
      return d.executedTasks.length > 0 ? d : undefined;
    }, 'the first task to start');
    assert.equal(detailed.workflowDefinition.tasks[0].externalId, 'wait');
    assert.equal(detailed.executedTasks[0].taskType, 'transformation');
    const cancelled = await t.client.executions.cancel(run.id, { reason: 'test over' });
    assert.equal(cancelled.status, 'TERMINATED');
    assert.equal(cancelled.reasonForIncompletion, 'test over');
    const sessionsBefore = countRequests(sandbox, 'POST', /\/sessions$/);
    const retried = await t.client.executions.retry(run.id);
    assert.equal(retried.status, 'RUNNING');
    assert.equal(countRequests(sandbox, 'POST', /\/sessions$/), sessionsBefore + 1, 'retry created its own session');
    await t.client.executions.cancel(run.id);
    const missing = await rejection(() => t.client.executions.retrieve('00000000-0000-4000-8000-000000000000'));
    assert.ok(missing instanceof CdfApiError && missing.reason === 'not-found');
  });

  it('tasks: completes an async function task, merging its output', async () => {
    sandbox.stubFunction('fn-approve', { durationMs: 1, response: { requested: true } });
    await t.client.workflows.upsert({ externalId: 'rt-async' });
    await t.client.versions.upsert({
      workflowExternalId: 'rt-async',
      version: '1',
      workflowDefinition: { tasks: [{ externalId: 'approve', type: 'function', parameters: { function: { externalId: 'fn-approve' }, isAsyncComplete: true } }] },
    });
    const run = await t.client.executions.run('rt-async', '1');
    const task = await until(async () => {
      const d = await t.client.executions.retrieve(run.id);
      const found = d.executedTasks.find((x) => x.externalId === 'approve' && x.status === 'IN_PROGRESS' && 'callId' in x.output);
      return found;
    }, 'the async task to be in progress');
    const updated = await t.client.tasks.update(task.id, 'COMPLETED', { output: { approvedBy: 'tester' } });
    assert.equal(updated.status, 'COMPLETED');
    assert.equal((updated.output as Record<string, unknown>)['approvedBy'], 'tester');
    const error = await rejection(() => t.client.tasks.update(task.id, 'done' as 'COMPLETED'));
    assert.ok(error instanceof InputError);
  });

  it('triggers: upsert with a fresh session, list, pause, resume, history, delete', async () => {
    await idleWorkflow(sandbox, t.client, 'rt-trig', '1');
    const trigger = await t.client.triggers.upsert({
      externalId: 'rt-trig-nightly',
      triggerRule: { triggerType: 'schedule', cronExpression: '0 3 * * *', timezone: 'Europe/Oslo' },
      workflowExternalId: 'rt-trig',
      workflowVersion: '1',
      input: { mode: 'nightly' },
      metadata: { owner: 'tests' },
    });
    assert.ok(isTriggerRuleOfType(trigger.triggerRule, 'schedule'));
    assert.equal(trigger.triggerRule.timezone, 'Europe/Oslo');
    assert.equal(countRequests(sandbox, 'POST', /\/sessions$/), 1);
    await t.client.triggers.pause('rt-trig-nightly');
    assert.equal((await t.client.triggers.list()).items.find((x) => x.externalId === 'rt-trig-nightly')?.isPaused, true);
    await t.client.triggers.resume('rt-trig-nightly');
    assert.equal((await collect(t.client.triggers.iterate())).find((x) => x.externalId === 'rt-trig-nightly')?.isPaused, false);
    assert.deepEqual((await t.client.triggers.history('rt-trig-nightly')).items, []);
    await t.client.triggers.delete('rt-trig-nightly');
    const gone = await rejection(() => t.client.triggers.history('rt-trig-nightly'));
    assert.ok(gone instanceof CdfApiError);
    assert.match(gone.message, /rt-trig-nightly/);
  });

  it('sessions: create from client credentials and by token exchange, list, revoke', async () => {
    const cc = await t.client.sessions.create();
    rememberSecret(cc.nonce);
    assert.equal(cc.type, 'CLIENT_CREDENTIALS');
    const te = await t.client.sessions.create({ kind: 'tokenExchange' });
    rememberSecret(te.nonce);
    assert.equal(te.type, 'TOKEN_EXCHANGE');
    const listed = await collect(t.client.sessions.iterate({ limit: 1000 }));
    assert.ok(listed.some((s) => s.id === cc.id));
    const revoked = await t.client.sessions.revoke([cc.id]);
    assert.equal(revoked[0].status, 'REVOKED');
  });

  it('files and functions: upload a zip, create, wait until Ready, call, read the call, schedule, delete', async () => {
    const zip = zipSync({ 'handler.py': strToU8('def handle(data):\n    return {"echo": data}\n') });
    const file = await t.client.files.create({ name: 'fn-rt.zip', externalId: 'fn-rt', mimeType: 'application/zip' }, { overwrite: true });
    assert.equal(file.uploaded, false);
    await t.client.files.upload(file.uploadUrl, zip, { mimeType: 'application/zip' });
    const uploaded = await t.client.files.waitUntilUploaded(file.id, { pollIntervalMs: 5 });
    assert.equal(uploaded.uploaded, true);

    const fn = await t.client.functions.create({ name: 'Round trip', externalId: 'fn-rt', fileId: file.id, secrets: { 'api-key': 'function-secret-value' } });
    rememberSecret('function-secret-value');
    assert.equal(fn.secrets?.['api-key'], '***');
    const ready = await t.client.functions.waitUntilDeployed(fn.id, { pollIntervalMs: 5 });
    assert.equal(ready.status, 'Ready');
    // Stubbed once Ready: calls answer from the stub instead of running python.
    sandbox.stubFunction('fn-rt', (data) => ({ durationMs: 1, response: { echo: data }, logs: ['hello from the stub'] }));
    assert.deepEqual((await t.client.functions.retrieveMany([{ externalId: 'fn-rt' }, { externalId: 'nope' }])).map((f) => f.id), [fn.id]);
    assert.ok((await t.client.functions.list()).some((f) => f.id === fn.id));

    const call = await t.client.functions.call(fn.id, { data: { x: 1 } });
    const done = await until(async () => {
      const c = await t.client.functions.retrieveCall(fn.id, call.id);
      return c.status === 'Running' ? undefined : c;
    }, 'the call to end');
    assert.equal(done.status, 'Completed');
    assert.deepEqual((await t.client.functions.callResponse(fn.id, call.id)).response, { echo: { x: 1 } });
    assert.deepEqual((await t.client.functions.callLogs(fn.id, call.id)).map((l) => l.message), ['hello from the stub']);
    assert.ok((await collect(t.client.functions.iterateCalls(fn.id))).some((c) => c.id === call.id));

    const limits = await t.client.functions.limits();
    assert.ok(limits.runtimes.includes('py312'));

    const schedule = await t.client.functionSchedules.create({ name: 'nightly', cronExpression: '0 22 * * *', functionId: fn.id, data: { mode: 'nightly' } });
    assert.equal(schedule.functionId, fn.id);
    assert.ok((await t.client.functionSchedules.list()).some((s) => s.id === schedule.id));
    assert.ok((await t.client.functionSchedules.list({ filter: { functionId: fn.id } })).some((s) => s.id === schedule.id));
    assert.equal((await t.client.functionSchedules.retrieve(schedule.id)).cronExpression, '0 22 * * *');
    await t.client.functionSchedules.delete([schedule.id]);
    await t.client.functions.delete([{ id: fn.id }]);
    await t.client.files.delete([{ id: file.id }]);
    assert.deepEqual(await t.client.files.retrieveMany([{ id: file.id }], { ignoreUnknownIds: true }), []);
  });

  for (const [name, path, call] of [
    ['function create', /\/functions$/, (c: TestClient) => c.client.functions.create({ name: 'n', fileId: 1 })],
    ['file create', /\/files$/, (c: TestClient) => c.client.files.create({ name: 'a.zip' })],
    ['schedule create', /\/functions\/schedules$/, (c: TestClient) => c.client.functionSchedules.create({ name: 'n', cronExpression: '* * * * *', functionId: 1 }, { nonce: 'n' })],
    ['function call', /\/functions\/\d+\/call$/, (c: TestClient) => c.client.functions.call(1, { nonce: 'n' })],
  ] as const) {
    it(`${name}: never resent after a 502`, async () => {
      sandbox.faults.add({ method: 'POST', path, count: 1, kind: 502 });
      const error = await rejection(() => call(t));
      assert.ok(error instanceof OutcomeUnknownError);
      assert.equal(countRequests(sandbox, 'POST', path), 1);
    });
  }

  it('token inspect: who the token is and its capabilities', async () => {
    const inspection = await t.client.tokenInspect();
    assert.ok(inspection.subject.length > 0);
    assert.ok(inspection.projects.some((p) => p.projectUrlName === 'sandbox'));
    assert.ok(inspection.capabilities.some((c) => 'workflowOrchestrationAcl' in c));
  });
});
