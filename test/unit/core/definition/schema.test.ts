import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parseDefinitionDocument, toolkitKindOf } from '../../../../src/core/definition/document';
import { type JsonSchema, SCHEMA_FILES, generateDefinitionSchemas } from '../../../../src/core/definition/schema/generate';
import { parseToolkitConfig, toolkitVariablesFor, variablesForModule } from '../../../../src/core/definition/toolkitProject';
import { REPO_ROOT, SPEC_FILE } from './support/schemas';

const spec = (): unknown => JSON.parse(fs.readFileSync(SPEC_FILE, 'utf8'));
type Defs = Record<string, JsonSchema>;
const defs = (schema: JsonSchema): Defs => schema['definitions'] as Defs;
const props = (schema: JsonSchema | undefined): Record<string, JsonSchema> => (schema?.['properties'] ?? {}) as Record<string, JsonSchema>;

describe('core/definition schema generation', () => {
  const generated = generateDefinitionSchemas(spec());

  it('makes one schema per kind from the upsert bodies of the OpenAPI document, with the spec\'s descriptions', () => {
    const version = defs(generated.api.version);
    assert.match(String(props(version['TaskDefinition'])['retries']?.['description']), /Number of times to retry/);
    assert.deepEqual(Object.keys(props(version['WorkflowVersion'])).sort(), ['version', 'workflowDefinition', 'workflowExternalId']);
    assert.deepEqual(Object.keys(props(defs(generated.api.workflow)['Workflow'])).sort(), ['dataSetId', 'description', 'externalId', 'maxConcurrentExecutions']);
    assert.deepEqual(props(defs(generated.api.trigger)['Authentication'])['nonce']?.['type'], 'string');
  });

  it('chooses task parameters by type and never uses oneOf (whose branches overlap in the spec)', () => {
    const task = defs(generated.api.version)['TaskDefinition'];
    const rules = task['allOf'] as JsonSchema[];
    const types = rules.map((r) => (props(r['if'] as JsonSchema)['type'])['const']);
    assert.deepEqual(types, ['function', 'transformation', 'cdf', 'dynamic', 'subworkflow', 'simulation']);
    assert.ok(!JSON.stringify(generated).includes('"oneOf"'));
    assert.equal(defs(generated.api.version)['Reference']?.['pattern'], '^\\$\\{[^{}]*\\}$');
  });

  it('turns object maxLength into a byte limit and closes declared objects', () => {
    const fn = props(props(defs(generated.api.version)['FunctionTaskParameters'])['function']);
    const data = (fn['data']?.['anyOf'] as JsonSchema[])[0];
    assert.equal(data['x-cdf-maxBytes'], 100000);
    assert.equal(data['maxLength'], undefined);
    assert.equal(defs(generated.api.version)['TaskDefinition']?.['additionalProperties'], false);
  });

  it('applies the Toolkit\'s differences: dataSetExternalId, functionApp, recordStream, client credentials', () => {
    const tk = generated.toolkit;
    const workflow = props(defs(tk.workflow)['Workflow']);
    assert.ok('dataSetExternalId' in workflow && !('dataSetId' in workflow));
    assert.ok((defs(tk.version)['TaskType']?.['enum'] as string[]).includes('functionApp'));
    assert.ok(!(defs(generated.api.version)['TaskType']?.['enum'] as string[]).includes('functionApp'));
    assert.deepEqual(props(defs(tk.trigger)['WorkflowTrigger'])['authentication']?.['required'], ['clientId', 'clientSecret']);
    assert.ok(defs(tk.trigger)['RecordStreamTrigger']);
  });

  it('is what the build wrote to dist/schemas, which package.json contributes and the .vsix ships', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { jsonValidation: { url: string }[]; yamlValidation: { url: string }[] } };
    for (const flavour of ['api', 'toolkit'] as const) {
      for (const kind of ['workflow', 'version', 'trigger'] as const) {
        const file = path.join(REPO_ROOT, 'dist', 'schemas', SCHEMA_FILES[flavour][kind]);
        assert.ok(fs.existsSync(file), `${file} is missing: run npm run build`);
        assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), generated[flavour][kind]);
      }
    }
    const urls = [...manifest.contributes.jsonValidation, ...manifest.contributes.yamlValidation].map((v) => v.url);
    assert.deepEqual(urls.map((u) => path.basename(u)).sort(), Object.values(SCHEMA_FILES).flatMap((f) => Object.values(f)).sort());
    assert.match(fs.readFileSync(path.join(REPO_ROOT, '.vscodeignore'), 'utf8'), /^!dist\/schemas\/\*\.schema\.json$/m);
  });

  it('accepts every real public definition under a standard validator, as VS Code and the Red Hat YAML extension would', async () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const fixtures = path.join(REPO_ROOT, 'test', 'fixtures', 'definitions');
    const files = fs.readdirSync(fixtures, { recursive: true, encoding: 'utf8' }).map((f) => path.join(fixtures, f)).filter((f) => toolkitKindOf(f));
    assert.ok(files.length > 40);
    for (const file of files) {
      const defaults = path.join(path.dirname(path.dirname(file)), 'default.config.yaml');
      const variables = (await toolkitVariablesFor(file))?.values
        ?? (fs.existsSync(defaults) ? variablesForModule(parseToolkitConfig(`variables:\n${fs.readFileSync(defaults, 'utf8').replace(/^/gm, '  ')}`).variables, undefined) : undefined);
      const doc = parseDefinitionDocument(fs.readFileSync(file, 'utf8'), { fileName: file, variables })!;
      const kind = toolkitKindOf(file)!;
      const validate = ajv.compile(generated.toolkit[kind]);
      const value = doc.root && JSON.parse(JSON.stringify(doc.resources.length === 1 && doc.root.kind === 'object' ? doc.resources[0].value : doc.resources.map((r) => r.value)));
      assert.ok(validate(value), `${path.relative(fixtures, file)}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
    }
  });
});
