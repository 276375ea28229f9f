// Cognite Functions, their calls and limits (REFERENCE §4.2, §4.3, §4.5).
import * as z from 'zod/mini';
import { epochMs, internalId, stringMap } from './common';
import { knownOr } from './tasks';

export const FUNCTION_STATUSES = ['Queued', 'Deploying', 'Ready', 'Failed'] as const;
export const FUNCTION_CALL_STATUSES = ['Running', 'Completed', 'Failed', 'Timeout'] as const;

const functionError = z.looseObject({ message: z.string(), trace: z.nullish(z.string()) });

export const cdfFunction = z.looseObject({
  id: internalId,
  name: z.string(),
  externalId: z.nullish(z.string()),
  description: z.nullish(z.string()),
  owner: z.nullish(z.string()),
  fileId: internalId,
  functionPath: z.nullish(z.string()),
  status: knownOr(FUNCTION_STATUSES),
  createdTime: epochMs,
  runtime: z.nullish(z.string()),
  runtimeVersion: z.nullish(z.string()),
  secrets: z.nullish(stringMap),
  envVars: z.nullish(stringMap),
  metadata: z.nullish(stringMap),
  cpu: z.nullish(z.number()),
  memory: z.nullish(z.number()),
  error: z.nullish(functionError),
  lastCalled: z.nullish(epochMs),
});
export type CdfFunction = z.output<typeof cdfFunction>;

export const functionCreate = z.looseObject({
  name: z.string().check(z.minLength(1), z.maxLength(140)),
  fileId: internalId,
  externalId: z.optional(z.string().check(z.maxLength(255))),
  description: z.optional(z.string().check(z.maxLength(500))),
  owner: z.optional(z.string().check(z.maxLength(128))),
  functionPath: z.optional(z.string().check(z.maxLength(500))),
  secrets: z.optional(stringMap),
  envVars: z.optional(stringMap),
  cpu: z.optional(z.number()),
  memory: z.optional(z.number()),
  runtime: z.optional(z.string()),
  metadata: z.optional(stringMap),
  indexUrl: z.optional(z.string()),
  extraIndexUrls: z.optional(z.array(z.string())),
});
export type FunctionCreate = z.input<typeof functionCreate>;

export const functionCall = z.looseObject({
  id: internalId,
  functionId: internalId,
  status: knownOr(FUNCTION_CALL_STATUSES),
  startTime: epochMs,
  endTime: z.nullish(epochMs),
  error: z.nullish(functionError),
  scheduleId: z.nullish(internalId),
  scheduledTime: z.nullish(epochMs),
});
export type FunctionCall = z.output<typeof functionCall>;

export const functionCallLogEntry = z.looseObject({ timestamp: z.nullish(epochMs), message: z.string() });
export type FunctionCallLogEntry = z.output<typeof functionCallLogEntry>;

export const functionCallResponse = z.looseObject({
  callId: z.nullish(internalId),
  functionId: z.nullish(internalId),
  response: z.optional(z.unknown()),
});
export type FunctionCallResponse = z.output<typeof functionCallResponse>;

const range = z.looseObject({ min: z.number(), max: z.number(), default: z.number() });
export const functionsLimits = z.looseObject({
  timeoutMinutes: z.number(),
  cpuCores: range,
  memoryGb: range,
  runtimes: z.array(z.string()),
  responseSizeMb: z.nullish(z.number()),
});
export type FunctionsLimits = z.output<typeof functionsLimits>;
