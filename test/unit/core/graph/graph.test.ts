import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  countRetries,
  criticalPath,
  graphOfDefinition,
  graphOfExecution,
  ID_SEPARATOR,
  NOT_STARTED,
  structureKey,
  timelineOf,
  type WorkflowGraph,
} from '../../../../src/core/graph';
import { layoutGraph } from '../../../../src/core/graph/layout';
import { compareSummary, normaliseExecution } from '../../../../src/core/graph/compare';
import { findingsByTask, graphSourceOf, taskDefinitionAt } from '../../../../src/core/graph/fromDocument';
import { parseDefinitionDocument } from '../../../../src/core/definition/document';
import { executionDetailed } from '../../../../src/core/schemas/executions';
import { execution, fanOut, ran, T0, task } from './builders';

const ids = (g: WorkflowGraph) => g.nodes.map((n) => n.id);
const edges = (g: WorkflowGraph) => g.edges.map((e) => `${e.from}->${e.to}`);
const node = (g: WorkflowGraph, id: string) => {
  const n = g.nodes.find((x) => x.id === id);
  assert.ok(n, `no node ${id} among ${ids(g).join(', ')}`);
  return n;
};
const child = (parent: string, id: string) => `${parent}${ID_SEPARATOR}${id}`;

describe('graph model', () => {
  describe('of a definition', () => {
    it('has a node per task in definition order and an edge per dependsOn, without statuses', () => {
      const g = graphOfDefinition({
        tasks: [
          task('extract', 'transformation', { retries: 2, name: 'Extract sources' }),
          task('load', 'function', { after: ['extract'], timeout: 600, onFailure: 'skipTask' }),
          task('report', 'function', { after: ['extract', 'load'] }),
        ],
      });
      assert.deepEqual(ids(g), ['extract', 'load', 'report']);
      assert.deepEqual(edges(g), ['extract->load', 'extract->report', 'load->report']);
      assert.deepEqual(node(g, 'extract'), { id: 'extract', externalId: 'extract', type: 'transformation', group: false, name: 'Extract sources', detail: 'tr-extract', retries: 2 });
      assert.equal(node(g, 'load').onFailure, 'skipTask');
      assert.equal(node(g, 'load').timeout, 600);
      assert.ok(g.nodes.every((n) => n.status === undefined));
    });

    it('draws an inline subworkflow as a group of its tasks with their own edges, and a referenced one as a task naming it', () => {
      const g = graphOfDefinition({
        tasks: [
          task('prepare'),
          { externalId: 'publish', type: 'subworkflow', parameters: { subworkflow: { tasks: [task('a'), task('b', 'function', { after: ['a'] })] } }, dependsOn: [{ externalId: 'prepare' }] },
          { externalId: 'external', type: 'subworkflow', parameters: { subworkflow: { workflowExternalId: 'publish-results', version: '2' } } },
        ],
      });
      assert.deepEqual(ids(g), ['prepare', 'publish', child('publish', 'a'), child('publish', 'b'), 'external']);
      assert.equal(node(g, 'publish').group, true);
      assert.equal(node(g, child('publish', 'a')).parent, 'publish');
      assert.deepEqual(edges(g).sort(), ['prepare->publish', `${child('publish', 'a')}->${child('publish', 'b')}`].sort());
      assert.equal(node(g, 'external').detail, 'publish-results@2');
    });

    it('shows a dynamic task as a group whose tasks are not known before it runs', () => {
      const g = graphOfDefinition({ tasks: [task('plan'), task('fan', 'dynamic', { after: ['plan'] })] });
      assert.equal(node(g, 'fan').group, true);
      assert.equal(node(g, 'fan').detail, 'tasks from ${plan.output.response.tasks}');
      assert.equal(g.nodes.length, 2);
    });

    it('tolerates a definition being typed: tasks without ids, unknown dependencies, self-dependencies and duplicates', () => {
      const g = graphOfDefinition({
        tasks: [
          task('a', 'function', { after: ['a', 'ghost'] }),
          { type: 'function' } as never,
          task('a', 'cdf'),
          { externalId: 'b', type: 42, dependsOn: [null, { externalId: 'a' }] } as never,
          'junk' as never,
        ],
      });
      assert.deepEqual(ids(g), ['a', 'b']);
      assert.deepEqual(edges(g), ['a->b']);
      assert.equal(node(g, 'b').type, 'unknown');
    });

    it('carries diagnostics onto their task', () => {
      const g = graphOfDefinition({ tasks: [task('a'), task('b')] }, { diagnostics: new Map([['b', [{ severity: 'error' as const, message: 'dependsOn names a task that does not exist' }]]]) });
      assert.equal(node(g, 'a').diagnostics, undefined);
      assert.deepEqual(node(g, 'b').diagnostics, [{ severity: 'error', message: 'dependsOn names a task that does not exist' }]);
    });
  });

  describe('of an execution', () => {
    it('lists every task of the definition, those that have not started as NOT_STARTED', () => {
      const e = execution([task('a'), task('b', 'function', { after: ['a'] }), task('c', 'function', { after: ['b'] })], [ran('a', 'COMPLETED', { started: 0, took: 1000 }), ran('b', 'IN_PROGRESS', { started: 1000 })]);
      const g = graphOfExecution(e);
      assert.deepEqual(g.nodes.map((n) => [n.id, n.status]), [
        ['a', 'COMPLETED'],
        ['b', 'IN_PROGRESS'],
        ['c', NOT_STARTED],
      ]);
      assert.equal(node(g, 'a').startTime, T0);
      assert.equal(node(g, 'a').endTime, T0 + 1000);
      assert.equal(node(g, 'c').taskExecutionId, undefined);
      assert.ok(node(g, 'b').taskExecutionId);
    });

    it("groups a dynamic task's generated tasks under it, those not started yet included, with their dependencies", () => {
      const e = fanOut(6, { started: 4, chains: true });
      const g = graphOfExecution(e);
      const children = g.nodes.filter((n) => n.parent === 'fan');
      assert.equal(children.length, 6);
      assert.deepEqual(children.map((c) => c.status), ['IN_PROGRESS', 'COMPLETED', 'COMPLETED', 'IN_PROGRESS', NOT_STARTED, NOT_STARTED]);
      assert.ok(edges(g).includes(`${child('fan', 'item-0')}->${child('fan', 'item-1')}`));
      assert.ok(edges(g).includes('plan->fan') && edges(g).includes('fan->report'));
      assert.equal(node(g, 'report').status, NOT_STARTED);
      assert.equal(node(g, child('fan', 'item-1')).detail, 'fn-item');
    });

    it("takes a dynamic task's tasks from its output when its input does not list them, and from CDF's list alone as a last resort", () => {
      const generated = [{ externalId: 'x', type: 'transformation', parameters: { transformation: { externalId: 'tr-x' } } }];
      const fromOutput = graphOfExecution(execution([task('fan', 'dynamic')], [ran('fan', 'COMPLETED', { taskType: 'dynamic', output: { dynamicTasks: generated } }), ran('x', 'COMPLETED', { parentTaskExternalId: 'fan', taskType: 'transformation' })]));
      assert.equal(node(fromOutput, child('fan', 'x')).detail, 'tr-x');
      // An older payload: output {} and an unresolved input.
      const fromList = graphOfExecution(execution([task('fan', 'dynamic')], [ran('fan', 'COMPLETED', { taskType: 'dynamic' }), ran('y', 'FAILED', { parentTaskExternalId: 'fan', reasonForIncompletion: 'boom' })]));
      assert.deepEqual(ids(fromList), ['fan', child('fan', 'y')]);
      assert.equal(node(fromList, child('fan', 'y')).reason, 'boom');
    });

    it('shows the tasks of a subworkflow referenced by id as CDF lists them, and inline ones before they start', () => {
      const e = execution(
        [
          { externalId: 'ref', type: 'subworkflow', parameters: { subworkflow: { workflowExternalId: 'other', version: '1' } } },
          { externalId: 'inline', type: 'subworkflow', parameters: { subworkflow: { tasks: [task('s1'), task('s2', 'function', { after: ['s1'] })] } } },
        ],
        [ran('ref', 'IN_PROGRESS', { taskType: 'subworkflow' }), ran('r1', 'COMPLETED', { parentTaskExternalId: 'ref' }), ran('inline', 'IN_PROGRESS', { taskType: 'subworkflow' }), ran('s1', 'IN_PROGRESS', { parentTaskExternalId: 'inline' })],
      );
      const g = graphOfExecution(e);
      assert.deepEqual(ids(g), ['ref', child('ref', 'r1'), 'inline', child('inline', 's1'), child('inline', 's2')]);
      assert.equal(node(g, child('inline', 's2')).status, NOT_STARTED);
      assert.deepEqual(edges(g), [`${child('inline', 's1')}->${child('inline', 's2')}`]);
    });

    it('keeps skipped and failed tasks with their reasons, async waits and function logs', () => {
      const e = execution(
        [task('a', 'function', { parameters: { function: { externalId: 'fn-a' }, isAsyncComplete: true } }), task('b', 'function', { after: ['a'] }), task('c', 'function', { after: ['b'] })],
        [
          ran('a', 'IN_PROGRESS', { started: 0, output: { callId: 5, functionId: 9 } }),
          ran('b', 'FAILED', { started: 10, took: 5, reasonForIncompletion: 'Function call 6 failed: KeyError' }),
          ran('c', 'SKIPPED'),
        ],
      );
      const g = graphOfExecution(e);
      assert.equal(node(g, 'a').asyncWaiting, true);
      assert.equal(node(g, 'a').hasLogs, true);
      assert.equal(node(g, 'b').reason, 'Function call 6 failed: KeyError');
      assert.equal(node(g, 'c').status, 'SKIPPED');
    });

    it('never loses a task CDF ran that the definition does not name', () => {
      const g = graphOfExecution(execution([task('a')], [ran('a', 'COMPLETED'), ran('stray', 'FAILED'), ran('kid', 'COMPLETED', { parentTaskExternalId: 'gone' })]));
      assert.deepEqual(ids(g), ['a', 'stray', child('gone', 'kid')]);
    });

    it('builds from the example execution of the reference (parsed by the client schema)', () => {
      const file = path.join(__dirname, '../../../../../test/fixtures/graph-execution-detailed.json');
      const e = executionDetailed.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
      const g = graphOfExecution(e);
      assert.equal(g.nodes.filter((n) => n.parent === undefined).length, e.workflowDefinition.tasks.length);
      const dynamicChildren = g.nodes.filter((n) => n.parent === 'process-batches');
      assert.ok(dynamicChildren.length >= 2, 'the dynamic task has its two children');
      assert.ok(dynamicChildren.some((n) => n.status === 'FAILED'));
      assert.equal(node(g, 'await-external-approval').asyncWaiting, true);
    });

    it('has the same structure key while only statuses change, and another once a dynamic task expands', () => {
      const before = fanOut(3, { started: 0 });
      const later = fanOut(3, { started: 3 });
      assert.equal(structureKey(graphOfExecution(before)), structureKey(graphOfExecution(later)));
      const unexpanded = execution([task('plan'), task('fan', 'dynamic', { after: ['plan'] })], [ran('plan', 'IN_PROGRESS')]);
      assert.notEqual(structureKey(graphOfExecution(unexpanded)), structureKey(graphOfExecution(later)));
    });
  });

  describe('retries seen', () => {
    it('counts a task that failed and runs again, and a function task whose call changed', () => {
      const defs = [task('a'), task('b')];
      const first = execution(defs, [ran('a', 'FAILED', { id: 'ta' }), ran('b', 'IN_PROGRESS', { id: 'tb', output: { callId: 1, functionId: 2 } })]);
      const second = execution(defs, [ran('a', 'IN_PROGRESS', { id: 'ta' }), ran('b', 'IN_PROGRESS', { id: 'tb', output: { callId: 3, functionId: 2 } })]);
      const third = execution(defs, [ran('a', 'COMPLETED', { id: 'ta' }), ran('b', 'COMPLETED', { id: 'tb', output: { callId: 3, functionId: 2 } })]);
      const counts = countRetries(undefined, first);
      assert.equal(counts.size, 0);
      countRetries(first, second, counts);
      countRetries(second, third, counts);
      assert.deepEqual([...counts], [['a', 1], ['b', 1]]);
      const g = graphOfExecution(third, { retriesSeen: counts });
      assert.equal(node(g, 'a').retriesSeen, 1);
    });

    it("counts a generated task's retry under its group", () => {
      const a = execution([task('fan', 'dynamic')], [ran('x', 'TIMED_OUT', { parentTaskExternalId: 'fan' })]);
      const b = execution([task('fan', 'dynamic')], [ran('x', 'IN_PROGRESS', { parentTaskExternalId: 'fan' })]);
      assert.deepEqual([...countRetries(a, b)], [[child('fan', 'x'), 1]]);
    });
  });

  describe('timeline', () => {
    it('orders rows by start, not-started tasks last, and finds the slowest task and the critical path', () => {
      const e = execution(
        [task('a'), task('b', 'function', { after: ['a'] }), task('c', 'function', { after: ['a'] }), task('d', 'function', { after: ['b', 'c'] }), task('e')],
        [
          ran('a', 'COMPLETED', { started: 0, took: 1000 }),
          ran('c', 'COMPLETED', { started: 1000, took: 9000 }),
          ran('b', 'COMPLETED', { started: 1000, took: 2000 }),
          ran('d', 'IN_PROGRESS', { started: 10_000 }),
        ],
      );
      const g = graphOfExecution(e);
      const t = timelineOf(g, T0 + 12_000);
      assert.deepEqual(t.rows.map((r) => r.id), ['a', 'b', 'c', 'd', 'e']);
      assert.equal(t.rows[3].end, T0 + 12_000);
      assert.equal(t.rows[3].running, true);
      assert.equal(t.rows[4].start, undefined);
      assert.equal(t.slowest, 'c');
      assert.deepEqual(t.criticalPath, ['a', 'c', 'd']);
      assert.equal(t.start, T0);
      assert.equal(t.end, T0 + 12_000);
    });

    it("runs the critical path through a group's own chain", () => {
      const e = execution(
        [task('plan'), task('fan', 'dynamic', { after: ['plan'] })],
        [
          ran('plan', 'COMPLETED', { started: 0, took: 100 }),
          ran('fan', 'COMPLETED', { started: 100, took: 5000, taskType: 'dynamic', input: { dynamic: { tasks: [task('x'), task('y', 'function', { after: ['x'] }), task('z')] } } }),
          ran('x', 'COMPLETED', { started: 100, took: 1000, parentTaskExternalId: 'fan' }),
          ran('y', 'COMPLETED', { started: 1100, took: 3900, parentTaskExternalId: 'fan' }),
          ran('z', 'COMPLETED', { started: 100, took: 200, parentTaskExternalId: 'fan' }),
        ],
      );
      assert.deepEqual(criticalPath(graphOfExecution(e), T0 + 10_000), ['plan', child('fan', 'x'), child('fan', 'y'), 'fan']);
    });
  });

  describe('layout', () => {
    const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

    it('lays dependencies out left to right', () => {
      const g = graphOfDefinition({ tasks: [task('a'), task('b', 'function', { after: ['a'] }), task('c', 'function', { after: ['b'] })] });
      const l = layoutGraph(g, new Set());
      const [a, b, c] = ['a', 'b', 'c'].map((id) => l.boxes.get(id)!);
      assert.ok(a.x + a.width <= b.x && b.x + b.width <= c.x);
      assert.equal(l.edges.length, 2);
      assert.ok(l.edges.every((e) => e.points.length >= 2));
    });

    it("draws a collapsed group's tasks not at all, and an expanded group around its tasks", () => {
      const g = graphOfExecution(fanOut(40, { chains: true }));
      const collapsed = layoutGraph(g, new Set());
      assert.deepEqual([...collapsed.boxes.keys()], ['plan', 'fan', 'report']);
      const expanded = layoutGraph(g, new Set(['fan']));
      const fan = expanded.boxes.get('fan')!;
      const kids = g.nodes.filter((n) => n.parent === 'fan').map((n) => expanded.boxes.get(n.id)!);
      assert.equal(kids.length, 40);
      for (const k of kids) assert.ok(k.x >= fan.x && k.y >= fan.y && k.x + k.width <= fan.x + fan.width + 0.5 && k.y + k.height <= fan.y + fan.height + 0.5, 'a task outside its group');
      for (let i = 0; i < kids.length; i++) for (let j = i + 1; j < kids.length; j++) assert.ok(!overlaps(kids[i], kids[j]), `tasks ${i} and ${j} overlap`);
      assert.ok(!overlaps(expanded.boxes.get('plan')!, fan) && !overlaps(expanded.boxes.get('report')!, fan));
    });

    it('packs a fan-out of 500 independent tasks into a grid, not a column', () => {
      const g = graphOfExecution(fanOut(500));
      const l = layoutGraph(g, new Set(['fan']));
      const fan = l.boxes.get('fan')!;
      assert.ok(fan.width / fan.height > 0.5 && fan.width / fan.height < 3, `fan is ${fan.width} x ${fan.height}`);
    });
  });
});

