import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../../../src/core/errors';
import { executionStatuses, parseTimeBound, parseToolInput, taskStatuses, taskUpdateStatus, TOOL, toolInputs } from '../../../../src/core/lm/inputs';

interface ToolContribution {
  name: string;
  inputSchema: { type: string; properties: Record<string, { type?: string }>; required?: string[] };
}

const root = path.join(__dirname, '../../../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { languageModelTools: ToolContribution[] } };

function shapeOf(name: string): Record<string, { _zod: { optin?: string } }> {
  return (toolInputs as unknown as Record<string, { _zod: { def: { shape: Record<string, { _zod: { optin?: string } }> } } }>)[name]._zod.def.shape;
}

describe('language-model tool inputs', () => {
  it('declares in package.json exactly the fields and required fields each tool parses', () => {
    const contributed = manifest.contributes.languageModelTools;
    assert.deepEqual(contributed.map((t) => t.name).sort(), Object.values(TOOL).sort());
    for (const tool of contributed) {
      const shape = shapeOf(tool.name);
      assert.equal(tool.inputSchema.type, 'object', tool.name);
      assert.deepEqual(Object.keys(tool.inputSchema.properties).sort(), Object.keys(shape).sort(), `${tool.name} properties`);
      const required = Object.entries(shape).filter(([, s]) => s._zod.optin !== 'optional').map(([k]) => k);
      assert.deepEqual([...(tool.inputSchema.required ?? [])].sort(), required.sort(), `${tool.name} required`);
    }
  });

  it('answers a wrong input with every problem and what the tool takes', () => {
    assert.throws(
      () => parseToolInput(TOOL.getExecution, { executionID: 'x' }),
      (e: unknown) =>
        e instanceof InputError &&
        /^The input of cdfWorkflows_getExecution is not valid: /.test(e.message) &&
        /executionId is missing \(expected string\)/.test(e.message) &&
        /unknown key executionID \(this tool takes connection, executionId, taskExternalId, taskStatus, taskOffset\)/.test(e.message) &&
        /call the tool again/.test(e.message),
    );
    assert.throws(() => parseToolInput(TOOL.listExecutions, { limit: 1000 }), /limit: Too big/);
    assert.throws(() => parseToolInput(TOOL.listExecutions, { limit: 2.5 }), /limit/);
    assert.throws(() => parseToolInput(TOOL.runWorkflow, { workflowExternalId: ' ', version: '1' }), /workflowExternalId/);
    assert.deepEqual(parseToolInput(TOOL.listWorkflows, undefined), {});
    assert.deepEqual(parseToolInput(TOOL.runWorkflow, { workflowExternalId: ' wf ', version: '1', input: { a: 1 } }), { workflowExternalId: 'wf', version: '1', input: { a: 1 } });
  });

  it('reads statuses however the model writes them, and names the valid ones otherwise', () => {
    assert.deepEqual(executionStatuses('failed'), ['FAILED']);
    assert.deepEqual(executionStatuses(['Timed out', 'failed', 'FAILED']), ['TIMED_OUT', 'FAILED']);
    assert.deepEqual(executionStatuses('failed, terminated'), ['FAILED', 'TERMINATED']);
    assert.deepEqual(executionStatuses(undefined), []);
    assert.throws(() => executionStatuses('broken'), /"BROKEN" is not an execution status; use RUNNING, COMPLETED, FAILED, TIMED_OUT, TERMINATED/);
    assert.deepEqual(taskStatuses(['in progress', 'completed with errors']), ['IN_PROGRESS', 'COMPLETED_WITH_ERRORS']);
    assert.throws(() => taskStatuses('RUNNING'), /not a task status/);
    assert.equal(taskUpdateStatus('failed with terminal error'), 'FAILED_WITH_TERMINAL_ERROR');
    assert.throws(() => taskUpdateStatus('SKIPPED'), /use COMPLETED, FAILED, FAILED_WITH_TERMINAL_ERROR/);
  });

  it('reads times as ISO 8601 (UTC unless a zone is given) or as a time ago', () => {
    const now = Date.parse('2026-05-10T12:00:00Z');
    assert.equal(parseTimeBound('2026-05-01', 'createdAfter', now), Date.parse('2026-05-01T00:00:00Z'));
    assert.equal(parseTimeBound('2026-05-01T02:00:00Z', 'createdAfter', now), Date.parse('2026-05-01T02:00:00Z'));
    assert.equal(parseTimeBound('2026-05-01 02:00', 'createdAfter', now), Date.parse('2026-05-01T02:00:00Z'));
    assert.equal(parseTimeBound('2026-05-01T02:00:00+02:00', 'createdAfter', now), Date.parse('2026-05-01T00:00:00Z'));
    assert.equal(parseTimeBound('24h', 'createdAfter', now), now - 86_400_000);
    assert.equal(parseTimeBound('7 days ago', 'createdAfter', now), now - 7 * 86_400_000);
    assert.equal(parseTimeBound('30m', 'createdAfter', now), now - 1_800_000);
    assert.throws(() => parseTimeBound('last night', 'createdAfter', now), /createdAfter "last night" is not a time: use an ISO 8601 date/);
    assert.throws(() => parseTimeBound('2026-13-45', 'createdBefore', now), /createdBefore/);
  });
});
