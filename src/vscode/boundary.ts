// The one error and cancel boundary around every command: cancellation is silent, a typed CdfError becomes
// a one-line message with "Show Log", anything else is logged with its stack. Decisions use the error's
// type, never its text.
import * as vscode from 'vscode';
import { CdfError, CancelledError } from '../core/errors';
import type { UserInput } from './ui';
import { WizardStepError } from './wizard';

export interface BoundaryDeps {
  log: vscode.LogOutputChannel;
  ui: () => UserInput;
}

export type CommandHandler = (...args: unknown[]) => unknown;

/** What a failure looks like to the user: a one-line message, and the log gets the rest. */
export function describeError(e: unknown): { message: string; cancelled: boolean; expected: boolean } {
  const inner = e instanceof WizardStepError ? e.cause : e;
  if (inner instanceof CancelledError) return { message: inner.message, cancelled: true, expected: true };
  if (e instanceof WizardStepError) return { message: e.message, cancelled: false, expected: inner instanceof CdfError };
  if (e instanceof CdfError) return { message: e.message, cancelled: false, expected: true };
  const message = e instanceof Error ? e.message : String(e);
  return { message: `Unexpected error: ${message}`, cancelled: false, expected: false };
}

export async function withBoundary<T>(id: string, deps: BoundaryDeps, fn: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    const d = describeError(e);
    if (d.cancelled) {
      deps.log.debug(`${id}: cancelled`);
      return undefined;
    }
    if (d.expected) deps.log.error(`${id}: ${d.message}`);
    else deps.log.error(`${id}: ${d.message}\n${stackOf(e)}`);
    void deps.ui().ask('error', d.message, {}, 'Show Log').then(choice => {
      if (choice === 'Show Log') deps.log.show(true);
    });
    return undefined;
  }
}

/** The stack that explains an unexpected error: a wizard step's cause, not the wrapper made around it. */
export function stackOf(e: unknown): string {
  const inner = e instanceof WizardStepError ? e.cause : e;
  if (inner instanceof Error) return inner.stack ?? `${inner.name}: ${inner.message}`;
  return String(inner);
}

/** Registers every command of a record, each wrapped in the boundary. */
export function registerCommands(commands: Record<string, CommandHandler>, deps: BoundaryDeps): vscode.Disposable[] {
  return Object.entries(commands).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => withBoundary(id, deps, () => handler(...args))),
  );
}
