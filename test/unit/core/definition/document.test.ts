import * as assert from 'node:assert/strict';
import { kindOfContent, parseDefinitionDocument, resourceIdentity, toolkitKindOf } from '../../../../src/core/definition/document';
import { YamlChunkCache, parseYamlSource } from '../../../../src/core/definition/parseSource';
import { type SourceNode, locate, nodeAtPath, parseJsonPath } from '../../../../src/core/definition/source';

/**
 * The tree with each container's end at its last child's end: a whole parse and a parse in pieces may give
 * trailing comments to different containers, which nothing reads.
 */
function trimmed(node: SourceNode | undefined): unknown {
  if (!node || node.kind === 'scalar') return node;
  if (node.kind === 'array') {
    const items = node.items.map(trimmed) as SourceNode[];
    return { ...node, items, end: items.length ? items[items.length - 1].end : node.start };
  }
  const properties = node.properties.map((p) => ({ ...p, value: trimmed(p.value) as SourceNode }));
  const last = properties[properties.length - 1];
  return { ...node, properties, end: last ? (last.value?.end ?? last.keyEnd) : node.start };
}

/** The text a node covers. */
function textOf(text: string, node: { start: number; end: number } | undefined): string {
  assert.ok(node, 'no node');
  return text.slice(node.start, node.end);
}

const VERSION_YAML = `workflowExternalId: daily
version: '3'
workflowDefinition:
  tasks:
    - externalId: fetch
      type: function
      parameters:
        function:
          externalId: fn-fetch
    - externalId: load
      type: transformation
      parameters:
        transformation:
          externalId: tr-load
      dependsOn:
        - externalId: fetch
`;

/** A version file of `n` tasks in a chain, in the layout of Toolkit modules. */
export function longVersionYaml(n: number): string {
  let text = '# generated\nworkflowExternalId: long\nversion: "1"\nworkflowDefinition:\n  description: many tasks\n  tasks:\n';
  for (let i = 0; i < n; i++) {
    text += `    - externalId: task-${i}\n      type: function\n      parameters:\n        function:\n          externalId: fn-${i % 5}\n          data:\n            previous: \${task-${Math.max(0, i - 1)}.output.response}\n            flow: { a: 1, b: [x, y] }\n`;
    if (i > 0) text += `      dependsOn:\n        - externalId: task-${i - 1}\n`;
    text += i % 10 === 0 ? '\n    # a comment between tasks\n' : '';
  }
  return `${text}  # after the list\n`;
}

