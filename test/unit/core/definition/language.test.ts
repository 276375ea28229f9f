// Completion, hover, outline and navigation of definition documents, at given cursor positions.
import * as assert from 'node:assert/strict';
import { type CompletionEntry, type ExternalIdKind, completeAt } from '../../../../src/core/definition/completion';
import { type DefinitionDocument, parseDefinitionDocument } from '../../../../src/core/definition/document';
import { hoverAt, valueAtReference } from '../../../../src/core/definition/hover';
import { definitionAt, documentSymbols, taskReferences } from '../../../../src/core/definition/navigation';
import { WorkspaceIndex } from '../../../../src/core/definition/workspaceIndex';
import { testSchemas } from './support/schemas';

const VERSION = `workflowExternalId: daily
version: '1'
workflowDefinition:
  tasks:
    - externalId: fetch
      type: function
      name: Fetch rows
      parameters:
        function:
          externalId: fn-fetch
          data:
            day: \${workflow.input.day}
    - externalId: load
      type: transformation
      parameters:
        transformation:
          externalId: tr-load
      dependsOn:
        - externalId: fetch
    - externalId: report
      type: function
      parameters:
        function:
          externalId: fn-report
          data:
            job: \${load.output.jobId}
      dependsOn:
        - externalId: load
`;

/** Text with a `|` marking the cursor: the document without it and the offset. */
function at(text: string): { doc: DefinitionDocument; offset: number; text: string } {
  const offset = text.indexOf('|');
  assert.ok(offset >= 0, 'no cursor');
  const clean = text.slice(0, offset) + text.slice(offset + 1);
  const json = clean.trimStart().startsWith('{');
  const doc = parseDefinitionDocument(clean, json ? { format: 'json' } : { fileName: 'v1.WorkflowVersion.yaml' });
  assert.ok(doc, 'not a definition');
  return { doc, offset, text: clean };
}

async function complete(text: string, ids: Partial<Record<ExternalIdKind, { externalId: string; workflowExternalId?: string }[]>> = {}): Promise<{ labels: string[]; entries: CompletionEntry[]; text: string }> {
  const c = at(text);
  const entries = await completeAt(c.doc, c.offset, { schemas: testSchemas(), externalIds: (kind) => ids[kind] ?? [] });
  return { labels: entries.map((e) => e.label), entries, text: c.text };
}

function apply(text: string, e: CompletionEntry): string {
  return text.slice(0, e.start) + e.insertText + text.slice(e.end);
}

