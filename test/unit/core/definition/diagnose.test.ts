import * as assert from 'node:assert/strict';
import { type DefinitionFinding, type VersionLookup, checkDefinitionText, diagnoseDefinition } from '../../../../src/core/definition/diagnose';
import { parseDefinitionDocument } from '../../../../src/core/definition/document';
import { type TextEdit } from '../../../../src/core/definition/fixes';
import { type ToolkitVariableValue } from '../../../../src/core/definition/templates';
import { testSchemas } from './support/schemas';

interface Found extends DefinitionFinding {
  /** The text the finding marks. */
  readonly marked: string;
  readonly line: number;
}

function check(text: string, options: { fileName?: string; format?: 'yaml' | 'json'; variables?: Record<string, ToolkitVariableValue>; versions?: VersionLookup; noTemplates?: boolean } = {}): Found[] {
  const fileName = options.fileName ?? (options.format === 'json' ? 'body.json' : 'v1.WorkflowVersion.yaml');
  const { definition, findings } = checkDefinitionText(text, {
    fileName,
    schemas: testSchemas(),
    ...(options.variables ? { variables: new Map(Object.entries(options.variables)) } : {}),
    ...(options.versions ? { versions: options.versions } : {}),
    ...(options.noTemplates ? {} : { templates: { environment: 'dev', configFile: '/org/config.dev.yaml', module: 'modules/m' } }),
  });
  assert.ok(definition, 'not recognised as a definition');
  return findings.map((f) => ({ ...f, marked: text.slice(f.start, f.end), line: f.range.start.line + 1 }));
}

function one(found: Found[], code: string): Found {
  const matching = found.filter((f) => f.code === code);
  assert.equal(matching.length, 1, `expected one ${code}, got ${JSON.stringify(found.map((f) => [f.code, f.message, f.marked]), null, 1)}`);
  return matching[0];
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
}

/** A version file with these tasks (YAML text, indented under `tasks:`). */
function version(tasks: string, head = "workflowExternalId: daily\nversion: '1'\n"): string {
  return `${head}workflowDefinition:\n  tasks:\n${tasks}`;
}

const FETCH = `    - externalId: fetch
      type: function
      parameters:
        function:
          externalId: fn-fetch
`;

