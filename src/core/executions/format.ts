// Statuses, durations and times in text that does not depend on the user's language or zone: the
// language-model tools and logs read these (timestamps in UTC, ISO-like). What the user sees on screen
// goes through core/time/format in VS Code's language and the local zone.
import { formatDuration, statusWord } from '../graph/format';
import { elapsed } from '../time/format';

export { elapsed, formatDuration };

/** RUNNING -> Running, TIMED_OUT -> Timed out, COMPLETED_WITH_ERRORS -> Completed with errors. */
export const statusLabel = statusWord;

/** 2026-11-26 18:48:06 UTC */
export function formatTimestamp(time: number | null | undefined): string {
  if (time === null || time === undefined) return '';
  return new Date(time).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}
