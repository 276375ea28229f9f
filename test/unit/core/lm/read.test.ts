// The read-only tools' engine against the sandbox over real HTTP: what each answers, and that none of them
// sends anything but reads.
import * as assert from 'node:assert/strict';
import { InputError } from '../../../../src/core/errors';
import { DEFAULT_TOOL_TOKEN_BUDGET, estimateTokens } from '../../../../src/core/lm/budget';
import { explainFailureText } from '../../../../src/core/lm/explain';
import { functionLogsText, getExecutionText, listExecutionsText, listWorkflowsText, type ReadContext } from '../../../../src/core/lm/read';
import { ManualClock, type Sandbox } from '../../../../src/sandbox/index';
import { startTestSandbox, type TestClient, testClient, useSandboxCleanup } from '../support/sandbox';

/** Requests that change something: anything but GET and the list/byids reads (token requests aside). */
function writes(sb: Sandbox): string[] {
  return sb.requests.list
    .filter((r) => !r.path.includes('/oauth2/') && r.method !== 'GET' && !/\/(list|byids)$/.test(r.path))
    .map((r) => `${r.method} ${r.path}`);
}

describe('core/lm read-only tools against the sandbox', function () {
  this.timeout(30_000);
  let sandbox: Sandbox | undefined;
  let t: TestClient | undefined;
  const clock = new ManualClock(Date.parse('2026-05-01T02:00:00Z'));
  useSandboxCleanup(() => ({ sandbox, t }));
  let failedId = '';
  let okId = '';

  const ctx = (): ReadContext => ({ client: t!.client, connection: 'Test', project: sandbox!.project, now: clock.now(), maxTokens: DEFAULT_TOOL_TOKEN_BUDGET });

  before(async () => {
    sandbox = await startTestSandbox({ clock });
    t = testClient(sandbox);
    const sb = sandbox;
    sb.stubFunction('fn-prepare', { durationMs: 1000, response: { rows: 3, file: 'batch-7.csv' }, logs: ['prepared 3 rows'] });
    sb.stubFunction('fn-check', {
      durationMs: 2000,
      status: 'Failed',
      error: 'ValueError: 3 time series have gaps longer than 6 hours',
      logs: [...Array.from({ length: 40 }, (_, i) => `checked series ${i}`), 'Traceback (most recent call last):', 'ValueError: 3 time series have gaps longer than 6 hours'],
    });
    sb.upsertWorkflow({ externalId: 'quality', description: 'Checks time series for gaps' }, [
      {
        version: '1',
        workflowDefinition: {
          tasks: [
            { externalId: 'prepare', type: 'function', parameters: { function: { externalId: 'fn-prepare' } } },
            {
              externalId: 'check',
              type: 'function',
              retries: 0,
              parameters: { function: { externalId: 'fn-check', data: { batch: '${prepare.output.response}', day: '${workflow.input.day}' } } },
              dependsOn: [{ externalId: 'prepare' }],
            },
            { externalId: 'publish', type: 'transformation', parameters: { transformation: { externalId: 'tr-publish' } }, dependsOn: [{ externalId: 'check' }] },
          ],
        },
      },
    ]);
    sb.upsertWorkflow({ externalId: 'steady' }, [{ version: '1', workflowDefinition: { tasks: [{ externalId: 'load', type: 'transformation', parameters: { transformation: { externalId: 'tr-load' } } }] } }]);
    const failed = await t.client.executions.run('quality', '1', { input: { day: '2026-04-30' } });
    const ok = await t.client.executions.run('steady', '1', {});
    await clock.advance(20_000);
    await sb.settle();
    failedId = failed.id;
    okId = ok.id;
    assert.equal((await t.client.executions.retrieve(failedId)).status, 'FAILED');
  });

  beforeEach(() => sandbox!.requests.reset());
  afterEach(() => assert.deepEqual(writes(sandbox!), [], 'a read-only tool sent a write'));

  it('explains a failure in one call: the failed task, its reason and resolved input, upstream output, the call and its last log lines', async () => {
    const text = await explainFailureText({ executionId: failedId }, ctx());
    assert.ok(estimateTokens(text) <= DEFAULT_TOOL_TOKEN_BUDGET);
    assert.match(text, new RegExp(`^Why execution ${failedId} of quality@1 ended FAILED with 1 failed task\\.`));
    assert.match(text, /input: \{"day":"2026-04-30"\}/);
    assert.match(text, /\* check \[function fn-check\] FAILED: task id [^;]+; took 2 s; retries allowed 0; .*depends on prepare; function id \d+ call id \d+/);
    assert.match(text, /input: \{"function":\{"externalId":"fn-check","data":\{"batch":\{"rows":3,"file":"batch-7\.csv"\},"day":"2026-04-30"\}\}/, 'the resolved input');
    assert.match(text, /upstream: prepare COMPLETED output \{"callId":\d+,"functionId":\d+,"response":\{"rows":3,"file":"batch-7\.csv"\}\}/);
    assert.match(text, /function call \d+ of function \d+ \(fn-check\): Failed\./);
    assert.match(text, /error: ValueError: 3 time series have gaps longer than 6 hours/);
    assert.match(text, /logs: 42 lines; the last 42:\n(?: {4}\d\d:\d\d:\d\d .*\n){41} {4}\d\d:\d\d:\d\d ValueError: 3 time series/);
    assert.match(text, /did not run \(canceled or skipped\): publish \(SKIPPED\)/);
    assert.match(text, new RegExp(`next: re-run the failed tasks with cdfWorkflows_retryExecution \\{"executionId": "${failedId}"\\}`));
  });

  it('explains the latest failure of a workflow by name, and says so when nothing failed', async () => {
    const text = await explainFailureText({ workflowExternalId: 'quality' }, ctx());
    assert.match(text, new RegExp(`^Why execution ${failedId} of quality@1`));
    const none = await explainFailureText({ workflowExternalId: 'steady', version: '1' }, ctx());
    assert.match(none, new RegExp(`^No execution of steady@1 on connection "Test" \\(project sandbox\\) has failed, timed out or been terminated.*Its latest executions: ${okId} COMPLETED`));
    await assert.rejects(explainFailureText({ workflowExternalId: 'nope' }, ctx()), (e: unknown) => e instanceof InputError && /There is no workflow "nope" .* Workflows there: quality, steady\./.test(e.message));
    await assert.rejects(explainFailureText({}, ctx()), /Name what to explain: executionId, or workflowExternalId/);
  });

  it('reads the failed function task\'s logs when only the execution is named, and searches them', async () => {
    const text = await functionLogsText({ executionId: failedId }, ctx());
    assert.match(text, new RegExp(`^Function call \\d+ of function \\d+ \\(fn-check\\) for task check of execution ${failedId} \\(quality@1\\) on connection "Test" \\(project sandbox\\): Failed\\.`));
    assert.match(text, /logs: 42 lines, [\d,]+ characters\.\nall lines:\n/);
    const found = await functionLogsText({ executionId: failedId, taskExternalId: 'check', contains: 'series 7' }, ctx());
    assert.match(found, /1 line contain "series 7"/);
    const prepared = await functionLogsText({ executionId: failedId, taskExternalId: 'prepare' }, ctx());
    assert.match(prepared, /: Completed\.[^]*response: \{"rows":3,"file":"batch-7\.csv"\}[^]*prepared 3 rows/);
    await assert.rejects(functionLogsText({ executionId: failedId, taskExternalId: 'nope' }, ctx()), /No task "nope" ran in execution .*Function tasks that called their function: prepare, check\./);
    await assert.rejects(functionLogsText({ executionId: okId }, ctx()), /No task of execution .* has called a function yet/);
    await assert.rejects(functionLogsText({ executionId: okId, taskExternalId: 'load' }, ctx()), /Task "load" is a transformation task: only function tasks have call logs/);
    await assert.rejects(functionLogsText({ functionId: 1 }, ctx()), /Pass both functionId and callId/);
  });

  it('lists executions with filters, and workflows with their versions and the input keys they read', async () => {
    const failed = await listExecutionsText({ status: 'failed', createdAfter: '1h' }, ctx());
    assert.match(failed, new RegExp(`filter: status FAILED, created after 2026-05-01T01:00:20.000Z: 1 \\(FAILED 1\\)\\.\\n- ${failedId} quality@1 FAILED, created 2026-05-01 02:00:00 UTC, took \\d+ s; reason: `));
    const steady = await listExecutionsText({ workflowExternalId: 'steady', version: '1' }, ctx());
    assert.match(steady, new RegExp(`- ${okId} steady@1 COMPLETED`));
    const none = await listExecutionsText({ workflowExternalId: 'steady', createdBefore: '2026-04-01' }, ctx());
    assert.match(none, /No execution matches\./);
    await assert.rejects(listExecutionsText({ createdAfter: '1h', createdBefore: '2h' }, ctx()), /createdAfter is later than createdBefore/);
    await assert.rejects(listExecutionsText({ version: '1' }, ctx()), /A version needs its workflow/);

    const all = await listWorkflowsText({}, ctx());
    assert.match(all, /Workflows on connection "Test" \(project sandbox\): 2\.\n- quality; "Checks time series for gaps"; versions: 1 \(3 tasks, updated 2026-05-01\)\n- steady; versions: 1 \(1 task/);
    const versions = await listWorkflowsText({ workflowExternalId: 'quality' }, ctx());
    assert.match(versions, /- 1 \(3 tasks, .*tasks: prepare \[function\], check \[function\], publish \[transformation\]; input keys read: day \(check\)/);
    const definition = await listWorkflowsText({ workflowExternalId: 'quality', version: '1' }, ctx());
    assert.match(definition, /2\. check \[function fn-check\]; after prepare; retries 0, .*reads \$\{prepare\.output\.response\}, \$\{workflow\.input\.day\}/);
    assert.match(definition, /check: no problems found\./);
    await assert.rejects(listWorkflowsText({ workflowExternalId: 'quality', version: '9' }, ctx()), /Workflow "quality" has no version "9" on connection "Test" \(project sandbox\)\. Its versions, newest first: 1\./);
  });

  it('reads one execution, or one of its tasks in full, and names an execution it cannot find', async () => {
    const text = await getExecutionText({ executionId: failedId, taskExternalId: 'check' }, ctx());
    assert.match(text, /\* check \[function fn-check\] FAILED/);
    assert.match(text, /output: \{"callId":\d+,"functionId":\d+/);
    const filtered = await getExecutionText({ executionId: failedId, taskStatus: 'completed' }, ctx());
    assert.match(filtered, /tasks with status COMPLETED \(1\):\n- prepare \[function fn-prepare\] COMPLETED 1 s/);
    await assert.rejects(
      getExecutionText({ executionId: '00000000-0000-4000-8000-000000000000' }, ctx()),
      (e: unknown) => e instanceof InputError && /There is no execution "00000000-0000-4000-8000-000000000000" on connection "Test" \(project sandbox\)\. Find execution ids with cdfWorkflows_listExecutions/.test(e.message),
    );
    await assert.rejects(getExecutionText({ executionId: failedId, taskStatus: 'RUNNING' }, ctx()), /"RUNNING" is not a task status/);
  });
});
