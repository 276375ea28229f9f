// FunctionSchedulesApi.inputData: reads back the data a schedule passes to its function (the tree uses it
// to find the schedules that start a workflow).
import assert from 'node:assert/strict';
import { type Sandbox } from '../../../../src/sandbox/index';
import { countRequests, startTestSandbox, testClient, type TestClient } from '../support/sandbox';
import { rejection } from '../support/secretScan';

describe('core/api function schedule input data', function () {
  let sandbox: Sandbox;
  let t: TestClient;
  let functionId: number;

  before(async () => {
    sandbox = await startTestSandbox();
    t = testClient(sandbox);
    sandbox.stubFunction('fn-trigger', { response: {} });
    const [fn] = await t.client.functions.list({ filter: { externalIdPrefix: 'fn-trigger' } });
    functionId = fn.id;
  });
  after(async () => {
    await t?.client.close();
    await sandbox?.close();
  });

  it('returns the data a schedule was created with, in one GET of input_data', async () => {
    const data = { workflowExternalId: 'daily-report', version: '1', input: { reportDate: 'today' } };
    const schedule = await t.client.functionSchedules.create({ name: 'daily', cronExpression: '15 6 * * *', functionId, data });
    sandbox.requests.reset();
    assert.deepEqual(await t.client.functionSchedules.inputData(schedule.id), data);
    assert.equal(countRequests(sandbox, 'GET', new RegExp(`/functions/schedules/${schedule.id}/input_data$`)), 1);
    assert.equal(sandbox.requests.count(), 1);
  });

  it('returns undefined for a schedule without data', async () => {
    const schedule = await t.client.functionSchedules.create({ name: 'no data', cronExpression: '0 * * * *', functionId });
    assert.equal(await t.client.functionSchedules.inputData(schedule.id), undefined);
  });

  it('fails with a 404 API error naming the schedule when it does not exist', async () => {
    const error = await rejection(() => t.client.functionSchedules.inputData(424242));
    assert.equal((error as { kind?: string }).kind, 'api');
    assert.equal((error as { status?: number }).status, 404);
    assert.match(error.message, /424242/);
  });
});
