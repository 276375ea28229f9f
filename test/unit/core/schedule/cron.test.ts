import * as assert from 'node:assert/strict';
import { InputError } from '../../../../src/core/errors';
import { describeCron, nextFireTimes, parseCron, validateTimeZone } from '../../../../src/core/schedule';

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('expected a refusal');
}

const FROM = new Date('2026-01-01T00:00:00Z'); // a Thursday

describe('core/schedule cron', () => {
  describe('parseCron', () => {
    it('normalizes names, ? and spacing to a portable 5-field form', () => {
      const schedule = parseCron('  30  5 ?  jan-MAR,Dec  MON-fri ');
      assert.equal(schedule.expression, '30 5 * 1-3,12 1-5');
      assert.equal(schedule.source, '30  5 ?  jan-MAR,Dec  MON-fri');
      assert.deepEqual(schedule.fields, { minute: '30', hour: '5', dayOfMonth: '*', month: '1-3,12', dayOfWeek: '1-5' });
    });

    it('accepts ranges, steps, lists and * in every field', () => {
      assert.equal(parseCron('*/15 0-6/2 1,15 */3 0,6').expression, '*/15 0-6/2 1,15 */3 0,6');
    });

    it('spells out a start with a step as a range', () => {
      assert.equal(parseCron('5/20 * * * *').expression, '5-59/20 * * * *');
    });

    it('accepts 7 as Sunday in the day-of-week field', () => {
      assert.equal(parseCron('0 12 * * 7').expression, '0 12 * * 7');
    });

    it('expands the @ macros to five fields', () => {
      assert.equal(parseCron('@hourly').expression, '0 * * * *');
      assert.equal(parseCron('@DAILY').expression, '0 0 * * *');
      assert.equal(parseCron('@weekly').expression, '0 0 * * 0');
      assert.equal(parseCron('@yearly').expression, '0 0 1 1 *');
    });

    it('refuses a macro that does not fit five fields, listing the ones that do', () => {
      assert.match(refusal(() => parseCron('@reboot')), /not a cron macro CDF schedules can use; use one of @yearly/);
      assert.match(refusal(() => parseCron('@secondly')), /not a cron macro/);
    });

    it('refuses too few fields, naming the five CDF wants', () => {
      assert.match(refusal(() => parseCron('0 5 * *')), /has 4 fields; CDF wants 5: minute hour day-of-month month day-of-week/);
      assert.match(refusal(() => parseCron('')), /empty/);
    });

    it('refuses a 6-field expression with seconds', () => {
      assert.match(refusal(() => parseCron('0 30 5 * * 1')), /has 6 fields; CDF wants 5.*seconds field/);
      assert.match(refusal(() => parseCron('0 0 0 * * ? 2026')), /has 7 fields/);
    });

    it('refuses out-of-range values, naming the field and its range', () => {
      assert.match(refusal(() => parseCron('60 * * * *')), /60 in the minute field .* out of range; the minute field takes 0-59/);
      assert.match(refusal(() => parseCron('0 24 * * *')), /hour field takes 0-23/);
      assert.match(refusal(() => parseCron('0 0 0 * *')), /day-of-month field takes 1-31/);
      assert.match(refusal(() => parseCron('0 0 * 13 *')), /month field takes 1-12 or the names JAN-DEC/);
      assert.match(refusal(() => parseCron('0 0 * * 8')), /day-of-week field takes 0-7 \(0 and 7 are Sunday\) or the names SUN-SAT/);
    });

    it('refuses unknown names', () => {
      assert.match(refusal(() => parseCron('0 0 * * MONDAY')), /"MONDAY" in the day-of-week field .* not a known name/);
      assert.match(refusal(() => parseCron('0 0 * JANUARY *')), /"JANUARY" in the month field/);
      assert.match(refusal(() => parseCron('0 0 * * JAN')), /"JAN" in the day-of-week field/);
      assert.match(refusal(() => parseCron('x * * * *')), /"x" in the minute field .* not a number/);
    });

    it('refuses bad steps', () => {
      assert.match(refusal(() => parseCron('*/0 * * * *')), /step "0"; a step must be a whole number from 1 to 59/);
      assert.match(refusal(() => parseCron('*/x * * * *')), /step "x"/);
      assert.match(refusal(() => parseCron('0 */24 * * *')), /from 1 to 23/);
      assert.match(refusal(() => parseCron('*/5/2 * * * *')), /more than one "\/"/);
    });

    it('refuses backwards ranges and empty list items', () => {
      assert.match(refusal(() => parseCron('0 0 * * FRI-MON')), /runs backwards; .* wrap around as 5-6,0-1/);
      assert.match(refusal(() => parseCron('1,,2 * * * *')), /empty list item/);
    });

    it('refuses the non-standard L, W, # and H', () => {
      for (const expr of ['0 0 L * *', '0 0 15W * *', '0 0 * * 1#2', '0 0 * * 5L', 'H * * * *']) {
        assert.match(refusal(() => parseCron(expr)), /not standard 5-field cron/, expr);
      }
    });

    it('refuses an expression whose fields never meet', () => {
      assert.match(refusal(() => parseCron('0 0 30 2 *')), /never fires/);
    });

    it('refuses 30 February and 31 April with the fields to check, and keeps 29 February and a weekday alternative', () => {
      assert.match(
        refusal(() => parseCron('30 2 30 2 *')),
        /^The cron expression "30 2 30 2 \*" never fires: no month in its month field \(2\) has the day in its day-of-month field \(30\).*Check the day-of-month and month fields\.$/,
      );
      assert.match(refusal(() => parseCron('0 0 31 4,6,9,11 *')), /never fires: .*month field \(4,6,9,11\).*day-of-month field \(31\)/);
      assert.match(refusal(() => parseCron('0 0 30 FEB ?')), /never fires/);
      assert.deepEqual(nextFireTimes('0 0 29 2 *', { from: FROM, count: 2 }).map((d) => d.toISOString()), ['2028-02-29T00:00:00.000Z', '2032-02-29T00:00:00.000Z']);
      // With a day of the week as well, the day-of-week half can still fire: Mondays in February.
      assert.deepEqual(nextFireTimes('0 0 30 2 1', { from: FROM, count: 2 }).map((d) => d.toISOString()), ['2026-02-02T00:00:00.000Z', '2026-02-09T00:00:00.000Z']);
    });
  });

  describe('describeCron', () => {
    it('says the schedule in plain English', () => {
      assert.equal(describeCron('30 5 * * MON-FRI'), 'At 05:30 AM, Monday through Friday');
      assert.equal(describeCron('*/15 * * * *'), 'Every 15 minutes');
      assert.equal(describeCron('@daily'), 'At 12:00 AM');
    });

    it('refuses what parseCron refuses', () => {
      assert.throws(() => describeCron('61 * * * *'), InputError);
    });
  });

  describe('nextFireTimes', () => {
    it('gives the next five times in UTC by default', () => {
      assert.deepEqual(
        nextFireTimes('30 5 * * 1-5', { from: FROM }).map((d) => d.toISOString()),
        ['2026-01-01T05:30:00.000Z', '2026-01-02T05:30:00.000Z', '2026-01-05T05:30:00.000Z', '2026-01-06T05:30:00.000Z', '2026-01-07T05:30:00.000Z'],
      );
    });

    it('reads the expression in a time zone, across a daylight saving change', () => {
      const times = nextFireTimes('30 5 * * *', { from: new Date('2026-03-28T00:00:00Z'), timezone: 'Europe/Oslo', count: 2 });
      // 05:30 in Oslo is 04:30 UTC in winter (CET) and 03:30 UTC in summer (CEST, from 29 March 2026).
      assert.deepEqual(times.map((d) => d.toISOString()), ['2026-03-28T04:30:00.000Z', '2026-03-29T03:30:00.000Z']);
    });

    it('honours count and starts strictly after from', () => {
      const times = nextFireTimes('0 * * * *', { from: new Date('2026-01-01T10:00:00Z'), count: 3 });
      assert.deepEqual(times.map((d) => d.toISOString()), ['2026-01-01T11:00:00.000Z', '2026-01-01T12:00:00.000Z', '2026-01-01T13:00:00.000Z']);
    });

    it('reads the first field as the minute, never as seconds', () => {
      const times = nextFireTimes('5 * * * *', { from: FROM, count: 2 });
      assert.deepEqual(times.map((d) => d.toISOString()), ['2026-01-01T00:05:00.000Z', '2026-01-01T01:05:00.000Z']);
    });

    it('fires when day-of-month OR day-of-week matches if both are restricted, and on either alone otherwise', () => {
      const iso = (expr: string, count: number) => nextFireTimes(expr, { from: FROM, count }).map((d) => d.toISOString().slice(0, 10));
      // The 13th (a Tuesday in January 2026) and every Friday.
      assert.deepEqual(iso('0 12 13 * 5', 5), ['2026-01-02', '2026-01-09', '2026-01-13', '2026-01-16', '2026-01-23']);
      assert.deepEqual(iso('0 12 13 * *', 2), ['2026-01-13', '2026-02-13']);
      assert.deepEqual(iso('0 12 * * FRI', 2), ['2026-01-02', '2026-01-09']);
      assert.deepEqual(iso('0 12 13 * ?', 2), ['2026-01-13', '2026-02-13']);
    });

    it('reads 7 as Sunday, like 0, also at the end of a range', () => {
      const iso = (expr: string) => nextFireTimes(expr, { from: FROM, count: 4 }).map((d) => d.toISOString());
      assert.deepEqual(iso('0 12 * * 7'), iso('0 12 * * 0'));
      assert.deepEqual(iso('0 12 * * 7').map((t) => new Date(t).getUTCDay()), [0, 0, 0, 0]);
      assert.deepEqual(iso('0 12 * * 5-7').map((t) => t.slice(0, 10)), ['2026-01-02', '2026-01-03', '2026-01-04', '2026-01-09']);
    });

    describe('daylight saving time', () => {
      const at = (expr: string, timezone: string, from: string, count: number) =>
        nextFireTimes(expr, { timezone, from: new Date(from), count }).map((d) => d.toISOString());

      it('fires a fixed-time job whose time a spring-forward gap skips once, at the first minute after the gap', () => {
        // Oslo, 29 March 2026: 02:00 CET jumps to 03:00 CEST (01:00 UTC); 02:30 does not exist that day.
        assert.deepEqual(at('30 2 * * *', 'Europe/Oslo', '2026-03-28T00:00:00Z', 3), ['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
        // Two fixed times in the gap still make one run.
        assert.deepEqual(at('0,30 2 * * *', 'Europe/Oslo', '2026-03-28T00:00:00Z', 4), ['2026-03-28T01:00:00.000Z', '2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:00:00.000Z']);
        // New York, 8 March 2026: 02:00 EST jumps to 03:00 EDT (07:00 UTC).
        assert.deepEqual(at('30 2 * * *', 'America/New_York', '2026-03-07T00:00:00Z', 3), ['2026-03-07T07:30:00.000Z', '2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z']);
      });

      it('skips the minutes a spring-forward gap removes for a repeating job', () => {
        assert.deepEqual(at('*/30 2 * * *', 'Europe/Oslo', '2026-03-28T00:00:00Z', 4), ['2026-03-28T01:00:00.000Z', '2026-03-28T01:30:00.000Z', '2026-03-30T00:00:00.000Z', '2026-03-30T00:30:00.000Z']);
        // Every 30 minutes through the night: 01:30 CET, then 03:00 CEST.
        assert.deepEqual(at('*/30 * * * *', 'Europe/Oslo', '2026-03-29T00:00:00Z', 3), ['2026-03-29T00:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T01:30:00.000Z']);
      });

      it('fires a fixed-time job once when fall-back repeats its time, a repeating job in both occurrences', () => {
        // Oslo, 25 October 2026: 03:00 CEST falls back to 02:00 CET (01:00 UTC); 02:00-02:59 happens twice.
        assert.deepEqual(at('30 2 * * *', 'Europe/Oslo', '2026-10-24T12:00:00Z', 2), ['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
        assert.deepEqual(at('*/30 2 * * *', 'Europe/Oslo', '2026-10-24T12:00:00Z', 5), [
          '2026-10-25T00:00:00.000Z',
          '2026-10-25T00:30:00.000Z',
          '2026-10-25T01:00:00.000Z',
          '2026-10-25T01:30:00.000Z',
          '2026-10-26T01:00:00.000Z',
        ]);
        // New York, 1 November 2026: 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
        assert.deepEqual(at('30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 2), ['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
      });
    });

    it('refuses an unknown time zone and a bad count', () => {
      assert.match(refusal(() => nextFireTimes('0 * * * *', { timezone: 'Mars/Olympus' })), /not a known time zone/);
      assert.match(refusal(() => nextFireTimes('0 * * * *', { count: 0 })), /ask for 1 to 1000/);
    });
  });

  describe('validateTimeZone', () => {
    it('accepts IANA names and fixes their case', () => {
      assert.equal(validateTimeZone('UTC'), 'UTC');
      assert.equal(validateTimeZone('europe/oslo'), 'Europe/Oslo');
      assert.equal(validateTimeZone(' America/New_York '), 'America/New_York');
      assert.equal(validateTimeZone('Etc/GMT-1'), 'Etc/GMT-1');
    });

    it('refuses offsets, empty and unknown names, saying what to write', () => {
      assert.match(refusal(() => validateTimeZone('+01:00')), /UTC offset, not a time zone name; use an IANA name such as/);
      assert.match(refusal(() => validateTimeZone('UTC+2')), /UTC offset/);
      assert.match(refusal(() => validateTimeZone('')), /empty/);
      assert.match(refusal(() => validateTimeZone('Nowhere/Town')), /"Nowhere\/Town" is not a known time zone/);
    });
  });
});
