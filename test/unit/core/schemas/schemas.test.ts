import assert from 'node:assert/strict';
import { describeIssues, formatPath, pageOf, schemaIssues } from '../../../../src/core/schemas/common';
import { execution, executionDetailed } from '../../../../src/core/schemas/executions';
import { isTaskDefinitionOfType, isTaskExecutionOfType, taskDefinition, taskExecution } from '../../../../src/core/schemas/tasks';
import { isTriggerRuleOfType, trigger } from '../../../../src/core/schemas/triggers';
import { workflowUpsert, workflowVersion } from '../../../../src/core/schemas/workflows';
import { executionBody, functionTask, T0, taskExecutionBody } from '../support/fixtures';
import '../support/secretScan';

describe('core/schemas', () => {
  it('keeps fields it does not know (a newer API must not break the client)', () => {
    const parsed = execution.parse(executionBody({ futureField: { x: 1 } }));
    assert.deepEqual((parsed as Record<string, unknown>)['futureField'], { x: 1 });
  });

  it('rejects an execution without a required field and names the field', () => {
    const result = execution.safeParse(executionBody({ status: undefined }));
    assert.equal(result.success, false);
    assert.deepEqual(result.error.issues.map((i) => formatPath(i.path)), ['status']);
  });

  it('discriminates task parameters on type and reports a broken known type by its full path', () => {
    const version = {
      workflowExternalId: 'w',
      version: '1',
      workflowDefinition: { hash: 'H', tasks: [functionTask('a'), { externalId: 'b', type: 'transformation', parameters: { transformation: {} } }] },
    };
    const result = workflowVersion.safeParse(version);
    assert.equal(result.success, false);
    assert.deepEqual(result.error.issues.map((i) => formatPath(i.path)), ['workflowDefinition.tasks[1].parameters.transformation.externalId']);
  });

  it('passes tasks of unknown types (functionApp) through untouched', () => {
    const task = { externalId: 'x', type: 'functionApp', parameters: { functionApp: { externalId: 'app', path: '/run' } }, extra: true };
    const parsed = taskDefinition.parse(task);
    assert.deepEqual(parsed, task);
    assert.equal(isTaskDefinitionOfType(parsed, 'function'), false);
  });

  it('narrows known task types for the caller', () => {
    const parsed = taskDefinition.parse(functionTask('a', { isAsyncComplete: true }));
    assert.ok(isTaskDefinitionOfType(parsed, 'function'));
    assert.equal(parsed.parameters.function.externalId, 'fn-a');
    assert.equal(parsed.parameters.isAsyncComplete, true);
  });

  it('accepts asyncComplete as well as isAsyncComplete and exposes both as isAsyncComplete', () => {
    const parsed = taskExecution.parse(taskExecutionBody({ input: { function: { externalId: 'fn' }, asyncComplete: true } }));
    assert.ok(isTaskExecutionOfType(parsed, 'function'));
    assert.equal((parsed.input as { isAsyncComplete?: boolean }).isAsyncComplete, true);
  });

  it('discriminates task execution outputs on taskType and defaults a missing output to {}', () => {
    const cdf = taskExecution.parse(
      taskExecutionBody({ taskType: 'cdf', input: { cdfRequest: { resourcePath: '/x', method: 'GET' } }, output: { statusCode: 200, response: 'text' } }),
    );
    assert.ok(isTaskExecutionOfType(cdf, 'cdf'));
    assert.equal(cdf.output.statusCode, 200);
    const scheduled = taskExecution.parse(taskExecutionBody({ status: 'SCHEDULED', input: {}, output: undefined }));
    assert.deepEqual(scheduled.output, {});
  });

  it('parses a detailed execution with dynamic children and an unknown task type', () => {
    const detailed = executionDetailed.parse(
      executionBody({
        workflowDefinition: { hash: 'ABC', tasks: [functionTask('plan'), { externalId: 'fan', type: 'dynamic', parameters: { dynamic: { tasks: '${plan.output.response.tasks}' } } }] },
        executedTasks: [
          taskExecutionBody(),
          taskExecutionBody({ id: 'd', externalId: 'fan', taskType: 'dynamic', input: { dynamic: { tasks: [functionTask('c1')] } }, output: { dynamicTasks: [functionTask('c1')] } }),
          taskExecutionBody({ id: 'c', externalId: 'c1', parentTaskExternalId: 'fan' }),
          taskExecutionBody({ id: 'z', externalId: 'new', taskType: 'quantum', input: { q: 1 }, output: {} }),
        ],
        input: { runDate: '2026-01-01' },
      }),
    );
    assert.equal(detailed.executedTasks.length, 4);
    assert.equal(detailed.executedTasks[2].parentTaskExternalId, 'fan');
    assert.equal(detailed.executedTasks[3].taskType, 'quantum');
  });

  it('discriminates triggers on triggerRule.triggerType and passes unknown rules through', () => {
    const base = { externalId: 't', workflowExternalId: 'w', workflowVersion: '1', createdTime: T0, lastUpdatedTime: T0 };
    const schedule = trigger.parse({ ...base, triggerRule: { triggerType: 'schedule', cronExpression: '0 5 * * *' } });
    assert.ok(isTriggerRuleOfType(schedule.triggerRule, 'schedule'));
    assert.equal(schedule.triggerRule.cronExpression, '0 5 * * *');
    const future = trigger.parse({ ...base, triggerRule: { triggerType: 'onRainyDay', humidity: 90 } });
    assert.deepEqual(future.triggerRule, { triggerType: 'onRainyDay', humidity: 90 });
    const broken = trigger.safeParse({ ...base, triggerRule: { triggerType: 'schedule' } });
    assert.deepEqual(broken.error!.issues.map((i) => formatPath(i.path)), ['triggerRule.cronExpression']);
  });

  it('turns an absent or null nextCursor into no nextCursor', () => {
    const page = pageOf(execution);
    assert.equal('nextCursor' in page.parse({ items: [] }), false);
    assert.equal('nextCursor' in page.parse({ items: [], nextCursor: null }), false);
    assert.equal(page.parse({ items: [], nextCursor: 'abc' }).nextCursor, 'abc');
  });

  it("words issues in zod's English, naming the field (zod/mini has no messages of its own)", () => {
    const missing = execution.safeParse(executionBody({ status: undefined }));
    assert.equal(missing.success, false);
    assert.equal(describeIssues(schemaIssues(missing.error)), 'status: missing (expected string)');
    const wrongType = pageOf(execution).safeParse({ items: [executionBody({ createdTime: 'yesterday' })] });
    assert.equal(wrongType.success, false);
    assert.equal(describeIssues(schemaIssues(wrongType.error)), 'items[0].createdTime: expected number, received string');
    const tooLong = workflowUpsert.safeParse({ externalId: 'x'.repeat(256) });
    assert.equal(tooLong.success, false);
    assert.equal(describeIssues(schemaIssues(tooLong.error)), 'externalId: Too big: expected string to have <=255 characters');
  });

  it('formats paths the way a person reads them', () => {
    assert.equal(formatPath(['items', 3, 'createdTime']), 'items[3].createdTime');
    assert.equal(formatPath(['metadata', 'a-b']), 'metadata["a-b"]');
    assert.equal(formatPath([]), '(body)');
  });
});
