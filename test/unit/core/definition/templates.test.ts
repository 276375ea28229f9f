import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDefinitionDocument } from '../../../../src/core/definition/document';
import { nodeAtPath, parseJsonPath } from '../../../../src/core/definition/source';
import { type ToolkitVariableValue, substituteTemplates } from '../../../../src/core/definition/templates';
import { findToolkitProject, moduleOf, toolkitVariablesFor, variablesForModule } from '../../../../src/core/definition/toolkitProject';

const vars = (entries: Record<string, ToolkitVariableValue>): Map<string, ToolkitVariableValue> => new Map(Object.entries(entries));

describe('core/definition Toolkit templates', () => {
  it('substitutes {{ name }} with or without spaces and maps offsets back to the placeholder', () => {
    const text = 'externalId: {{ wf }}\ndescription: x-{{wf}}-y\n';
    const s = substituteTemplates(text, vars({ wf: 'nightly_ingest' }));
    assert.equal(s.text, 'externalId: nightly_ingest\ndescription: x-nightly_ingest-y\n');
    const valueStart = s.text.indexOf('nightly');
    assert.equal(s.toOriginal(valueStart), text.indexOf('{{ wf }}'));
    assert.equal(s.toOriginal(valueStart + 'nightly_ingest'.length, 'end'), text.indexOf('{{ wf }}') + '{{ wf }}'.length);
    assert.equal(s.toOriginal(s.text.indexOf('description')), text.indexOf('description'), 'text after a placeholder shifts back');
    assert.ok(s.isTemplated(valueStart, valueStart + 3));
    assert.ok(!s.isTemplated(0, 10));
  });

  it('writes digit strings and strings ending in ":" double-quoted, absorbing quotes around the placeholder', () => {
    const s = substituteTemplates("a: {{ v }}\nb: '{{ v }}'\nc: \"{{ k }}\"\n", vars({ v: '0042', k: 'key:' }));
    assert.equal(s.text, 'a: "0042"\nb: "0042"\nc: "key:"\n');
  });

  it('writes a list alone on its line as "- item" lines at its indent, and inline as a Python list', () => {
    const s = substituteTemplates('ids:\n  {{ ids }}\ninline: {{ ids }}\n', vars({ ids: ['a', 'true', 7, false] }));
    assert.equal(s.text, 'ids:\n  - a\n  - "true"\n  - 7\n  - false\ninline: [\'a\', \'true\', 7, False]\n');
  });

  it('writes booleans, numbers and null as Python does', () => {
    assert.equal(substituteTemplates('{{ a }} {{ b }} {{ c }}', vars({ a: true, b: 3.5, c: null })).text, 'True 3.5 null');
  });

  it('masks a placeholder without a value so the file parses, and reports it unresolved', () => {
    const text = 'workflowExternalId: {{ workflow }}\nversion: "1"\nworkflowDefinition:\n  tasks: []\n';
    const doc = parseDefinitionDocument(text, { fileName: 'v.WorkflowVersion.yaml', variables: vars({}) })!;
    assert.deepEqual(doc.syntaxProblems, []);
    assert.deepEqual(doc.templates.map((t) => [t.name, t.resolved, text.slice(t.start, t.end)]), [['workflow', false, '{{ workflow }}']]);
    const node = nodeAtPath(doc.root, ['workflowExternalId'])!;
    assert.equal(node.templated, true);
    assert.equal(text.slice(node.start, node.end), '{{ workflow }}');
  });

  it('keeps ranges after a substitution on the text the user wrote', () => {
    const text = 'workflowExternalId: {{ workflow }}\nversion: "1"\nworkflowDefinition:\n  tasks:\n    - externalId: {{ prefix }}_load\n      type: function\n      parameters: {function: {externalId: fn}}\n      dependsOn: [{externalId: nope}]\n';
    const doc = parseDefinitionDocument(text, { fileName: 'v.WorkflowVersion.yaml', variables: vars({ workflow: 'a-much-longer-workflow-name', prefix: 'p' }) })!;
    const id = nodeAtPath(doc.root, parseJsonPath('workflowDefinition.tasks[0].externalId'))!;
    assert.equal(text.slice(id.start, id.end), '{{ prefix }}_load');
    assert.equal(id.kind === 'scalar' && id.value, 'p_load');
    const dep = nodeAtPath(doc.root, parseJsonPath('workflowDefinition.tasks[0].dependsOn[0].externalId'))!;
    assert.equal(text.slice(dep.start, dep.end), 'nope');
  });
});

describe('core/definition Toolkit project', () => {
  let root: string;
  const write = (rel: string, text: string): string => {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdf-toolkit-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('finds the project above a file and its environments by name, the first being the default', async () => {
    write('org/config.prod.yaml', 'variables: {}\n');
    write('org/config.dev.yaml', 'variables: {}\n');
    const file = write('org/modules/ingest/workflows/v1.WorkflowVersion.yaml', '');
    const project = await findToolkitProject(file);
    assert.equal(project?.root, path.join(root, 'org'));
    assert.deepEqual(project?.environments.map((e) => e.name), ['dev', 'prod']);
    assert.equal(await findToolkitProject(write('elsewhere/x.Workflow.yaml', '')), undefined);
  });

  it('takes the module as the parent of the nearest resource folder', () => {
    assert.equal(moduleOf(path.join(root, 'modules/common/ingest/workflows/sub/v.WorkflowVersion.yaml'), root), 'modules/common/ingest');
    assert.equal(moduleOf(path.join(root, 'modules/x/notes/v.WorkflowVersion.yaml'), root), undefined);
    assert.equal(moduleOf(path.join(root, '../other/workflows/v.yaml'), root), undefined);
  });

  it('gives a module its variables, the most specific level winning, lists of mappings by their first item', () => {
    const config = {
      shared: 'root',
      wf: 'from-root',
      modules: { wf: 'from-modules', common: { ingest: { wf: 'from-module', ids: ['a', 'b'] } }, other: { wf: 'no' } },
      iter: 'x',
    };
    const values = variablesForModule(config, 'modules/common/ingest');
    assert.equal(values.get('wf'), 'from-module');
    assert.equal(values.get('shared'), 'root');
    assert.deepEqual(values.get('ids'), ['a', 'b']);
    const iterated = variablesForModule({ modules: { m: [{ v: 1 }, { v: 2 }] } }, 'modules/m');
    assert.equal(iterated.get('v'), 1);
  });

  it('reads a file\'s variables from the chosen environment, defaulting to the first', async () => {
    write('config.dev.yaml', 'environment: {name: dev}\nvariables:\n  modules:\n    ingest:\n      wf: wf-dev\n');
    write('config.prod.yaml', 'variables:\n  modules:\n    ingest:\n      wf: wf-prod\n');
    const file = write('modules/ingest/workflows/v.WorkflowVersion.yaml', '');
    assert.equal((await toolkitVariablesFor(file))?.values.get('wf'), 'wf-dev');
    const prod = await toolkitVariablesFor(file, 'prod');
    assert.equal(prod?.environment.name, 'prod');
    assert.equal(prod?.module, 'modules/ingest');
    assert.equal(prod?.values.get('wf'), 'wf-prod');
  });

  it('reports a config that is not YAML instead of failing', async () => {
    write('config.dev.yaml', 'variables: [\n');
    const file = write('modules/m/workflows/v.Workflow.yaml', '');
    const result = await toolkitVariablesFor(file);
    assert.ok(result?.configError);
    assert.equal(result?.values.size, 0);
  });
});
