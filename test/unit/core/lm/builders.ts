// Executions and function calls for the formatting suites, parsed by the client's own schemas.
import { executionDetailed, type ExecutionDetailed } from '../../../../src/core/schemas/executions';
import { functionCall, type FunctionCall, type FunctionCallLogEntry } from '../../../../src/core/schemas/functions';

const T0 = Date.parse('2026-05-01T02:00:00Z');

/**
 * A dynamic fan-out: `plan` (a function) then `fan-<k>` dynamic tasks that each start `per` transformation
 * tasks `site-<k>-<i>`. `failed` children (by name) fail with a long reason.
 */
export function fanOutExecution(options: { dynamicTasks: number; per: number; failed?: readonly string[]; id?: string }): ExecutionDetailed {
  const failed = new Set(options.failed ?? []);
  const tasks: unknown[] = [
    { externalId: 'plan', type: 'function', parameters: { function: { externalId: 'fn-plan', data: { sites: '${workflow.input.sites}' } } }, retries: 3 },
  ];
  const executed: unknown[] = [
    {
      id: 'task-plan',
      externalId: 'plan',
      status: 'COMPLETED',
      taskType: 'function',
      startTime: T0,
      endTime: T0 + 2000,
      input: { function: { externalId: 'fn-plan', data: { sites: ['a', 'b'] } } },
      output: { callId: 11, functionId: 22, response: { tasks: 'many' } },
    },
  ];
  for (let k = 0; k < options.dynamicTasks; k++) {
    tasks.push({ externalId: `fan-${k}`, type: 'dynamic', parameters: { dynamic: { tasks: '${plan.output.response.tasks}' } }, dependsOn: [{ externalId: 'plan' }] });
    const children = Array.from({ length: options.per }, (_, i) => ({
      externalId: `site-${k}-${i}`,
      type: 'transformation',
      parameters: { transformation: { externalId: `tr-site-${i}` } },
      retries: 1,
    }));
    executed.push({
      id: `task-fan-${k}`,
      externalId: `fan-${k}`,
      status: children.some((c) => failed.has(c.externalId)) ? 'FAILED' : 'COMPLETED',
      taskType: 'dynamic',
      startTime: T0 + 3000,
      endTime: T0 + 60_000,
      input: { dynamic: { tasks: children } },
      output: { dynamicTasks: children },
    });
    for (const c of children) {
      const bad = failed.has(c.externalId);
      executed.push({
        id: `task-${c.externalId}`,
        externalId: c.externalId,
        parentTaskExternalId: `fan-${k}`,
        status: bad ? 'FAILED' : 'COMPLETED',
        taskType: 'transformation',
        startTime: T0 + 4000,
        endTime: T0 + 8000,
        reasonForIncompletion: bad ? `Transformation job 9${k} failed: ${'column "asset_id" does not exist; '.repeat(20)}` : null,
        input: { transformation: { externalId: c.parameters.transformation.externalId, concurrencyPolicy: 'fail' } },
        output: { jobId: 1000 + k },
      });
    }
  }
  return executionDetailed.parse({
    id: options.id ?? '6b0b3c1e-0000-4000-8000-000000000500',
    workflowExternalId: 'site-batch-processing',
    version: '1',
    status: failed.size ? 'FAILED' : 'COMPLETED',
    engineExecutionId: 'engine-1',
    createdTime: T0,
    startTime: T0 + 500,
    endTime: T0 + 61_000,
    reasonForIncompletion: failed.size ? 'Task fan-0 failed.' : null,
    metadata: { source: 'test' },
    input: { sites: ['a', 'b'] },
    workflowDefinition: { hash: 'ABC', tasks },
    executedTasks: executed,
  });
}

export function failedCall(): FunctionCall {
  return functionCall.parse({ id: 45, functionId: 12, status: 'Failed', startTime: T0, endTime: T0 + 12_000, error: { message: 'ValueError: gap too long', trace: 'Traceback (most recent call last):\n  File "handler.py", line 9\nValueError: gap too long' } });
}

/** About `bytes` of log lines, numbered, each ~100 characters; the last says FINAL. */
export function logLines(bytes: number): FunctionCallLogEntry[] {
  const lines: FunctionCallLogEntry[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const message = `line ${String(i).padStart(6, '0')} processed batch ${i % 97} of site pump-station-${i % 13}: ${'ok '.repeat(20)}`;
    lines.push({ timestamp: T0 + i, message });
    size += message.length;
  }
  lines.push({ timestamp: T0 + lines.length, message: 'FINAL: ValueError: gap too long' });
  return lines;
}
