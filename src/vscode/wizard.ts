// Wizards are prompt steps and execute steps over one typed context (the pattern of vscode-azuretools'
// AzureWizard): prompts can go Back, the step counter counts the prompts that will be shown, and execute
// steps run in order under one progress notification with cancellation.
import * as vscode from 'vscode';
import { CancelledError } from '../core/errors';
import { GoBackError, type UserInput, type StepInfo } from './ui';

export interface PromptStep<C> {
  /**
   * Steps with the same group count as one step of the counter (a pick and the box it may lead to), so
   * the total does not grow as answers open sub-steps.
   */
  readonly group?: string;
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
  /**
   * Index of the prompt to start at, with the answers in the context kept (reopening a wizard at the step
   * that failed); the prompts before it that apply count as answered, so Back walks through them.
   */
  startAt?: number;
}

export async function runWizard<C>(ui: UserInput, context: C, options: WizardOptions<C>): Promise<C> {
  await runPrompts(ui, context, options);
  if (options.executes?.length) await runExecutes(context, options.title, options.executes);
  return context;
}

export async function runPrompts<C>(ui: UserInput, context: C, options: WizardOptions<C>): Promise<void> {
  const prompts = options.prompts;
  const applies = (j: number) => {
    const step = prompts[j];
    return !step.shouldPrompt || step.shouldPrompt(context);
  };
  const groupOf = (j: number) => prompts[j].group ?? `#${j}`;
  const start = Math.min(Math.max(options.startAt ?? 0, 0), prompts.length);
  // Indexes of prompt steps shown (or, before startAt, answered), for Back and the counter.
  const shown: number[] = [];
  for (let j = 0; j < start; j++) if (applies(j)) shown.push(j);
  let i = start;
  while (i < prompts.length) {
    const step = prompts[i];
    if (!applies(i)) { i++; continue; }
    const before = new Set(shown.map(groupOf));
    const remaining = prompts.map((_, j) => j).filter(j => j > i && applies(j)).map(groupOf);
    const number = new Set([...before, groupOf(i)]).size;
    const total = new Set([...before, groupOf(i), ...remaining]).size;
    try {
      await step.prompt(context, ui, { title: options.title, step: number, totalSteps: total, canGoBack: shown.length > 0 });
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
