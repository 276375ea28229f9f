// The client's zod-parsed shapes must fit the structural types these pure modules take, so callers pass
// what the client returns without mapping. A mismatch fails the typecheck; the runtime checks below use
// payloads shaped like the API's (REFERENCE examples) parsed by the client's own schemas.
import * as assert from 'node:assert/strict';
import { type WorkflowDefinitionLike, checkDefinition, topologicalOrder } from '../../../../src/core/definition';
import { missingInputReferences } from '../../../../src/core/run';
import { executionDetailed } from '../../../../src/core/schemas/executions';
import { type WorkflowVersion, type WorkflowVersionUpsert, workflowVersion } from '../../../../src/core/schemas/workflows';
import { type WatchedExecution, defaultFingerprint } from '../../../../src/core/watch';

const versionPayload = {
  workflowExternalId: 'daily-asset-sync',
  version: '3',
  createdTime: 1767225600000,
  lastUpdatedTime: 1767225600000,
  workflowDefinition: {
    hash: '5C0E2B9A41D7F3E86A1B24C9D07E5F3B8A6C1D92',
    tasks: [
      {
        externalId: 'fetch-config',
        type: 'cdf',
        parameters: { cdfRequest: { resourcePath: '/raw/dbs/sync_config/tables/sites/rows', method: 'GET' } },
        retries: 2,
        timeout: 300,
        onFailure: 'abortWorkflow',
        dependsOn: [],
      },
      {
        externalId: 'plan-batches',
        type: 'function',
        parameters: { function: { externalId: 'fn-plan-batches', data: { sites: '${fetch-config.output.response.items}', runDate: '${workflow.input.runDate}' } } },
        dependsOn: [{ externalId: 'fetch-config' }],
      },
      {
        externalId: 'process-batches',
        type: 'dynamic',
        parameters: { dynamic: { tasks: '${plan-batches.output.response.tasks}' } },
        onFailure: 'skipTask',
        dependsOn: [{ externalId: 'plan-batches' }],
      },
      {
        externalId: 'publish',
        type: 'subworkflow',
        parameters: { subworkflow: { workflowExternalId: 'publish-results', version: '2' } },
        dependsOn: [{ externalId: 'process-batches' }],
      },
    ],
  },
};

describe('core pure modules take what the client returns', () => {
  it('checks a version parsed by the client schema', () => {
    const version: WorkflowVersion = workflowVersion.parse(versionPayload);
    const definition: WorkflowDefinitionLike = version.workflowDefinition;
    assert.deepEqual(checkDefinition(definition), []);
    assert.deepEqual(topologicalOrder(definition), ['fetch-config', 'plan-batches', 'process-batches', 'publish']);
    assert.deepEqual(missingInputReferences(definition, {}).map((m) => m.path), ['runDate']);
  });

  it('checks an upsert body before it is sent', () => {
    const upsert: WorkflowVersionUpsert = { workflowExternalId: 'w', version: '1', workflowDefinition: { tasks: [] } };
    const definition: WorkflowDefinitionLike = upsert.workflowDefinition;
    assert.deepEqual(checkDefinition(definition), []);
  });

  it('fingerprints a detailed execution parsed by the client schema', () => {
    const parsed = executionDetailed.parse({
      id: '3f2b8c1e-7d4a-4e0b-9c55-0a1d2e3f4b5c',
      workflowExternalId: 'daily-asset-sync',
      version: '3',
      status: 'RUNNING',
      engineExecutionId: 'a8e1c9d2-5b3f-4a67-8e21-6c4d9b0f1e23',
      createdTime: 1767225600000,
      metadata: {},
      workflowDefinition: versionPayload.workflowDefinition,
      executedTasks: [
        { id: '11111111-1111-4111-8111-111111111111', externalId: 'fetch-config', status: 'COMPLETED', taskType: 'cdf', input: {}, output: {}, endTime: 1767225601000 },
      ],
    });
    const execution: WatchedExecution = parsed;
    assert.equal(defaultFingerprint(execution), JSON.stringify(['RUNNING', null, [['11111111-1111-4111-8111-111111111111', 'COMPLETED', 1767225601000]]]));
  });
});
