// The checks and summaries behind the language-model tools that change something (run, cancel, retry,
// complete a task): the same input checks as the run command, before anything is sent, and the short
// descriptions of what will be sent that the confirmations show.
import { createHash } from 'node:crypto';
import { InputError } from '../errors';
import { parseRunInput, type RunInput } from '../run';
import { clip } from './budget';

/** An inline input: a JSON object, or a string holding one (checked with line and column like a file). */
export function inlineRunInput(value: unknown, what = 'input'): RunInput {
  if (typeof value === 'string') return relabel(() => parseRunInput(value), what);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`The ${what} must be a JSON object such as {"key": "value"}, not ${Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`}.`);
  }
  // The same checks as a file's text: the object as it will be sent.
  return relabel(() => parseRunInput(JSON.stringify(value)), what);
}

function relabel(parse: () => RunInput, what: string): RunInput {
  if (what === 'input') return parse();
  try {
    return parse();
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.message.replace(/^The run input/, `The ${what}`), e.location);
    throw e;
  }
}

/** `{"runDate":"2026-05-01", ...}`: the start of the input as sent. */
export function inputPreview(input: Record<string, unknown>, maxChars = 600): string {
  return clip(JSON.stringify(input, null, 2), maxChars);
}

/** A stable digest of what a call will send: a confirmation covers exactly this. */
export function fingerprint(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** The same key whatever the order of an object's keys (a tool's input as the model wrote it). */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]));
    return v;
  };
  return JSON.stringify(sort(value)) ?? 'undefined';
}
