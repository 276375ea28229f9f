// One owner for every resource. activate() adds each long-lived object to one DisposableStore (disposed with
// the extension, in reverse order of creation); an object that subscribes to events, or holds emitters,
// timers or watchers, extends DisposableBase and registers them, so disposing it releases them all.
import type * as vscode from 'vscode';

export class DisposableStore implements vscode.Disposable {
  private readonly items = new Set<vscode.Disposable>();
  private disposed = false;

  /** Takes ownership of `d`; when the store is disposed already, `d` is disposed at once. */
  add<T extends vscode.Disposable>(d: T): T {
    if (this.disposed) d.dispose();
    else this.items.add(d);
    return d;
  }

  /** Disposes `d` now and forgets it (for something that ends before its owner does). */
  delete(d: vscode.Disposable): void {
    if (this.items.delete(d)) d.dispose();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Newest first: a later object may use an earlier one while it is disposed. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const items = [...this.items].reverse();
    this.items.clear();
    for (const d of items) {
      try {
        d.dispose();
      } catch {
        // One failing dispose must not keep the rest alive.
      }
    }
  }
}

/** Base of long-lived objects: `register` hands an emitter, subscription or timer to the object's own store. */
export abstract class DisposableBase implements vscode.Disposable {
  private readonly store = new DisposableStore();

  protected register<T extends vscode.Disposable>(d: T): T {
    return this.store.add(d);
  }

  protected registerAll(...ds: vscode.Disposable[]): void {
    for (const d of ds) this.store.add(d);
  }

  protected get isDisposed(): boolean {
    return this.store.isDisposed;
  }

  dispose(): void {
    this.store.dispose();
  }
}

/** A function as a Disposable (runs once). */
export function toDisposable(fn: () => void): vscode.Disposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/** A timer as a Disposable. */
export function disposableTimeout(fn: () => void, ms: number): vscode.Disposable {
  const t = setTimeout(fn, ms);
  return toDisposable(() => clearTimeout(t));
}
