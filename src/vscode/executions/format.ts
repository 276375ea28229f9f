// How statuses, durations and times look everywhere: tree, tooltips, notifications, details documents.
import * as vscode from 'vscode';

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
};

export function statusIcon(status: string): vscode.ThemeIcon {
  const [icon, color] = STATUS_ICONS[status] ?? ['question'];
  return new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
}

/** RUNNING -> Running, TIMED_OUT -> Timed out. */
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

/** just now, 5 min ago, 3 h ago, yesterday, 4 days ago, then the date. */
export function formatRelative(time: number, now = Date.now()): string {
  const d = now - time;
  if (d < 45_000) return 'just now';
  if (d < 3_600_000) return `${Math.round(d / 60_000)} min ago`;
  if (d < 86_400_000) return `${Math.round(d / 3_600_000)} h ago`;
  if (d < 2 * 86_400_000) return 'yesterday';
  if (d < 30 * 86_400_000) return `${Math.round(d / 86_400_000)} days ago`;
  return new Date(time).toISOString().slice(0, 10);
}

/** 2026-11-26 18:48:06 UTC */
export function formatTimestamp(time: number | null | undefined): string {
  if (time === null || time === undefined) return '';
  return new Date(time).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** How long something ran: end - start, or until now while it runs. */
export function elapsed(start: number | null | undefined, end: number | null | undefined, now = Date.now()): number | undefined {
  if (start === null || start === undefined) return undefined;
  return (end ?? now) - start;
}
