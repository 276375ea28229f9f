// Function schedules (REFERENCE §4.4): no update endpoint, delete and re-create.
import * as z from 'zod/mini';
import { epochMs, internalId, jsonObject } from './common';

export const functionSchedule = z.looseObject({
  id: internalId,
  name: z.string(),
  createdTime: epochMs,
  cronExpression: z.string(),
  when: z.nullish(z.string()),
  functionId: z.nullish(internalId),
  functionExternalId: z.nullish(z.string()),
  // A string in the spec; accepted as a number too.
  sessionId: z.nullish(z.union([z.string(), z.number()])),
  description: z.nullish(z.string()),
});
export type FunctionSchedule = z.output<typeof functionSchedule>;

export const functionScheduleCreate = z.looseObject({
  name: z.string().check(z.minLength(1), z.maxLength(140)),
  cronExpression: z.string().check(z.minLength(1), z.maxLength(1024)),
  functionId: internalId,
  description: z.optional(z.string().check(z.maxLength(500))),
  data: z.optional(jsonObject),
});
export type FunctionScheduleCreate = z.input<typeof functionScheduleCreate>;

/** GET /functions/schedules/{id}/input_data: the data the schedule passes to its function (absent when none). */
export const functionScheduleInputData = z.looseObject({
  id: internalId,
  data: z.nullish(jsonObject),
});
export type FunctionScheduleInputData = z.output<typeof functionScheduleInputData>;

export interface FunctionScheduleFilter {
  name?: string;
  functionId?: number;
  functionExternalId?: string;
  createdTime?: { min?: number; max?: number };
  cronExpression?: string;
}
