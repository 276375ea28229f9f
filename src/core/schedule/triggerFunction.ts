// The trigger function package (handler.py zipped), and the names the function, its schedules and the
// wizard must agree on: secrets, environment variables, schedule data and function metadata.
import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { InputError } from '../errors';
import { checkInputBytes, jsonInputBytes, metadataLength } from '../run/limits';
import { validateRunMetadata } from '../run/metadata';
import { TRIGGER_HANDLER_PY } from './handlerSource';

export interface TriggerFunctionPackage {
  readonly files: { readonly 'handler.py': string };
  /** The zip to upload through the Files API: handler.py at its root. Same bytes on every build. */
  readonly zip: Uint8Array;
  /** SHA-256 (hex) of handler.py; kept in the function's metadata to tell whether it must be replaced. */
  readonly handlerHash: string;
}

export function buildTriggerFunction(): TriggerFunctionPackage {
  const handler = TRIGGER_HANDLER_PY;
  // A fixed modification time so the bytes never depend on when or where the zip is built. fflate reads it
  // with local-time getters (zip stores local time), so the Date is made here, in the current zone.
  const mtime = new Date(1980, 0, 1, 12, 0, 0);
  const zip = zipSync({ 'handler.py': [strToU8(handler), { level: 9, mtime }] });
  return {
    files: { 'handler.py': handler },
    zip,
    handlerHash: createHash('sha256').update(handler, 'utf8').digest('hex'),
  };
}

/** Function secrets the handler reads (keys: lowercase letters, digits and '-', at most 15 characters). */
export const TRIGGER_FUNCTION_SECRET_KEYS = { clientId: 'client-id', clientSecret: 'client-secret' } as const;

/** Default external id of the one trigger function that serves every schedule of a project. */
export const TRIGGER_FUNCTION_DEFAULT_EXTERNAL_ID = 'workflow-trigger';

export interface TriggerFunctionEnvironment {
  readonly tokenUrl: string;
  /** Scopes for the token request; empty for identity providers without scopes. */
  readonly scopes: readonly string[];
  readonly audience?: string;
  readonly project: string;
  /** Cluster base URL, e.g. https://api.cognitedata.com (no /api/v1/projects/...). */
  readonly baseUrl: string;
}

/** The function's envVars: no secret goes here (the client secret is a function secret). */
export function triggerFunctionEnvVars(env: TriggerFunctionEnvironment): Record<string, string> {
  const required = { IDP_TOKEN_URL: env.tokenUrl, CDF_PROJECT: env.project, CDF_URL: env.baseUrl };
  for (const [name, value] of Object.entries(required)) {
    if (typeof value !== 'string' || value.trim() === '') throw new InputError(`The trigger function needs ${name}; the connection has none.`);
  }
  if (env.scopes.some((s) => s.includes(','))) throw new InputError('A scope contains a comma; the trigger function reads IDP_SCOPES as a comma-separated list.');
  const vars: Record<string, string> = { ...required };
  if (env.scopes.length > 0) vars['IDP_SCOPES'] = env.scopes.join(',');
  if (env.audience !== undefined && env.audience.trim() !== '') vars['IDP_AUDIENCE'] = env.audience.trim();
  return vars;
}

export interface TriggerScheduleData {
  readonly workflowExternalId: string;
  readonly version: string;
  readonly input?: Record<string, unknown>;
  readonly metadata?: Record<string, string>;
}

/**
 * The data a function schedule passes to the trigger function: what handler.py reads. Input and metadata
 * are checked against the run limits so a schedule never fires a run CDF refuses.
 */
export function triggerScheduleData(data: TriggerScheduleData): TriggerScheduleData {
  if (typeof data.workflowExternalId !== 'string' || data.workflowExternalId.trim() === '') {
    throw new InputError('The schedule needs the workflow external id.');
  }
  if (typeof data.version !== 'string' || data.version.trim() === '') throw new InputError('The schedule needs the workflow version.');
  const result: { -readonly [K in keyof TriggerScheduleData]: TriggerScheduleData[K] } = {
    workflowExternalId: data.workflowExternalId,
    version: data.version,
  };
  if (data.input !== undefined) {
    checkInputBytes(jsonInputBytes(data.input, "The schedule's input"), "The schedule's input");
    result.input = data.input;
  }
  if (data.metadata !== undefined) {
    validateRunMetadata(data.metadata);
    result.metadata = data.metadata;
  }
  return result;
}

/** Function metadata limits (REFERENCE §1.9). */
export const FUNCTION_METADATA_LIMITS = { maxEntries: 16, maxKeyLength: 32, maxValueLength: 512, maxTotalBytes: 4096 } as const;

/** Metadata keys this extension writes on the trigger function. */
export const TRIGGER_FUNCTION_METADATA_KEYS = {
  /** The owner marker: with a handler hash, what makes a function one the schedule wizard may replace. */
  owner: 'cdf-workflows-owner',
  extensionVersion: 'cdf-workflows-vscode-version',
  handlerHash: 'cdf-workflows-handler-hash',
} as const;

/** The owner marker's value. */
export const TRIGGER_FUNCTION_OWNER_MARKER = 'cdf-workflows-vscode';

export function triggerFunctionMetadata(extensionVersion: string, handlerHash: string): Record<string, string> {
  const metadata = {
    [TRIGGER_FUNCTION_METADATA_KEYS.owner]: TRIGGER_FUNCTION_OWNER_MARKER,
    [TRIGGER_FUNCTION_METADATA_KEYS.extensionVersion]: extensionVersion,
    [TRIGGER_FUNCTION_METADATA_KEYS.handlerHash]: handlerHash,
  };
  validateFunctionMetadata(metadata);
  return metadata;
}

/** True when a deployed function's metadata says it runs this handler (so it can be reused as is). */
export function isCurrentTriggerFunction(metadata: Readonly<Record<string, string>> | null | undefined, handlerHash: string): boolean {
  return metadata?.[TRIGGER_FUNCTION_METADATA_KEYS.handlerHash] === handlerHash;
}

/** Throws InputError naming the entry that breaks a function metadata limit. */
export function validateFunctionMetadata(metadata: Readonly<Record<string, unknown>>): void {
  const { maxEntries, maxKeyLength, maxValueLength, maxTotalBytes } = FUNCTION_METADATA_LIMITS;
  const entries = Object.entries(metadata);
  if (entries.length > maxEntries) throw new InputError(`Function metadata has ${entries.length} entries; CDF allows at most ${maxEntries}.`);
  let total = 0;
  for (const [key, value] of entries) {
    if (typeof value !== 'string') throw new InputError(`Function metadata "${key}" must be a string.`);
    if (metadataLength(key) > maxKeyLength) throw new InputError(`Function metadata key "${key}" is longer than ${maxKeyLength} characters.`);
    if (metadataLength(value) > maxValueLength) throw new InputError(`Function metadata "${key}" is longer than ${maxValueLength} characters.`);
    total += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(value, 'utf8');
  }
  if (total > maxTotalBytes) throw new InputError(`Function metadata totals ${total} bytes; CDF allows at most ${maxTotalBytes}.`);
}
