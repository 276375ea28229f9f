/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- response bodies are read loosely once the harness has checked them against the spec */
import * as assert from 'node:assert/strict';
import { ManualClock } from '../../../src/sandbox';
import { Harness } from './harness';

const fn = (externalId: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  externalId,
  type: 'function',
  parameters: { function: { externalId: 'fn-x' } },
  ...extra,
});

describe('sandbox workflows and versions', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  let h: Harness;
  before(async () => {
    h = await Harness.start({ clock });
  });
  after(async () => {
    await h?.close();
  });

  async function expect400(path: string, body: unknown, field: RegExp): Promise<string> {
    const r = await h.call('POST', path, body);
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.error.code, 400);
    assert.match(r.body.error.message, field);
    return r.body.error.message as string;
  }

  it('upserts a workflow, keeps createdTime on a second upsert, and replaces omitted fields', async () => {
    const first = await h.call('POST', '/workflows', { items: [{ externalId: 'wf-a', description: 'first', maxConcurrentExecutions: 3, dataSetId: 123 }] });
    assert.equal(first.status, 200);
    await clock.advance(1000);
    const second = await h.call('POST', '/workflows', { items: [{ externalId: 'wf-a' }] });
    const w = second.body.items[0];
    assert.equal(w.createdTime, first.body.items[0].createdTime);
    assert.ok(w.lastUpdatedTime > w.createdTime);
    assert.equal(w.description, undefined);
    assert.equal(w.maxConcurrentExecutions, undefined);
    const got = await h.call('GET', '/workflows/wf-a');
    assert.deepEqual(got.body, w);
  });

  it('refuses more than one item per upsert and names the field of a bad value', async () => {
    await expect400('/workflows', { items: [{ externalId: 'a' }, { externalId: 'b' }] }, /^items: must have at most 1 items/);
    await expect400('/workflows', { items: [{ externalId: 'x'.repeat(256) }] }, /^items\[0\]\.externalId: must be at most 255 characters/);
    await expect400('/workflows', { items: [{ externalId: ' padded' }] }, /items\[0\]\.externalId: must not have leading or trailing whitespace/);
    await expect400('/workflows', { items: [{ externalId: 'a', maxConcurrentExecutions: 0 }] }, /items\[0\]\.maxConcurrentExecutions: must be greater than or equal to 1/);
    await expect400('/workflows', { items: [{ externalId: 'a', colour: 'red' }] }, /items\[0\]: unrecognized field 'colour'/);
    await expect400('/workflows', { items: [{}] }, /items\[0\]\.externalId: is required/);
  });

  it('answers 404 with missing for an unknown workflow', async () => {
    const r = await h.call('GET', '/workflows/nope');
    assert.equal(r.status, 404);
    assert.deepEqual(r.body.error.missing, [{ externalId: 'nope' }]);
  });

  it('fills task defaults, adds a 40-character upper-case hash, and keeps the hash stable for equal content', async () => {
    await h.upsertWorkflow('wf-v');
    const v = await h.upsertVersion('wf-v', '1', [fn('a'), fn('b', { dependsOn: [{ externalId: 'a' }], retries: 0, timeout: 100, onFailure: 'skipTask' })], 'first');
    const [a, b] = v.workflowDefinition.tasks;
    assert.deepEqual([a.retries, a.timeout, a.onFailure, a.dependsOn], [3, 3600, 'abortWorkflow', []]);
    assert.equal('isAsyncComplete' in a.parameters, false, 'an omitted isAsyncComplete stays omitted');
    assert.deepEqual([b.retries, b.timeout, b.onFailure], [0, 100, 'skipTask']);
    assert.match(v.workflowDefinition.hash, /^[0-9A-F]{40}$/);
    const again = await h.upsertVersion('wf-v', '2', [fn('a'), fn('b', { dependsOn: [{ externalId: 'a' }], retries: 0, timeout: 100, onFailure: 'skipTask' })], 'first');
    assert.equal(again.workflowDefinition.hash, v.workflowDefinition.hash);
    const other = await h.upsertVersion('wf-v', '3', [fn('a')], 'first');
    assert.notEqual(other.workflowDefinition.hash, v.workflowDefinition.hash);
  });

  it('refuses definitions the service refuses, naming the task field', async () => {
    await h.upsertWorkflow('wf-bad');
    const item = (tasks: unknown[]) => ({ items: [{ workflowExternalId: 'wf-bad', version: '1', workflowDefinition: { tasks } }] });
    await expect400('/workflows/versions', item([fn('a', { retries: 11 })]), /^items\[0\]\.workflowDefinition\.tasks\[0\]\.retries: must be less than or equal to 10$/);
    await expect400('/workflows/versions', item([fn('a', { timeout: 99 })]), /tasks\[0\]\.timeout: must be greater than or equal to 100/);
    await expect400('/workflows/versions', item([fn('a', { timeout: 43201 })]), /tasks\[0\]\.timeout: must be less than or equal to 43200/);
    await expect400('/workflows/versions', item([fn('a'), fn('a')]), /tasks\[1\]\.externalId: duplicate task external id "a"/);
    await expect400('/workflows/versions', item([fn('a', { dependsOn: [{ externalId: 'ghost' }] })]), /tasks\[0\]\.dependsOn\[0\]\.externalId: .*"ghost"/);
    await expect400('/workflows/versions', item([fn('a', { dependsOn: [{ externalId: 'b' }] }), fn('b', { dependsOn: [{ externalId: 'a' }] })]), /cycle: a -> b -> a/);
    await expect400('/workflows/versions', item([fn('workflow')]), /must not be "workflow"/);
    await expect400('/workflows/versions', item([{ externalId: 'a', type: 'cdfRequest', parameters: {} }]), /tasks\[0\]\.type: must be one of "function"/);
    await expect400('/workflows/versions', item(Array.from({ length: 101 }, (_, i) => fn(`t${i}`))), /workflowDefinition\.tasks: must have at most 100 items/);
    await expect400(
      '/workflows/versions',
      item([{ externalId: 'c', type: 'cdf', parameters: { cdfRequest: { resourcePath: '/x', method: 'DELETE' } } }]),
      /tasks\[0\]\.parameters\.cdfRequest\.method: must be one of "POST", "GET", "PUT" or a reference/,
    );
    await expect400('/workflows/versions', item([{ externalId: 'd', type: 'dynamic', parameters: { dynamic: { tasks: [] } } }]), /parameters\.dynamic\.tasks: must be a string/);
    await expect400(
      '/workflows/versions',
      item([{ externalId: 's', type: 'subworkflow', parameters: { subworkflow: { tasks: [{ externalId: 'inner', type: 'dynamic', parameters: { dynamic: { tasks: '${x.output}' } } }] } } }]),
      /subworkflow\.tasks\[0\]\.type: dynamic tasks cannot be nested/,
    );
  });

  it('accepts references where a value is expected, and an empty workflowFilters list', async () => {
    await h.upsertWorkflow('wf-ref');
    await h.upsertVersion('wf-ref', '1', [
      { externalId: 'c', type: 'cdf', parameters: { cdfRequest: { resourcePath: '${workflow.input.path}', method: '${workflow.input.method}' } } },
    ]);
    const r = await h.call('POST', '/workflows/versions/list', { filter: { workflowFilters: [] }, limit: 1000 });
    assert.equal(r.status, 200);
    assert.ok(r.body.items.some((v: any) => v.workflowExternalId === 'wf-ref'));
  });

  it('pages workflows and versions with opaque cursors and refuses a forged cursor', async () => {
    for (let i = 0; i < 7; i++) await h.upsertWorkflow(`page-${i}`);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const r = await h.call('GET', `/workflows?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...r.body.items.map((w: any) => w.externalId));
      cursor = r.body.nextCursor;
    } while (cursor);
    assert.equal(new Set(seen).size, seen.length);
    assert.ok(['page-0', 'page-3', 'page-6'].every((x) => seen.includes(x)));
    const bad = await h.call('GET', '/workflows?cursor=not-a-cursor');
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /^cursor: invalid cursor/);
    assert.equal((await h.call('GET', '/workflows?limit=0')).status, 400);
    assert.equal((await h.call('GET', '/workflows?limit=1001')).status, 400);
    const v1 = await h.call('POST', '/workflows/versions/list', { filter: { workflowFilters: [{ externalId: 'wf-v' }] }, limit: 2 });
    assert.equal(v1.body.items.length, 2);
    const v2 = await h.call('POST', '/workflows/versions/list', { filter: { workflowFilters: [{ externalId: 'wf-v' }] }, limit: 2, cursor: v1.body.nextCursor });
    assert.deepEqual(v2.body.items.map((v: any) => v.version), ['3']);
    assert.equal(v2.body.nextCursor, undefined);
  });

  it('deletes versions and workflows, honouring ignoreUnknownIds', async () => {
    await h.upsertWorkflow('wf-del');
    await h.upsertVersion('wf-del', '1', [fn('a')]);
    const strict = await h.call('POST', '/workflows/versions/delete?ignoreUnknownIds=false', { items: [{ workflowExternalId: 'wf-del', version: '9' }] });
    assert.equal(strict.status, 404);
    assert.deepEqual(strict.body.error.missing, [{ workflowExternalId: 'wf-del', version: '9' }]);
    assert.equal((await h.call('POST', '/workflows/versions/delete', { items: [{ workflowExternalId: 'wf-del', version: '9' }] })).status, 200);
    const unknown = await h.call('POST', '/workflows/delete?ignoreUnknownIds=false', { items: [{ externalId: 'wf-del' }, { externalId: 'ghost' }] });
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error.message, /workflows were not found/);
    assert.equal((await h.call('GET', '/workflows/wf-del')).status, 200, 'nothing deleted when one id is unknown');
    assert.equal((await h.call('POST', '/workflows/delete', { items: [{ externalId: 'wf-del' }, { externalId: 'ghost' }] })).status, 200);
    assert.equal((await h.call('GET', '/workflows/wf-del')).status, 404);
    assert.equal((await h.call('GET', '/workflows/wf-del/versions/1')).status, 404);
    const tooMany = await h.call('POST', '/workflows/delete', { items: Array.from({ length: 101 }, (_, i) => ({ externalId: `x${i}` })) });
    assert.equal(tooMany.status, 400);
  });
});
