/* eslint-disable @typescript-eslint/no-explicit-any -- definitions are plain JSON here */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type DefinitionDocument, parseDefinitionDocument } from '../../../../src/core/definition/document';
import { alignVersion, sameVersion } from '../../../../src/core/definition/normalize';
import { patchResource } from '../../../../src/core/definition/patch';
import { type ToolkitVariableValue } from '../../../../src/core/definition/templates';
import { FIXTURES, fixtureFiles, fixtureVariables } from '../../support/publicDefinitions';
import { type TestClient, useTestSandbox } from '../support/sandbox';

function parseFile(text: string, fileName: string, variables?: ReadonlyMap<string, ToolkitVariableValue>): DefinitionDocument {
  const doc = parseDefinitionDocument(text, { fileName, ...(variables ? { variables } : {}) });
  assert.ok(doc, `${fileName} is not a definition`);
  assert.deepEqual(doc.syntaxProblems, [], fileName);
  return doc;
}

/** The file's Toolkit variables; one without a value gets its own name (it fits where ids go). */
function variablesOf(file: string, text: string): Map<string, ToolkitVariableValue> {
  const values = new Map<string, ToolkitVariableValue>(Object.entries(fixtureVariables(file)));
  for (const m of text.matchAll(/\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g)) if (!values.has(m[1])) values.set(m[1], m[1]);
  return values;
}

/** Lines of `b` that are not at the same place in `a` (both have the same line count when only values changed). */
function changedLines(a: string, b: string): string[] {
  const x = a.split('\n');
  const y = b.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) out.push(y[i] ?? '(none)');
  return out;
}

