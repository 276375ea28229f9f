// The client credentials a schedule runs with, and the fingerprint that tells whether a deployed trigger
// function was built with them. The secret itself only ever goes to CDF as a function secret or in a
// session request; the fingerprint (a SHA-256 over the whole configuration) is what the function's
// metadata keeps, as the Toolkit does with its secret hash, so a rotated secret is noticed.
import { createHash } from 'node:crypto';
import { InputError } from '../../errors';
import { type SessionCredentials } from '../../schemas/sessions';
import { TRIGGER_FUNCTION_METADATA_KEYS, TRIGGER_FUNCTION_SECRET_KEYS, triggerFunctionMetadata, validateFunctionMetadata } from '../triggerFunction';

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
/** Metadata key of the client id the function runs as (not a secret: the wizard preselects that pair). */
export const TRIGGER_FUNCTION_CLIENT_ID_KEY = 'cdf-workflows-client-id';

/**
 * SHA-256 (hex) over everything the deployed function depends on: handler, client id and secret, and its
 * environment variables. Different when any of them changes, so the function is rebuilt.
 */
export function triggerFunctionConfigHash(handlerHash: string, credentials: TriggerCredentials, envVars: Readonly<Record<string, string>>): string {
  const env = Object.keys(envVars)
    .sort()
    .map((k) => [k, envVars[k]]);
  return createHash('sha256')
    .update(JSON.stringify(['cdf-workflows-trigger/1', handlerHash, credentials.clientId, credentials.clientSecret, env]), 'utf8')
    .digest('hex');
}

/** The metadata the wizard writes on the trigger function: extension version, handler and configuration hashes, client id. */
export function deployedFunctionMetadata(extensionVersion: string, handlerHash: string, configHash: string, clientId: string): Record<string, string> {
  const metadata = {
    ...triggerFunctionMetadata(extensionVersion, handlerHash),
    [TRIGGER_FUNCTION_CONFIG_HASH_KEY]: configHash,
    [TRIGGER_FUNCTION_CLIENT_ID_KEY]: clientId,
  };
  validateFunctionMetadata(metadata);
  return metadata;
}

/** The client id a deployed trigger function runs as, from its metadata. */
export function deployedClientId(metadata: Readonly<Record<string, string>> | null | undefined): string | undefined {
  return metadata?.[TRIGGER_FUNCTION_CLIENT_ID_KEY] || undefined;
}

/** Why a deployed function cannot be reused as is, or undefined when it can. */
export function outdatedReason(
  metadata: Readonly<Record<string, string>> | null | undefined,
  handlerHash: string,
  configHash: string,
): 'handler' | 'configuration' | undefined {
  if (metadata?.[TRIGGER_FUNCTION_METADATA_KEYS.handlerHash] !== handlerHash) return 'handler';
  if (metadata[TRIGGER_FUNCTION_CONFIG_HASH_KEY] !== configHash) return 'configuration';
  return undefined;
}
