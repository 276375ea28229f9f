// Workflows and workflow versions (REFERENCE §2.1, §2.2).
import * as z from 'zod/mini';
import { epochMs, internalId } from './common';
import { taskDefinition } from './tasks';

export const workflow = z.looseObject({
  externalId: z.string(),
  description: z.nullish(z.string()),
  dataSetId: z.nullish(internalId),
  maxConcurrentExecutions: z.nullish(z.number()),
  createdTime: epochMs,
  lastUpdatedTime: epochMs,
});
export type Workflow = z.output<typeof workflow>;

/** Upsert is a full replace: an omitted description clears it (REFERENCE §2.1). */
export const workflowUpsert = z.looseObject({
  externalId: z.string().check(z.minLength(1), z.maxLength(255)),
  description: z.optional(z.string().check(z.maxLength(500))),
  dataSetId: z.optional(internalId),
  maxConcurrentExecutions: z.nullish(z.int().check(z.minimum(1), z.maximum(10000))),
});
export type WorkflowUpsert = z.input<typeof workflowUpsert>;

export const workflowDefinition = z.looseObject({
  hash: z.string(),
  description: z.nullish(z.string()),
  tasks: z.array(taskDefinition),
});
export type WorkflowDefinition = z.output<typeof workflowDefinition>;

export const workflowVersion = z.looseObject({
  workflowExternalId: z.string(),
  version: z.string(),
  workflowDefinition,
  createdTime: z.optional(epochMs),
  lastUpdatedTime: z.optional(epochMs),
});
export type WorkflowVersion = z.output<typeof workflowVersion>;

export const workflowVersionUpsert = z.looseObject({
  workflowExternalId: z.string().check(z.minLength(1), z.maxLength(255)),
  version: z.string().check(z.minLength(1), z.maxLength(255)),
  workflowDefinition: z.looseObject({
    description: z.optional(z.string().check(z.maxLength(500))),
    tasks: z.array(taskDefinition).check(z.maxLength(100)),
  }),
});
export type WorkflowVersionUpsert = z.input<typeof workflowVersionUpsert>;

export interface WorkflowVersionId {
  workflowExternalId: string;
  version: string;
}
