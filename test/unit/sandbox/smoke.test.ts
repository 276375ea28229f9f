import * as assert from 'node:assert/strict';
import { ManualClock } from '../../../src/sandbox';
import { Harness } from './harness';

describe('sandbox first slice', () => {
  let h: Harness;
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  before(async () => {
    h = await Harness.start({ clock });
  });
  after(async () => {
    await h?.close();
  });

  it('runs a two-task workflow to COMPLETED on the manual clock', async () => {
    await h.upsertWorkflow('wf');
    await h.upsertVersion('wf', '1', [
      { externalId: 'a', type: 'transformation', parameters: { transformation: { externalId: 'tr' } } },
      { externalId: 'b', type: 'cdf', parameters: { cdfRequest: { resourcePath: '/workflows', method: 'GET' } }, dependsOn: [{ externalId: 'a' }] },
    ]);
    const run = await h.run('wf', '1', { x: 1 });
    assert.equal(run.status, 'RUNNING');
    await clock.advance(5000);
    const e = await h.execution(run.id);
    assert.equal(e.status, 'COMPLETED', JSON.stringify(e, null, 1));
  });
});
