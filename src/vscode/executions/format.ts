// How statuses, durations and times look everywhere: tree, tooltips, notifications, details documents.
// Times go through core/time/format in VS Code's display language and the local time zone.
import * as vscode from 'vscode';
import { elapsed, TimeFormatter } from '../../core/time/format';

export { elapsed };

const STATUS_ICONS: Record<string, [icon: string, color?: string]> = {
  RUNNING: ['sync~spin', 'charts.blue'],
  IN_PROGRESS: ['sync~spin', 'charts.blue'],
  SCHEDULED: ['clock', 'descriptionForeground'],
  COMPLETED: ['pass', 'testing.iconPassed'],
  COMPLETED_WITH_ERRORS: ['warning', 'charts.yellow'],
  FAILED: ['error', 'testing.iconFailed'],
  FAILED_WITH_TERMINAL_ERROR: ['error', 'testing.iconFailed'],
  TIMED_OUT: ['watch', 'testing.iconFailed'],
  TERMINATED: ['circle-slash', 'descriptionForeground'],
  CANCELED: ['circle-slash', 'descriptionForeground'],
  SKIPPED: ['debug-step-over', 'descriptionForeground'],
  /** A task of the version that has not started (not a CDF status: the tree shows the definition). */
  NOT_STARTED: ['circle-large-outline', 'disabledForeground'],
};

export function statusIcon(status: string): vscode.ThemeIcon {
  const [icon, color] = STATUS_ICONS[status] ?? ['question'];
  return new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
}

/** RUNNING -> Running, TIMED_OUT -> Timed out, COMPLETED_WITH_ERRORS -> Completed with errors. */
export function statusLabel(status: string): string {
  const s = status.toLowerCase().replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

let formatter: TimeFormatter | undefined;

/** The formatter of VS Code's display language (fixed for the session) and the local time zone. */
export function timeFormat(): TimeFormatter {
  formatter ??= new TimeFormatter({ locale: vscode.env.language });
  return formatter;
}

/** 850ms, 12s, 3m 04s, 2h 05m, 3d 4h. */
export function formatDuration(ms: number): string {
  return timeFormat().duration(ms);
}

/** now, 30 seconds ago, 5 minutes ago, yesterday, 4 days ago, then the date. */
export function formatRelative(time: number, now = Date.now()): string {
  return timeFormat().relative(time, now);
}

/** Local date and time with the zone, e.g. "Nov 26, 2026, 6:48:06 PM GMT+1". */
export function formatTimestamp(time: number | null | undefined): string {
  return timeFormat().dateTime(time);
}

/** A cron fire time: the cron's zone, UTC and local time, each once. */
export function formatFireTime(date: Date | number, cronZone: string): string {
  return timeFormat().fireTime(date, cronZone);
}

/** Local date and time with UTC beside it. */
export function formatWithUtc(time: number): string {
  return timeFormat().dateTimeWithUtc(time);
}

/** "v2" for version "2", so that "v2 · 4 tasks" never reads as 24; a version named "beta" or "v3" as it is. */
export function versionLabel(version: string | null | undefined): string {
  const v = version ?? '?';
  return /^\d/.test(v) ? `v${v}` : v;
}

/** "1 task", "4 tasks". */
export function taskCount(n: number): string {
  return `${n} ${n === 1 ? 'task' : 'tasks'}`;
}

/** A version as one line everywhere: "v2 · 4 tasks". */
export function versionTitle(version: string, tasks: number): string {
  return `${versionLabel(version)} · ${taskCount(tasks)}`;
}
