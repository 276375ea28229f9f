// Every date, time, duration and relative time the extension shows, formatted with Intl in the user's
// language and (unless told otherwise) the local time zone. UTC is shown beside local time where a
// reader compares it with CDF (cron expressions and schedules, which CDF keeps in UTC or a named zone).

export interface TimeFormatOptions {
  /** A BCP 47 tag, e.g. VS Code's display language ("en", "de", "zh-cn"); unknown tags fall back to en. */
  readonly locale?: string;
  /** IANA zone of "local time"; default the zone of this process. */
  readonly timeZone?: string;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type DurationUnit = 'millisecond' | 'second' | 'minute' | 'hour' | 'day';

function safeLocale(locale: string | undefined): string {
  if (!locale) return 'en';
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

function safeZone(timeZone: string | undefined): string {
  const zone = timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return 'UTC';
  }
}

export function isUtcZone(zone: string): boolean {
  return /^(Etc\/)?(UTC|UCT|Zulu|Universal|GMT|GMT0|Greenwich)$/i.test(zone);
}

/** Formats times for one language and one local zone. Cheap to keep: the Intl objects are made once. */
export class TimeFormatter {
  readonly locale: string;
  /** The resolved IANA name of local time. */
  readonly timeZone: string;
  private readonly relativeFormat: Intl.RelativeTimeFormat;
  private readonly units = new Map<string, Intl.NumberFormat>();
  private readonly dates = new Map<string, Intl.DateTimeFormat>();

  constructor(options: TimeFormatOptions = {}) {
    this.locale = safeLocale(options.locale);
    this.timeZone = safeZone(options.timeZone);
    this.relativeFormat = new Intl.RelativeTimeFormat(this.locale, { numeric: 'auto', style: 'long' });
  }

  /** True when local time is UTC: then nothing is shown twice. */
  get localIsUtc(): boolean {
    return isUtcZone(this.timeZone);
  }

  /** 850ms, 12s, 3m 04s, 2h 05m, 3d 4h (in the locale's narrow unit symbols). Empty for no duration. */
  duration(ms: number): string {
    if (!Number.isFinite(ms) || ms < 0) return '';
    if (ms < SECOND) return this.unit('millisecond', Math.round(ms));
    const s = Math.floor(ms / SECOND);
    if (s < 60) return this.unit('second', s);
    const m = Math.floor(s / 60);
    if (m < 60) return `${this.unit('minute', m)} ${this.unit('second', s % 60, 2)}`;
    const h = Math.floor(m / 60);
    if (h < 24) return `${this.unit('hour', h)} ${this.unit('minute', m % 60, 2)}`;
    return `${this.unit('day', Math.floor(h / 24))} ${this.unit('hour', h % 24)}`;
  }

  /**
   * How long ago (or until) `time`: "now", "30 seconds ago", "5 minutes ago", "yesterday", "4 days ago";
   * older than a week the date. Seconds are rounded to tens so a label changes at most every 10 s.
   */
  relative(time: number, now = Date.now()): string {
    const d = time - now;
    const abs = Math.abs(d);
    if (abs < 10 * SECOND) return this.relativeFormat.format(0, 'second');
    if (abs < MINUTE) return this.relativeFormat.format(Math.sign(d) * Math.floor(abs / (10 * SECOND)) * 10, 'second');
    if (abs < HOUR) return this.relativeFormat.format(Math.trunc(d / MINUTE), 'minute');
    if (abs < DAY) return this.relativeFormat.format(Math.trunc(d / HOUR), 'hour');
    // Calendar days in local time, so "yesterday" means the day before today on the user's clock.
    const days = this.calendarDays(time, now);
    if (Math.abs(days) < 7) return this.relativeFormat.format(days, 'day');
    return this.date(time);
  }

  /** The date alone in local time: "Nov 26, 2026". */
  date(time: number): string {
    return this.format(time, this.timeZone, { year: 'numeric', month: 'short', day: 'numeric' });
  }

