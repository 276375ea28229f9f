// Workflow triggers, discriminated on triggerRule.triggerType (REFERENCE §2.6). Unknown trigger types
// pass through untouched.
import * as z from 'zod/mini';
import { discriminatedWithFallback, epochMs, jsonObject, stringMap } from './common';
import { knownOr } from './tasks';

export const TRIGGER_TYPES = ['schedule', 'dataModeling', 'recordStream'] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

const knownTriggerRules = {
  schedule: z.looseObject({
    triggerType: z.literal('schedule'),
    cronExpression: z.string(),
    timezone: z.nullish(z.string()),
  }),
  dataModeling: z.looseObject({
    triggerType: z.literal('dataModeling'),
    dataModelingQuery: jsonObject,
    batchSize: z.number(),
    batchTimeout: z.number(),
  }),
  recordStream: z.looseObject({
    triggerType: z.literal('recordStream'),
    streamExternalId: z.string(),
    batchSize: z.number(),
    batchTimeout: z.number(),
  }),
};

export const triggerRule = discriminatedWithFallback(
  'triggerType',
  knownTriggerRules,
  z.looseObject({ triggerType: z.string() }),
);
export type TriggerRule = z.output<typeof triggerRule>;
export type KnownTriggerRule<T extends TriggerType = TriggerType> = z.output<(typeof knownTriggerRules)[T]>;

export function isTriggerRuleOfType<T extends TriggerType>(rule: TriggerRule, type: T): rule is KnownTriggerRule<T> {
  return rule.triggerType === type;
}

export const trigger = z.looseObject({
  externalId: z.string(),
  triggerRule,
  workflowExternalId: z.string(),
  workflowVersion: z.string(),
  input: z.optional(z.unknown()),
  metadata: z.nullish(stringMap),
  isPaused: z.optional(z.boolean()),
  createdTime: epochMs,
  lastUpdatedTime: epochMs,
});
export type Trigger = z.output<typeof trigger>;

export const triggerUpsert = z.looseObject({
  externalId: z.string().check(z.minLength(1), z.maxLength(255)),
  triggerRule,
  workflowExternalId: z.string().check(z.minLength(1), z.maxLength(255)),
  workflowVersion: z.string().check(z.minLength(1), z.maxLength(255)),
  input: z.optional(jsonObject),
  metadata: z.optional(stringMap),
  authentication: z.looseObject({ nonce: z.string().check(z.minLength(1)) }),
});
export type TriggerUpsert = z.input<typeof triggerUpsert>;

/** A trigger upsert without its nonce: the client adds a fresh one. */
export const triggerUpsertItem = z.omit(triggerUpsert, { authentication: true });
export type TriggerUpsertItem = z.input<typeof triggerUpsertItem>;

export const triggerRun = z.looseObject({
  externalId: z.string(),
  fireTime: epochMs,
  workflowExternalId: z.string(),
  workflowVersion: z.string(),
  workflowExecutionId: z.nullish(z.string()),
  status: knownOr(['success', 'failed']),
  reasonForFailure: z.nullish(z.string()),
});
export type TriggerRun = z.output<typeof triggerRun>;
