// Checks a request body against its schema before anything is sent, and path building.
import type * as z from 'zod/mini';
import { InputError } from '../errors';
import { describeIssues, schemaIssues } from '../schemas/common';

/** Parses `value` with `schema`; a mismatch is the caller's mistake, so it is an InputError naming the field. */
export function checkRequest<S extends z.ZodMiniType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InputError(`${what} is not valid: ${describeIssues(schemaIssues(result.error))}. Correct it and try again.`);
}

/** One path segment, percent-encoded like the Python SDK's quote(x, safe=""). */
export function segment(id: string | number): string {
  return encodeURIComponent(String(id)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface CallContext {
  readonly signal?: AbortSignal;
}
