import * as assert from 'node:assert/strict';
import { type DefinitionProblem, type TaskDefinitionLike, checkDefinition, topologicalOrder } from '../../../../src/core/definition';
import { InputError } from '../../../../src/core/errors';
import { definition, functionTask, inlineSubworkflow } from './builders';

function errors(problems: DefinitionProblem[]): DefinitionProblem[] {
  return problems.filter((p) => p.severity === 'error');
}

function only(problems: DefinitionProblem[], pattern: RegExp): DefinitionProblem {
  const matching = problems.filter((p) => pattern.test(p.message));
  assert.equal(matching.length, 1, `expected one problem matching ${String(pattern)}, got ${JSON.stringify(problems, null, 2)}`);
  return matching[0];
}

describe('core/definition checkDefinition', () => {
  it('finds nothing wrong in a sound definition with references to upstream tasks', () => {
    const def = definition(
      functionTask('fetch', { day: '${workflow.input.day}' }),
      functionTask('plan', { sites: '${fetch.output.response.items}' }, { after: ['fetch'] }),
      { externalId: 'fan-out', type: 'dynamic', parameters: { dynamic: { tasks: '${plan.output.response.tasks}' } }, dependsOn: [{ externalId: 'plan' }] },
      // Indirectly upstream (fetch -> plan -> fan-out) is fine.
      functionTask('report', { first: '${fetch.input.function.data}' }, { after: ['fan-out'], retries: 0, timeout: 43200, onFailure: 'skipTask' }),
    );
    assert.deepEqual(checkDefinition(def), []);
  });

  it('refuses duplicate task ids', () => {
    const problem = only(checkDefinition(definition(functionTask('a'), functionTask('a'))), /used by more than one task/);
    assert.equal(problem.severity, 'error');
    assert.equal(problem.path, 'tasks[1].externalId');
  });

  it('refuses the reserved ids "workflow" and "__..."', () => {
    const problems = checkDefinition(definition(functionTask('workflow'), functionTask('__hidden')));
    assert.equal(only(problems, /cannot be called "workflow"/).path, 'tasks[0].externalId');
    assert.equal(only(problems, /starts with "__"/).taskExternalId, '__hidden');
  });

  it('refuses a dependsOn naming a task that does not exist', () => {
    const problem = only(checkDefinition(definition(functionTask('a', {}, { after: ['missing'] }))), /depends on "missing"/);
    assert.equal(problem.severity, 'error');
    assert.equal(problem.path, 'tasks[0].dependsOn[0].externalId');
  });

  it('names the cycle on each dependsOn entry along it, so every task in it shows the whole cycle', () => {
    const def = definition(functionTask('a', {}, { after: ['c'] }), functionTask('b', {}, { after: ['a'] }), functionTask('c', {}, { after: ['b'] }));
    const cycle = checkDefinition(def).filter((p) => p.code === 'cycle');
    assert.deepEqual(cycle.map((p) => [p.taskExternalId, p.path, p.data?.target]), [
      ['a', 'tasks[0].dependsOn[0].externalId', 'c'],
      ['c', 'tasks[2].dependsOn[0].externalId', 'b'],
      ['b', 'tasks[1].dependsOn[0].externalId', 'a'],
    ]);
    for (const p of cycle) {
      assert.equal(p.severity, 'error');
      assert.match(p.message, /a → c → b → a/);
    }
  });

  it('reports a task that depends on itself', () => {
    const problems = checkDefinition(definition(functionTask('a', {}, { after: ['a'] })));
    only(problems, /depends on itself/);
    only(problems, /cycle: a → a/);
  });

  it('refuses a reference to a task that is not upstream, and says how to fix it', () => {
    const def = definition(functionTask('a'), functionTask('b', { x: '${a.output.response}' }));
    const problem = only(checkDefinition(def), /not upstream/);
    assert.equal(problem.severity, 'error');
    assert.equal(problem.taskExternalId, 'b');
    assert.equal(problem.path, 'tasks[1].parameters.function.data.x');
    assert.match(problem.message, /Add "a" to the dependsOn of "b"/);
  });

  it('refuses a reference to a downstream task and to a task that does not exist', () => {
    const def = definition(functionTask('a', { later: '${b.input.function}' }), functionTask('b', { ghost: '${nope.output}' }, { after: ['a'] }));
    const problems = checkDefinition(def);
    assert.equal(only(problems, /refers to "b"/).taskExternalId, 'a');
    only(problems, /no task with that id/);
  });

  it('refuses a reference to the task itself', () => {
    only(checkDefinition(definition(functionTask('a', { me: '${a.output}' }))), /its own output/);
  });

  it('matches task ids that contain dots', () => {
    const def = definition(functionTask('step.one'), functionTask('b', { x: '${step.one.output.response}' }, { after: ['step.one'] }));
    assert.deepEqual(checkDefinition(def), []);
  });

  it('warns about references inside longer strings and undocumented reference forms', () => {
    const def = definition(functionTask('a', { label: 'day-${workflow.input.day}', m: '${workflow.metadata.user}', odd: '${workflow.foo}' }));
    const problems = checkDefinition(def);
    assert.ok(problems.every((p) => p.severity === 'warning'), JSON.stringify(problems));
    only(problems, /inside a longer string/);
    only(problems, /workflow\.metadata/);
    only(problems, /not a reference CDF resolves/);
  });

  it('warns about unknown task types, and about cdfRequest used as a type', () => {
    const problems = checkDefinition(
      definition(
        { externalId: 'x', type: 'functionApp', parameters: { functionApp: {} } },
        { externalId: 'y', type: 'cdfRequest', parameters: { cdfRequest: { resourcePath: '/timeseries', method: 'GET' } } },
      ),
    );
    assert.equal(only(problems, /"functionApp"/).severity, 'warning');
    const cdf = only(problems, /cdfRequest/);
    assert.equal(cdf.severity, 'warning');
    assert.match(cdf.message, /Change the type to "cdf"/);
    assert.equal(cdf.path, 'tasks[1].type');
  });

  it('refuses a known type without its parameters object', () => {
    const problem = only(checkDefinition(definition({ externalId: 'c', type: 'cdf', parameters: { cdf: {} } })), /no parameters\.cdfRequest/);
    assert.equal(problem.path, 'tasks[0].parameters.cdfRequest');
  });

  it('refuses more than 100 tasks', () => {
    const tasks = Array.from({ length: 101 }, (_, i) => functionTask(`t${i}`));
    only(checkDefinition(definition(...tasks)), /101 tasks; CDF allows at most 100/);
    assert.deepEqual(checkDefinition(definition(...tasks.slice(0, 100))), []);
  });

  it('refuses retries outside 0-10 and timeouts outside 100-43200 seconds', () => {
    const problems = checkDefinition(
      definition(
        functionTask('a', {}, { retries: 11 }),
        functionTask('b', {}, { retries: -1 }),
        functionTask('c', {}, { retries: 1.5 }),
        functionTask('d', {}, { timeout: 99 }),
        functionTask('e', {}, { timeout: 43201 }),
        functionTask('f', {}, { retries: 10, timeout: 100 }),
      ),
    );
    assert.deepEqual(
      errors(problems).map((p) => p.path),
      ['tasks[0].retries', 'tasks[1].retries', 'tasks[2].retries', 'tasks[3].timeout', 'tasks[4].timeout'],
    );
  });

  it('refuses an unknown onFailure', () => {
    only(checkDefinition(definition(functionTask('a', {}, { onFailure: 'ignore' }))), /onFailure "ignore"/);
  });

  it('refuses more than 100 dependsOn entries', () => {
    const deps = Array.from({ length: 101 }, (_, i) => functionTask(`d${i}`));
    const task = functionTask('a', {}, { after: deps.map((d) => d.externalId) });
    // 102 tasks also break the task limit; the dependsOn limit is reported on its own.
    only(checkDefinition(definition(...deps, task)), /depends on 101 tasks; CDF allows at most 100/);
  });

  it('refuses dynamic and subworkflow tasks inside an inline subworkflow', () => {
    const def = definition(
      inlineSubworkflow('outer', [
        functionTask('ok'),
        { externalId: 'dyn', type: 'dynamic', parameters: { dynamic: { tasks: '${ok.output.response.tasks}' } }, dependsOn: [{ externalId: 'ok' }] },
        inlineSubworkflow('nested', [functionTask('deep')]),
      ]),
    );
    const problems = errors(checkDefinition(def));
    assert.equal(only(problems, /"dyn" is a dynamic task inside subworkflow "outer"/).path, 'tasks[0].parameters.subworkflow.tasks[1].type');
    only(problems, /"nested" is a subworkflow task inside subworkflow "outer"/);
  });

  it('refuses an empty inline subworkflow', () => {
    only(checkDefinition(definition(inlineSubworkflow('s', []))), /has 0 tasks; an inline subworkflow needs 1 to 100/);
  });

  it('lets subworkflow tasks use tasks upstream of the subworkflow, but not other outer tasks', () => {
    const def = definition(
      functionTask('before'),
      functionTask('unrelated'),
      inlineSubworkflow('sub', [functionTask('inner', { x: '${before.output}', y: '${unrelated.output}' })], { after: ['before'] }),
    );
    const problem = only(checkDefinition(def), /not upstream/);
    assert.match(problem.message, /refers to "unrelated"/);
    assert.match(problem.message, /dependsOn of the subworkflow task "sub"/);
  });

  it('points a dependsOn on an outer task to the subworkflow task', () => {
    const def = definition(functionTask('before'), inlineSubworkflow('sub', [functionTask('inner', {}, { after: ['before'] })]));
    only(checkDefinition(def), /make the subworkflow task "sub" depend on it instead/);
  });

  it('needs a reference for a dynamic task list', () => {
    only(checkDefinition(definition({ externalId: 'd', type: 'dynamic', parameters: { dynamic: { tasks: [] } } })), /must be a reference|to be a reference/);
  });

  it('survives malformed input from a hand-edited file', () => {
    assert.match(checkDefinition({} as never)[0].message, /needs a "tasks" list/);
    const problems = checkDefinition({ tasks: [null, { type: 'function' }] as unknown as TaskDefinitionLike[] });
    assert.equal(problems.length, 2);
  });
});

describe('core/definition topologicalOrder', () => {
  it('orders every task after its dependencies, breaking ties by definition order', () => {
    const def = definition(
      functionTask('report', {}, { after: ['load', 'clean'] }),
      functionTask('clean', {}, { after: ['load'] }),
      functionTask('load'),
      functionTask('notify'),
    );
    assert.deepEqual(topologicalOrder(def), ['load', 'clean', 'report', 'notify']);
  });

  it('throws InputError naming the cycle', () => {
    const def = definition(functionTask('a', {}, { after: ['b'] }), functionTask('b', {}, { after: ['a'] }));
    assert.throws(() => topologicalOrder(def), (error: unknown) => error instanceof InputError && /a → b → a/.test(error.message));
  });
});
