// Workflows and workflow versions (REFERENCE §2.1, §2.2).
import { z } from 'zod';
import { epochMs, internalId } from './common';
import { taskDefinition } from './tasks';

export const workflow = z.looseObject({
  externalId: z.string(),
  description: z.string().nullish(),
  dataSetId: internalId.nullish(),
  maxConcurrentExecutions: z.number().nullish(),
  createdTime: epochMs,
  lastUpdatedTime: epochMs,
});
export type Workflow = z.output<typeof workflow>;

/** Upsert is a full replace: an omitted description clears it (REFERENCE §2.1). */
export const workflowUpsert = z.looseObject({
  externalId: z.string().min(1).max(255),
  description: z.string().max(500).optional(),
  dataSetId: internalId.optional(),
  maxConcurrentExecutions: z.number().int().min(1).max(10000).nullish(),
});
export type WorkflowUpsert = z.input<typeof workflowUpsert>;

export const workflowDefinition = z.looseObject({
  hash: z.string(),
  description: z.string().nullish(),
  tasks: z.array(taskDefinition),
});
export type WorkflowDefinition = z.output<typeof workflowDefinition>;

export const workflowVersion = z.looseObject({
  workflowExternalId: z.string(),
  version: z.string(),
  workflowDefinition,
  createdTime: epochMs.optional(),
  lastUpdatedTime: epochMs.optional(),
});
export type WorkflowVersion = z.output<typeof workflowVersion>;

export const workflowVersionUpsert = z.looseObject({
  workflowExternalId: z.string().min(1).max(255),
  version: z.string().min(1).max(255),
  workflowDefinition: z.looseObject({
    description: z.string().max(500).optional(),
    tasks: z.array(taskDefinition).max(100),
  }),
});
export type WorkflowVersionUpsert = z.input<typeof workflowVersionUpsert>;

export interface WorkflowVersionId {
  workflowExternalId: string;
  version: string;
}