describe('core/definition completion', () => {
  it('offers the keys a task may still have, required ones first', async () => {
    const { labels, entries } = await complete(VERSION.replace('      type: transformation\n', '      type: transformation\n      |\n'));
    assert.deepEqual(labels.sort(), ['description', 'name', 'onFailure', 'retries', 'timeout']);
    assert.match(entries.find((e) => e.label === 'retries')?.detail ?? '', /number 0–10/);
    assert.match(entries.find((e) => e.label === 'retries')?.documentation ?? '', /Number of times to retry/);
  });

  it('offers the parameter keys of the task\'s own type', async () => {
    const { labels } = await complete(VERSION.replace('          externalId: tr-load\n', '          externalId: tr-load\n          con|\n'));
    assert.deepEqual(labels, ['concurrencyPolicy', 'useTransformationCredentials']);
  });

  it('offers enum values: task types, onFailure, concurrency policies, and true/false', async () => {
    const types = await complete(VERSION.replace('      type: transformation\n', '      type: tr|\n'));
    assert.deepEqual(types.labels, ['function', 'transformation', 'cdf', 'dynamic', 'subworkflow', 'simulation', 'functionApp']);
    const transformation = types.entries.find((e) => e.label === 'transformation')!;
    assert.equal(apply(types.text, transformation).split('\n')[13], '      type: transformation');
    assert.deepEqual((await complete(VERSION.replace('      name: Fetch rows\n', '      onFailure: |\n'))).labels, ['abortWorkflow', 'skipTask']);
    assert.deepEqual((await complete(VERSION.replace('          externalId: tr-load\n', '          externalId: tr-load\n          useTransformationCredentials: |\n'))).labels, ['true', 'false']);
  });

  it('offers the task ids a dependsOn may name: not itself, not downstream tasks (a cycle), not those listed', async () => {
    const { labels } = await complete(VERSION.replace('        - externalId: fetch\n', '        - externalId: fetch\n        - externalId: |\n'));
    assert.deepEqual(labels, [], 'load may only depend on fetch, which it lists already');
    const report = await complete(VERSION.replace('        - externalId: load\n', '        - externalId: load\n        - externalId: |\n'));
    assert.deepEqual(report.labels, ['fetch']);
    const newItem = await complete(VERSION.replace('        - externalId: load\n', '        - externalId: load\n        - |\n'));
    assert.equal(newItem.entries[0]?.insertText, 'externalId: fetch');
  });

  it('inside ${ offers workflow.input and the upstream tasks only, then output/input, then the output keys of the task type', async () => {
    const start = await complete(VERSION.replace('job: ${load.output.jobId}', 'job: ${|}'));
    assert.deepEqual(start.labels.sort(), ['fetch', 'load', 'workflow.input']);
    const fetch = start.entries.find((e) => e.label === 'fetch')!;
    assert.match(apply(start.text, fetch), /job: \$\{fetch\.output\}/);
    const notUpstream = await complete(VERSION.replace('day: ${workflow.input.day}', 'day: ${|}'));
    assert.deepEqual(notUpstream.labels, ['workflow.input'], 'fetch has nothing upstream');
    assert.deepEqual((await complete(VERSION.replace('job: ${load.output.jobId}', 'job: ${load.|}'))).labels, ['output', 'input']);
    assert.deepEqual((await complete(VERSION.replace('job: ${load.output.jobId}', 'job: ${load.output.|}'))).labels, ['jobId']);
    assert.deepEqual((await complete(VERSION.replace('job: ${load.output.jobId}', 'job: "${fetch.output.|}"'))).labels, ['response', 'callId', 'functionId']);
    assert.deepEqual((await complete(VERSION.replace('job: ${load.output.jobId}', 'job: ${workflow.input.|}'))).labels, ['day']);
    // Closed by the editor (`${|}`): nothing to add. Typed without its `}`: each entry brings it.
    assert.ok(start.entries.every((e) => e.closeAfter === undefined));
    const open = await complete(VERSION.replace('job: ${load.output.jobId}', 'job: ${|'));
    assert.ok(open.entries.length > 0 && open.entries.every((e) => e.closeAfter === '}'), JSON.stringify(open.entries));
    const quoted = await complete(VERSION.replace('job: ${load.output.jobId}', 'job: "${load.|"'));
    assert.deepEqual(quoted.entries.map((e) => [e.label, e.closeAfter]), [['output', '}'], ['input', '}']]);
  });

  it('offers function, transformation and version external ids from the caller\'s lists', async () => {
    const ids = {
      function: [{ externalId: 'fn-a' }, { externalId: 'fn-b' }],
      transformation: [{ externalId: 'tr-x' }],
      version: [{ externalId: '1', workflowExternalId: 'child' }, { externalId: '2', workflowExternalId: 'child' }, { externalId: '9', workflowExternalId: 'other' }],
    };
    assert.deepEqual((await complete(VERSION.replace('externalId: fn-fetch', 'externalId: fn|'), ids)).labels, ['fn-a', 'fn-b']);
    assert.deepEqual((await complete(VERSION.replace('externalId: tr-load', 'externalId: |'), ids)).labels, ['tr-x']);
    const sub = `${VERSION}    - externalId: sub\n      type: subworkflow\n      parameters:\n        subworkflow:\n          workflowExternalId: child\n          version: |\n`;
    const versions = await complete(sub, ids);
    assert.deepEqual(versions.labels, ['1', '2']);
    assert.equal(versions.entries[0]?.insertText, "'1'");
  });

  it('completes keys and values in API JSON with quotes', async () => {
    const body = JSON.stringify({ workflowExternalId: 'w', version: '1', workflowDefinition: { tasks: [{ externalId: 'a', type: 'function', parameters: { function: { externalId: 'f' } } }, { externalId: 'b', type: 'function', parameters: { function: { externalId: 'f' } }, dependsOn: [{ externalId: 'DEP' }] }] } }, null, 2);
    const dep = await complete(body.replace('"DEP"', '"|"'));
    assert.deepEqual(dep.labels, ['a']);
    assert.equal(dep.entries[0]?.insertText, '"a"');
    assert.deepEqual(JSON.parse(apply(dep.text, dep.entries[0])).workflowDefinition.tasks[1].dependsOn, [{ externalId: 'a' }]);
    const keys = await complete(body.replace('"type": "function",\n        "parameters": {\n          "function": {\n            "externalId": "f"\n          }\n        },\n        "dependsOn"', '"type": "function",\n        "|",\n        "parameters": {\n          "function": {\n            "externalId": "f"\n          }\n        },\n        "dependsOn"'));
    assert.ok(keys.labels.includes('retries') && !keys.labels.includes('type'));
    assert.equal(keys.entries.find((e) => e.label === 'retries')?.insertText, '"retries": ');
  });
});

