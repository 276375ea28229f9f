// Function schedules (REFERENCE §4.4): no update endpoint, delete and re-create.
import { z } from 'zod';
import { epochMs, internalId, jsonObject } from './common';

export const functionSchedule = z.looseObject({
  id: internalId,
  name: z.string(),
  createdTime: epochMs,
  cronExpression: z.string(),
  when: z.string().nullish(),
  functionId: internalId.nullish(),
  functionExternalId: z.string().nullish(),
  // A string in the spec; accepted as a number too.
  sessionId: z.union([z.string(), z.number()]).nullish(),
  description: z.string().nullish(),
});
export type FunctionSchedule = z.output<typeof functionSchedule>;

export const functionScheduleCreate = z.looseObject({
  name: z.string().min(1).max(140),
  cronExpression: z.string().min(1).max(1024),
  functionId: internalId,
  description: z.string().max(500).optional(),
  data: jsonObject.optional(),
});
export type FunctionScheduleCreate = z.input<typeof functionScheduleCreate>;

/** GET /functions/schedules/{id}/input_data: the data the schedule passes to its function (absent when none). */
export const functionScheduleInputData = z.looseObject({
  id: internalId,
  data: jsonObject.nullish(),
});
export type FunctionScheduleInputData = z.output<typeof functionScheduleInputData>;

export interface FunctionScheduleFilter {
  name?: string;
  functionId?: number;
  functionExternalId?: string;
  createdTime?: { min?: number; max?: number };
  cronExpression?: string;
}
