// Every emitter, watcher and timer is registered for disposal.
import type * as vscode from 'vscode';

export class DisposableStore implements vscode.Disposable {
  private readonly items = new Set<vscode.Disposable>();
  private disposed = false;

  add<T extends vscode.Disposable>(d: T): T {
    if (this.disposed) d.dispose();
    else this.items.add(d);
    return d;
  }

  dispose(): void {
    this.disposed = true;
    for (const d of [...this.items].reverse()) {
      try { d.dispose(); } catch { /* keep disposing the rest */ }
    }
    this.items.clear();
  }
}

/** A timer as a Disposable. */
export function disposableTimeout(fn: () => void, ms: number): vscode.Disposable {
  const t = setTimeout(fn, ms);
  return { dispose: () => clearTimeout(t) };
}
