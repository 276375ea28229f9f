import * as assert from 'node:assert/strict';
import { DEFAULT_TOOL_TOKEN_BUDGET, estimateTokens, fitToTokens } from '../../../../src/core/lm/budget';
import { checkDefinitionSource } from '../../../../src/core/lm/definitionCheck';
import { testSchemas } from '../definition/support/schemas';
import { formatExecution, formatExecutionList, orderedTasks, type TextContext } from '../../../../src/core/lm/executionText';
import { formatFunctionLogs } from '../../../../src/core/lm/functionLogsText';
import { failedCall, fanOutExecution, logLines } from './builders';

const ctx: TextContext = { connection: 'Prod', project: 'acme-prod', now: Date.parse('2026-05-01T03:00:00Z'), maxChars: 14_000 };

/** An answer as a tool gives it: rendered to fit the default token budget. */
function fitted(render: (c: TextContext) => string): Promise<string> {
  return fitToTokens((maxChars) => render({ ...ctx, maxChars }), DEFAULT_TOOL_TOKEN_BUDGET);
}

/** The task names an answer lists, one per `- name [` line. */
function listed(text: string): string[] {
  return [...text.matchAll(/^- (\S+(?: › \S+)*) \[/gm)].map((m) => m[1].split(' › ').pop() ?? '');
}

function nextOffset(text: string): number | undefined {
  const m = /"taskOffset":(\d+)/.exec(text);
  return m ? Number(m[1]) : undefined;
}

describe('language-model answers: executions, logs, definitions', () => {
  it('keeps a 506-task execution within about 4,000 tokens, failed tasks first, and marks the cut', async () => {
    const e = fanOutExecution({ dynamicTasks: 5, per: 100, failed: ['site-1-7', 'site-3-99'] });
    assert.equal(e.executedTasks.length, 506);
    assert.ok(formatExecution(e, {}, ctx).length <= ctx.maxChars, 'a formatter keeps to its characters');
    const text = await fitted((c) => formatExecution(e, {}, c));
    assert.ok(estimateTokens(text) <= DEFAULT_TOOL_TOKEN_BUDGET, `${estimateTokens(text)} tokens`);
    assert.ok(estimateTokens(text) > DEFAULT_TOOL_TOKEN_BUDGET * 0.8, 'and uses most of them');
    assert.match(text, /^Execution 6b0b3c1e-0000-4000-8000-000000000500: site-batch-processing@1 FAILED on connection "Prod" \(project acme-prod\)\./);
    assert.match(text, /tasks: 506 ran of 6 defined \(COMPLETED 502, FAILED 4\)/);
    assert.match(text, /tasks that failed \(4\):/);
    assert.match(text, /\* fan-1 › site-1-7 \[transformation tr-site-7\] FAILED: task id task-site-1-7; took 4 s; retries allowed 1/);
    assert.match(text, /reason: Transformation job 91 failed: column "asset_id" does not exist/);
    // Where it failed first: the children, then the dynamic tasks that failed because of them.
    assert.ok(text.indexOf('* fan-3 › site-3-99') < text.indexOf('* fan-1 [dynamic]'));
    assert.match(text, /\* fan-1 \[dynamic\] FAILED: task id task-fan-1; took 57 s; depends on plan\n {2}started 100 tasks: COMPLETED 99, FAILED 1/);
    assert.match(text, /\[truncated: tasks \d+–506 of 506 not shown \(COMPLETED \d+(, FAILED \d)?\)\. Next page: cdfWorkflows_getExecution \{"executionId":"6b0b3c1e-0000-4000-8000-000000000500","taskOffset":\d+\}/);
  });

  it('pages through every task of the execution with the offsets its cuts give, each once', async () => {
    const e = fanOutExecution({ dynamicTasks: 5, per: 100 });
    const seen: string[] = [];
    let offset: number | undefined = 0;
    let pages = 0;
    while (offset !== undefined) {
      const from: number = offset;
      const text = await fitted((c) => formatExecution(e, { taskOffset: from }, c));
      assert.ok(estimateTokens(text) <= DEFAULT_TOOL_TOKEN_BUDGET);
      seen.push(...listed(text));
      const next = nextOffset(text);
      assert.ok(next === undefined || next > offset, 'every page moves on');
      offset = next;
      pages++;
    }
    assert.ok(pages >= 2);
    assert.deepEqual(seen, orderedTasks(e).map((o) => o.task.externalId));
  });

  it('shows one task in full, or only tasks with the statuses asked for', () => {
    const e = fanOutExecution({ dynamicTasks: 2, per: 50, failed: ['site-0-3'] });
    const one = formatExecution(e, { taskExternalId: 'site-0-3' }, ctx);
    assert.match(one, /\* fan-0 › site-0-3 \[transformation tr-site-3\] FAILED/);
    assert.match(one, /input: \{"transformation":\{"externalId":"tr-site-3","concurrencyPolicy":"fail"\}\}/);
    assert.match(one, /output: \{"jobId":1000\}/);
    const parent = formatExecution(e, { taskExternalId: 'fan-1' }, ctx);
    assert.match(parent, /started 50 tasks: COMPLETED 50/);
    const missing = formatExecution(e, { taskExternalId: 'nope' }, ctx);
    assert.match(missing, /No task "nope" ran in this execution\. Tasks that ran: plan, fan-0, site-0-0/);
    const failedOnly = formatExecution(e, { taskStatus: ['FAILED'] }, ctx);
    assert.deepEqual(listed(failedOnly), ['fan-0', 'site-0-3']);
    assert.match(failedOnly, /site-0-3 \[transformation tr-site-3\] FAILED 4 s; reason: Transformation job/);
  });

  it('lists executions one per line, newest first, and says how to page on', () => {
    const items = Array.from({ length: 3 }, (_, i) => {
      const e = fanOutExecution({ dynamicTasks: 0, per: 0, id: `id-${i}` });
      return { ...e, createdTime: e.createdTime - i * 60_000 };
    });
    const text = formatExecutionList(items, { filters: 'status FAILED', more: true }, ctx);
    assert.match(text, /^Executions on connection "Prod" \(project acme-prod\), newest first, read at 2026-05-01 03:00:00 UTC; filter: status FAILED: 3 shown, more match \(COMPLETED 3\)\./);
    assert.match(text, /^- id-0 site-batch-processing@1 COMPLETED, created 2026-05-01 02:00:00 UTC, took 1m 00s$/m);
    assert.match(text, /createdBefore "2026-05-01T01:58:00.000Z"/);
  });

  it('keeps the end of 1 MB of function logs within about 4,000 tokens and says what it cut', async () => {
    const logs = logLines(1024 * 1024);
    const text = await fitted((c) => formatFunctionLogs(failedCall(), logs, undefined, { where: 'connection "Prod" (project acme-prod)', now: ctx.now, about: 'for task check of execution x (wf@1)' }, {}, c.maxChars));
    assert.ok(estimateTokens(text) <= DEFAULT_TOOL_TOKEN_BUDGET, `${estimateTokens(text)} tokens`);
    assert.match(text, /^Function call 45 of function 12 for task check of execution x \(wf@1\) on connection "Prod" \(project acme-prod\): Failed\./);
    assert.match(text, /error: ValueError: gap too long/);
    assert.match(text, /error trace \(end\): Traceback/);
    assert.match(text, new RegExp(`logs: ${logs.length.toLocaleString('en-US')} lines, 1,04\\d,\\d{3} characters\\.`));
    assert.match(text, /FINAL: ValueError: gap too long$/m, 'the last line is there');
    assert.match(text, /\[truncated: the first [\d,]+ lines \([\d,]+ characters\) are not shown\. Search all lines with contains/);
    const shown = Number(/the last ([\d,]+) lines:/.exec(text)?.[1].replace(/,/g, ''));
    assert.ok(shown > 50, `${shown} lines shown`);

    const searched = formatFunctionLogs(failedCall(), logs, undefined, { where: 'here', now: ctx.now }, { contains: 'LINE 000042 ' }, ctx.maxChars);
    assert.match(searched, /1 line contain "LINE 000042 "/);
    assert.match(searched, /all lines:\n\d\d:\d\d:\d\d line 000042 processed/);
    const tail = formatFunctionLogs(failedCall(), logs, undefined, { where: 'here', now: ctx.now }, { tailLines: 3 }, ctx.maxChars);
    assert.equal(tail.split('\n').filter((l) => /^\d\d:\d\d:\d\d /.test(l)).length, 3);
  });

  it('checks a definition with the editor\'s checker: each finding with its line, column, code and task, or why it is no definition', () => {
    const text = JSON.stringify(
      {
        workflowExternalId: 'wf',
        version: '2',
        workflowDefinition: {
          tasks: [
            { externalId: 'a', type: 'function', parameters: { function: { externalId: 'f', data: '${b.output.x}' } } },
            { externalId: 'b', type: 'function', parameters: { function: { externalId: 'g' } }, dependsOn: [{ externalId: 'zz' }], retries: 11 },
          ],
        },
      },
      null,
      2,
    );
    const check = (t: string, fileName = 'wf.json', name = 'wf.json') => checkDefinitionSource({ text: t, name, fileName }, testSchemas(), 4000);
    const out = check(text);
    assert.match(out, /^wf\.json: 3 errors, 0 warnings, 0 info\.\n/);
    assert.match(out, /^- error at line 12, column 21 \(not-upstream, task a\): Task "a" refers to "b" \(\$\{b\.output\.x\}\), which is not upstream of it/m);
    assert.match(out, /^- error at line 26, column 27 \(unknown-dependency, task b\): Task "b" depends on "zz"/m);
    assert.match(out, /^- error at line 29, column 20 \(limit, task b\): Task "b" has retries 11/m);
    const yaml = 'workflowExternalId: wf\nversion: "1"\nworkflowDefinition:\n  tasks:\n    - externalId: a\n      type: function\n      parameters:\n        function:\n          externalId: f\n';
    assert.match(check(yaml, 'wf.WorkflowVersion.yaml', 'wf.WorkflowVersion.yaml'), /^wf\.WorkflowVersion\.yaml: no problems found\./);
    assert.match(check('{"workflowExternalId": "wf", "version": "1", "workflowDefinition": {"tasks": [}}'), /^wf\.json: \d errors.*\n- error at line 1, column 79 \(syntax\): JSON syntax error: Value expected\./);
    assert.throws(() => check('{"name": 1}'), /wf\.json holds no workflow definition/);
    // A bare definition is checked as a version; its first line's columns are its own.
    assert.match(check('{"tasks": [{"externalId": "a", "type": "function", "parameters": {"function": {"externalId": "f"}}, "dependsOn": [{"externalId": "x"}]}]}'), /^wf\.json: 1 error, .*\n- error at line 1, column 130 \(unknown-dependency, task a\)/);
    assert.throws(() => check('  '), /wf\.json is empty/);
  });
});
