// Small builders of CDF-shaped bodies for schema tests (values made up, shapes per REFERENCE).
export const T0 = 1767225600000;

export function executionBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '3f2b8c1e-7d4a-4e0b-9c55-0a1d2e3f4b5c',
    workflowExternalId: 'daily-sync',
    version: '3',
    status: 'RUNNING',
    engineExecutionId: 'a8e1c9d2-5b3f-4a67-8e21-6c4d9b0f1e23',
    createdTime: T0,
    startTime: T0 + 50,
    metadata: { ticket: 'OPS-1' },
    ...overrides,
  };
}

export function functionTask(externalId: string, parameters: Record<string, unknown> = {}): Record<string, unknown> {
  return { externalId, type: 'function', parameters: { function: { externalId: `fn-${externalId}` }, ...parameters } };
}

export function taskExecutionBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'c07f6b3c-9d8e-4fe7-9a6b-7c8d9e0f1a2b',
    externalId: 'plan',
    status: 'COMPLETED',
    taskType: 'function',
    input: { function: { externalId: 'fn-plan', data: { a: 1 } }, isAsyncComplete: false },
    output: { callId: 1, functionId: 2, response: { ok: true } },
    ...overrides,
  };
}
