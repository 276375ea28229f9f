/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are read loosely once the harness has checked them against the spec */
import * as assert from 'node:assert/strict';
import { nextFireTimes } from '../../../src/core/schedule';
import { ManualClock } from '../../../src/sandbox';
import { cronProblem, nextFireTime } from '../../../src/sandbox/scheduler';
import { Harness } from './harness';

const iso = (ms: number): string => new Date(ms).toISOString();

/** The emulator's fire times, one after the other, as its timers ask for them. */
function fireTimes(expression: string, timezone: string, from: string, count: number): string[] {
  const times: string[] = [];
  let after = Date.parse(from);
  while (times.length < count) {
    after = nextFireTime(expression, after, timezone);
    times.push(iso(after));
  }
  return times;
}

describe('sandbox cron', () => {
  describe('cronProblem', () => {
    it('accepts standard 5-field cron, names, 7 for Sunday and a start with a step', () => {
      for (const expression of ['0 12 * * *', '*/15 6-18 * * MON-FRI', '0 12 * * 7', '0 12 * * 0,7', '5/15 * * * *', '0 12 13 * 5', '0 0 29 2 *']) {
        assert.equal(cronProblem(expression), undefined, expression);
      }
    });

    it('refuses macros, seconds, out-of-range values and a step without a start', () => {
      assert.match(cronProblem('@daily') ?? '', /not a macro like @daily/);
      assert.match(cronProblem('0 0 12 * * *') ?? '', /must have 5 fields .* it has 6/);
      assert.match(cronProblem('61 * * * *') ?? '', /is not a valid cron expression/);
      assert.match(cronProblem('/10 * * * *') ?? '', /"\/10" has a step without a start/);
    });

    it('refuses an expression that never fires (30 February), in any zone', () => {
      assert.match(cronProblem('30 2 30 2 *') ?? '', /never fires/);
      assert.match(cronProblem('0 0 31 4 *', 'Europe/Oslo') ?? '', /never fires/);
    });
  });

  describe('nextFireTime', () => {
    it('reads 5/15 as 5-59/15 and the first field as the minute', () => {
      assert.deepEqual(fireTimes('5/15 * * * *', 'UTC', '2026-01-01T00:00:00Z', 4), ['2026-01-01T00:05:00.000Z', '2026-01-01T00:20:00.000Z', '2026-01-01T00:35:00.000Z', '2026-01-01T00:50:00.000Z']);
    });

    it('fires on day-of-month OR day-of-week when both are restricted, and reads 7 as Sunday', () => {
      // 2026-01-13 is a Tuesday; Fridays are 2, 9, 16.
      assert.deepEqual(fireTimes('0 12 13 * 5', 'UTC', '2026-01-01T00:00:00Z', 4).map((t) => t.slice(0, 10)), ['2026-01-02', '2026-01-09', '2026-01-13', '2026-01-16']);
      assert.deepEqual(fireTimes('0 12 * * 7', 'UTC', '2026-01-01T00:00:00Z', 2), ['2026-01-04T12:00:00.000Z', '2026-01-11T12:00:00.000Z']);
    });

    it('crosses daylight saving changes as the extension preview says: once after a gap, both occurrences only when repeating', () => {
      assert.deepEqual(fireTimes('30 2 * * *', 'Europe/Oslo', '2026-03-28T00:00:00Z', 3), ['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
      assert.deepEqual(fireTimes('*/30 2 * * *', 'Europe/Oslo', '2026-10-24T12:00:00Z', 5), [
        '2026-10-25T00:00:00.000Z',
        '2026-10-25T00:30:00.000Z',
        '2026-10-25T01:00:00.000Z',
        '2026-10-25T01:30:00.000Z',
        '2026-10-26T01:00:00.000Z',
      ]);
    });

    it('agrees with the schedule preview (src/core) on every case, in UTC and in zones with daylight saving', () => {
      const expressions = ['30 2 * * *', '0,30 2 * * *', '*/30 2 * * *', '*/15 * * * *', '30 1 * * *', '0 2-3 * * *', '0 12 13 * 5', '0 0 * * 7', '45 23 28-31 2 *'];
      const cases: [string, string][] = [
        ['UTC', '2026-02-26T00:00:00Z'],
        ['Europe/Oslo', '2026-03-28T12:00:00Z'],
        ['Europe/Oslo', '2026-10-24T12:00:00Z'],
        ['America/New_York', '2026-03-07T12:00:00Z'],
        ['America/New_York', '2026-10-31T12:00:00Z'],
        ['Australia/Lord_Howe', '2026-04-04T00:00:00Z'],
      ];
      for (const expression of expressions) {
        for (const [zone, from] of cases) {
          const preview = nextFireTimes(expression, { timezone: zone, from: new Date(from), count: 12 }).map((d) => d.toISOString());
          assert.deepEqual(fireTimes(expression, zone, from, 12), preview, `${expression} in ${zone} from ${from}`);
        }
      }
    });
  });

  describe('schedule triggers across daylight saving changes', function () {
    this.timeout(30_000);
    const clock = new ManualClock(Date.UTC(2026, 2, 28, 0, 0, 0));
    let h: Harness;
    before(async () => {
      h = await Harness.start({ clock });
      h.sandbox.scriptTransformation('tr-dst', { durationMs: 1000 });
      await h.upsertWorkflow('dst');
      await h.upsertVersion('dst', '1', [{ externalId: 't', type: 'transformation', parameters: { transformation: { externalId: 'tr-dst' } } }]);
    });
    after(async () => {
      await h?.close();
    });

    const upsert = async (externalId: string, cronExpression: string): Promise<void> => {
      const r = await h.call('POST', '/workflows/triggers', {
        items: [{ externalId, workflowExternalId: 'dst', workflowVersion: '1', authentication: { nonce: await h.nonce() }, triggerRule: { triggerType: 'schedule', cronExpression, timezone: 'Europe/Oslo' } }],
      });
      assert.equal(r.status, 200);
    };
    const fired = async (externalId: string): Promise<string[]> =>
      ((await h.call('GET', `/workflows/triggers/${externalId}/history`)).body.items as any[]).map((run) => iso(run.fireTime as number)).reverse();

    it('fires 02:30 in Oslo once at 03:00 on the spring-forward night, and skips the half-hours of a repeating job', async () => {
      await upsert('fixed', '30 2 * * *');
      await upsert('every-half-hour', '*/30 2 * * *');
      await clock.advanceTo(Date.UTC(2026, 2, 30, 12, 0, 0));
      assert.deepEqual(await fired('fixed'), ['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
      assert.deepEqual(await fired('every-half-hour'), ['2026-03-28T01:00:00.000Z', '2026-03-28T01:30:00.000Z', '2026-03-30T00:00:00.000Z', '2026-03-30T00:30:00.000Z']);
    });

    it('fires 02:30 in Oslo once on the fall-back night, a repeating job in both 02:00 hours', async () => {
      for (const externalId of ['fixed', 'every-half-hour']) assert.equal((await h.call('POST', '/workflows/triggers/delete', { items: [{ externalId }] })).status, 200);
      await clock.advanceTo(Date.UTC(2026, 9, 24, 12, 0, 0));
      await upsert('fixed-autumn', '30 2 * * *');
      await upsert('every-half-hour-autumn', '*/30 2 * * *');
      await clock.advanceTo(Date.UTC(2026, 9, 25, 12, 0, 0));
      assert.deepEqual(await fired('fixed-autumn'), ['2026-10-25T00:30:00.000Z']);
      assert.deepEqual(await fired('every-half-hour-autumn'), ['2026-10-25T00:00:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-25T01:00:00.000Z', '2026-10-25T01:30:00.000Z']);
    });
  });
});
