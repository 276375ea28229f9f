// What the cron step shows while the user types: the expression in plain English and its next fire times
// in the zone the expression is read in (UTC for function schedules), with UTC and local time beside it.
import { describeCron, nextFireTimes } from '../../core/schedule/cron';
import { type TimeFormatter } from '../../core/time/format';

export interface CronPreview {
  /** "At 05:30 AM, Monday through Friday (UTC)" */
  readonly description: string;
  /** One line per fire time, e.g. "Mon, Jan 5, 5:30 AM UTC · 6:30 AM GMT+1 (Europe/Oslo)". */
  readonly fireTimes: readonly string[];
}

/**
 * Describes an expression read in `timezone` (UTC for function schedules). Throws InputError naming the
 * field when the expression is not valid 5-field cron.
 */
export function cronPreview(expression: string, options: { time: TimeFormatter; timezone?: string; from?: Date; count?: number }): CronPreview {
  const timezone = options.timezone ?? 'UTC';
  const description = `${describeCron(expression)} (${timezone})`;
  const dates = nextFireTimes(expression, { timezone, count: options.count ?? 5, from: options.from });
  return { description, fireTimes: dates.map(d => options.time.fireTime(d, timezone)) };
}
