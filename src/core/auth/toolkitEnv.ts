// Reads a Cognite Toolkit `.env` (REFERENCE §1.3) into a connection description plus the one secret it
// holds (client secret or token), kept apart so that the description can go to settings and the secret
// to SecretStorage. Values may refer to earlier ones with ${NAME}, as python-dotenv allows.
import { parseEnv } from 'node:util';
import { InputError } from '../errors';
import { clusterBaseUrl, clusterOf, parseServiceUrl } from '../http/urls';
import { defaultClientCredentialsScopes, defaultDeviceCodeScopes, entraDeviceAuthorizationUrl, entraTokenUrl } from './entra';

export type LoginFlow = 'client_credentials' | 'device_code' | 'token' | 'interactive';
export type IdentityProvider = 'entra_id' | 'auth0' | 'cdf' | 'other';

/** Everything needed to connect except the secret. Safe to store in settings and to show. */
export interface ConnectionDescription {
  readonly project: string;
  readonly baseUrl: string;
  readonly cluster?: string;
  readonly loginFlow: LoginFlow;
  readonly provider: IdentityProvider;
  readonly clientId?: string;
  readonly tokenUrl?: string;
  readonly tenantId?: string;
  readonly deviceAuthorizationUrl?: string;
  readonly scopes: readonly string[];
  readonly audience?: string;
}

export interface ToolkitEnv {
  readonly connection: ConnectionDescription;
  /** IDP_CLIENT_SECRET (client_credentials) or CDF_TOKEN (token); never put in the description. */
  readonly secret?: string;
  /** Things the user should know that do not stop the import. */
  readonly warnings: readonly string[];
}

/** Cognite's public client id, used by the Toolkit for device code sign-in on Entra ID. */
export const COGNITE_PUBLIC_CLIENT_ID = 'fb9d503b-ac25-44c7-a75d-8fbcd3a206bd';
const COGNITE_IDP_TOKEN_URL = 'https://auth.cognite.com/oauth2/token';

const LOGIN_FLOWS: readonly LoginFlow[] = ['client_credentials', 'device_code', 'token', 'interactive'];
const PROVIDERS: readonly IdentityProvider[] = ['entra_id', 'auth0', 'cdf', 'other'];

/** The 1-based line where `name` is assigned, for errors. */
function locate(text: string, name: string): { line: number; column: number; offset: number } | undefined {
  const match = new RegExp(`^[ \\t]*(?:export[ \\t]+)?${name}[ \\t]*=`, 'm').exec(text);
  if (!match) return undefined;
  const before = text.slice(0, match.index);
  const line = before.split('\n').length;
  return { line, column: match[0].indexOf(name) + 1, offset: match.index };
}

function expand(values: Record<string, string>, environment: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  const resolve = (name: string, seen: Set<string>): string | undefined => {
    if (name in out) return out[name];
    const raw = values[name];
    if (raw === undefined) return environment[name];
    if (seen.has(name)) return raw;
    seen.add(name);
    const value = raw.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, ref: string, fallback: string | undefined) => resolve(ref, seen) ?? fallback ?? '');
    out[name] = value;
    return value;
  };
  for (const name of Object.keys(values)) resolve(name, new Set());
  return out;
}

/**
 * Parses `.env` text. `environment` supplies ${NAME} references the file does not define (pass
 * process.env to behave like the Toolkit). Throws InputError naming the variable and what to set.
 */
