// Compare Executions: both runs normalised to JSON (input, metadata, each task's status, duration and
// output, in task order) in VS Code's diff editor, each side headed by the run it is and one line on what
// changed. The documents are read-only and live under their own scheme while the diff is open.
import * as vscode from 'vscode';
import { compareSummary, type ComparedExecution, normaliseExecution } from '../../core/graph/compare';

export const COMPARE_SCHEME = 'cdf-workflows-compare';

export class ComparisonDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private counter = 0;

  constructor() {
    this.subscriptions.push(
      vscode.workspace.registerTextDocumentContentProvider(COMPARE_SCHEME, this),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === COMPARE_SCHEME) this.contents.delete(d.uri.toString());
      }),
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '// This comparison is no longer available: compare the executions again.\n';
  }

  /** Opens the diff of `a` (left) and `b` (right); returns the summary line. */
  async show(connection: string, a: ComparedExecution, b: ComparedExecution): Promise<string> {
    const summary = compareSummary(a, b);
    const n = ++this.counter;
    const side = (e: ComparedExecution, which: string) => {
      const started = e.startTime ?? e.createdTime;
      const header = [
        `// ${which}: ${e.workflowExternalId}@${e.version ?? '?'} execution ${e.id}, started ${new Date(started).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} (${connection})`,
        ...summary.replace(/\.$/, '').split('; ').map((part) => `// ${part}`),
      ];
      const uri = vscode.Uri.from({ scheme: COMPARE_SCHEME, path: `/${n}/${which}/${e.workflowExternalId}@${e.version ?? '-'}-${e.id.slice(0, 8)}.jsonc` });
      this.contents.set(uri.toString(), `${header.join('\n')}\n${JSON.stringify(normaliseExecution(e), null, 2)}\n`);
      return uri;
    };
    const left = side(a, 'first');
    const right = side(b, 'second');
    const name = (e: ComparedExecution) => `${e.workflowExternalId}@${e.version ?? '?'} ${e.id.slice(0, 8)}`;
    await vscode.commands.executeCommand('vscode.diff', left, right, `${name(a)} ↔ ${name(b)}`, { preview: false });
    vscode.window.setStatusBarMessage(`$(diff) ${summary}`, 10_000);
    return summary;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.contents.clear();
  }
}
