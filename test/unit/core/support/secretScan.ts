// Collects every log line and error message the core suites produce, and checks at the very end of the
// run that none of them contains a secret or token used in the tests. Imported by every core suite.
import assert from 'node:assert/strict';
import { type Logger } from '../../../../src/core/log';

const lines: string[] = [];
const secrets = new Set<string>();

/** A Logger that records every line (all levels) for the scan, and keeps them for assertions. */
export class CapturingLogger implements Logger {
  readonly lines: { level: string; message: string }[] = [];
  private add(level: string, message: string): void {
    this.lines.push({ level, message });
    lines.push(message);
  }
  trace(m: string): void {
    this.add('trace', m);
  }
  debug(m: string): void {
    this.add('debug', m);
  }
  info(m: string): void {
    this.add('info', m);
  }
  warn(m: string): void {
    this.add('warn', m);
  }
  error(m: string): void {
    this.add('error', m);
  }
  matching(pattern: RegExp): { level: string; message: string }[] {
    return this.lines.filter((l) => pattern.test(l.message));
  }
}

/** Remembers a value that must never appear in a log line or an error message. */
export function rememberSecret(value: string | undefined): void {
  if (value && value.length >= 6) secrets.add(value);
}

/** Records an error's message (and its causes') for the scan; returns the error for chaining. */
export function scanned<E>(error: E): E {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) lines.push(e.message);
  return error;
}

/** Runs `fn`, expecting it to reject; records the error for the scan and returns it. */
export async function rejection(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    assert.ok(error instanceof Error, 'expected an Error');
    return scanned(error);
  }
  assert.fail('expected a rejection');
}

export function findLeaks(texts: readonly string[], values: Iterable<string>): string[] {
  const leaks: string[] = [];
  for (const value of values) {
    for (const text of texts) {
      if (text.includes(value)) leaks.push(`${value.slice(0, 4)}… in: ${text.slice(0, 160)}`);
    }
  }
  return leaks;
}

export const scanState = { lines, secrets };

// Root hook: runs once after every suite of the run.
after(function secretScan() {
  const leaks = findLeaks(lines, secrets);
  assert.deepEqual(leaks, [], `secrets or tokens appeared in ${leaks.length} log lines or error messages`);
  assert.ok(lines.length > 0 || secrets.size === 0, 'the scan saw no text at all');
});
