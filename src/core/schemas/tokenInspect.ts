// GET /api/v1/token/inspect: who the token is and what it may do (REFERENCE §1.1, §6).
import { z } from 'zod';
import { jsonObject } from './common';

export const tokenInspection = z.looseObject({
  subject: z.string(),
  projects: z.array(z.looseObject({ projectUrlName: z.string(), groups: z.array(z.number()).optional() })),
  capabilities: z.array(jsonObject),
});
export type TokenInspection = z.output<typeof tokenInspection>;
