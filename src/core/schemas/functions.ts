// Cognite Functions, their calls and limits (REFERENCE §4.2, §4.3, §4.5).
import { z } from 'zod';
import { epochMs, internalId, stringMap } from './common';
import { knownOr } from './tasks';

export const FUNCTION_STATUSES = ['Queued', 'Deploying', 'Ready', 'Failed'] as const;
export const FUNCTION_CALL_STATUSES = ['Running', 'Completed', 'Failed', 'Timeout'] as const;

const functionError = z.looseObject({ message: z.string(), trace: z.string().nullish() });

export const cdfFunction = z.looseObject({
  id: internalId,
  name: z.string(),
  externalId: z.string().nullish(),
  description: z.string().nullish(),
  owner: z.string().nullish(),
  fileId: internalId,
  functionPath: z.string().nullish(),
  status: knownOr(FUNCTION_STATUSES),
  createdTime: epochMs,
  runtime: z.string().nullish(),
  runtimeVersion: z.string().nullish(),
  secrets: stringMap.nullish(),
  envVars: stringMap.nullish(),
  metadata: stringMap.nullish(),
  cpu: z.number().nullish(),
  memory: z.number().nullish(),
  error: functionError.nullish(),
  lastCalled: epochMs.nullish(),
});
export type CdfFunction = z.output<typeof cdfFunction>;

export const functionCreate = z.looseObject({
  name: z.string().min(1).max(140),
  fileId: internalId,
  externalId: z.string().max(255).optional(),
  description: z.string().max(500).optional(),
  owner: z.string().max(128).optional(),
  functionPath: z.string().max(500).optional(),
  secrets: stringMap.optional(),
  envVars: stringMap.optional(),
  cpu: z.number().optional(),
  memory: z.number().optional(),
  runtime: z.string().optional(),
  metadata: stringMap.optional(),
  indexUrl: z.string().optional(),
  extraIndexUrls: z.array(z.string()).optional(),
});
export type FunctionCreate = z.input<typeof functionCreate>;

export const functionCall = z.looseObject({
  id: internalId,
  functionId: internalId,
  status: knownOr(FUNCTION_CALL_STATUSES),
  startTime: epochMs,
  endTime: epochMs.nullish(),
  error: functionError.nullish(),
  scheduleId: internalId.nullish(),
  scheduledTime: epochMs.nullish(),
});
export type FunctionCall = z.output<typeof functionCall>;

export const functionCallLogEntry = z.looseObject({ timestamp: epochMs.nullish(), message: z.string() });
export type FunctionCallLogEntry = z.output<typeof functionCallLogEntry>;

export const functionCallResponse = z.looseObject({
  callId: internalId.nullish(),
  functionId: internalId.nullish(),
  response: z.unknown().optional(),
});
export type FunctionCallResponse = z.output<typeof functionCallResponse>;

const range = z.looseObject({ min: z.number(), max: z.number(), default: z.number() });
export const functionsLimits = z.looseObject({
  timeoutMinutes: z.number(),
  cpuCores: range,
  memoryGb: range,
  runtimes: z.array(z.string()),
  responseSizeMb: z.number().nullish(),
});
export type FunctionsLimits = z.output<typeof functionsLimits>;
