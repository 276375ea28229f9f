// File metadata for the function zip upload flow (REFERENCE §4.6).
import * as z from 'zod/mini';
import { epochMs, internalId, stringMap } from './common';

export const fileMetadata = z.looseObject({
  id: internalId,
  name: z.string(),
  externalId: z.nullish(z.string()),
  mimeType: z.nullish(z.string()),
  dataSetId: z.nullish(internalId),
  metadata: z.nullish(stringMap),
  uploaded: z.boolean(),
  uploadedTime: z.nullish(epochMs),
  createdTime: epochMs,
  lastUpdatedTime: epochMs,
});
export type FileMetadata = z.output<typeof fileMetadata>;

export const createdFile = z.extend(fileMetadata, { uploadUrl: z.string().check(z.minLength(1)) });
export type CreatedFile = z.output<typeof createdFile>;

export const fileCreate = z.looseObject({
  name: z.string().check(z.minLength(1), z.maxLength(256)),
  externalId: z.optional(z.string().check(z.maxLength(255))),
  mimeType: z.optional(z.string()),
  dataSetId: z.optional(internalId),
  metadata: z.optional(stringMap),
  directory: z.optional(z.string()),
  source: z.optional(z.string()),
});
export type FileCreate = z.input<typeof fileCreate>;
