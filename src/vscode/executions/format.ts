// How statuses, durations and times look everywhere: tree, tooltips, notifications, details documents.
import * as vscode from 'vscode';

export { elapsed, formatDuration, formatRelative, formatTimestamp, statusLabel } from '../../core/executions/format';

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

export function isRunningStatus(status: string): boolean {
  return status === 'RUNNING' || status === 'IN_PROGRESS' || status === 'SCHEDULED';
}
