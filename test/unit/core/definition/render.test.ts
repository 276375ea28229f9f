 
import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { sameVersion, sameWorkflow } from '../../../../src/core/definition/normalize';
import { asUpsertBody, definitionFileName, renderResource, sanitizeFileName } from '../../../../src/core/definition/render';
import { publicDefinitions } from '../../support/publicDefinitions';
import { type TestClient, useTestSandbox } from '../support/sandbox';

describe('core/definition rendering deployed resources as files', function () {
  this.timeout(30_000);
  let t: TestClient;
  useTestSandbox((_sandbox, c) => {
    t = c;
  });

  it('names files as cdf dump does', () => {
    assert.equal(definitionFileName('version', { workflowExternalId: 'daily-asset-sync', version: '2' }, 'toolkit'), 'daily-asset-sync_v2.WorkflowVersion.yaml');
    assert.equal(definitionFileName('version', { workflowExternalId: 'daily-asset-sync', version: 'v3' }, 'toolkit'), 'daily-asset-sync_v3.WorkflowVersion.yaml');
    assert.equal(definitionFileName('version', { workflowExternalId: 'daily sync: eu/west', version: '1' }, 'toolkit'), 'daily_sync_eu_west_v1.WorkflowVersion.yaml');
    assert.equal(definitionFileName('workflow', { externalId: 'daily-asset-sync' }, 'toolkit'), 'daily-asset-sync.Workflow.yaml');
    assert.equal(definitionFileName('trigger', { externalId: 'nightly' }, 'toolkit'), 'nightly.WorkflowTrigger.yaml');
    assert.equal(definitionFileName('version', { workflowExternalId: 'wf', version: '2' }, 'api'), 'wf_v2.WorkflowVersion.json');
    assert.equal(sanitizeFileName('a  b?*c'), 'a_b_c');
  });

  it('writes a deployed version as Toolkit YAML in the Toolkit key order, without what only answers carry', async () => {
    await t.client.versions.upsert({
      workflowExternalId: 'daily-asset-sync',
      version: '2',
      workflowDefinition: {
        description: 'Nightly sync',
        tasks: [
          { externalId: 'load', type: 'transformation', parameters: { transformation: { externalId: 'tr-load' } }, dependsOn: [{ externalId: 'plan' }], onFailure: 'skipTask' },
          { parameters: { function: { data: { runDate: '${workflow.input.runDate}' }, externalId: 'fn-plan' } }, type: 'function', externalId: 'plan', name: 'Plan' },
        ],
      },
    });
    const answer = await t.client.versions.retrieve('daily-asset-sync', '2');
    assert.match(answer.workflowDefinition.hash, /^[0-9A-F]{40}$/);
    const text = renderResource('version', asUpsertBody('version', answer), 'toolkit');
    assert.equal(
      text,
      [
        'workflowExternalId: daily-asset-sync',
        "version: '2'",
        'workflowDefinition:',
        '  description: Nightly sync',
        '  tasks:',
        '  - externalId: load',
        '    type: transformation',
        '    retries: 3',
        '    timeout: 3600',
        '    onFailure: skipTask',
        '    dependsOn:',
        '    - externalId: plan',
        '    parameters:',
        '      transformation:',
        '        externalId: tr-load',
        '        concurrencyPolicy: fail',
        '        useTransformationCredentials: false',
        '  - externalId: plan',
        '    type: function',
        '    name: Plan',
        '    retries: 3',
        '    timeout: 3600',
        '    onFailure: abortWorkflow',
        '    dependsOn: []',
        '    parameters:',
        '      function:',
        '        externalId: fn-plan',
        '        data:',
        '          runDate: ${workflow.input.runDate}',
        '',
      ].join('\n'),
    );
    const json = JSON.parse(renderResource('version', asUpsertBody('version', answer), 'api'));
    assert.deepEqual(Object.keys(json), ['workflowExternalId', 'version', 'workflowDefinition']);
    assert.equal(json.workflowDefinition.hash, undefined);
    assert.equal(json.createdTime, undefined);
    assert.deepEqual(Object.keys(json.workflowDefinition.tasks[1]), ['externalId', 'type', 'name', 'retries', 'timeout', 'onFailure', 'dependsOn', 'parameters']);
  });

  it('writes a workflow without its times, keys in the Toolkit order', async () => {
    const answer = await t.client.workflows.upsert({ maxConcurrentExecutions: 3, externalId: 'wf-render', description: 'Renders' });
    assert.equal(renderResource('workflow', asUpsertBody('workflow', answer), 'toolkit'), 'externalId: wf-render\ndescription: Renders\nmaxConcurrentExecutions: 3\n');
  });

  it('pulls every public definition to Toolkit YAML and to API JSON that read back as the same definition', async () => {
    const all = publicDefinitions();
    for (const { source, item } of all.versions) {
      const local = { ...item, workflowExternalId: `render-${item.workflowExternalId}` };
      await t.client.versions.upsert(local);
      const answer = await t.client.versions.retrieve(local.workflowExternalId, local.version);
      const body = asUpsertBody('version', answer);
      const fromYaml = parse(renderResource('version', body, 'toolkit'));
      const fromJson = JSON.parse(renderResource('version', body, 'api'));
      for (const pulled of [fromYaml, fromJson]) {
        assert.ok(sameVersion(pulled, answer), `${source}: pulled file differs from CDF`);
        assert.ok(sameVersion(pulled, local), `${source}: pulled file differs from the original`);
        assert.equal(typeof pulled.version, 'string', `${source}: version stays a string`);
      }
    }
    for (const { source, item } of all.workflows) {
      const answer = await t.client.workflows.upsert({ ...item, externalId: `render-${item.externalId}` });
      assert.ok(sameWorkflow(parse(renderResource('workflow', asUpsertBody('workflow', answer), 'toolkit')), answer), source);
    }
  });
});
