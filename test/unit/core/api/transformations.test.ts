import assert from 'node:assert/strict';
import { collect } from '../../../../src/core/api/paging';
import { type Sandbox } from '../../../../src/sandbox/index';
import { type TestClient, useTestSandbox } from '../support/sandbox';

describe('core/api transformations', function () {
  let sandbox: Sandbox;
  let t: TestClient;

  useTestSandbox((s, c) => {
    sandbox = s;
    t = c;
  });

  it('lists the transformations the sandbox knows: called by versions, scripted, with stable ids and cursors', async () => {
    sandbox.upsertWorkflow({ externalId: 'load' }, [
      {
        version: '1',
        workflowDefinition: {
          tasks: [
            { externalId: 'a', type: 'transformation', parameters: { transformation: { externalId: 'tr-b' } } },
            { externalId: 'r', type: 'transformation', parameters: { transformation: { externalId: '${workflow.input.tr}' } } },
          ],
        },
      },
    ]);
    sandbox.scriptTransformation('tr-a', { durationMs: 10 });
    const page = await t.client.transformations.list({ limit: 1 });
    assert.deepEqual(page.items.map((x) => x.externalId), ['tr-a']);
    assert.ok(page.nextCursor);
    const all = await collect(t.client.transformations.iterate({ limit: 1 }));
    assert.deepEqual(all.map((x) => x.externalId), ['tr-a', 'tr-b'], 'a reference is not a transformation');
    const again = await t.client.transformations.list();
    assert.deepEqual(again.items.map((x) => x.id), all.map((x) => x.id));
    assert.ok(all.every((x) => Number.isSafeInteger(x.id) && x.id > 0 && x.name === x.externalId));
  });
});