describe('graph of a definition file', () => {
  const yaml = [
    'workflowExternalId: daily-sync',
    "version: '2'",
    'workflowDefinition:',
    '  description: Sync then publish',
    '  tasks:',
    '    - externalId: extract',
    '      type: transformation',
    '      parameters:',
    '        transformation:',
    '          externalId: tr-extract',
    '    - externalId: publish',
    '      type: subworkflow',
    '      dependsOn:',
    '        - externalId: extract',
    '      parameters:',
    '        subworkflow:',
    '          tasks:',
    '            - externalId: notify',
    '              type: function',
    '              parameters:',
    '                function:',
    '                  externalId: fn-notify',
    '',
  ].join('\n');

  it("finds the version's tasks with their ranges, an inline subworkflow's too, and assigns findings to the innermost task", () => {
    const doc = parseDefinitionDocument(yaml, { fileName: 'daily.WorkflowVersion.yaml' })!;
    const source = graphSourceOf(doc)!;
    assert.equal(source.title, 'daily-sync@2');
    assert.equal(source.description, 'Sync then publish');
    assert.deepEqual(source.tasks.map((t) => t.nodeId), ['extract', 'publish', `publish${ID_SEPARATOR}notify`]);
    const extract = source.tasks[0];
    assert.equal(yaml.slice(extract.idStart, extract.idEnd), 'extract');
    const notifyAt = yaml.indexOf('fn-notify');
    const findings = findingsByTask(source.tasks, [
      { offset: notifyAt, severity: 'error', message: 'Function fn-notify was not found' },
      { offset: yaml.indexOf('tr-extract'), severity: 'warning', message: 'slow' },
      { offset: 0, severity: 'info', message: 'outside every task' },
    ]);
    assert.deepEqual([...findings.keys()], [`publish${ID_SEPARATOR}notify`, 'extract']);
    const g = graphOfDefinition(source.definition, { diagnostics: findings });
    assert.equal(g.nodes.find((n) => n.id === `publish${ID_SEPARATOR}notify`)?.diagnostics?.[0]?.severity, 'error');
    assert.equal(taskDefinitionAt(source, `publish${ID_SEPARATOR}notify`)?.type, 'function');
    assert.equal(taskDefinitionAt(source, 'extract')?.type, 'transformation');
  });

  it('has no graph source for a file without a version (a workflow or a trigger)', () => {
    const doc = parseDefinitionDocument('externalId: daily-sync\n', { fileName: 'daily.Workflow.yaml' })!;
    assert.equal(graphSourceOf(doc), undefined);
  });
});

