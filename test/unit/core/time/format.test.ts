import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { elapsed, TimeFormatter } from '../../../../src/core/time/format';

// Monday 5 January 2026, 05:30:12 UTC: winter, so Oslo is GMT+1 and Tokyo GMT+9.
const T = Date.UTC(2026, 0, 5, 5, 30, 12);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('core/time/format', () => {
  const utc = new TimeFormatter({ locale: 'en', timeZone: 'UTC' });
  const oslo = new TimeFormatter({ locale: 'en', timeZone: 'Europe/Oslo' });
  const tokyo = new TimeFormatter({ locale: 'en', timeZone: 'Asia/Tokyo' });
  const german = new TimeFormatter({ locale: 'de', timeZone: 'Europe/Berlin' });

  describe('duration', () => {
    it('uses the largest two units, in the locale\'s unit symbols', () => {
      assert.deepEqual([850, 12_000, 184_000, 2 * HOUR + 5 * MIN, 3 * DAY + 4 * HOUR].map(ms => utc.duration(ms)), ['850ms', '12s', '3m 04s', '2h 05m', '3d 4h']);
      assert.equal(german.duration(184_000), '3 Min. 04 Sek.');
    });

    it('is empty for a negative or unknown duration', () => {
      assert.equal(utc.duration(-1), '');
      assert.equal(utc.duration(Number.NaN), '');
    });
  });

  describe('relative', () => {
    it('says now, then seconds in tens, minutes, hours, calendar days, then the date', () => {
      const ago = (ms: number) => utc.relative(T, T + ms);
      assert.equal(ago(5_000), 'now');
      assert.equal(ago(35_000), '30 seconds ago');
      assert.equal(ago(5 * MIN), '5 minutes ago');
      assert.equal(ago(3 * HOUR), '3 hours ago');
      assert.equal(ago(26 * HOUR), 'yesterday');
      assert.equal(ago(4 * DAY), '4 days ago');
      assert.equal(ago(40 * DAY), 'Jan 5, 2026');
      assert.equal(utc.relative(T + 20 * HOUR, T), 'in 20 hours');
    });

    it('counts days on the local calendar: 25 hours after 23:30 is two days ago in Tokyo', () => {
      const late = Date.UTC(2026, 0, 4, 14, 30); // 23:30 in Tokyo, 14:30 in UTC
      assert.equal(tokyo.relative(late, late + 25 * HOUR), '2 days ago');
      assert.equal(utc.relative(late, late + 25 * HOUR), 'yesterday');
    });

    it('speaks the display language', () => {
      assert.equal(german.relative(T, T + 4 * DAY), 'vor 4 Tagen');
      assert.equal(german.relative(T, T + 26 * HOUR), 'gestern');
    });

    it('falls back to English for a language tag Intl does not know', () => {
      assert.equal(new TimeFormatter({ locale: 'not a locale', timeZone: 'UTC' }).relative(T, T + 5 * MIN), '5 minutes ago');
    });
  });

  describe('absolute times', () => {
    it('shows date and time in the local zone with its name', () => {
      assert.equal(utc.dateTime(T), 'Jan 5, 2026, 5:30:12 AM UTC');
      assert.equal(oslo.dateTime(T), 'Jan 5, 2026, 6:30:12 AM GMT+1');
      assert.equal(utc.dateTime(undefined), '');
    });

    it('puts UTC beside local time, and shows it once when local time is UTC', () => {
      assert.equal(oslo.dateTimeWithUtc(T), 'Mon, Jan 5, 2026, 6:30 AM GMT+1 (5:30 AM UTC)');
      assert.equal(utc.dateTimeWithUtc(T), 'Mon, Jan 5, 2026, 5:30 AM UTC');
    });
  });

  describe('fireTime', () => {
    it('shows a UTC cron in UTC with local time beside it, never the same time twice', () => {
      assert.equal(utc.fireTime(T, 'UTC'), 'Mon, Jan 5, 5:30 AM UTC');
      assert.equal(oslo.fireTime(T, 'UTC'), 'Mon, Jan 5, 5:30 AM UTC · 6:30 AM GMT+1 (Europe/Oslo)');
    });

    it('names the local weekday when local time is on another day', () => {
      assert.equal(tokyo.fireTime(Date.UTC(2026, 0, 1, 23, 30), 'UTC'), 'Thu, Jan 1, 11:30 PM UTC · Fri, 8:30 AM GMT+9 (Asia/Tokyo)');
    });

    it('shows a native trigger in its own zone first, then UTC, then local time when that is a third zone', () => {
      assert.equal(utc.fireTime(T, 'Europe/Oslo'), 'Mon, Jan 5, 6:30 AM GMT+1 (Europe/Oslo) · 5:30 AM UTC');
      assert.equal(oslo.fireTime(T, 'Europe/Oslo'), 'Mon, Jan 5, 6:30 AM GMT+1 (Europe/Oslo) · 5:30 AM UTC');
      assert.equal(tokyo.fireTime(T, 'Europe/Oslo'), 'Mon, Jan 5, 6:30 AM GMT+1 (Europe/Oslo) · 5:30 AM UTC · 2:30 PM GMT+9 (Asia/Tokyo)');
    });
  });

  it('takes local time from the process time zone by default (TZ in a child process)', () => {
    const module = path.join(__dirname, '../../../../src/core/time/format.js');
    const script = `const { TimeFormatter } = require(${JSON.stringify(module)}); const f = new TimeFormatter({ locale: 'en' }); console.log(f.timeZone + '|' + f.dateTime(${T}));`;
    const out = execFileSync(process.execPath, ['-e', script], { env: { ...process.env, TZ: 'America/New_York' }, encoding: 'utf8' }).trim();
    assert.equal(out, 'America/New_York|Jan 5, 2026, 12:30:12 AM EST');
  });

  it('elapsed runs to now while there is no end', () => {
    assert.equal(elapsed(T, T + 5_000), 5_000);
    assert.equal(elapsed(T, undefined, T + 7_000), 7_000);
    assert.equal(elapsed(undefined, T), undefined);
  });
});