describe('core/definition document model', () => {
  it('takes the kind from the last dot-segment of a Toolkit file name, any case', () => {
    assert.equal(toolkitKindOf('modules/m/workflows/v1.WorkflowVersion.yaml'), 'version');
    assert.equal(toolkitKindOf('a.b.workflowtrigger.YML'), 'trigger');
    assert.equal(toolkitKindOf('daily.Workflow.yml'), 'workflow');
    assert.equal(toolkitKindOf('Workflow.yaml'), undefined, 'no dot in the stem: the Toolkit ignores it');
    assert.equal(toolkitKindOf('x.Function.yaml'), undefined);
    assert.equal(toolkitKindOf('x.WorkflowVersion.json'), undefined);
  });

  it('reads a Toolkit version file into one version resource with key and value ranges', () => {
    const doc = parseDefinitionDocument(VERSION_YAML, { fileName: 'v3.WorkflowVersion.yaml' });
    assert.ok(doc);
    assert.equal(doc.shape, 'toolkit');
    assert.equal(doc.fileKind, 'version');
    assert.deepEqual(doc.syntaxProblems, []);
    assert.equal(doc.resources.length, 1);
    const [version] = doc.resources;
    assert.equal(version.kind, 'version');
    assert.deepEqual(resourceIdentity(version), { kind: 'version', workflowExternalId: 'daily', version: '3' });
    const dep = nodeAtPath(version.node, parseJsonPath('workflowDefinition.tasks[1].dependsOn[0].externalId'));
    assert.equal(textOf(VERSION_YAML, dep), 'fetch');
    assert.equal(doc.lines.positionAt(dep!.start).line, 15);
  });

  it('reads a Toolkit list file as one resource per entry and keeps entries that are not mappings apart', () => {
    const text = '- externalId: a\n  triggerRule: {triggerType: schedule, cronExpression: "0 * * * *"}\n- just text\n- externalId: b\n';
    const doc = parseDefinitionDocument(text, { fileName: 'all.WorkflowTrigger.yaml' })!;
    assert.deepEqual(doc.resources.map((r) => [r.kind, r.path]), [['trigger', [0]], ['trigger', [2]]]);
    assert.equal(textOf(text, doc.strayEntries[0]), 'just text');
  });

  it('recognises API JSON by content: a version, an items body of triggers, a workflow; not other JSON', () => {
    const version = parseDefinitionDocument('{"workflowExternalId": "w", "version": "1", "workflowDefinition": {"tasks": []}}', { format: 'json' })!;
    assert.deepEqual(version.resources.map((r) => r.kind), ['version']);
    assert.equal(version.shape, 'api');
    const body = parseDefinitionDocument('{"items": [{"externalId": "t", "triggerRule": {}, "workflowExternalId": "w", "workflowVersion": "1"}]}', { format: 'json' })!;
    assert.deepEqual(body.resources.map((r) => [r.kind, r.path]), [['trigger', ['items', 0]]]);
    const workflow = parseDefinitionDocument('{"externalId": "w", "maxConcurrentExecutions": 2}', { format: 'json' })!;
    assert.deepEqual(workflow.resources.map((r) => r.kind), ['workflow']);
    assert.equal(parseDefinitionDocument('{"assetExternalId": "pump-1", "runDate": "2024-01-01"}', { format: 'json' }), undefined);
    assert.equal(parseDefinitionDocument('{"maxConcurrentExecutions": 2, "name": "x", "externalId": "f"}', { format: 'json' }), undefined, 'a key no workflow has');
    assert.equal(kindOfContent({ externalId: 'x' }), undefined);
  });

  it('reports YAML and JSON syntax errors at their place and still returns the document', () => {
    const yaml = 'workflowExternalId: w\nversion: "1"\nworkflowDefinition:\n  tasks: [\n';
    const doc = parseDefinitionDocument(yaml, { fileName: 'x.WorkflowVersion.yaml' })!;
    assert.ok(doc.syntaxProblems.length > 0);
    assert.match(doc.syntaxProblems[0].message, /^YAML syntax error: /);
    assert.doesNotMatch(doc.syntaxProblems[0].message, /\n/);
    const dup = parseDefinitionDocument('externalId: a\nexternalId: b\n', { fileName: 'x.Workflow.yaml' })!;
    assert.equal(dup.lines.positionAt(dup.syntaxProblems[0].start).line, 1, 'the duplicate key is marked');
    const json = parseDefinitionDocument('{"workflowExternalId": "w", "version": 1,, }', { format: 'json' })!;
    assert.match(json.syntaxProblems[0].message, /^JSON syntax error: /);
  });

  it('finds the node under a cursor, keys included', () => {
    const doc = parseDefinitionDocument(VERSION_YAML, { fileName: 'v.WorkflowVersion.yaml' })!;
    const at = VERSION_YAML.indexOf('tr-load') + 2;
    const loc = locate(doc.root, at)!;
    assert.deepEqual(loc.path, ['workflowDefinition', 'tasks', 1, 'parameters', 'transformation', 'externalId']);
    const onKey = locate(doc.root, VERSION_YAML.indexOf('dependsOn') + 1)!;
    assert.equal(onKey.onKey?.key, 'dependsOn');
    assert.deepEqual(onKey.path, ['workflowDefinition', 'tasks', 1]);
  });

  it('parses a long task list item by item to the same tree as a whole parse, before and after an edit', () => {
    const text = longVersionYaml(60);
    const cache = new YamlChunkCache();
    const whole = parseYamlSource(text);
    assert.deepEqual(whole.problems, []);
    assert.deepEqual(trimmed(parseYamlSource(text, undefined, cache).root), trimmed(whole.root));
    assert.ok(cache.chunks.size > 60, 'the list was parsed in pieces');
    const edited = text.replace('externalId: task-30\n', 'externalId: task-30-renamed\n');
    assert.deepEqual(trimmed(parseYamlSource(edited, undefined, cache).root), trimmed(parseYamlSource(edited).root));
  });

  it('falls back to a whole parse when a piece does not parse alone, so errors are those of the file', () => {
    const text = longVersionYaml(40).replace('flow: { a: 1, b: [x, y] }\n      dependsOn:\n        - externalId: task-20', 'flow: { a: 1, b: [x, y]\n      dependsOn:\n        - externalId: task-20');
    const whole = parseYamlSource(text);
    assert.ok(whole.problems.length > 0);
    assert.deepEqual(parseYamlSource(text, undefined, new YamlChunkCache()), whole);
  });
});
