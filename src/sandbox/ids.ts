// Identifiers the sandbox hands out: CDF-style internal ids, UUIDs, nonces and opaque cursors.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { ApiError } from './api-error';

/** A 16-digit positive int64 that fits a JS number, like the ids CDF returns. */
export function newInternalId(): number {
  // randomInt spans at most 2^48, so build the 16 digits from two draws.
  return 1_000_000_000_000_000 + randomInt(0, 8_000_000) * 1_000_000_000 + randomInt(0, 1_000_000_000);
}

export function newUuid(): string {
  const id = randomUUID();
  // Node builds the string from many small pieces (~490 bytes on the heap); reading a character flattens
  // it in place (~65 bytes), which matters with 100,000 stored executions.
  id.charCodeAt(0);
  return id;
}

export const newSecretToken = (bytes = 24): string => randomBytes(bytes).toString('base64url');

/**
 * Cursors are opaque to clients: base64url of a small JSON position, tagged with the list they belong to
 * so a cursor from one endpoint (or from a request with other filters) is refused, not misread.
 */
export function encodeCursor(list: string, position: unknown): string {
  return Buffer.from(JSON.stringify({ l: list, p: position }), 'utf8').toString('base64url');
}

export function decodeCursor<T>(list: string, cursor: string): T {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { l?: unknown; p?: unknown };
    if (parsed && typeof parsed === 'object' && parsed.l === list && parsed.p !== undefined) return parsed.p as T;
  } catch {
    // fall through to the error below
  }
  throw new ApiError(400, 'cursor: invalid cursor. Pass back the nextCursor of the previous page unchanged, with the same filter.');
}
