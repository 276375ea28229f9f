import * as assert from 'node:assert/strict';
import { describeExecutionCount, executeDeploy, planDeploy, suggestNewVersion } from '../../../../src/core/definition/deploy';
import { InputError } from '../../../../src/core/errors';
import { type Sandbox } from '../../../../src/sandbox/index';
import { rejection } from '../support/secretScan';
import { startTestSandbox, testClient, type TestClient, useSandboxCleanup } from '../support/sandbox';

const tasks = (timeout = 3600) => [
  { externalId: 'plan', type: 'function', parameters: { function: { externalId: 'fn-plan' } } },
  { externalId: 'load', type: 'transformation', parameters: { transformation: { externalId: 'tr-load' } }, dependsOn: [{ externalId: 'plan' }], timeout },
];
const versionItem = (workflowExternalId: string, version = '1', timeout?: number) => ({ workflowExternalId, version, workflowDefinition: { description: 'Loads', tasks: tasks(timeout) } });

describe('core/definition deploy plan', function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  let t: TestClient;
  before(async () => {
    sandbox = await startTestSandbox({ seed: 'demo' });
    t = testClient(sandbox);
    await t.client.workflows.list(); // token cached: the counts below are API requests only
  });
  useSandboxCleanup(() => ({ sandbox, t }));

  /** The API requests made since the last reset, as "METHOD /path" relative to the project. */
  const requests = () => sandbox.requests.list.map((r) => `${r.method} ${r.path.replace(/^\/api\/v1\/projects\/[^/]+/, '')}`);

  it('creates a new workflow and version: one read, two writes', async () => {
    sandbox.requests.reset();
    const plan = await planDeploy(t.client, { version: versionItem('wf-new') });
    assert.equal(plan.workflow.action, 'create');
    assert.equal(plan.version.action, 'create');
    assert.deepEqual(requests(), ['GET /workflows/wf-new']);
    const result = await executeDeploy(t.client, plan);
    assert.deepEqual(requests(), ['GET /workflows/wf-new', 'POST /workflows', 'POST /workflows/versions']);
    assert.equal(result.version.version, '1');
    assert.equal((await t.client.workflows.retrieve('wf-new')).description, undefined, 'no workflow file: nothing but the id');
  });

  it('does nothing for an unchanged definition: two reads, no write', async () => {
    sandbox.requests.reset();
    const plan = await planDeploy(t.client, { version: versionItem('wf-new') });
    assert.equal(plan.workflow.action, 'keep');
    assert.equal(plan.version.action, 'unchanged');
    assert.equal(plan.version.executions, undefined);
    const result = await executeDeploy(t.client, plan);
    assert.equal(result.versionAction, 'unchanged');
    assert.deepEqual(requests(), ['GET /workflows/wf-new', 'GET /workflows/wf-new/versions/1']);
  });

  it('counts the executions of a version that differs, and overwrites it with one write', async () => {
    sandbox.insertExecutions({ workflowExternalId: 'wf-new', version: '1', count: 3 });
    sandbox.requests.reset();
    const plan = await planDeploy(t.client, { version: versionItem('wf-new', '1', 7200) });
    assert.equal(plan.version.action, 'update');
    assert.deepEqual(plan.version.executions, { count: 3, more: false });
    assert.equal(describeExecutionCount(plan.version.executions), '3 executions');
    assert.deepEqual(plan.version.differences, ['task "load" › timeout: 7200 in the file, not set in CDF']);
    assert.deepEqual(requests(), ['GET /workflows/wf-new', 'GET /workflows/wf-new/versions/1', 'POST /workflows/executions/list']);
    await executeDeploy(t.client, plan);
    assert.deepEqual(requests().slice(3), ['POST /workflows/versions']);
    assert.equal((await t.client.versions.retrieve('wf-new', '1')).workflowDefinition.tasks[1].timeout, 7200);
  });

  it('says 1,000+ when a version has more executions than one page', () => {
    assert.equal(describeExecutionCount({ count: 1000, more: true }), '1,000+ executions');
    assert.equal(describeExecutionCount({ count: 1, more: false }), '1 execution');
  });

  it('deploys as a new version under another name, leaving the deployed one as it was', async () => {
    const plan = await planDeploy(t.client, { version: versionItem('wf-new', '1', 600) });
    const { suggestion, taken } = await suggestNewVersion(t.client, 'wf-new', '1');
    assert.equal(suggestion, '2');
    assert.ok(taken.has('1'));
    sandbox.requests.reset();
    const result = await executeDeploy(t.client, plan, { asVersion: suggestion });
    assert.equal(result.versionAction, 'create');
    assert.deepEqual(requests(), ['POST /workflows/versions']);
    assert.equal((await t.client.versions.retrieve('wf-new', '2')).workflowDefinition.tasks[1].timeout, 600);
    assert.equal((await t.client.versions.retrieve('wf-new', '1')).workflowDefinition.tasks[1].timeout, 7200);
    assert.equal((await suggestNewVersion(t.client, 'wf-new', 'v7')).suggestion, 'v8');
    assert.equal((await suggestNewVersion(t.client, 'wf-new', 'beta')).suggestion, 'beta-2');
  });

  it('upserts the workflow from its Toolkit file, looking its data set up by external id', async () => {
    const workflow = { externalId: 'wf-new', description: 'Loads the plan', dataSetExternalId: 'ds_ingestion', maxConcurrentExecutions: 2 };
    sandbox.requests.reset();
    const plan = await planDeploy(t.client, { version: versionItem('wf-new', '1', 7200), workflow });
    assert.equal(plan.workflow.action, 'update');
    assert.equal(plan.version.action, 'unchanged');
    assert.deepEqual(requests(), ['POST /datasets/byids', 'GET /workflows/wf-new', 'GET /workflows/wf-new/versions/1']);
    await executeDeploy(t.client, plan);
    const stored = await t.client.workflows.retrieve('wf-new');
    assert.equal(stored.description, 'Loads the plan');
    assert.equal(stored.maxConcurrentExecutions, 2);
    const [ds] = await t.client.dataSets.retrieve([{ externalId: 'ds_ingestion' }]);
    assert.equal(stored.dataSetId, ds?.id);
    // The same file again: nothing to do.
    assert.equal((await planDeploy(t.client, { version: versionItem('wf-new', '1', 7200), workflow })).workflow.action, 'unchanged');
  });

  it('refuses a data set that does not exist, a workflow file for another workflow, and a version without its keys, before writing', async () => {
    sandbox.requests.reset();
    const unknown = await rejection(() => planDeploy(t.client, { version: versionItem('wf-new'), workflow: { externalId: 'wf-new', dataSetExternalId: 'ds_nowhere' } }));
    assert.ok(unknown instanceof InputError);
    assert.match(unknown.message, /names data set "ds_nowhere", which does not exist in project sandbox\. Create the data set, or remove dataSetExternalId/);
    const other = await rejection(() => planDeploy(t.client, { version: versionItem('wf-new'), workflow: { externalId: 'wf-other' } }));
    assert.match(other.message, /The workflow file is for "wf-other" but the version belongs to "wf-new"/);
    const noVersion = await rejection(() => planDeploy(t.client, { version: { workflowExternalId: 'wf-new', workflowDefinition: { tasks: [] } } }));
    assert.match(noVersion.message, /has no version: add one/);
    assert.ok(requests().every((r) => !r.startsWith('POST /workflows')), requests().join(', '));
  });

  it('deletes the workflow it created when CDF refuses the version, so nothing is left half made', async () => {
    const plan = await planDeploy(t.client, { version: { workflowExternalId: 'wf-refused', version: '1', workflowDefinition: { tasks: [{ externalId: 'a', type: 'function', parameters: { function: { externalId: 'f' } }, retries: 11 }] } } });
    assert.equal(plan.workflow.action, 'create');
    sandbox.requests.reset();
    const error = await rejection(() => executeDeploy(t.client, plan));
    assert.match(error.message, /retries: must be less than or equal to 10/);
    assert.deepEqual(requests(), ['POST /workflows', 'POST /workflows/versions', 'POST /workflows/delete']);
    assert.equal((await t.client.workflows.list({ limit: 1000 })).items.some((w) => w.externalId === 'wf-refused'), false);
    // A workflow that existed before is left as it is.
    await t.client.workflows.upsert({ externalId: 'wf-kept', description: 'mine' });
    const kept = await planDeploy(t.client, { version: { workflowExternalId: 'wf-kept', version: '1', workflowDefinition: { tasks: [{ externalId: 'a', type: 'nope', parameters: {} }] } } });
    await rejection(() => executeDeploy(t.client, kept));
    assert.equal((await t.client.workflows.retrieve('wf-kept')).description, 'mine');
  });

  it('writes a numeric version from YAML as text', async () => {
    const plan = await planDeploy(t.client, { version: { ...versionItem('wf-numeric'), version: 4 } });
    assert.equal(plan.version.body.version, '4');
    await executeDeploy(t.client, plan);
    assert.equal((await t.client.versions.retrieve('wf-numeric', '4')).version, '4');
  });
});
