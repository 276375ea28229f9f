// The codicons the workflow view shows. The build subsets the codicon font to exactly the names in this
// file (scripts/build-webview.mjs reads the quoted names), so an icon is used through these tables only.

export const TASK_TYPE_ICONS: Readonly<Record<string, string>> = {
  function: 'symbol-method',
  transformation: 'arrow-swap',
  cdf: 'globe',
  dynamic: 'layers',
  subworkflow: 'type-hierarchy-sub',
  simulation: 'beaker',
};
export const UNKNOWN_TYPE_ICON = 'circle-outline';

export const STATUS_ICONS: Readonly<Record<string, string>> = {
  COMPLETED: 'pass',
  COMPLETED_WITH_ERRORS: 'warning',
  FAILED: 'error',
  FAILED_WITH_TERMINAL_ERROR: 'error',
  TIMED_OUT: 'watch',
  IN_PROGRESS: 'sync',
  RUNNING: 'sync',
  SCHEDULED: 'clock',
  CANCELED: 'circle-slash',
  TERMINATED: 'circle-slash',
  SKIPPED: 'debug-step-over',
  NOT_STARTED: 'circle-large-outline',
};

export const UI_ICONS = {
  zoomIn: 'zoom-in',
  zoomOut: 'zoom-out',
  fit: 'screen-full',
  find: 'search',
  expand: 'chevron-right',
  collapse: 'chevron-down',
  close: 'close',
  copy: 'copy',
  logs: 'output',
  complete: 'check-all',
  cancel: 'debug-stop',
  retry: 'debug-restart',
  runAgain: 'play',
  compare: 'diff',
  openText: 'file-text',
  reveal: 'go-to-file',
  graph: 'type-hierarchy',
  timeline: 'history',
  retries: 'refresh',
  info: 'info',
  warningMark: 'warning',
  errorMark: 'error',
  critical: 'flame',
  expandAll: 'expand-all',
  collapseAll: 'collapse-all',
} as const;