  /** Local date and time to the second with the zone: "Nov 26, 2026, 6:48:06 PM GMT+1". */
  dateTime(time: number | null | undefined): string {
    if (time === null || time === undefined) return '';
    return this.format(time, this.timeZone, { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', timeZoneName: 'short' });
  }

  /** Local date and time to the minute, short enough for a tab title: "Nov 26, 6:48 PM". */
  shortDateTime(time: number): string {
    return this.format(time, this.timeZone, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
  }

  /** Local time of day to the second, for log lines: "6:48:06 PM". */
  timeOfDay(time: number): string {
    return this.format(time, this.timeZone, { hour: 'numeric', minute: '2-digit', second: '2-digit' });
  }

  /** Local date and time with UTC beside it: "Nov 26, 2026, 6:48 PM GMT+1 (5:48 PM UTC)"; once when local is UTC. */
  dateTimeWithUtc(time: number): string {
    const local = this.zoned(time, this.timeZone, { year: 'numeric' });
    return this.localIsUtc ? local : `${local} (${this.clock(time, 'UTC')} UTC)`;
  }

  /**
   * A fire time of a cron expression read in `cronZone` (UTC for function schedules): the zone the
   * expression speaks in first, then UTC, then local time when it is a third zone. Nothing twice.
   * "Mon, Jan 5, 6:30 AM GMT+1 (Europe/Oslo) · 5:30 AM UTC", or for a UTC cron read in Tokyo
   * "Mon, Jan 5, 5:30 AM UTC · 2:30 PM GMT+9 (Asia/Tokyo)".
   */
  fireTime(date: Date | number, cronZone = 'UTC'): string {
    const time = typeof date === 'number' ? date : date.getTime();
    const zone = safeZone(cronZone);
    const parts: string[] = [];
    if (isUtcZone(zone)) {
      parts.push(this.zoned(time, 'UTC', {}));
    } else {
      parts.push(`${this.zoned(time, zone, {})} (${zone})`);
      parts.push(`${this.clock(time, 'UTC')} UTC`);
    }
    if (!isUtcZone(this.timeZone) && this.timeZone !== zone) parts.push(`${this.localClock(time, zone)} (${this.timeZone})`);
    return parts.join(' · ');
  }

  /** Weekday, date and time of day in a zone, with the zone's short name: "Mon, Jan 5, 6:30 AM GMT+1". */
  private zoned(time: number, zone: string, extra: Intl.DateTimeFormatOptions): string {
    return this.format(time, zone, { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short', ...extra });
  }

  /** Time of day in a zone: "5:30 AM". */
  private clock(time: number, zone: string): string {
    return this.format(time, zone, { hour: 'numeric', minute: '2-digit' });
  }

  /** Local time of day, with the local date when it is another day than in `besideZone`. */
  private localClock(time: number, besideZone: string): string {
    const day = (z: string) => this.format(time, z, { year: 'numeric', month: 'numeric', day: 'numeric' });
    const sameDay = day(this.timeZone) === day(besideZone);
    return this.format(time, this.timeZone, sameDay ? { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' } : { weekday: 'short', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });
  }

  private calendarDays(time: number, now: number): number {
    const dayNumber = (t: number) => {
      const parts = this.formatter(this.timeZone, { year: 'numeric', month: 'numeric', day: 'numeric', calendar: 'gregory', numberingSystem: 'latn' }, 'en-US').formatToParts(t);
      const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find(p => p.type === type)?.value ?? 1);
      return Date.UTC(part('year'), part('month') - 1, part('day')) / DAY;
    };
    return Math.round(dayNumber(time) - dayNumber(now));
  }

  private unit(unit: DurationUnit, value: number, minimumIntegerDigits = 1): string {
    const key = `${unit}/${minimumIntegerDigits}`;
    let f = this.units.get(key);
    if (!f) {
      f = new Intl.NumberFormat(this.locale, { style: 'unit', unit, unitDisplay: 'narrow', minimumIntegerDigits });
      this.units.set(key, f);
    }
    return f.format(value);
  }

  private format(time: number, timeZone: string, options: Intl.DateTimeFormatOptions): string {
    return this.formatter(timeZone, options).format(time);
  }

  private formatter(timeZone: string, options: Intl.DateTimeFormatOptions, locale = this.locale): Intl.DateTimeFormat {
    const key = JSON.stringify([locale, timeZone, options]);
    let f = this.dates.get(key);
    if (!f) {
      f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
      this.dates.set(key, f);
    }
    return f;
  }
}

/** How long something ran: end - start, or until now while it runs. */
export function elapsed(start: number | null | undefined, end: number | null | undefined, now = Date.now()): number | undefined {
  if (start === null || start === undefined) return undefined;
  return (end ?? now) - start;
}