describe('core/definition hover', () => {
  const hover = async (text: string, extra: Parameters<typeof hoverAt>[2] extends infer C ? Partial<C> : never = {}) => {
    const c = at(text);
    return hoverAt(c.doc, c.offset, { schemas: testSchemas(), ...extra });
  };

  it('shows a key\'s description from the schema, with its type and default', async () => {
    const h = await hover(VERSION.replace('      name: Fetch rows', '      na|me: Fetch rows'));
    assert.match(h!.markdown, /^\*\*name\*\*: string \(≤ 255 characters\)/);
    assert.match(h!.markdown, /Readable name meant for use in UIs/);
    const onFailure = await hover(VERSION.replace('      name: Fetch rows', '      onFailure: skip|Task'));
    assert.match(onFailure!.markdown, /`skipTask`: For both failures and timeouts/);
    assert.match(onFailure!.markdown, /Default: `"abortWorkflow"`/);
  });

  it('shows a reference\'s target task and the value it had in a recent execution', async () => {
    const asked: string[] = [];
    const h = await hover(VERSION.replace('job: ${load.output.jobId}', 'job: ${lo|ad.output.jobId}'), {
      executionValue: (version, reference) => {
        asked.push(`${version.workflowExternalId}@${version.version} ${reference}`);
        return Promise.resolve({ value: 4711, executionId: 'e-1', time: Date.UTC(2026, 0, 2, 3, 4), status: 'COMPLETED' });
      },
    });
    assert.deepEqual(asked, ['daily@1 load.output.jobId']);
    assert.match(h!.markdown, /\*\*Task load\*\* · transformation/);
    assert.match(h!.markdown, /In execution `e-1` \(2026-01-02 03:04 UTC\), completed:\n\n```json\n4711\n```/);
  });

  it('warns in the hover of a reference to a task that is not upstream', async () => {
    const h = await hover(VERSION.replace('day: ${workflow.input.day}', 'day: ${lo|ad.output}'));
    assert.match(h!.markdown, /is not upstream of \*\*fetch\*\*/);
  });

  it('shows a template\'s value and where it comes from', async () => {
    const text = 'workflowExternalId: {{ w|f }}\nversion: "1"\nworkflowDefinition:\n  tasks: []\n';
    const offset = text.indexOf('|');
    const doc = parseDefinitionDocument(text.replace('|', ''), { fileName: 'v.WorkflowVersion.yaml', variables: new Map([['wf', 'nightly']]) })!;
    const h = await hoverAt(doc, offset, { schemas: testSchemas(), templates: { environment: 'prod', configFile: '/c/config.prod.yaml', module: 'modules/m' } });
    assert.match(h!.markdown, /`wf` = `"nightly"`/);
    assert.match(h!.markdown, /From config\.prod\.yaml, module modules\/m/);
  });

  it('describes a schedule trigger\'s cron expression', async () => {
    const text = 'externalId: t\ntriggerRule:\n  triggerType: schedule\n  cronExpression: "30 5 * * 1-|5"\n  timezone: Europe/Oslo\nworkflowExternalId: w\nworkflowVersion: "1"\n';
    const offset = text.indexOf('|');
    const doc = parseDefinitionDocument(text.replace('|', ''), { fileName: 't.WorkflowTrigger.yaml' })!;
    const h = await hoverAt(doc, offset, { schemas: testSchemas() });
    assert.match(h!.markdown, /At 05:30 AM, Monday through Friday \(Europe\/Oslo\)/);
  });

  it('reads a reference\'s value from an execution: task output, task input, workflow input', () => {
    const execution = {
      input: { day: '2026-01-01' },
      executedTasks: [
        { externalId: 'load', output: { jobId: 1 }, input: { transformation: { externalId: 'tr' } } },
        { externalId: 'child', parentTaskExternalId: 'fan', output: { x: 1 } },
      ],
    };
    assert.deepEqual(valueAtReference(execution, 'load.output.jobId'), { found: true, value: 1 });
    assert.deepEqual(valueAtReference(execution, 'load.input.transformation.externalId'), { found: true, value: 'tr' });
    assert.deepEqual(valueAtReference(execution, 'workflow.input.day'), { found: true, value: '2026-01-01' });
    assert.deepEqual(valueAtReference(execution, 'child.output.x'), { found: false }, 'a dynamic task\'s child is not a reference target');
  });
});

