import assert from 'node:assert/strict';
import { collect } from '../../../../src/core/api/paging';
import { CancelledError } from '../../../../src/core/errors';
import { type Sandbox } from '../../../../src/sandbox/index';
import { countRequests, idleWorkflow, startTestSandbox, testClient, type TestClient } from '../support/sandbox';
import { rejection } from '../support/secretScan';

describe('core/api paging through 10,000 executions', function () {
  let sandbox: Sandbox;
  let t: TestClient;
  let inserted: string[];

  before(async () => {
    sandbox = await startTestSandbox();
    t = testClient(sandbox);
    await idleWorkflow(sandbox, t.client, 'history', '1');
    inserted = sandbox.insertExecutions({ workflowExternalId: 'history', version: '1', count: 10_000 });
  });
  after(async () => {
    await t?.client.close();
    await sandbox?.close();
  });
  beforeEach(() => sandbox.requests.reset());

  it('iterates every execution once, newest first, in pages of 1000 (10 requests)', async () => {
    const ids: string[] = [];
    let previous = Number.POSITIVE_INFINITY;
    for await (const execution of t.client.executions.iterate({ filter: { workflowFilters: [{ externalId: 'history' }] }, limit: 1000 })) {
      assert.ok(execution.createdTime <= previous, 'newest first');
      previous = execution.createdTime;
      ids.push(execution.id);
    }
    assert.equal(ids.length, 10_000);
    assert.equal(new Set(ids).size, 10_000);
    assert.deepEqual(new Set(ids), new Set(inserted));
    assert.equal(countRequests(sandbox, 'POST', /\/workflows\/executions\/list$/), 10);
  });

  it('pages by hand with list() and nextCursor, with the last page lacking nextCursor', async () => {
    let page = await t.client.executions.list({ filter: { workflowFilters: [{ externalId: 'history', version: '1' }] }, limit: 1000 });
    let pages = 1;
    while (page.nextCursor !== undefined) {
      page = await t.client.executions.list({ filter: { workflowFilters: [{ externalId: 'history', version: '1' }] }, limit: 1000, cursor: page.nextCursor });
      pages++;
    }
    assert.equal(pages, 10);
    assert.equal(page.items.length, 1000);
  });

  it('iterates page by page and stops fetching when the caller stops', async () => {
    const firstTwo = [];
    for await (const page of t.client.executions.iterate({ limit: 500 }).pages()) {
      firstTwo.push(page);
      if (firstTwo.length === 2) break;
    }
    assert.equal(firstTwo.length, 2);
    assert.equal(countRequests(sandbox, 'POST', /\/workflows\/executions\/list$/), 2);
    assert.equal((await collect(t.client.executions.iterate({ limit: 100 }), 250)).length, 250);
  });

  it('filters by status and createdTime on the server', async () => {
    const failed = await collect(t.client.executions.iterate({ filter: { status: ['FAILED'] }, limit: 1000 }));
    assert.ok(failed.length > 0 && failed.length < 10_000);
    assert.ok(failed.every((e) => e.status === 'FAILED'));
  });

  it('stops iterating when cancelled', async () => {
    const controller = new AbortController();
    const error = await rejection(async () => {
      for await (const _ of t.client.executions.iterate({ limit: 100, signal: controller.signal })) controller.abort();
    });
    assert.ok(error instanceof CancelledError);
  });
});
