// Real definitions from Cognite's public repositories (test/fixtures/definitions, sources in its README)
// give no error and no warning beyond what they really lack.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDefinitionText } from '../../../../src/core/definition/diagnose';
import { toolkitKindOf } from '../../../../src/core/definition/document';
import { parseToolkitConfig, toolkitVariablesFor, variablesForModule } from '../../../../src/core/definition/toolkitProject';
import { REPO_ROOT, testSchemas } from './support/schemas';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'definitions');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).isFile()).sort();
}

/** The module's default.config.yaml, as `cdf modules init` copies it under the module's variables. */
function moduleDefaults(file: string): ReadonlyMap<string, string | number | boolean | null | readonly (string | number | boolean)[]> | undefined {
  const defaults = path.join(path.dirname(path.dirname(file)), 'default.config.yaml');
  if (!fs.existsSync(defaults)) return undefined;
  const indented = fs.readFileSync(defaults, 'utf8').replace(/^/gm, '  ');
  return variablesForModule(parseToolkitConfig(`variables:\n${indented}`).variables, undefined);
}

describe('core/definition real public definitions', () => {
  const toolkitFiles = files(FIXTURES).filter((f) => toolkitKindOf(f) !== undefined);

  it('has a good set of fixtures: the three kinds from the Toolkit and the library', () => {
    assert.ok(toolkitFiles.length >= 40, `only ${toolkitFiles.length} fixtures`);
    for (const repo of ['cognitedata-toolkit', 'cognitedata-library']) {
      for (const kind of ['version', 'workflow', 'trigger']) {
        assert.ok(toolkitFiles.some((f) => f.includes(`${path.sep}${repo}${path.sep}`) && toolkitKindOf(f) === kind), `no ${kind} from ${repo}`);
      }
    }
    const readme = fs.readFileSync(path.join(FIXTURES, 'README.md'), 'utf8');
    for (const f of files(FIXTURES).filter((x) => !/README\.md$|LICENSE/.test(x))) {
      const rel = path.relative(FIXTURES, f).split(path.sep).slice(1).join('/');
      assert.ok(readme.includes(`\`${rel}\``), `README.md does not name the source of ${rel}`);
    }
    assert.match(fs.readFileSync(path.join(FIXTURES, 'LICENSE-Apache-2.0.txt'), 'utf8'), /Apache License\s+Version 2\.0/);
  });

  for (const file of files(FIXTURES).filter((f) => toolkitKindOf(f) !== undefined)) {
    const name = path.relative(FIXTURES, file);
    it(`finds no error in ${name}`, async () => {
      const text = fs.readFileSync(file, 'utf8');
      const project = await toolkitVariablesFor(file);
      const variables = project?.values ?? moduleDefaults(file);
      const { definition, findings } = checkDefinitionText(text, { fileName: file, schemas: testSchemas(), variables });
      assert.ok(definition);
      const shown = findings.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.code}: ${f.message}`);
      assert.deepEqual(shown.filter((s) => / error /.test(s)), [], `errors in ${name}`);
      // With the module's variables every template resolves; where there are none, only templates are reported.
      const others = findings.filter((f) => f.severity === 'warning' && (variables !== undefined || f.code !== 'template-unresolved'));
      assert.deepEqual(others.map((f) => f.message), [], `warnings in ${name}`);
    });
  }

  it('finds no error in the definition an execution from the Python SDK tests ran', () => {
    const file = path.join(FIXTURES, 'cognitedata-cognite-sdk-python/tests/tests_unit/test_data_classes/data/workflow_execution.json');
    const execution = JSON.parse(fs.readFileSync(file, 'utf8')) as { workflowExternalId: string; workflowDefinition: { hash?: string; tasks: unknown[] } };
    // An execution is not a definition to edit...
    assert.equal(checkDefinitionText(fs.readFileSync(file, 'utf8'), { format: 'json', schemas: testSchemas() }).definition, false);
    // ...but the definition it ran is one.
    const { hash: _hash, ...definition } = execution.workflowDefinition;
    const body = JSON.stringify({ workflowExternalId: execution.workflowExternalId, version: '1', workflowDefinition: definition }, null, 2);
    const { findings } = checkDefinitionText(body, { format: 'json', schemas: testSchemas() });
    assert.deepEqual(findings.filter((f) => f.severity !== 'info').map((f) => `${f.code}: ${f.message}`), []);
    assert.ok(findings.some((f) => f.code === 'workflow-input' && /triggerEvent\.externalId/.test(f.message)));
  });

  it('resolves the Toolkit test project\'s templates from its own config.dev.yaml', async () => {
    const file = path.join(FIXTURES, 'cognitedata-toolkit/tests/data/complete_org/modules/my_example_module/workflows/first.WorkflowVersion.yaml');
    const variables = await toolkitVariablesFor(file);
    assert.equal(variables?.environment.name, 'dev');
    assert.equal(variables?.module, 'modules/my_example_module');
    assert.equal(variables?.values.get('example_variable'), 'foo');
  });
});
