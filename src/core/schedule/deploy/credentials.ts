// The client credentials a schedule runs with, and the fingerprint that tells whether a deployed trigger
// function was built with them. The secret itself only ever goes to CDF as a function secret or in a
// session request. The fingerprint in the function's metadata is an HMAC keyed with a random value that
// only this installation knows (SecretStorage): a plain hash there, readable by anyone who can list
// functions, would let them test guessed secrets offline.
import { createHash, createHmac } from 'node:crypto';
import { InputError } from '../../errors';
import { type SessionCredentials } from '../../schemas/sessions';
import {
  TRIGGER_FUNCTION_METADATA_KEYS,
  TRIGGER_FUNCTION_OWNER_MARKER,
  TRIGGER_FUNCTION_SECRET_KEYS,
  triggerFunctionMetadata,
  validateFunctionMetadata,
} from '../triggerFunction';

export interface TriggerCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Trims the client id; refuses an empty id or secret with what to do. */
export function checkTriggerCredentials(credentials: TriggerCredentials): TriggerCredentials {
  const clientId = typeof credentials.clientId === 'string' ? credentials.clientId.trim() : '';
  if (clientId === '') throw new InputError('The client id is empty; enter the client id of the service principal the schedule runs as.');
  if (/\s/.test(clientId)) throw new InputError(`The client id "${clientId}" contains a blank; copy it again from the identity provider.`);
  const clientSecret = typeof credentials.clientSecret === 'string' ? credentials.clientSecret : '';
  if (clientSecret.trim() === '') throw new InputError(`The client secret for "${clientId}" is empty; enter the secret again.`);
  return { clientId, clientSecret };
}

export function sessionCredentialsOf(credentials: TriggerCredentials): SessionCredentials {
  return { kind: 'clientCredentials', clientId: credentials.clientId, clientSecret: credentials.clientSecret };
}

/** The function's secrets: read by handler.py, returned masked by CDF. */
export function triggerFunctionSecrets(credentials: TriggerCredentials): Record<string, string> {
  return { [TRIGGER_FUNCTION_SECRET_KEYS.clientId]: credentials.clientId, [TRIGGER_FUNCTION_SECRET_KEYS.clientSecret]: credentials.clientSecret };
}

/** Metadata key of the configuration fingerprint (at most 32 characters, like every function metadata key). */
export const TRIGGER_FUNCTION_CONFIG_HASH_KEY = 'cdf-workflows-config-hash';
/** Metadata key naming the HMAC key the fingerprint was made with (a digest of it, never the key). */
export const TRIGGER_FUNCTION_CONFIG_KEY_ID_KEY = 'cdf-workflows-config-key-id';
/** Metadata key of the client id the function runs as (not a secret: the wizard preselects that pair). */
export const TRIGGER_FUNCTION_CLIENT_ID_KEY = 'cdf-workflows-client-id';

function checkHashKey(key: string): void {
  if (typeof key !== 'string' || key.length < 32) throw new TypeError('The configuration hash key must be a random string of at least 32 characters.');
}

/**
 * HMAC-SHA256 (hex), keyed with `key`, over everything the deployed function depends on: handler, client
 * id and secret, and its environment variables. Different when any of them changes, so the function is
 * rebuilt; without the key it tells nothing about the secret.
 */
export function triggerFunctionConfigHash(key: string, handlerHash: string, credentials: TriggerCredentials, envVars: Readonly<Record<string, string>>): string {
  checkHashKey(key);
  const env = Object.keys(envVars)
    .sort()
    .map((k) => [k, envVars[k]]);
  return createHmac('sha256', key)
    .update(JSON.stringify(['cdf-workflows-trigger/2', handlerHash, credentials.clientId, credentials.clientSecret, env]), 'utf8')
    .digest('hex');
}

/** A public name for the HMAC key: tells whether a fingerprint was made by this installation. */
export function configHashKeyId(key: string): string {
  checkHashKey(key);
  return createHash('sha256').update(`cdf-workflows-config-key-id/1\u0000${key}`, 'utf8').digest('hex').slice(0, 16);
}

