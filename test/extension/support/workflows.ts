// Sandbox workflows the extension-host suites share, as small builders: a transformation task, the
// `approval` workflow (an async-complete function task, then a release) and the one-task `flaky` workflow.
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