describe('core/definition diagnostics', () => {
  describe('schema', () => {
    it('warns about an unknown key on the key itself, with the nearest known key and a fix', () => {
      const text = version(`${FETCH}      dependson:\n        - externalId: x\n`);
      const f = one(check(text), 'schema.unknown-key');
      assert.equal(f.severity, 'warning');
      assert.equal(f.marked, 'dependson');
      assert.match(f.message, /not a key of a task; did you mean "dependsOn"\?/);
      assert.equal(f.taskExternalId, 'fetch');
      assert.match(applyEdits(text, f.fixes![0].edits), /\n {6}dependsOn:\n/);
    });

    it('refuses a number where CDF wants a string, saying to quote it', () => {
      const f = one(check(version(FETCH, 'workflowExternalId: daily\nversion: 2\n')), 'schema.type');
      assert.equal(f.marked, '2');
      assert.match(f.message, /"version" must be a string: write it in quotes, '2'/);
    });

    it('refuses a value outside an enum with the nearest allowed one, in JSON too', () => {
      const yaml = one(check(version(`${FETCH.replace('type: function', 'type: function')}      onFailure: skiptask\n`)), 'limit');
      assert.equal(yaml.marked, 'skiptask');
      assert.equal(yaml.fixes?.[0].title, 'Change to "skipTask"');
      const json = check(
        JSON.stringify({ workflowExternalId: 'w', version: '1', workflowDefinition: { tasks: [{ externalId: 'c', type: 'cdf', parameters: { cdfRequest: { resourcePath: '/x', method: 'PATCH' } } }] } }, null, 2),
        { format: 'json' },
      );
      const method = one(json, 'schema.enum');
      assert.equal(method.marked, '"PATCH"');
      assert.match(method.message, /"method" must be "POST", "GET", "PUT" or a reference/);
    });

    it('refuses limits: lengths, more than 100 tasks and 100 dependsOn entries, a workflow description over 500', () => {
      const many = Array.from({ length: 101 }, (_, i) => `    - {externalId: t${i}, type: function, parameters: {function: {externalId: f}}}\n`).join('');
      const tooMany = one(check(version(many)), 'too-many-tasks');
      assert.equal(tooMany.marked, 'tasks');
      const deps = Array.from({ length: 101 }, (_, i) => `{externalId: t${i}}`).join(', ');
      const tasks = Array.from({ length: 101 }, (_, i) => `    - {externalId: t${i}, type: function, parameters: {function: {externalId: f}}}\n`).slice(0, 100).join('');
      const found = check(version(`${tasks}    - {externalId: last, type: function, parameters: {function: {externalId: f}}, dependsOn: [${deps}]}\n`));
      assert.ok(found.some((f) => f.code === 'limit' && /depends on 101 tasks/.test(f.message)));
      const wf = check(`externalId: w\ndescription: ${'x'.repeat(501)}\ndataSetExternalId: ds\n`, { fileName: 'w.Workflow.yaml' });
      assert.match(one(wf, 'schema.limit').message, /"description" is 501 characters long; at most 500/);
    });

    it('says when parameters belong to another task type, and that isAsyncComplete is for function tasks only', () => {
      const found = check(version(`    - externalId: load\n      type: function\n      parameters:\n        transformation:\n          externalId: tr\n    - externalId: t2\n      type: transformation\n      parameters:\n        transformation: {externalId: tr}\n        isAsyncComplete: true\n`));
      const mismatch = one(found, 'parameters-type-mismatch');
      assert.equal(mismatch.marked, 'function');
      assert.match(mismatch.message, /parameters are those of a transformation task/);
      assert.equal(mismatch.fixes?.[0].title, 'Change the type to "transformation"');
      const async = one(found, 'async-outside-function');
      assert.equal(async.marked, 'isAsyncComplete');
      assert.equal(async.severity, 'error');
      assert.ok(!found.some((f) => f.code === 'schema.unknown-key' && f.marked === 'isAsyncComplete'), 'said once');
    });

    it('names a missing required key on the object that lacks it', () => {
      const f = one(check('externalId: t\ntriggerRule:\n  triggerType: schedule\nworkflowExternalId: w\nworkflowVersion: "1"\nauthentication: {clientId: a, clientSecret: "${S}"}\n', { fileName: 't.WorkflowTrigger.yaml' }), 'schema.required');
      assert.equal(f.marked, 'triggerRule');
      assert.match(f.message, /needs "cronExpression"/);
    });

    it('accepts the Toolkit\'s functionApp tasks and recordStream triggers, and warns about functionApp in API JSON', () => {
      const task = '    - externalId: app\n      type: functionApp\n      parameters:\n        functionApp: {externalId: my-app, path: /run}\n';
      assert.deepEqual(check(version(task)).filter((f) => f.severity !== 'info'), []);
      const json = check(JSON.stringify({ workflowExternalId: 'w', version: '1', workflowDefinition: { tasks: [{ externalId: 'app', type: 'functionApp', parameters: { functionApp: { externalId: 'a', path: '/' } } }] } }), { format: 'json' });
      assert.ok(json.some((f) => f.code === 'unknown-type' && f.severity === 'warning'));
      const stream = 'externalId: t\ntriggerRule:\n  triggerType: recordStream\n  streamExternalId: my-stream\n  batchSize: 10\n  batchTimeout: 60\nworkflowExternalId: w\nworkflowVersion: "1"\nauthentication: {clientId: a, clientSecret: "${S}"}\n';
      assert.deepEqual(check(stream, { fileName: 't.WorkflowTrigger.yaml' }), []);
    });
  });

  describe('graph', () => {
    it('refuses duplicate task ids and offers to remove the duplicate', () => {
      const text = version(`${FETCH}${FETCH}    - externalId: load\n      type: function\n      parameters: {function: {externalId: fn}}\n`);
      const f = one(check(text), 'duplicate-task');
      assert.equal(f.line, 10);
      const fixed = applyEdits(text, f.fixes![0].edits);
      assert.equal(fixed.split('externalId: fetch').length, 2);
      assert.deepEqual(check(fixed).filter((x) => x.severity === 'error'), []);
    });

    it('refuses a dependsOn on an unknown task with the nearest id as a fix', () => {
      const text = version(`${FETCH}    - externalId: load\n      type: function\n      parameters: {function: {externalId: fn}}\n      dependsOn:\n        - externalId: fecth\n`);
      const f = one(check(text), 'unknown-dependency');
      assert.equal(f.marked, 'fecth');
      assert.equal(f.taskExternalId, 'load');
      assert.deepEqual(check(applyEdits(text, f.fixes![0].edits)), []);
    });

    it('puts a cycle on every task in it, each naming the whole cycle', () => {
      const text = version('    - {externalId: a, type: function, parameters: {function: {externalId: f}}, dependsOn: [{externalId: c}]}\n    - {externalId: b, type: function, parameters: {function: {externalId: f}}, dependsOn: [{externalId: a}]}\n    - {externalId: c, type: function, parameters: {function: {externalId: f}}, dependsOn: [{externalId: b}]}\n');
      const cycle = check(text).filter((f) => f.code === 'cycle');
      assert.deepEqual(cycle.map((f) => [f.taskExternalId, f.marked]).sort(), [['a', 'c'], ['b', 'a'], ['c', 'b']]);
      assert.ok(cycle.every((f) => /a → c → b → a/.test(f.message)));
    });
  });

  describe('references', () => {
    it('refuses a reference to a task that is not upstream and adds the dependsOn as a fix', () => {
      const text = version(`${FETCH}    - externalId: load\n      type: function\n      parameters:\n        function:\n          externalId: fn-load\n          data:\n            rows: \${fetch.output.response.rows}\n`);
      const f = one(check(text), 'not-upstream');
      assert.equal(f.marked, '${fetch.output.response.rows}');
      const fixed = applyEdits(text, f.fixes![0].edits);
      assert.match(fixed, /rows: \$\{fetch\.output\.response\.rows\}\n {6}dependsOn:\n {8}- externalId: fetch/);
      assert.deepEqual(check(fixed).filter((x) => x.severity !== 'info'), []);
    });

    it('adds the missing dependsOn in JSON too, to an existing list', () => {
      const body = { workflowExternalId: 'w', version: '1', workflowDefinition: { tasks: [
        { externalId: 'a', type: 'function', parameters: { function: { externalId: 'f' } } },
        { externalId: 'b', type: 'function', parameters: { function: { externalId: 'f' } } },
        { externalId: 'c', type: 'function', parameters: { function: { externalId: 'f', data: { x: '${a.output}' } } }, dependsOn: [{ externalId: 'b' }] },
      ] } };
      const text = JSON.stringify(body, null, 2);
      const f = one(check(text, { format: 'json' }), 'not-upstream');
      const fixed = applyEdits(text, f.fixes![0].edits);
      assert.deepEqual((JSON.parse(fixed) as typeof body).workflowDefinition.tasks[2].dependsOn, [{ externalId: 'b' }, { externalId: 'a' }]);
    });

    it('refuses a reference to a task that does not exist, offering the nearest id', () => {
      const text = version(`${FETCH}    - externalId: load\n      type: function\n      dependsOn: [{externalId: fetch}]\n      parameters:\n        function: {externalId: fn, data: {x: "\${fecth.output.a}"}}\n`);
      const f = one(check(text), 'unknown-task-reference');
      assert.match(f.message, /Did you mean "fetch"\?/);
      assert.match(applyEdits(text, f.fixes![0].edits), /"\$\{fetch\.output\.a\}"/);
    });

    it('warns about a malformed reference and lists workflow input references as information', () => {
      const found = check(version(`    - externalId: a\n      type: function\n      parameters:\n        function:\n          externalId: fn\n          data:\n            day: \${workflow.input.day}\n            bad: "\${workflow.input.day"\n`));
      assert.equal(one(found, 'malformed-reference').marked, '"${workflow.input.day"');
      const info = one(found, 'workflow-input');
      assert.equal(info.severity, 'info');
      assert.equal(info.marked, '${workflow.input.day}');
    });

    it('refuses a dynamic task whose tasks is not a reference', () => {
      const f = one(check(version('    - externalId: d\n      type: dynamic\n      parameters:\n        dynamic:\n          tasks: [a, b]\n')), 'dynamic-tasks');
      assert.equal(f.marked, 'tasks');
    });

    it('warns about a subworkflow version found neither in the workspace nor the project, and not when it is unknown', () => {
      const text = version('    - externalId: s\n      type: subworkflow\n      parameters:\n        subworkflow: {workflowExternalId: other, version: "2"}\n');
      const missing = one(check(text, { versions: () => ({ status: 'missing', searched: 'in the workspace or in "Local sandbox"' }) }), 'subworkflow-not-found');
      assert.equal(missing.severity, 'warning');
      assert.match(missing.message, /other@2 was not found in the workspace or in "Local sandbox"/);
      assert.deepEqual(check(text, { versions: () => ({ status: 'found', searched: '' }) }), []);
      assert.deepEqual(check(text, { versions: () => ({ status: 'unknown', searched: '' }) }), []);
    });
  });

  describe('Toolkit templates', () => {
    it('warns on a template without a value for the module, at the template', () => {
      const text = version(FETCH.replace('fn-fetch', '{{ fetch_fn }}'), 'workflowExternalId: {{ wf }}\nversion: "1"\n');
      const found = check(text, { variables: { wf: 'daily' } });
      const f = one(found, 'template-unresolved');
      assert.equal(f.marked, '{{ fetch_fn }}');
      assert.match(f.message, /\{\{ fetch_fn \}\} has no value for module modules\/m in config\.dev\.yaml/);
    });

    it('places findings about a substituted value on its template', () => {
      const text = version(`${FETCH}      retries: {{ retries }}\n`);
      const f = one(check(text, { variables: { retries: 20 } }), 'limit');
      assert.equal(f.marked, '{{ retries }}');
      assert.match(f.message, /retries 20/);
    });

    it('reports nothing about values hidden behind an unresolved template but the template itself', () => {
      const found = check(version(`${FETCH}      retries: {{ retries }}\n      dependsOn:\n        - externalId: {{ upstream }}\n`), { variables: {} });
      assert.deepEqual(found.map((f) => f.code), ['template-unresolved', 'template-unresolved']);
    });

    it('treats ${VAR} in trigger authentication as environment variables, and warns about a secret in the file', () => {
      const trigger = (secret: string): string => `externalId: t\ntriggerRule:\n  triggerType: schedule\n  cronExpression: "0 5 * * *"\nworkflowExternalId: w\nworkflowVersion: "1"\nauthentication:\n  clientId: \${IDP_CLIENT_ID}\n  clientSecret: ${secret}\n`;
      assert.deepEqual(check(trigger('${IDP_CLIENT_SECRET}'), { fileName: 't.WorkflowTrigger.yaml' }), []);
      const f = one(check(trigger('s3cr3t-value'), { fileName: 't.WorkflowTrigger.yaml' }), 'secret-in-file');
      assert.equal(f.marked, 's3cr3t-value');
    });
  });

  describe('triggers', () => {
    it('refuses a bad cron expression and an unknown time zone at their values', () => {
      const found = check('externalId: t\ntriggerRule:\n  triggerType: schedule\n  cronExpression: "61 * * * *"\n  timezone: Europe/Olso\nworkflowExternalId: w\nworkflowVersion: "1"\nauthentication: {clientId: a, clientSecret: "${S}"}\n', { fileName: 't.WorkflowTrigger.yaml' });
      assert.equal(one(found, 'cron').marked, '"61 * * * *"');
      assert.equal(one(found, 'timezone').marked, 'Europe/Olso');
    });

    it('refuses a data modeling query whose limit differs from batchSize', () => {
      const text = 'externalId: t\ntriggerRule:\n  triggerType: dataModeling\n  batchSize: 100\n  batchTimeout: 60\n  dataModelingQuery:\n    with:\n      items:\n        nodes: {}\n        limit: 50\n    select:\n      items: {}\nworkflowExternalId: w\nworkflowVersion: "1"\nauthentication: {clientId: a, clientSecret: "${S}"}\n';
      const f = one(check(text, { fileName: 't.WorkflowTrigger.yaml' }), 'batch-limit');
      assert.equal(f.marked, '50');
    });
  });

  it('reports only the first structural YAML error, and nothing about a tree it could not read', () => {
    const found = check(version(`${FETCH}      data: { day: \${workflow.input.day} }\n      retries: 2\n`));
    assert.equal(found.length, 1);
    assert.equal(found[0].code, 'syntax');
    assert.equal(found[0].line, 10);
  });

  it('finds nothing in a sound Toolkit version and a sound API body', () => {
    const text = version(`${FETCH}    - externalId: load\n      type: transformation\n      parameters:\n        transformation:\n          externalId: tr-load\n          concurrencyPolicy: waitForCurrent\n      dependsOn:\n        - externalId: fetch\n`);
    assert.deepEqual(check(text), []);
    const doc = parseDefinitionDocument(JSON.stringify({ items: [{ externalId: 'w', maxConcurrentExecutions: 2, dataSetId: 12 }] }), { format: 'json' })!;
    assert.deepEqual(diagnoseDefinition(doc, { schemas: testSchemas() }), []);
  });
});