describe('core/definition outline and navigation', () => {
  const doc = parseDefinitionDocument(VERSION, { fileName: 'v1.WorkflowVersion.yaml' })!;
  const offsetOf = (needle: string, inside = 0): number => VERSION.indexOf(needle) + inside;

  it('outlines a version with its tasks, each range holding the task and selecting its id', () => {
    const [version] = documentSymbols(doc);
    assert.equal(version.name, 'daily@1');
    assert.deepEqual(version.children.map((c) => [c.name, c.detail]), [['fetch', 'function · Fetch rows'], ['load', 'transformation'], ['report', 'function']]);
    const load = version.children[1];
    assert.equal(VERSION.slice(load.selectionRange.start, load.selectionRange.end), 'load');
    assert.ok(VERSION.slice(load.range.start, load.range.end).includes('tr-load'));
    assert.ok(!VERSION.slice(load.range.start, load.range.end).includes('fn-report'));
  });

  it('goes from a dependsOn entry and from a reference to the task', () => {
    for (const offset of [offsetOf('- externalId: load\n', 15), offsetOf('${load.output', 3)]) {
      const target = definitionAt(doc, offset);
      assert.equal(target?.kind, 'task');
      assert.equal(target?.kind === 'task' && VERSION.slice(target.selectionRange.start, target.selectionRange.end), 'load');
    }
  });

  it('goes from a function external id to the function, and from a subworkflow reference to its version', () => {
    assert.deepEqual(definitionAt(doc, offsetOf('fn-report', 2)), { kind: 'function', externalId: 'fn-report' });
    const sub = parseDefinitionDocument(`${VERSION}    - externalId: sub\n      type: subworkflow\n      parameters:\n        subworkflow: {workflowExternalId: child, version: '2'}\n`, { fileName: 'v.WorkflowVersion.yaml' })!;
    assert.deepEqual(definitionAt(sub, sub.text.indexOf('child') + 1), { kind: 'version', workflowExternalId: 'child', version: '2' });
  });

  it('finds every reference of a task id: its declaration, dependsOn entries and ${...} parts', () => {
    const spans = taskReferences(doc, offsetOf('${load.output', 4), true);
    assert.deepEqual(spans.map((s) => [VERSION.slice(s.start, s.end), doc.lines.positionAt(s.start).line + 1]), [['load', 13], ['load', 26], ['load', 28]]);
    assert.equal(taskReferences(doc, offsetOf('${load.output', 4), false).length, 2);
  });
});

describe('core/definition workspace index', () => {
  it('indexes versions with their tasks, and the functions and transformations of Toolkit files', () => {
    const index = new WorkspaceIndex();
    index.setDocument('/p/modules/m/workflows/v1.WorkflowVersion.yaml', parseDefinitionDocument(VERSION, { fileName: 'v1.WorkflowVersion.yaml' }));
    assert.deepEqual(index.findVersion('daily', '1')?.tasks.map((t) => `${t.externalId}:${t.type ?? ''}`), ['fetch:function', 'load:transformation', 'report:function']);
    index.setFunctionFile('/p/modules/m/functions/f.Function.yaml', '- externalId: fn-fetch\n  name: Fetch\n- externalId: {{ masked }}\n');
    assert.deepEqual(index.functions().map((f) => [f.externalId, f.codeFolder, f.name]), [['fn-fetch', '/p/modules/m/functions/fn-fetch', 'Fetch']]);
    index.setTransformationFile('/p/modules/m/transformations/t.Transformation.yaml', 'externalId: tr-load\nname: Load\nquery: select 1\n');
    assert.deepEqual(index.transformations().map((t) => t.externalId), ['tr-load']);
    assert.deepEqual(definitionAt(parseDefinitionDocument(VERSION, { fileName: 'v.WorkflowVersion.yaml' })!, VERSION.indexOf('tr-load') + 1), { kind: 'transformation', externalId: 'tr-load' });
    index.removeFile('/p/modules/m/transformations/t.Transformation.yaml');
    assert.deepEqual(index.transformations(), []);
  });
});
