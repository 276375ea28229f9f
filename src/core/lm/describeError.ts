// An error as one line a model can act on: our typed errors carry messages written for that; anything else
// is named as unexpected.
import { CdfError } from '../errors';

export function describeError(e: unknown): string {
  if (e instanceof CdfError) return e.message;
  return `Unexpected error: ${e instanceof Error ? e.message : String(e)}`;
}
