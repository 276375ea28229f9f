// File metadata for the function zip upload flow (REFERENCE §4.6).
import { z } from 'zod';
import { epochMs, internalId, stringMap } from './common';

export const fileMetadata = z.looseObject({
  id: internalId,
  name: z.string(),
  externalId: z.string().nullish(),
  mimeType: z.string().nullish(),
  dataSetId: internalId.nullish(),
  metadata: stringMap.nullish(),
  uploaded: z.boolean(),
  uploadedTime: epochMs.nullish(),
  createdTime: epochMs,
  lastUpdatedTime: epochMs,
});
export type FileMetadata = z.output<typeof fileMetadata>;

export const createdFile = fileMetadata.extend({ uploadUrl: z.string().min(1) });
export type CreatedFile = z.output<typeof createdFile>;

export const fileCreate = z.looseObject({
  name: z.string().min(1).max(256),
  externalId: z.string().max(255).optional(),
  mimeType: z.string().optional(),
  dataSetId: internalId.optional(),
  metadata: stringMap.optional(),
  directory: z.string().optional(),
  source: z.string().optional(),
});
export type FileCreate = z.input<typeof fileCreate>;
