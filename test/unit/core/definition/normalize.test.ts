/* eslint-disable @typescript-eslint/no-explicit-any -- definitions are plain JSON here */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import {
  alignTrigger,
  alignVersion,
  alignWorkflow,
  canonicalVersion,
  describeDifferences,
  sameTrigger,
  sameVersion,
  sameWorkflow,
} from '../../../../src/core/definition/normalize';
import { publicDefinitions, SDK_EXECUTION } from '../../support/publicDefinitions';
import { type TestClient, useTestSandbox } from '../support/sandbox';

const version = (tasks: unknown[], extra: Record<string, unknown> = {}) => ({ workflowExternalId: 'wf', version: '1', workflowDefinition: { tasks, ...extra } });
const fn = (externalId: string, extra: Record<string, unknown> = {}, parameters: Record<string, unknown> = { function: { externalId: 'fn-x' } }) => ({ externalId, type: 'function', parameters, ...extra });

describe('core/definition normalisation of server defaults for diff', function () {
  this.timeout(30_000);
  let t: TestClient;
  useTestSandbox((_sandbox, c) => {
    t = c;
  });

  /** Upserts a version and reads it back as CDF (the sandbox) holds it. */
  const deployed = async (item: any): Promise<any> => {
    await t.client.versions.upsert(item);
    return t.client.versions.retrieve(item.workflowExternalId, item.version);
  };

  describe('real public definitions, deployed and read back', () => {
    const all = publicDefinitions();

    it('an unchanged definition compares equal, with no difference to describe', async () => {
      assert.ok(all.versions.length >= 10);
      for (const { source, scope, item } of all.versions) {
        const local = { ...item, workflowExternalId: `${scope}-${item.workflowExternalId}` };
        const answer = await deployed(local);
        assert.ok(sameVersion(local, answer), `${source}: ${describeDifferences('version', local, answer).join('; ')}`);
        assert.deepEqual(describeDifferences('version', local, answer), [], source);
      }
    });

    it('the deployed version aligned to the file is the file itself: nothing left to show in a diff', async () => {
      for (const { source, scope, item } of all.versions) {
        const local = { ...item, workflowExternalId: `${scope}-${item.workflowExternalId}` };
        const answer = await t.client.versions.retrieve(local.workflowExternalId, local.version);
        assert.deepEqual(alignVersion(answer, local), local, source);
      }
    });

    it('a definition as CDF returned it (recorded in the Python SDK tests) equals the same definition written without defaults', () => {
      const execution = JSON.parse(fs.readFileSync(SDK_EXECUTION, 'utf8'));
      const answer = { workflowExternalId: execution.workflowExternalId, version: execution.version, workflowDefinition: execution.workflowDefinition };
      const terse = structuredClone(answer);
      delete terse.workflowDefinition.hash;
      for (const task of terse.workflowDefinition.tasks) {
        if (task.onFailure === 'abortWorkflow') delete task.onFailure;
        if (task.timeout === 3600) delete task.timeout;
        if (Array.isArray(task.dependsOn) && task.dependsOn.length === 0) delete task.dependsOn;
      }
      assert.ok(sameVersion(terse, answer));
      assert.deepEqual(alignVersion(answer, terse), terse);
    });
  });

  it('treats task retries 3, timeout 3600, onFailure abortWorkflow and dependsOn [] as unset (toolkit#1525)', async () => {
    const local = version([fn('a'), fn('b', { dependsOn: [{ externalId: 'a' }] })]);
    const answer = await deployed(local);
    assert.deepEqual([answer.workflowDefinition.tasks[0].retries, answer.workflowDefinition.tasks[0].timeout, answer.workflowDefinition.tasks[0].onFailure], [3, 3600, 'abortWorkflow']);
    assert.ok(sameVersion(local, answer));
    assert.deepEqual(alignVersion(answer, local), local);
  });

  it('treats a transformation without concurrencyPolicy and useTransformationCredentials as "fail" and false (toolkit#1758)', async () => {
    const local = version([{ externalId: 't', type: 'transformation', parameters: { transformation: { externalId: 'tr' } } }]);
    const answer = await deployed({ ...local, workflowExternalId: 'wf-tr' });
    assert.equal(answer.workflowDefinition.tasks[0].parameters.transformation.concurrencyPolicy, 'fail');
    assert.ok(sameVersion({ ...local, workflowExternalId: 'wf-tr' }, answer));
    const changed = version([{ externalId: 't', type: 'transformation', parameters: { transformation: { externalId: 'tr', concurrencyPolicy: 'waitForCurrent' } } }]);
    assert.ok(!sameVersion({ ...changed, workflowExternalId: 'wf-tr' }, answer));
  });

  it('counts explicit nulls in the file as unset, and keeps them when aligning', () => {
    const local = version([fn('a', { retries: null, timeout: null, onFailure: null, dependsOn: null, name: null })]);
    const answer = version([fn('a', { retries: 3, timeout: 3600, onFailure: 'abortWorkflow', dependsOn: [] })], { hash: 'ABC' });
    assert.ok(sameVersion(local, answer));
    assert.deepEqual(alignVersion(answer, local), local);
  });

  it('counts function data {} and isAsyncComplete false as unset, in either place, and reads asyncComplete as isAsyncComplete', () => {
    const local = version([fn('a', {}, { function: { externalId: 'f', data: {} }, isAsyncComplete: false })]);
    const answer = version([fn('a', {}, { function: { externalId: 'f' } })]);
    assert.ok(sameVersion(local, answer));
    assert.deepEqual(alignVersion(answer, local), local);
    assert.ok(sameVersion(version([fn('a', {}, { function: { externalId: 'f' }, isAsyncComplete: true })]), version([fn('a', {}, { function: { externalId: 'f' }, asyncComplete: true })])));
    assert.ok(!sameVersion(version([fn('a', {}, { function: { externalId: 'f' }, isAsyncComplete: true })]), answer));
  });

  it('counts a cdf request without queryParameters, body and requestTimeoutInMillis as the SDK sends them ({}, {}, 10000)', () => {
    const local = version([{ externalId: 'c', type: 'cdf', parameters: { cdfRequest: { resourcePath: '/timeseries', method: 'GET' } } }]);
    const answer = version([{ externalId: 'c', type: 'cdf', parameters: { cdfRequest: { resourcePath: '/timeseries', method: 'GET', queryParameters: {}, body: {}, requestTimeoutInMillis: 10000 } } }]);
    assert.ok(sameVersion(local, answer));
    assert.ok(!sameVersion(local, version([{ externalId: 'c', type: 'cdf', parameters: { cdfRequest: { resourcePath: '/timeseries', method: 'GET', requestTimeoutInMillis: 500 } } }])));
  });

  it('ignores the order of tasks and of dependsOn, keeping the file order when aligning', () => {
    const local = version([fn('a'), fn('b'), fn('c', { dependsOn: [{ externalId: 'b' }, { externalId: 'a' }] })]);
    const answer = version([fn('c', { dependsOn: [{ externalId: 'a' }, { externalId: 'b' }] }), fn('a'), fn('b')]);
    assert.ok(sameVersion(local, answer));
    assert.deepEqual(alignVersion(answer, local), local);
  });

  it('compares function data and cdf bodies as plain JSON: a null inside is not the same as leaving the key out', () => {
    const a = version([fn('a', {}, { function: { externalId: 'f', data: { site: null } } })]);
    const b = version([fn('a', {}, { function: { externalId: 'f', data: {} } })]);
    assert.ok(!sameVersion(a, b));
    assert.deepEqual(describeDifferences('version', a, b), ['task "a" › parameters › function › data: {"site":null} in the file, not set in CDF']);
  });

  it('names what differs: a changed value, a task only on one side, the description', () => {
    const local = version([fn('a', { timeout: 7200 }), fn('new-task')], { description: 'Nightly' });
    const answer = version([fn('a'), fn('gone')], { hash: 'X' });
    assert.deepEqual(describeDifferences('version', local, answer), [
      'workflowDefinition › description: "Nightly" in the file, not set in CDF',
      'task "a" › timeout: 7200 in the file, not set in CDF',
      'task "new-task": only in the file',
      'task "gone": only in CDF',
    ]);
    assert.deepEqual(canonicalVersion(local), canonicalVersion(structuredClone(local)));
  });

  it('aligns a changed deployed version to the file: only what differs is left', () => {
    const local = version([fn('a', { retries: 3 }), fn('b', { dependsOn: [{ externalId: 'a' }] })]);
    const answer = version([fn('b', { retries: 3, timeout: 3600, onFailure: 'skipTask', dependsOn: [{ externalId: 'a' }] }), fn('a', { retries: 5, timeout: 3600, onFailure: 'abortWorkflow', dependsOn: [] })], { hash: 'H' });
    assert.deepEqual(alignVersion(answer, local), version([fn('a', { retries: 5 }), fn('b', { onFailure: 'skipTask', dependsOn: [{ externalId: 'a' }] })]));
  });

  it('workflows: a null or absent description and maxConcurrentExecutions are the same; times are ignored', () => {
    const answer = { externalId: 'wf', description: 'Daily', createdTime: 1, lastUpdatedTime: 2 };
    assert.ok(sameWorkflow({ externalId: 'wf', description: 'Daily', maxConcurrentExecutions: null }, answer));
    assert.ok(!sameWorkflow({ externalId: 'wf' }, answer));
    assert.deepEqual(alignWorkflow(answer, { externalId: 'wf', description: 'Daily' }), { externalId: 'wf', description: 'Daily' });
  });

  it('triggers: timezone UTC, empty input and metadata are defaults; the Toolkit authentication is not compared', () => {
    const local = {
      externalId: 'tr',
      triggerRule: { triggerType: 'schedule', cronExpression: '0 4 * * *' },
      workflowExternalId: 'wf',
      workflowVersion: '1',
      authentication: { clientId: '${IDP_CLIENT_ID}', clientSecret: '${IDP_CLIENT_SECRET}' },
    };
    const answer = { ...local, triggerRule: { ...local.triggerRule, timezone: 'UTC' }, input: {}, metadata: {}, isPaused: false, createdTime: 1, lastUpdatedTime: 1 };
    delete (answer as any).authentication;
    assert.ok(sameTrigger(local, answer));
    assert.deepEqual(alignTrigger(answer, local), local);
    assert.ok(!sameTrigger({ ...local, triggerRule: { ...local.triggerRule, timezone: 'Europe/Oslo' } }, answer));
  });
});
