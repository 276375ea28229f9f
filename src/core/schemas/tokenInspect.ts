// GET /api/v1/token/inspect: who the token is and what it may do (REFERENCE §1.1, §6).
import * as z from 'zod/mini';
import { jsonObject } from './common';

export const tokenInspection = z.looseObject({
  subject: z.string(),
  projects: z.array(z.looseObject({ projectUrlName: z.string(), groups: z.optional(z.array(z.number())) })),
  capabilities: z.array(jsonObject),
});
export type TokenInspection = z.output<typeof tokenInspection>;
