// Request validation with zod, answered the way CDF does: 400 and a message that names the field
// ("items[0].workflowDefinition.tasks[0].retries: must be less than or equal to 10").
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { ApiError } from './api-error';

// zod/mini carries no messages of its own; the issues this module does not word itself (refinements
// without a message, record keys) read as zod's English texts, as they always have.
z.config(en());

type Issue = z.core.$ZodIssue;

/** Throws a 400 whose message names the field at `path`. */
export function fieldError(path: ReadonlyArray<PropertyKey>, message: string): ApiError {
  const p = formatPath(path);
  return new ApiError(400, p ? `${p}: ${message}` : message);
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number' && !Number.isInteger(v)) return 'a decimal number';
  return `a ${typeof v}`;
}

const expectedNames: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  record: 'an object',
};

function issueMessage(issue: Issue, root: unknown): string {
  const path = issue.path ?? [];
  switch (issue.code) {
    case 'invalid_type': {
      const actual = valueAt(root, path);
      if (actual === undefined) return 'is required';
      return `must be ${expectedNames[issue.expected] ?? issue.expected}, not ${describeType(actual)}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `must be at most ${max} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at most ${max} items`;
      if (issue.origin === 'object' || issue.origin === 'record') return `must have at most ${max} entries`;
      return issue.inclusive === false ? `must be less than ${max}` : `must be less than or equal to ${max}`;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? 'must not be empty' : `must be at least ${min} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at least ${min} item${min === 1 ? '' : 's'}`;
      return issue.inclusive === false ? `must be greater than ${min}` : `must be greater than or equal to ${min}`;
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unrecognized field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    case 'invalid_format':
      return `has an invalid format (${issue.format})`;
    case 'invalid_union':
      return issue.message && !issue.message.startsWith('Invalid input') ? issue.message : 'does not match any allowed shape';
    case 'custom':
      return issue.message;
    default:
      return issue.message;
  }
}

/** Parses `value` with `schema` or throws a 400 ApiError naming the first offending field. */
export function parseBody<T extends z.ZodMiniType>(schema: T, value: unknown, prefix: ReadonlyArray<PropertyKey> = []): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = formatPath([...prefix, ...(issue?.path ?? [])]);
  const message = issue ? issueMessage(issue, value) : 'invalid request body';
  throw new ApiError(400, path ? `${path}: ${message}` : `Request body ${message}`);
}

/** Serialized JSON size in bytes (CDF's "100 KB" limits are on the serialized form). */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

// Shared field rules (REFERENCE §1.9).
export const externalIdField = z.string().check(
  z.maxLength(255),
  z.minLength(1),
  z.refine((s) => s.trim() === s, { message: 'must not have leading or trailing whitespace' }),
  z.refine((s) => !s.includes('\u0000'), { message: 'must not contain null characters' }),
);

export const internalId = z.int().check(z.minimum(1), z.maximum(Number.MAX_SAFE_INTEGER));

/** Execution and trigger metadata: ≤ 10 entries, key ≤ 32, value ≤ 255. */
export const executionMetadata = z
  .record(z.string().check(z.maxLength(32)), z.string().check(z.maxLength(255)))
  .check(z.refine((m) => Object.keys(m).length <= 10, { message: 'must have at most 10 entries' }));

export const limitField = z.int().check(z.minimum(1), z.maximum(1000));

/** A JSON object no larger than `maxBytes` serialized. */
export const boundedObject = (maxBytes: number, what = 'must be at most'): z.ZodMiniType<Record<string, unknown>> =>
  z.record(z.string(), z.unknown()).check(
    z.refine((o) => jsonBytes(o) <= maxBytes, { message: `${what} ${Math.round(maxBytes / 1000)} KB when serialized as JSON` }),
  );

/** Reads a boolean query parameter ("true"/"false"), or the default when absent. */
export function queryBool(params: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = params.get(name);
  if (raw === null) return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new ApiError(400, `${name}: must be true or false`);
}

/** Reads an integer query parameter within bounds, or the default when absent. */
export function queryInt(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = params.get(name);
  if (raw === null) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ApiError(400, `${name}: must be an integer`);
  const n = Number(raw);
  if (n < min) throw new ApiError(400, `${name}: must be greater than or equal to ${min}`);
  if (n > max) throw new ApiError(400, `${name}: must be less than or equal to ${max}`);
  return n;
}