describe('core/definition patching a file with the deployed resource', function () {
  this.timeout(30_000);
  let t: TestClient;
  useTestSandbox((_sandbox, c) => {
    t = c;
  });

  const versionFiles = fixtureFiles().filter((f) => /\.WorkflowVersion\.ya?ml$/.test(f));

  it('gives every public version file back unchanged, templates and comments included, when CDF holds the same', async () => {
    assert.ok(versionFiles.length >= 10);
    for (const file of versionFiles) {
      const text = fs.readFileSync(file, 'utf8');
      const variables = variablesOf(file, text);
      const doc = parseFile(text, file, variables);
      for (const resource of doc.resources) {
        const local = { ...structuredClone(resource.value), workflowExternalId: `patch-${String(resource.value['workflowExternalId'])}` } as any;
        delete local.workflowDefinition.hash;
        await t.client.versions.upsert(local);
        const answer = await t.client.versions.retrieve(local.workflowExternalId, local.version);
        const aligned = alignVersion({ ...answer, workflowExternalId: resource.value['workflowExternalId'] }, resource.value) as any;
        assert.equal(patchResource(doc, resource, aligned), text, path.relative(FIXTURES, file));
      }
    }
  });

  it('writes any change to a public file so that it reads back as what CDF holds: values, added and removed tasks', () => {
    for (const file of versionFiles) {
      const text = fs.readFileSync(file, 'utf8');
      const variables = variablesOf(file, text);
      const doc = parseFile(text, file, variables);
      for (const resource of doc.resources) {
        const deployed = structuredClone(resource.value) as any;
        const tasks = deployed.workflowDefinition.tasks as any[];
        const removed = tasks.pop();
        for (const task of tasks) {
          task.timeout = 1234;
          task.retries = (task.retries ?? 3) === 3 ? 1 : 3;
          task.dependsOn = (task.dependsOn ?? []).filter((d: any) => d.externalId !== removed.externalId);
        }
        tasks.push({ externalId: 'added-by-cdf', type: 'cdf', parameters: { cdfRequest: { resourcePath: '/timeseries/list', method: 'POST', body: { limit: 1 } } }, dependsOn: tasks.slice(0, 2).map((x) => ({ externalId: x.externalId })) });
        deployed.workflowDefinition.description = "Changed in CDF: it's different";
        const patched = patchResource(doc, resource, alignVersion(deployed, resource.value));
        const where = path.relative(FIXTURES, file);
        assert.ok(patched, where);
        const reread = parseDefinitionDocument(patched, { fileName: file, variables });
        assert.deepEqual(reread?.syntaxProblems, [], `${where}:\n${patched}`);
        const value = reread?.resources.find((r) => r.path.join('/') === resource.path.join('/'))?.value;
        assert.ok(sameVersion(value, deployed), where);
      }
    }
  });

  it('changes only the lines of values CDF holds otherwise, and the result reads as what CDF holds', () => {
    const file = path.join(FIXTURES, 'cognitedata-library', 'modules', 'contextualization', 'cdf_entity_matching', 'workflows', 'entity_matching.WorkflowVersion.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const variables = variablesOf(file, text);
    const doc = parseFile(text, file, variables);
    const [resource] = doc.resources;
    assert.ok(resource);
    const deployed = structuredClone(resource.value) as any;
    deployed.workflowDefinition.tasks[1].timeout = 600; // was 9000
    deployed.workflowDefinition.tasks[0].parameters.function.data = { ExtractionPipelineExtId: 'ep_other' };
    deployed.workflowDefinition.description = 'Entity matching, tuned';
    const patched = patchResource(doc, resource, alignVersion(deployed, resource.value));
    assert.ok(patched);
    assert.deepEqual(changedLines(text, patched), [
      "  description: 'Entity matching, tuned'",
      '          data: { "ExtractionPipelineExtId": "ep_other" }',
      '      timeout: 600',
    ]);
    const reread = parseFile(patched, file, variables);
    assert.ok(sameVersion(reread.resources[0]?.value, deployed));
    // The template in the second task's data is kept: that value did not change.
    assert.match(patched, /ep_ctx_timeseries_\{\{location_name\}\}_\{\{source_name\}\}_entity_matching/);
  });

  it('removes a task, adds one and changes dependsOn in a Toolkit list layout', () => {
    const text = [
      'workflowExternalId: wf',
      "version: '1'",
      'workflowDefinition:',
      '  tasks:',
      '  # the first step',
      '  - externalId: a',
      '    type: function',
      '    parameters:',
      '      function:',
      '        externalId: fn-a',
      '  - externalId: b',
      '    type: function',
      '    parameters:',
      '      function:',
      '        externalId: fn-b',
      '    dependsOn:',
      '    - externalId: a',
      '',
    ].join('\n');
    const doc = parseFile(text, 'v1.WorkflowVersion.yaml');
    const [resource] = doc.resources;
    const deployed = {
      workflowExternalId: 'wf',
      version: '1',
      workflowDefinition: {
        tasks: [
          { externalId: 'b', type: 'function', parameters: { function: { externalId: 'fn-b' } }, retries: 3, timeout: 3600, onFailure: 'abortWorkflow', dependsOn: [] },
          { externalId: 'c', type: 'transformation', parameters: { transformation: { externalId: 'tr-c', concurrencyPolicy: 'fail', useTransformationCredentials: false } }, retries: 3, timeout: 3600, onFailure: 'abortWorkflow', dependsOn: [{ externalId: 'b' }] },
        ],
        hash: 'H',
      },
    };
    const patched = patchResource(doc, resource, alignVersion(deployed, resource.value));
    assert.equal(
      patched,
      [
        'workflowExternalId: wf',
        "version: '1'",
        'workflowDefinition:',
        '  tasks:',
        '  # the first step',
        '  - externalId: b',
        '    type: function',
        '    parameters:',
        '      function:',
        '        externalId: fn-b',
        '    dependsOn: []',
        '  - externalId: c',
        '    type: transformation',
        '    parameters:',
        '      transformation:',
        '        externalId: tr-c',
        '    dependsOn:',
        '    - externalId: b',
        '',
      ].join('\n'),
    );
    assert.ok(sameVersion(parseFile(patched, 'v1.WorkflowVersion.yaml').resources[0]?.value, deployed));
  });

  it('patches API JSON, keeping the file indentation, inside an items list too', () => {
    const body = {
      items: [
        { workflowExternalId: 'wf', version: '1', workflowDefinition: { tasks: [{ externalId: 'a', type: 'function', parameters: { function: { externalId: 'fn-a', data: { n: 1 } } } }] } },
      ],
    };
    const text = `${JSON.stringify(body, null, 4)}\n`;
    const doc = parseFile(text, 'deploy.json');
    const [resource] = doc.resources;
    assert.deepEqual(resource?.path, ['items', 0]);
    const deployed = structuredClone(body.items[0]) as any;
    deployed.workflowDefinition.tasks[0].parameters.function.data = { n: 2 };
    deployed.workflowDefinition.tasks.push({ externalId: 'b', type: 'function', parameters: { function: { externalId: 'fn-b' } } });
    const patched = patchResource(doc, resource, alignVersion(deployed, resource.value));
    assert.ok(patched);
    assert.deepEqual(JSON.parse(patched).items[0], deployed);
    // Four spaces a level, as the file has it.
    assert.match(patched, /\n {36}"n": 2\n/);
    assert.equal(patchResource(doc, resource, alignVersion(structuredClone(body.items[0]), resource.value)), text);
  });

  it('keeps Windows line ends', () => {
    const text = "workflowExternalId: wf\r\nversion: '1'\r\nworkflowDefinition:\r\n  tasks:\r\n  - externalId: a\r\n    type: function\r\n    parameters:\r\n      function:\r\n        externalId: fn-a\r\n";
    const doc = parseFile(text, 'v.WorkflowVersion.yaml');
    const [resource] = doc.resources;
    const deployed = { workflowExternalId: 'wf', version: '1', workflowDefinition: { tasks: [{ externalId: 'a', type: 'function', parameters: { function: { externalId: 'fn-a', data: { x: [1, 2] } } }, retries: 5 }] } };
    const patched = patchResource(doc, resource, alignVersion(deployed, resource.value));
    assert.ok(patched);
    assert.ok(!/[^\r]\n/.test(patched), 'no bare line feed');
    assert.ok(sameVersion(parseFile(patched, 'v.WorkflowVersion.yaml').resources[0]?.value, deployed));
  });
});