/** The metadata the wizard writes on the trigger function: owner marker, version, handler and configuration hashes, client id. */
export function deployedFunctionMetadata(extensionVersion: string, handlerHash: string, configHash: string, configKeyId: string, clientId: string): Record<string, string> {
  const metadata = {
    ...triggerFunctionMetadata(extensionVersion, handlerHash),
    [TRIGGER_FUNCTION_CONFIG_HASH_KEY]: configHash,
    [TRIGGER_FUNCTION_CONFIG_KEY_ID_KEY]: configKeyId,
    [TRIGGER_FUNCTION_CLIENT_ID_KEY]: clientId,
  };
  validateFunctionMetadata(metadata);
  return metadata;
}

/** The client id a deployed trigger function runs as, from its metadata. */
export function deployedClientId(metadata: Readonly<Record<string, string>> | null | undefined): string | undefined {
  return metadata?.[TRIGGER_FUNCTION_CLIENT_ID_KEY] || undefined;
}

/**
 * Why a trigger function the wizard made cannot be reused as is, or undefined when it can:
 * - legacy: an earlier version made it, with an unkeyed hash of the secret in its metadata;
 * - handler: another handler;
 * - installation: another installation made it (another key), so whether the credentials are the same
 *   cannot be told;
 * - configuration: the credentials or the environment changed.
 */
export function outdatedReason(
  fn: OwnedFunction,
  handlerHash: string,
  configHash: string,
  configKeyId: string,
): 'legacy' | 'handler' | 'installation' | 'configuration' | undefined {
  const metadata = fn.metadata ?? {};
  if (ownershipOf(fn) === 'legacy') return 'legacy';
  if (metadata[TRIGGER_FUNCTION_METADATA_KEYS.handlerHash] !== handlerHash) return 'handler';
  if (metadata[TRIGGER_FUNCTION_CONFIG_KEY_ID_KEY] !== configKeyId) return 'installation';
  if (metadata[TRIGGER_FUNCTION_CONFIG_HASH_KEY] !== configHash) return 'configuration';
  return undefined;
}

/** What ownership is judged on: a function's metadata and owner field. */
export interface OwnedFunction {
  readonly metadata?: Readonly<Record<string, string>> | null;
  readonly owner?: string | null;
}

/** The function's owner field the wizard writes (also the source of its code files). */
export const TRIGGER_FUNCTION_OWNER = 'CDF Data Workflows for VS Code';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Whether the schedule wizard made a function, and so may replace or delete it:
 * - ours: its metadata carries our owner marker and a handler hash;
 * - legacy: made by an earlier version, before the marker: our owner field, our version key, and a
 *   handler hash and plain configuration hash in the form that version wrote;
 * - foreign: anything else. The wizard never changes it.
 */
export function ownershipOf(fn: OwnedFunction): 'ours' | 'legacy' | 'foreign' {
  const m = fn.metadata ?? {};
  const handlerHash = m[TRIGGER_FUNCTION_METADATA_KEYS.handlerHash] ?? '';
  if (m[TRIGGER_FUNCTION_METADATA_KEYS.owner] === TRIGGER_FUNCTION_OWNER_MARKER) return handlerHash !== '' ? 'ours' : 'foreign';
  const legacy =
    m[TRIGGER_FUNCTION_METADATA_KEYS.owner] === undefined &&
    fn.owner === TRIGGER_FUNCTION_OWNER &&
    typeof m[TRIGGER_FUNCTION_METADATA_KEYS.extensionVersion] === 'string' &&
    SHA256_HEX.test(handlerHash) &&
    SHA256_HEX.test(m[TRIGGER_FUNCTION_CONFIG_HASH_KEY] ?? '') &&
    m[TRIGGER_FUNCTION_CONFIG_KEY_ID_KEY] === undefined;
  return legacy ? 'legacy' : 'foreign';
}
