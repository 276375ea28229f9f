// Checks a request body against its schema before anything is sent, path building, and the list shape
// shared by endpoints without cursors.
import type * as z from 'zod/mini';
import { InputError } from '../errors';
import { type CdfHttp } from '../http/cdfHttp';
import { encodePathSegment } from '../http/urls';
import { describeIssues, itemsOf, schemaIssues } from '../schemas/common';

/** Parses `value` with `schema`; a mismatch is the caller's mistake, so it is an InputError naming the field. */
export function checkRequest<S extends z.ZodMiniType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InputError(`${what} is not valid: ${describeIssues(schemaIssues(result.error))}. Correct it and try again.`);
}

/** One path segment, percent-encoded like the Python SDK's quote(x, safe=""); InputError when it has no encoding. */
export function segment(id: string | number): string {
  return encodePathSegment(id);
}

export interface CallContext {
  readonly signal?: AbortSignal;
}

/**
 * Lists of endpoints without a cursor (functions, function schedules): `GET <path>` for everything, or
 * `POST <path>/list` with the filter. Both answer `{ items }`; the POST only reads, so it is resent freely.
 */
export async function listWithoutCursor<S extends z.ZodMiniType>(
  http: CdfHttp,
  path: string,
  item: S,
  capability: string,
  options: CallContext & { filter?: unknown; limit?: number },
): Promise<z.output<S>[]> {
  const schema = itemsOf(item);
  const answer = options.filter
    ? await http.post(`${path}/list`, { schema, body: { filter: options.filter, limit: options.limit }, idempotent: true, capability, signal: options.signal })
    : await http.get(path, { schema, query: { limit: options.limit }, capability, signal: options.signal });
  return answer.items;
}