describe('comparing executions', () => {
  const defs = [task('extract', 'transformation'), task('load', 'function', { after: ['extract'] }), task('report', 'function', { after: ['load'] })];
  const first = execution(
    defs,
    [
      ran('load', 'FAILED', { started: 5000, took: 1000, reasonForIncompletion: 'KeyError', taskType: 'function', output: { callId: 11, functionId: 3, response: { rows: 1 } } }),
      ran('extract', 'COMPLETED', { started: 0, took: 5000, taskType: 'transformation', output: { jobId: 99 } }),
      ran('report', 'SKIPPED'),
    ],
    { id: 'a', status: 'FAILED', startTime: T0, endTime: T0 + 6000, input: { b: 2, a: 1 }, metadata: { 'cdf-workflows-run-id': 'r1', source: 'ui' }, reasonForIncompletion: 'Task load failed' },
  );
  const second = execution(
    defs,
    [
      ran('extract', 'COMPLETED', { started: 0, took: 65_000, taskType: 'transformation', output: { jobId: 100 } }),
      ran('load', 'COMPLETED', { started: 65_000, took: 1000, taskType: 'function', output: { callId: 12, functionId: 3, response: { rows: 1 } } }),
      ran('report', 'COMPLETED', { started: 66_000, took: 500, output: { callId: 13, functionId: 4, response: {} } }),
    ],
    { id: 'b', status: 'COMPLETED', startTime: T0, endTime: T0 + 66_500, input: { a: 1, b: 2 }, metadata: { 'cdf-workflows-run-id': 'r2', source: 'ui' } },
  );

  it('normalises a run to its input, metadata and tasks in graph order, without what differs on every run', () => {
    const n = normaliseExecution(first);
    assert.equal(n.status, 'Failed');
    assert.equal(n.duration, '6 s');
    assert.deepEqual(n.metadata, { source: 'ui' });
    assert.deepEqual(JSON.stringify(n.input), '{"a":1,"b":2}');
    assert.deepEqual(n.tasks.map((t) => [t.task, t.status, t.duration]), [
      ['extract', 'Completed', '5 s'],
      ['load', 'Failed', '1 s'],
      ['report', 'Skipped', null],
    ]);
    assert.deepEqual(n.tasks[0].output, {});
    assert.deepEqual(n.tasks[1].output, { functionId: 3, response: { rows: 1 } });
    assert.equal(n.tasks[1].reason, 'KeyError');
    // Same input, same outputs of the same tasks: nothing but status and times differ in the JSON.
    const m = normaliseExecution(second);
    assert.deepEqual(m.input, n.input);
    assert.deepEqual(m.tasks[1].output, n.tasks[1].output);
  });

  it('sums up what changed: the status, the tasks whose status differs, the task that slowed most, input and outputs', () => {
    assert.equal(
      compareSummary(first, second),
      'Status Failed → Completed; 2 tasks changed status: load (Failed → Completed), report (Skipped → Completed); slowest growth: extract 5 s → 1m 05s (+1m 00s); same input; 1 output differs.',
    );
    assert.equal(compareSummary(first, first), 'Both failed; no task changed status; same input.');
  });
});
