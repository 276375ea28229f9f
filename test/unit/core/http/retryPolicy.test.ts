import assert from 'node:assert/strict';
import { backoffDelayMs, defaultRetryPolicy, nextRetryDelayMs, parseRetryAfterMs, retryPolicy } from '../../../../src/core/http/retryPolicy';
import '../support/secretScan';

describe('core/http retry policy', () => {
  const policy = retryPolicy({ maxRetries: 4, baseDelayMs: 100, maxDelayMs: 1_000, maxElapsedMs: 5_000, random: () => 0.999999 });

  it('grows the backoff ceiling exponentially and caps it at maxDelayMs', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((n) => backoffDelayMs(policy, n)), [99, 199, 399, 799, 999, 999]);
  });

  it('draws the full-jitter delay uniformly below the ceiling', () => {
    assert.equal(backoffDelayMs({ ...policy, random: () => 0 }, 3), 0);
    assert.equal(backoffDelayMs({ ...policy, random: () => 0.5 }, 3), 400);
  });

  it('stops after maxRetries', () => {
    assert.equal(nextRetryDelayMs(policy, { retry: 3, elapsedMs: 0 }), 799);
    assert.equal(nextRetryDelayMs(policy, { retry: 4, elapsedMs: 0 }), undefined);
  });

  it('stops when the wait would end past the total time bound', () => {
    assert.equal(nextRetryDelayMs(policy, { retry: 2, elapsedMs: 4_600 }), 399);
    assert.equal(nextRetryDelayMs(policy, { retry: 2, elapsedMs: 4_700 }), undefined);
  });

  it('waits what Retry-After says instead of the jitter, still inside the total bound', () => {
    assert.equal(nextRetryDelayMs(policy, { retry: 0, elapsedMs: 0, retryAfterMs: 2_000 }), 2_000);
    assert.equal(nextRetryDelayMs(policy, { retry: 0, elapsedMs: 0, retryAfterMs: 6_000 }), undefined);
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfterMs('3', now), 3_000);
    assert.equal(parseRetryAfterMs('0.5', now), 500);
    assert.equal(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:07 GMT', now), 7_000);
    assert.equal(parseRetryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
    assert.equal(parseRetryAfterMs('soon', now), undefined);
    assert.equal(parseRetryAfterMs(undefined, now), undefined);
  });

  it('refuses a negative or non-numeric setting with the name of the setting', () => {
    assert.throws(() => retryPolicy({ maxRetries: -1 }), /maxRetries must be a number >= 0/);
    assert.throws(() => retryPolicy({ baseDelayMs: Number.NaN }), /baseDelayMs/);
  });

  it('defaults to bounded retries close to the Python SDK', () => {
    assert.equal(defaultRetryPolicy.maxRetries, 5);
    assert.ok(defaultRetryPolicy.maxElapsedMs <= 120_000);
  });
});
