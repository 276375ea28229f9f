// While a run the user started is followed, the status bar says so with its elapsed time; a click shows
// it in the tree. The elapsed time is redrawn on a slow timer from the state at hand: no request.
import * as vscode from 'vscode';
import { DisposableBase, toDisposable } from '../lifecycle';
import { elapsed, formatDuration, statusLabel, versionLabel } from './format';
import { type ExecutionTracker, type FollowedRun } from './tracker';

export const FOLLOWED_REFRESH_MS = 5_000;

export class FollowedRunsStatusBar extends DisposableBase {
  private readonly item = this.register(vscode.window.createStatusBarItem('cdfWorkflows.followedRuns', vscode.StatusBarAlignment.Left, 49));
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly tracker: ExecutionTracker) {
    super();
    this.item.name = 'CDF Workflows: Followed Runs';
    this.item.command = 'cdfWorkflows.showFollowedRun';
    this.registerAll(
      tracker.onDidChangeFollowedRuns(() => this.update()),
      toDisposable(() => {
        if (this.timer) clearInterval(this.timer);
        this.timer = undefined;
      }),
    );
    this.update();
  }

  /** What the item says now (for tests): undefined while hidden. */
  get text(): string | undefined {
    return this.timer ? this.item.text : undefined;
  }

  update(): void {
    if (this.isDisposed) return;
    const runs = this.tracker.followedRuns;
    void vscode.commands.executeCommand('setContext', 'cdfWorkflows.followingRun', runs.length > 0);
    if (runs.length === 0) {
      this.item.hide();
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    const [first] = runs;
    this.item.text = runs.length === 1 ? `$(sync~spin) ${describeRun(first)}` : `$(sync~spin) ${runs.length} runs`;
    const tooltip = new vscode.MarkdownString(
      `**Following ${runs.length === 1 ? 'a run' : `${runs.length} runs`}** until ${runs.length === 1 ? 'it ends' : 'they end'}:\n\n` +
        runs.map(r => `- ${describeRun(r)} on ${r.ref.connection}${r.execution ? ` (${statusLabel(r.execution.status)})` : ''}`).join('\n') +
        '\n\nClick to show it in the CDF Workflows view.',
    );
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `Following ${runs.map(describeRun).join(', ')}` };
    this.item.show();
    this.timer ??= setInterval(() => this.update(), FOLLOWED_REFRESH_MS);
  }

}

/** "daily-asset-sync v2 · 12s". */
export function describeRun(run: FollowedRun): string {
  const e = run.execution;
  if (!e) return `execution ${run.ref.executionId.slice(0, 8)}`;
  const took = elapsed(e.startTime ?? e.createdTime, e.endTime);
  return `${e.workflowExternalId} ${versionLabel(e.version)}${took !== undefined ? ` · ${formatDuration(took)}` : ''}`;
}