export function readToolkitEnv(text: string, environment: Readonly<Record<string, string | undefined>> = {}): ToolkitEnv {
  const vars = expand(parseEnv(text) as Record<string, string>, environment);
  const get = (name: string): string | undefined => {
    const value = vars[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const fail = (name: string, message: string): never => {
    throw new InputError(`${name}: ${message}`, locate(text, name));
  };
  const warnings: string[] = [];

  const project = get('CDF_PROJECT') ?? fail('CDF_PROJECT', 'missing. Set it to the CDF project name, e.g. CDF_PROJECT=my-project.');
  let cluster = get('CDF_CLUSTER');
  const cdfUrl = get('CDF_URL');
  let baseUrl: string;
  if (cdfUrl) {
    try {
      baseUrl = parseServiceUrl(cdfUrl, 'CDF_URL').origin;
    } catch (error) {
      return fail('CDF_URL', error instanceof Error ? error.message : String(error));
    }
    cluster ??= clusterOf(baseUrl);
  } else if (cluster) {
    try {
      baseUrl = clusterBaseUrl(cluster);
    } catch (error) {
      return fail('CDF_CLUSTER', error instanceof Error ? error.message : String(error));
    }
  } else {
    return fail('CDF_CLUSTER', 'missing, and CDF_URL is not set either. Set CDF_CLUSTER (e.g. westeurope-1) or CDF_URL.');
  }

  const flowValue = (get('LOGIN_FLOW') ?? 'client_credentials').toLowerCase();
  if (!LOGIN_FLOWS.includes(flowValue as LoginFlow)) fail('LOGIN_FLOW', `"${flowValue}" is not one of ${LOGIN_FLOWS.join(', ')}.`);
  const loginFlow = flowValue as LoginFlow;
  const providerValue = (get('PROVIDER') ?? 'entra_id').toLowerCase();
  if (!PROVIDERS.includes(providerValue as IdentityProvider)) fail('PROVIDER', `"${providerValue}" is not one of ${PROVIDERS.join(', ')}.`);
  const provider = providerValue as IdentityProvider;

  const tenantId = get('IDP_TENANT_ID');
  const audienceVar = get('IDP_AUDIENCE');
  const scopesVar = get('IDP_SCOPES')
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

  const checkedUrl = (name: string, value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    try {
      return parseServiceUrl(value, name).href;
    } catch (error) {
      return fail(name, error instanceof Error ? error.message : String(error));
    }
  };

  if (loginFlow === 'token') {
    const secret = get('CDF_TOKEN') ?? fail('CDF_TOKEN', 'missing. LOGIN_FLOW=token needs the access token in CDF_TOKEN.');
    return { connection: { project, baseUrl, cluster, loginFlow, provider, scopes: [] }, secret, warnings };
  }

  let tokenUrl = checkedUrl('IDP_TOKEN_URL', get('IDP_TOKEN_URL'));
  if (!tokenUrl && provider === 'cdf') tokenUrl = COGNITE_IDP_TOKEN_URL;
  if (!tokenUrl && tenantId && (provider === 'entra_id' || loginFlow !== 'client_credentials')) {
    try {
      tokenUrl = entraTokenUrl(tenantId);
    } catch (error) {
      fail('IDP_TENANT_ID', error instanceof Error ? error.message : String(error));
    }
  }

  if (loginFlow === 'device_code' || loginFlow === 'interactive') {
    if (loginFlow === 'interactive') {
      warnings.push('LOGIN_FLOW=interactive (browser redirect) is not supported by the extension; it signs in with a device code instead.');
    }
    const clientId = get('IDP_CLIENT_ID') ?? (provider === 'entra_id' ? COGNITE_PUBLIC_CLIENT_ID : undefined);
    if (!clientId) fail('IDP_CLIENT_ID', 'missing. Device code sign-in needs the client id of a public client application.');
    if (!tenantId && !tokenUrl) fail('IDP_TENANT_ID', 'missing. Device code sign-in on Entra ID needs the tenant id (or set IDP_TOKEN_URL).');
    return {
      connection: {
        project,
        baseUrl,
        cluster,
        loginFlow: 'device_code',
        provider,
        clientId,
        tenantId,
        tokenUrl,
        deviceAuthorizationUrl: tenantId ? entraDeviceAuthorizationUrl(tenantId) : undefined,
        scopes: scopesVar ?? defaultDeviceCodeScopes(cluster, baseUrl),
        audience: audienceVar,
      },
      warnings,
    };
  }

  // Client credentials.
  const clientId = get('IDP_CLIENT_ID') ?? fail('IDP_CLIENT_ID', 'missing. Set it to the client (application) id of the service principal.');
  const secret = get('IDP_CLIENT_SECRET') ?? fail('IDP_CLIENT_SECRET', 'missing. Set it to the client secret of the service principal.');
  if (!tokenUrl) fail(tenantId ? 'IDP_TOKEN_URL' : 'IDP_TENANT_ID', 'missing. Set IDP_TENANT_ID (Entra ID) or IDP_TOKEN_URL.');
  let scopes = scopesVar;
  let audience = audienceVar;
  if (provider === 'auth0') {
    scopes ??= ['IDENTITY', 'user_impersonation'];
    audience ??= `https://${project}.fusion.cognite.com/${project}`;
  } else if (provider === 'cdf') {
    scopes ??= [];
  } else {
    scopes ??= defaultClientCredentialsScopes(cluster, baseUrl);
  }
  return {
    connection: { project, baseUrl, cluster, loginFlow, provider, clientId, tenantId, tokenUrl, scopes, audience },
    secret,
    warnings,
  };
}
