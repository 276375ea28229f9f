// The CDF error body (REFERENCE §1.6): usually an object, sometimes a plain string.
import { z } from 'zod';
import { jsonObject } from './common';

export const errorBody = z.looseObject({
  error: z.union([
    z.looseObject({
      code: z.number().optional(),
      message: z.string().optional(),
      missing: z.array(jsonObject).optional(),
      duplicated: z.array(jsonObject).optional(),
    }),
    z.string(),
  ]),
});
export type ErrorBody = z.output<typeof errorBody>;
