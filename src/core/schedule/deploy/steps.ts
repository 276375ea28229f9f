// A deploy is a list of steps run in order; each step names itself, so a failure says where it happened.
// The shape matches the VS Code wizard's execute steps, which run these same objects under one progress
// notification; runDeploySteps runs them without an editor (tests, scripts).
import { CancelledError, CdfError } from '../../errors';

export interface DeployStep {
  /** Imperative and short ("Upload the function code"): shown as progress and named in errors. */
  readonly title: string;
  /** Asked right before the step would run, after the earlier steps. */
  shouldExecute?(): boolean;
  execute(progress: (message: string) => void, signal: AbortSignal): Promise<void>;
}

/** A deploy step failed: the message names the step; `cause` keeps the typed error. */
export class DeployStepError extends CdfError {
  readonly kind = 'deploy-step';
  constructor(
    readonly step: string,
    override readonly cause: unknown,
  ) {
    super(`${step} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Runs the steps in order; DeployStepError names the failing one; cancellation stays CancelledError. */
export async function runDeploySteps(
  steps: readonly DeployStep[],
  options: { signal?: AbortSignal; onStep?: (title: string) => void; onProgress?: (message: string) => void } = {},
): Promise<void> {
  const signal = options.signal ?? new AbortController().signal;
  for (const step of steps) {
    if (step.shouldExecute && !step.shouldExecute()) continue;
    if (signal.aborted) throw new CancelledError();
    options.onStep?.(step.title);
    try {
      await step.execute((m) => options.onProgress?.(`${step.title}: ${m}`), signal);
    } catch (error) {
      if (error instanceof CancelledError || signal.aborted) throw new CancelledError();
      throw new DeployStepError(step.title, error);
    }
  }
}
