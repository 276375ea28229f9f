// Statuses, durations and times in text that does not depend on the user's language or zone: the
// language-model tools and logs read these (timestamps in UTC, ISO-like). What the user sees on screen
// goes through core/time/format in VS Code's language and the local zone.
import { elapsed } from '../time/format';

export { elapsed };

/** RUNNING -> Running, TIMED_OUT -> Timed out, COMPLETED_WITH_ERRORS -> Completed with errors. */
export function statusLabel(status: string): string {
  const s = status.toLowerCase().replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** 850 ms, 12 s, 3m 04s, 2h 05m, 3d 4h. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** 2026-11-26 18:48:06 UTC */
export function formatTimestamp(time: number | null | undefined): string {
  if (time === null || time === undefined) return '';
  return new Date(time).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}
