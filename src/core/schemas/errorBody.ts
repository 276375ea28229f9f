// The CDF error body (REFERENCE §1.6): usually an object, sometimes a plain string.
import * as z from 'zod/mini';
import { jsonObject } from './common';

export const errorBody = z.looseObject({
  error: z.union([
    z.looseObject({
      code: z.optional(z.number()),
      message: z.optional(z.string()),
      missing: z.optional(z.array(jsonObject)),
      duplicated: z.optional(z.array(jsonObject)),
    }),
    z.string(),
  ]),
});
export type ErrorBody = z.output<typeof errorBody>;
