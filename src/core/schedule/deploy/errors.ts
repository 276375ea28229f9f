// Errors of a schedule deploy that the client's own errors do not cover.
import { CdfError } from '../../errors';

/** The trigger function's build failed in CDF; it was removed with its code file. */
export class FunctionBuildError extends CdfError {
  readonly kind = 'function-build';
  constructor(
    readonly functionExternalId: string,
    readonly buildMessage: string,
    /** Tail of the build log from the function's `error.trace`, when CDF sent one. */
    readonly trace: string | undefined,
    readonly removed: boolean,
  ) {
    super(
      `The trigger function "${functionExternalId}" failed to build: ${buildMessage.trim()}` +
        (removed ? ' It was removed with its code file; run the wizard again once the cause is fixed.' : ' Removing it failed; the next deploy removes it.'),
    );
  }
}

/** The trigger function is still building when the wait timed out (or was cancelled): it is kept. */
export class FunctionNotReadyError extends CdfError {
  readonly kind = 'function-not-ready';
  constructor(
    readonly functionExternalId: string,
    readonly status: string,
    waitedMs: number,
  ) {
    super(
      `The trigger function "${functionExternalId}" is still ${status} after ${formatMinutes(waitedMs)}. It is kept: run the wizard ` +
        'again later and it continues with this function (raise cdfWorkflows.schedule.deployTimeoutMinutes to wait longer).',
    );
  }
}

function formatMinutes(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes >= 1) return `${Math.round(minutes * 10) / 10} minute${minutes === 1 ? '' : 's'}`;
  return `${Math.round(ms / 1000)} s`;
}

/**
 * The deploy would replace or delete something the schedule wizard did not make: a function under the
 * trigger function's external id, or the function of a schedule being edited. Raised before any change.
 */
export class NotOwnedError extends CdfError {
  readonly kind = 'not-owned';
  constructor(
    readonly resource: { readonly kind: 'function' | 'schedule'; readonly id: number; readonly name: string },
    message: string,
  ) {
    super(message);
  }
}
