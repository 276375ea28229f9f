// After a run request failed ambiguously (connection lost after sending, 5xx, timeout), find out whether
// the execution exists before anyone retries. Each run carries a unique run id in its metadata; we look
// for it with executions/list (workflow + version + createdTime window) until the nonce that request
// carried can no longer start an execution. Found: that is the result. Not found: OutcomeUnknownError.
import { CancelledError, OutcomeUnknownError } from '../errors';
import { sleep } from '../http/abort';
import { type Logger } from '../log';
import { type Execution } from '../schemas/executions';
import { type Page } from '../schemas/common';

/** Metadata key holding the client's run id (counts toward the 10-entry metadata limit). */
export const RUN_ID_METADATA_KEY = 'cdf-workflows-run-id';

export interface RunReconcilePolicy {
  /**
   * How long after its session was created a nonce can still start an execution (REFERENCE §3: about a
   * minute). Until then a request the client gave up on may still be processed, so the client keeps looking.
   */
  readonly nonceLifetimeMs: number;
  /** Added to the nonce lifetime for clock and network slack. */
  readonly marginMs: number;
  /** First wait between lookups; doubles up to maxPollIntervalMs. */
  readonly pollIntervalMs: number;
  readonly maxPollIntervalMs: number;
  /** The createdTime window starts this long before the request, for clock skew between us and CDF. */
  readonly clockSkewMs: number;
}

export const defaultRunReconcilePolicy: RunReconcilePolicy = {
  nonceLifetimeMs: 60_000,
  marginMs: 5_000,
  pollIntervalMs: 250,
  maxPollIntervalMs: 5_000,
  clockSkewMs: 10 * 60_000,
};

export interface ReconcileRequest {
  readonly workflowExternalId: string;
  readonly version: string;
  readonly runId: string;
  /** Earliest time (server clock if known) the execution can have been created. */
  readonly notBefore: number;
  /** Local time after which the run request can no longer start an execution. */
  readonly deadline: number;
  readonly cause: Error;
  readonly signal?: AbortSignal;
}

export type ExecutionPageFetcher = (
  filter: { workflowFilters: { externalId: string; version: string }[]; createdTimeStart: number },
  cursor: string | undefined,
  signal: AbortSignal | undefined,
) => Promise<Page<Execution>>;

export async function reconcileRun(
  request: ReconcileRequest,
  policy: RunReconcilePolicy,
  listPage: ExecutionPageFetcher,
  log: Logger,
): Promise<Execution> {
  const subject = `Run of ${request.workflowExternalId} version ${request.version}`;
  const filter = {
    workflowFilters: [{ externalId: request.workflowExternalId, version: request.version }],
    createdTimeStart: Math.max(0, request.notBefore - policy.clockSkewMs),
  };
  log.info(`${subject}: outcome unknown (${request.cause.message.split('. ')[0]}); looking for run id ${request.runId}`);
  let interval = policy.pollIntervalMs;
  for (let lookups = 1; ; lookups++) {
    const lastLookup = Date.now() >= request.deadline;
    let found: Execution | undefined;
    try {
      found = await findRun(listPage, filter, request.runId, request.signal);
    } catch (error) {
      if (error instanceof CancelledError) throw unverified(subject, request, 'the check was cancelled');
      throw unverified(subject, request, `checking for it failed (${error instanceof Error ? error.message : String(error)})`);
    }
    if (found) {
      log.info(`${subject}: found execution ${found.id} for run id ${request.runId} after ${lookups} lookup${lookups === 1 ? '' : 's'}`);
      return found;
    }
    if (lastLookup) {
      return Promise.reject(
        new OutcomeUnknownError(
          `${subject} did not confirm: ${request.cause.message.split('. ')[0]}. No execution with run id ${request.runId} ` +
            'appeared while its nonce could still start one, so it most likely did not start. Check the executions list, then run it again if it is not there.',
          subject,
          true,
          request.runId,
          { cause: request.cause },
        ),
      );
    }
    try {
      await sleep(Math.max(0, Math.min(interval, request.deadline - Date.now())), request.signal);
    } catch {
      throw unverified(subject, request, 'the check was cancelled');
    }
    interval = Math.min(interval * 2, policy.maxPollIntervalMs);
  }
}

async function findRun(
  listPage: ExecutionPageFetcher,
  filter: Parameters<ExecutionPageFetcher>[0],
  runId: string,
  signal: AbortSignal | undefined,
): Promise<Execution | undefined> {
  let cursor: string | undefined;
  do {
    const page = await listPage(filter, cursor, signal);
    const match = page.items.find((e) => e.metadata[RUN_ID_METADATA_KEY] === runId);
    if (match) return match;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return undefined;
}

function unverified(subject: string, request: ReconcileRequest, why: string): OutcomeUnknownError {
  return new OutcomeUnknownError(
    `${subject} may or may not have started: ${request.cause.message.split('. ')[0]}, and ${why}. ` +
      `It was not sent again. Look for an execution with metadata ${RUN_ID_METADATA_KEY}=${request.runId} before running it again.`,
    subject,
    false,
    request.runId,
    { cause: request.cause },
  );
}
