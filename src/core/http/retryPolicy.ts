// When and how long to wait before resending a request: full-jitter exponential backoff that honours
// Retry-After, bounded by a number of retries and by the total time spent on one call.

export interface RetryPolicy {
  /** Resends after the first attempt; 0 disables retries. */
  readonly maxRetries: number;
  /** Backoff ceiling for retry n is min(maxDelayMs, baseDelayMs * 2^n); the wait is uniform below it. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** No retry starts when the call has been running this long, or would pass it while waiting. */
  readonly maxElapsedMs: number;
  /** Source of jitter in [0, 1); injectable so tests can pin delays. */
  readonly random?: () => number;
}

/** Close to the Python SDK's policy (REFERENCE §1.8), with fewer retries so the editor answers sooner. */
export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxElapsedMs: 120_000,
};

export function retryPolicy(overrides?: Partial<RetryPolicy>): RetryPolicy {
  const policy = { ...defaultRetryPolicy, ...overrides };
  for (const key of ['maxRetries', 'baseDelayMs', 'maxDelayMs', 'maxElapsedMs'] as const) {
    const value = policy[key];
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`Retry policy ${key} must be a number >= 0, got ${String(value)}.`);
    }
  }
  return policy;
}

/** The full-jitter delay before retry number `retry` (0 for the first resend), ignoring Retry-After. */
export function backoffDelayMs(policy: RetryPolicy, retry: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor((policy.random ?? Math.random)() * ceiling);
}

/**
 * How long to wait before retry number `retry`, or undefined when the policy says stop: retries used
 * up, or the wait would end past the total time bound. A server's Retry-After replaces the jitter
 * (it knows when capacity comes back), still within the total time bound.
 */
export function nextRetryDelayMs(
  policy: RetryPolicy,
  state: { retry: number; elapsedMs: number; retryAfterMs?: number },
): number | undefined {
  if (state.retry >= policy.maxRetries) return undefined;
  const delay = state.retryAfterMs ?? backoffDelayMs(policy, state.retry);
  if (state.elapsedMs + delay > policy.maxElapsedMs) return undefined;
  return delay;
}

/** Parses a Retry-After header (delta seconds or an HTTP date) into milliseconds from `nowMs`. */
export function parseRetryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
