// What the cron step shows while the user types: the expression in plain English and its next five fire
// times in UTC and in the local time zone (and, for native triggers, in the trigger's own zone, which is
// the one the expression is read in).
import { describeCron, formatFireTimes, nextFireTimes } from '../../core/schedule/cron';

export interface CronPreview {
  /** "At 05:30 AM, Monday through Friday (UTC)" */
  readonly description: string;
  /** One line per fire time, e.g. "Mon 2026-01-05 05:30 UTC · 06:30 CET (Europe/Oslo)". */
  readonly fireTimes: readonly string[];
}

/** The zone of the machine the extension host runs on (the local zone in desktop VS Code). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * Describes an expression read in `timezone` (UTC for function schedules). Throws InputError naming the
 * field when the expression is not valid 5-field cron.
 */
export function cronPreview(expression: string, options: { timezone?: string; localZone?: string; from?: Date; count?: number } = {}): CronPreview {
  const timezone = options.timezone ?? 'UTC';
  const localZone = options.localZone ?? localTimeZone();
  const description = `${describeCron(expression)} (${timezone})`;
  const dates = nextFireTimes(expression, { timezone, count: options.count ?? 5, from: options.from });
  const local = formatFireTimes(dates, localZone);
  const zoned = timezone === 'UTC' ? undefined : formatFireTimes(dates, timezone);
  const fireTimes = local.map((l, i) => {
    // UTC with the local time beside it (on the same day, only the time); no repetition when local is UTC.
    const utcAndLocal = localZone === 'UTC' ? l.utc : l.label;
    const own = zoned?.[i];
    // A native trigger's own zone comes first: it is the zone the expression speaks about.
    if (!own) return utcAndLocal;
    return localZone === timezone || localZone === 'UTC' ? `${own.local} · ${l.utc}` : `${own.local} · ${utcAndLocal}`;
  });
  return { description, fireTimes };
}
