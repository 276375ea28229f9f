// Sandbox workflows the extension-host suites (and benchmarks) share, as small builders: a transformation task,
// the `approval` workflow (an async-complete function task, then a release), the one-task `flaky` workflow,
// a 506-task dynamic fan-out and a function task that fails after 1 MB of logs.
import type { Sandbox } from '../../../src/sandbox/index';

type FunctionStub = Parameters<Sandbox['stubFunction']>[1];

/** A transformation task; `extra` adds dependsOn, retries and the like. */
export function transformationTask(externalId: string, transformation: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { externalId, type: 'transformation', parameters: { transformation: { externalId: transformation } }, ...extra };
}

/**
 * approval@1: `wait` calls fn-approval (stubbed to answer at once) and stays IN_PROGRESS until its task is
 * updated; then the transformation `release` runs.
 */
export function addApprovalWorkflow(sb: Sandbox): void {
  sb.stubFunction('fn-approval', { response: { requested: true } });
  sb.upsertWorkflow({ externalId: 'approval' }, [
    {
      version: '1',
      workflowDefinition: {
        tasks: [
          { externalId: 'wait', type: 'function', parameters: { function: { externalId: 'fn-approval' }, isAsyncComplete: true } },
          transformationTask('release', 'tr-release', { dependsOn: [{ externalId: 'wait' }] }),
        ],
      },
    },
  ]);
}

/** flaky@1: one function task `step`, without retries, calling fn-flaky as `stub` scripts it. */
export function addFlakyWorkflow(sb: Sandbox, stub: FunctionStub): void {
  sb.stubFunction('fn-flaky', stub);
  sb.upsertWorkflow({ externalId: 'flaky' }, [
    { version: '1', workflowDefinition: { tasks: [{ externalId: 'step', type: 'function', retries: 0, parameters: { function: { externalId: 'fn-flaky' } } }] } },
  ]);
}

/**
 * fanout@1: `plan` returns five batches of 100 transformation tasks and five dynamic tasks run them: 506
 * tasks in all (the sandbox needs limits.tasksPerExecution >= 506). site-1-7 and site-3-99 fail.
 */
export function addFanOutWorkflow(sb: Sandbox): void {
  const batches: Record<string, unknown[]> = {};
  for (let k = 0; k < 5; k++) {
    batches[`b${k}`] = Array.from({ length: 100 }, (_, i) => {
      const bad = (k === 1 && i === 7) || (k === 3 && i === 99);
      sb.scriptTransformation(`tr-${k}-${i}`, bad ? { durationMs: 1000, status: 'Failed', error: `Transformation failed: column "asset_id" does not exist (${k}-${i})` } : { durationMs: 1000 });
      return { externalId: `site-${k}-${i}`, type: 'transformation', retries: 0, parameters: { transformation: { externalId: `tr-${k}-${i}` } } };
    });
  }
  sb.stubFunction('fn-plan', { durationMs: 500, response: batches });
  sb.upsertWorkflow({ externalId: 'fanout', description: 'Five batches of 100 sites' }, [
    {
      version: '1',
      workflowDefinition: {
        tasks: [
          { externalId: 'plan', type: 'function', parameters: { function: { externalId: 'fn-plan' } } },
          ...[0, 1, 2, 3, 4].map(k => ({
            externalId: `fan-${k}`,
            type: 'dynamic',
            onFailure: 'skipTask',
            parameters: { dynamic: { tasks: `\${plan.output.response.b${k}}` } },
            dependsOn: [{ externalId: 'plan' }],
          })),
        ],
      },
    },
  ]);
}

/**
 * quality@1: `prepare` answers {rows: 3, file}, then `check` fails after printing about 1 MB of log lines,
 * `extraLines` and a last ValueError line; `publish` never runs. Returns the number of log lines.
 */
export function addQualityWorkflow(sb: Sandbox, extraLines: string[] = []): number {
  const lines: string[] = [];
  for (let size = 0; size < 1024 * 1024; ) {
    const line = `checked series ${lines.length} of site pump-station-${lines.length % 13}: ${'ok '.repeat(25)}`;
    lines.push(line);
    size += line.length;
  }
  lines.push(...extraLines, 'ValueError: 3 time series have gaps longer than 6 hours');
  sb.stubFunction('fn-prepare', { durationMs: 1000, response: { rows: 3, file: 'batch-7.csv' } });
  sb.stubFunction('fn-check', { durationMs: 2000, status: 'Failed', error: 'ValueError: 3 time series have gaps longer than 6 hours', logs: lines });
  sb.upsertWorkflow({ externalId: 'quality', description: 'Checks time series for gaps' }, [
    {
      version: '1',
      workflowDefinition: {
        tasks: [
          { externalId: 'prepare', type: 'function', parameters: { function: { externalId: 'fn-prepare' } } },
          { externalId: 'check', type: 'function', retries: 0, parameters: { function: { externalId: 'fn-check', data: { batch: '${prepare.output.response}' } } }, dependsOn: [{ externalId: 'prepare' }] },
          transformationTask('publish', 'tr-publish', { dependsOn: [{ externalId: 'check' }] }),
        ],
      },
    },
  ]);
  return lines.length;
}
