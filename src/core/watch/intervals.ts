// What both watchers share: the clock (injectable, so tests advance time instead of waiting), the
// interval settings with their backoff, and jitter.
import { InputError } from '../errors';

/** Injectable clock, so tests advance time instead of waiting. */
export interface WatcherTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export interface WatchIntervals {
  /** First interval, and the interval after anything changed. */
  readonly minIntervalMs: number;
  readonly maxIntervalMs: number;
  /** How much the interval grows after a poll that changed nothing (or failed). */
  readonly backoffFactor: number;
}

export const DEFAULT_WATCH_INTERVALS: WatchIntervals = { minIntervalMs: 2000, maxIntervalMs: 30000, backoffFactor: 1.5 };

export const realTimers: WatcherTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

/**
 * A wait of `ms` stretched by up to `ratio` at random, so loops started together (a page of running
 * executions, several versions shown at once) drift apart instead of polling in step. Only ever longer:
 * the minimum interval setting stays the shortest gap between two reads.
 */
export function jittered(ms: number, ratio: number, random: () => number = Math.random): number {
  return ratio > 0 ? Math.round(ms * (1 + ratio * random())) : ms;
}

export function definedOnly(intervals: Partial<WatchIntervals>): Partial<WatchIntervals> {
  const result: { -readonly [K in keyof WatchIntervals]?: number } = {};
  if (intervals.minIntervalMs !== undefined) result.minIntervalMs = intervals.minIntervalMs;
  if (intervals.maxIntervalMs !== undefined) result.maxIntervalMs = intervals.maxIntervalMs;
  if (intervals.backoffFactor !== undefined) result.backoffFactor = intervals.backoffFactor;
  return result;
}

export function checkIntervals(intervals: WatchIntervals): WatchIntervals {
  const { minIntervalMs, maxIntervalMs, backoffFactor } = intervals;
  if (!Number.isFinite(minIntervalMs) || minIntervalMs <= 0) throw new InputError(`The minimum polling interval must be a positive number of milliseconds, not ${minIntervalMs}.`);
  if (!Number.isFinite(maxIntervalMs) || maxIntervalMs < minIntervalMs) {
    throw new InputError(`The maximum polling interval (${maxIntervalMs} ms) must be at least the minimum (${minIntervalMs} ms).`);
  }
  if (!Number.isFinite(backoffFactor) || backoffFactor < 1) throw new InputError(`The polling backoff factor must be at least 1, not ${backoffFactor}.`);
  return { minIntervalMs, maxIntervalMs, backoffFactor };
}
