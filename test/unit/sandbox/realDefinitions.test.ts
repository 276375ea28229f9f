/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- response bodies are read loosely once the harness has checked them against the spec */
// The sandbox takes definitions as CDF does: what the Python SDK's integration tests and real public
// Toolkit modules send, and what CDF answers for them (REFERENCE §2.2, TOOLKIT.md §3, §7).
import * as assert from 'node:assert/strict';
import { ManualClock } from '../../../src/sandbox';
import { publicDefinitions } from '../support/publicDefinitions';
import { Harness } from './harness';

describe('sandbox takes real definitions as CDF does', function () {
  this.timeout(30_000);
  const clock = new ManualClock(Date.UTC(2026, 2, 1));
  let h: Harness;
  before(async () => {
    h = await Harness.start({ clock, functionDeployMs: { queued: 100, deploying: 100 } });
  });
  after(async () => {
    await h?.close();
  });

  const upsertVersion = (workflowExternalId: string, version: string, tasks: unknown[], o: { noSpec?: boolean } = {}) =>
    h.call('POST', '/workflows/versions', { items: [{ workflowExternalId, version, workflowDefinition: { tasks } }] }, o);

  const runToEnd = async (workflowExternalId: string, version: string): Promise<any> => {
    const started = await h.run(workflowExternalId, version);
    for (let i = 0; i < 200; i++) {
      const e = await h.execution(started.id);
      if (e.status !== 'RUNNING') return e;
      await clock.advance(500);
    }
    throw new Error(`execution ${started.id} did not end`);
  };

  it('creates the workflow when a version of a workflow that does not exist yet is upserted', async () => {
    assert.equal((await h.call('GET', '/workflows/wf-born-with-version')).status, 404);
    const r = await upsertVersion('wf-born-with-version', '1', [{ externalId: 'list-ts', type: 'cdf', parameters: { cdfRequest: { resourcePath: '/timeseries', method: 'GET' } } }]);
    assert.equal(r.status, 200);
    const w = await h.call('GET', '/workflows/wf-born-with-version');
    assert.equal(w.status, 200);
    assert.equal(w.body.externalId, 'wf-born-with-version');
    assert.equal(w.body.description, undefined, 'nothing but the external id is made up');
    const listed = await h.call('GET', '/workflows?limit=1000');
    assert.ok(listed.body.items.some((x: any) => x.externalId === 'wf-born-with-version'));
    // The next version finds the workflow and keeps its createdTime.
    await clock.advance(1000);
    assert.equal((await upsertVersion('wf-born-with-version', '2', [{ externalId: 'a', type: 'transformation', parameters: { transformation: { externalId: 'tr' } } }])).status, 200);
    assert.equal((await h.call('GET', '/workflows/wf-born-with-version')).body.createdTime, w.body.createdTime);
  });

  it('returns function tasks without an isAsyncComplete they were not given, and keeps one they were', async () => {
    const v = (
      await upsertVersion('wf-async-flags', '1', [
        { externalId: 'plain', type: 'function', parameters: { function: { externalId: 'fn' } } },
        { externalId: 'explicit-false', type: 'function', parameters: { function: { externalId: 'fn' }, isAsyncComplete: false } },
        { externalId: 'async', type: 'function', parameters: { function: { externalId: 'fn' }, isAsyncComplete: true } },
      ])
    ).body.items[0];
    const [plain, explicitFalse, asyncTask] = v.workflowDefinition.tasks;
    assert.deepEqual(plain.parameters, { function: { externalId: 'fn' } });
    assert.deepEqual(explicitFalse.parameters, { function: { externalId: 'fn' }, isAsyncComplete: false });
    assert.deepEqual(asyncTask.parameters, { function: { externalId: 'fn' }, isAsyncComplete: true });
    const read = await h.call('GET', '/workflows/wf-async-flags/versions/1');
    assert.deepEqual(read.body.workflowDefinition.tasks[0].parameters, { function: { externalId: 'fn' } });
  });

  it('answers transformation tasks with the server defaults concurrencyPolicy "fail" and useTransformationCredentials false', async () => {
    const v = (
      await upsertVersion('wf-tr-defaults', '1', [
        { externalId: 'bare', type: 'transformation', parameters: { transformation: { externalId: 'tr-a' } } },
        { externalId: 'set', type: 'transformation', parameters: { transformation: { externalId: 'tr-b', concurrencyPolicy: 'waitForCurrent', useTransformationCredentials: true } } },
      ])
    ).body.items[0];
    assert.deepEqual(v.workflowDefinition.tasks[0].parameters, { transformation: { externalId: 'tr-a', concurrencyPolicy: 'fail', useTransformationCredentials: false } });
    assert.deepEqual(v.workflowDefinition.tasks[1].parameters, { transformation: { externalId: 'tr-b', concurrencyPolicy: 'waitForCurrent', useTransformationCredentials: true } });
  });

  it('gives a function task whose handler returns None a null output response, not {}', async () => {
    await h.deployFunction('fn-returns-none', { 'handler.py': 'def handle(data):\n    print("nothing to return")\n' });
    await clock.advance(500);
    await upsertVersion('wf-none', '1', [{ externalId: 'call', type: 'function', parameters: { function: { externalId: 'fn-returns-none' } } }]);
    const e = await runToEnd('wf-none', '1');
    assert.equal(e.status, 'COMPLETED');
    const task = e.executedTasks.find((t: any) => t.externalId === 'call');
    assert.ok('response' in task.output, 'the output has a response key');
    assert.equal(task.output.response, null);
    assert.equal(typeof task.output.callId, 'number');
  });

  it('stores functionApp tasks (shape of TOOLKIT.md §3) and fails them at run time saying the sandbox has no function apps', async () => {
    const task = {
      externalId: 'call-app',
      type: 'functionApp',
      name: 'Call the app',
      parameters: { functionApp: { externalId: 'my-app', path: '/process/run', method: 'POST', parameters: { mode: 'full' }, body: { dryRun: false } } },
      dependsOn: [],
    };
    // The stable spec knows no functionApp: the answer is checked by hand.
    const r = await upsertVersion('wf-app', '1', [task], { noSpec: true });
    assert.equal(r.status, 200, r.text);
    const stored = r.body.items[0].workflowDefinition.tasks[0];
    assert.equal(stored.type, 'functionApp');
    assert.deepEqual(stored.parameters, task.parameters);
    const bad = await upsertVersion('wf-app', '2', [{ ...task, parameters: { functionApp: { externalId: 'my-app' } } }], { noSpec: true });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /parameters\.functionApp\.path: is required/);
    const badMethod = await upsertVersion('wf-app', '2', [{ ...task, parameters: { functionApp: { externalId: 'my-app', path: '/x', method: 'TRACE' } } }], { noSpec: true });
    assert.match(badMethod.body.error.message, /parameters\.functionApp\.method: must be one of "GET", "POST", "PUT", "DELETE", "PATCH"/);
    const started = await h.call('POST', '/workflows/wf-app/versions/1/run', { authentication: { nonce: await h.nonce() } }, { noSpec: true });
    assert.equal(started.status, 202);
    let e: any;
    for (let i = 0; i < 20; i++) {
      e = (await h.call('GET', `/workflows/executions/${started.body.id}`, undefined, { noSpec: true })).body;
      if (e.status !== 'RUNNING') break;
      await clock.advance(500);
    }
    assert.equal(e.status, 'FAILED');
    assert.match(e.executedTasks[0].reasonForIncompletion, /cannot run them: it has no Cognite Function apps/);
  });

  it('stores recordStream triggers with the SDK and Toolkit shape, and refuses a bad one naming the field', async () => {
    await upsertVersion('wf-records', '1', [{ externalId: 'a', type: 'transformation', parameters: { transformation: { externalId: 'tr' } } }]);
    const rule = {
      triggerType: 'recordStream',
      streamExternalId: 'pump-events',
      batchSize: 50,
      batchTimeout: 60,
      filter: { equals: { property: ['space', 'container', 'status'], value: 'alarm' } },
      sources: [{ source: { type: 'container', space: 'space', externalId: 'container' }, properties: ['*'] }],
      initializeCursor: '6h-ago',
    };
    const upsert = async (triggerRule: unknown) =>
      h.call('POST', '/workflows/triggers', { items: [{ externalId: 'on-records', triggerRule, workflowExternalId: 'wf-records', workflowVersion: '1', authentication: { nonce: await h.nonce() } }] }, { noSpec: true });
    const r = await upsert(rule);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.items[0].triggerRule, rule);
    const listed = (await h.call('GET', '/workflows/triggers', undefined, { noSpec: true })).body.items.find((t: any) => t.externalId === 'on-records');
    assert.deepEqual(listed.triggerRule, rule);
    const tooBig = await upsert({ ...rule, batchSize: 101 });
    assert.equal(tooBig.status, 400);
    assert.match(tooBig.body.error.message, /^items\[0\]\.triggerRule\.batchSize: must be less than or equal to 100/);
    const badStream = await upsert({ ...rule, streamExternalId: 'Pump Events' });
    assert.match(badStream.body.error.message, /^items\[0\]\.triggerRule\.streamExternalId: must be a stream external id/);
    // It never fires: the sandbox has no record streams.
    await clock.advance(3_600_000);
    assert.equal((await h.call('GET', '/workflows/triggers/on-records/history', undefined, { noSpec: true })).body.items.length, 0);
  });

  it('fails a cdf task that calls an API the sandbox does not emulate with a reason that says so', async () => {
    await upsertVersion('wf-foreign-api', '1', [
      { externalId: 'list-ts', type: 'cdf', parameters: { cdfRequest: { resourcePath: '/timeseries/list', method: 'POST', body: { limit: 10 } } }, retries: 0 },
    ]);
    const e = await runToEnd('wf-foreign-api', '1');
    assert.equal(e.status, 'FAILED');
    const task = e.executedTasks[0];
    assert.equal(task.status, 'FAILED');
    assert.match(task.reasonForIncompletion, /The local sandbox does not emulate POST \/timeseries\/list: it has only the Data Workflows, Sessions, Functions and Files APIs/);
    // An emulated endpoint still answers; a known path with another method gets the API's own 405.
    await upsertVersion('wf-own-api', '1', [
      { externalId: 'list-wf', type: 'cdf', parameters: { cdfRequest: { resourcePath: '/workflows', method: 'GET' } } },
      { externalId: 'wrong-method', type: 'cdf', parameters: { cdfRequest: { resourcePath: '/workflows', method: 'PUT', body: {} } }, retries: 0, dependsOn: [{ externalId: 'list-wf' }] },
    ]);
    const own = await runToEnd('wf-own-api', '1');
    const [listWf, wrong] = own.executedTasks;
    assert.equal(listWf.status, 'COMPLETED');
    assert.equal(listWf.output.statusCode, 200);
    assert.equal(wrong.status, 'FAILED');
    assert.match(wrong.reasonForIncompletion, /answered 405/);
  });

  it('looks data sets up by id or external id, as the Toolkit does for a workflow\'s dataSetExternalId', async () => {
    const created = await h.call('POST', '/datasets', { items: [{ externalId: 'ds_complete_org', name: 'Complete org' }] }, { noSpec: true });
    assert.equal(created.status, 201, created.text);
    const id = created.body.items[0].id;
    const again = await h.call('POST', '/datasets', { items: [{ externalId: 'ds_complete_org' }] }, { noSpec: true });
    assert.equal(again.status, 409);
    assert.deepEqual(again.body.error.duplicated, [{ externalId: 'ds_complete_org' }]);
    const byExternalId = await h.call('POST', '/datasets/byids', { items: [{ externalId: 'ds_complete_org' }, { id }] }, { noSpec: true });
    assert.deepEqual(byExternalId.body.items.map((d: any) => [d.id, d.externalId]), [[id, 'ds_complete_org'], [id, 'ds_complete_org']]);
    const unknown = await h.call('POST', '/datasets/byids', { items: [{ externalId: 'ds_nowhere' }] }, { noSpec: true });
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.body.error.missing, [{ externalId: 'ds_nowhere' }]);
    const ignored = await h.call('POST', '/datasets/byids', { items: [{ externalId: 'ds_nowhere' }], ignoreUnknownIds: true }, { noSpec: true });
    assert.deepEqual(ignored.body.items, []);
  });

  describe('public definitions from cognitedata/toolkit, cognitedata/library and the Python SDK', () => {
    const all = publicDefinitions();

    it('finds the fixtures', () => {
      assert.ok(all.versions.length >= 10, `only ${all.versions.length} versions`);
      assert.ok(all.triggers.length >= 8, `only ${all.triggers.length} triggers`);
    });

    it('accepts every workflow, version and trigger as CDF does (each version upserted before its workflow exists)', async () => {
      const refused: string[] = [];
      // Modules of different repositories reuse workflow and trigger ids: each folder gets its own.
      for (const d of [...all.versions, ...all.triggers]) d.item.workflowExternalId = `${d.scope}-${d.item.workflowExternalId}`;
      for (const d of [...all.workflows, ...all.triggers]) d.item.externalId = `${d.scope}-${d.item.externalId}`;
      for (const { source, item } of all.versions) {
        const r = await h.call('POST', '/workflows/versions', { items: [item] });
        if (r.status !== 200) refused.push(`${source}: ${r.status} ${r.text}`);
      }
      for (const { source, item } of all.workflows) {
        const r = await h.call('POST', '/workflows', { items: [item] });
        if (r.status !== 200) refused.push(`${source}: ${r.status} ${r.text}`);
      }
      for (const { source, item } of all.triggers) {
        const r = await h.call('POST', '/workflows/triggers', { items: [{ ...item, authentication: { nonce: await h.nonce() } }] }, { noSpec: true });
        if (r.status !== 200) refused.push(`${source}: ${r.status} ${r.text}`);
      }
      assert.deepEqual(refused, []);
    });

    it('answers each version with what was sent plus the server defaults only', async () => {
      for (const { source, item } of all.versions) {
        const r = await h.call('GET', `/workflows/${encodeURIComponent(item.workflowExternalId)}/versions/${encodeURIComponent(item.version)}`);
        assert.equal(r.status, 200, source);
        const sent = item.workflowDefinition.tasks as any[];
        const got = r.body.workflowDefinition.tasks as any[];
        assert.deepEqual(got.map((t) => t.externalId), sent.map((t) => t.externalId), source);
        got.forEach((task, i) => {
          const mine = sent[i];
          for (const key of ['retries', 'timeout', 'onFailure']) {
            if (mine[key] != null) assert.equal(task[key], mine[key], `${source} ${task.externalId}.${key}`);
          }
          assert.deepEqual(task.dependsOn, mine.dependsOn ?? [], `${source} ${task.externalId}.dependsOn`);
          if (task.type === 'function') {
            assert.equal('isAsyncComplete' in task.parameters, 'isAsyncComplete' in mine.parameters, `${source} ${task.externalId}.isAsyncComplete`);
            assert.deepEqual(task.parameters.function, mine.parameters.function, `${source} ${task.externalId}.parameters`);
          }
        });
      }
    });
  });
});
