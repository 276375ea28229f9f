// Wizards are prompt steps and execute steps over one typed context (the pattern of vscode-azuretools'
// AzureWizard): prompts can go Back, the step counter counts the prompts that will be shown, and execute
// steps run in order under one progress notification with cancellation.
import * as vscode from 'vscode';
import { CancelledError } from '../core/errors';
import { GoBackError, type UserInput, type StepInfo } from './ui';

export interface PromptStep<C> {
  /** Skip the step when the context already has what it asks (e.g. started from a tree node). */
  shouldPrompt?(context: C): boolean;
  prompt(context: C, ui: UserInput, step: StepInfo): Promise<void>;
}

export interface ExecuteStep<C> {
  /** Shown in the progress notification, and named in the error when the step fails. */
  readonly title: string;
  shouldExecute?(context: C): boolean;
  execute(context: C, progress: (message: string) => void, signal: AbortSignal): Promise<void>;
}

/** An execute step failed: the message names the step; the cause keeps the typed error. */
export class WizardStepError extends Error {
  constructor(readonly step: string, override readonly cause: unknown) {
    super(`${step} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export interface WizardOptions<C> {
  title: string;
  prompts: PromptStep<C>[];
  executes?: ExecuteStep<C>[];
}

export async function runWizard<C>(ui: UserInput, context: C, options: WizardOptions<C>): Promise<C> {
  await runPrompts(ui, context, options);
  if (options.executes?.length) await runExecutes(context, options.title, options.executes);
  return context;
}

export async function runPrompts<C>(ui: UserInput, context: C, options: WizardOptions<C>): Promise<void> {
  const shown: number[] = []; // indexes of prompt steps shown, for Back
  let i = 0;
  while (i < options.prompts.length) {
    const step = options.prompts[i];
    if (step.shouldPrompt && !step.shouldPrompt(context)) { i++; continue; }
    const remaining = options.prompts.slice(i + 1).filter(s => !s.shouldPrompt || s.shouldPrompt(context)).length;
    try {
      await step.prompt(context, ui, { title: options.title, step: shown.length + 1, totalSteps: shown.length + 1 + remaining, canGoBack: shown.length > 0 });
      shown.push(i);
      i++;
    } catch (e) {
      if (!(e instanceof GoBackError)) throw e;
      const previous = shown.pop();
      if (previous === undefined) throw new CancelledError();
      i = previous;
    }
  }
}

export async function runExecutes<C>(context: C, title: string, steps: ExecuteStep<C>[]): Promise<void> {
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      for (const step of steps) {
        if (step.shouldExecute && !step.shouldExecute(context)) continue;
        if (abort.signal.aborted) throw new CancelledError();
        progress.report({ message: step.title });
        try {
          await step.execute(context, m => progress.report({ message: `${step.title}: ${m}` }), abort.signal);
        } catch (e) {
          if (e instanceof CancelledError || abort.signal.aborted) throw new CancelledError();
          throw new WizardStepError(step.title, e);
        }
      }
    } finally {
      sub.dispose();
    }
  });
}
