// Transformations, as far as the editor reads them: their ids and names (GET /transformations).
import * as z from 'zod/mini';
import { internalId } from './common';

export const transformation = z.looseObject({
  id: internalId,
  externalId: z.optional(z.nullable(z.string())),
  name: z.string(),
});
export type Transformation = z.output<typeof transformation>;
