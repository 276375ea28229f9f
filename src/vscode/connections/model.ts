// A connection as the user sees it (settings, minus secrets) and as the client core needs it.
import { type ConnectionDescription, type LoginFlow } from '../../core/auth/toolkitEnv';
import { defaultClientCredentialsScopes, defaultDeviceCodeScopes } from '../../core/auth/entra';
import { InputError } from '../../core/errors';
import { clusterBaseUrl, clusterOf, isLoopbackHost, parseCdfBaseUrl, parseServiceUrl } from '../../core/http/urls';
import { type ConnectionAuthSettings, type ConnectionSettings } from '../config';

/**
 * The public default client of a sandbox started with `npm run sandbox` or `npm start` (documented,
 * loopback only). The embedded sandbox does not use it: its secret is made per install.
 */
export const SANDBOX_CLIENT = { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' } as const;
export const SANDBOX_CONNECTION_NAME = 'Local sandbox';

/**
 * The sandbox the extension runs itself: marked `sandbox` and without a URL, because its port is picked
 * when it starts. A `sandbox` connection with a base URL is one started elsewhere (npm start).
 */
export function isEmbeddedSandbox(c: Pick<ConnectionSettings, 'sandbox' | 'baseUrl' | 'cluster'>): boolean {
  return c.sandbox === true && !c.baseUrl && !c.cluster;
}

/** The embedded sandbox connection with where the sandbox runs now. */
export function atSandbox(c: ConnectionSettings, running: { baseUrl: string; tokenUrl: string; clientId: string }): ConnectionSettings {
  return { ...c, baseUrl: running.baseUrl, auth: { ...c.auth, type: 'clientCredentials', tokenUrl: running.tokenUrl, clientId: running.clientId } };
}

export function baseUrlOf(c: Pick<ConnectionSettings, 'baseUrl' | 'cluster'>): string {
  if (c.baseUrl) return parseCdfBaseUrl(c.baseUrl, 'Base URL').baseUrl;
  if (c.cluster) return clusterBaseUrl(c.cluster);
  throw new InputError('The connection has neither a cluster nor a base URL. Edit the connection and set one.');
}

const FLOW: Record<ConnectionAuthSettings['type'], LoginFlow> = {
  clientCredentials: 'client_credentials',
  deviceCode: 'device_code',
  token: 'token',
};

/** Checks a connection from settings and turns it into what the client core needs. */
export function describeConnection(c: ConnectionSettings): ConnectionDescription {
  if (!c.name?.trim()) throw new InputError('A connection has no name. Give it one in the cdfWorkflows.connections setting.');
  // A base URL pasted with its API path names the project: it serves when the setting has none.
  const project = c.project?.trim() || (c.baseUrl ? parseCdfBaseUrl(c.baseUrl, 'Base URL').project : undefined);
  if (!project) throw new InputError(`Connection "${c.name}" has no project. Edit the connection and set the CDF project.`);
  const baseUrl = baseUrlOf(c);
  const cluster = c.cluster ?? clusterOf(baseUrl);
  const auth = c.auth ?? { type: 'clientCredentials' };
  const loginFlow = FLOW[auth.type];
  if (!loginFlow) throw new InputError(`Connection "${c.name}" has an unknown auth type "${String(auth.type)}". Use clientCredentials, deviceCode or token.`);
  if (c.sandbox && !isLoopbackHost(new URL(baseUrl).hostname)) {
    throw new InputError(`Connection "${c.name}" is marked as the local sandbox but its base URL ${baseUrl} is not on this machine.`);
  }
  const tokenUrl = auth.tokenUrl ? parseServiceUrl(auth.tokenUrl, 'Token URL').href : undefined;
  const deviceAuthorizationUrl = auth.deviceAuthorizationUrl ? parseServiceUrl(auth.deviceAuthorizationUrl, 'Device authorization URL').href : undefined;
  if (loginFlow === 'client_credentials') {
    if (!auth.clientId) throw new InputError(`Connection "${c.name}" has no client id. Edit the connection and set it.`);
    if (!tokenUrl && !auth.tenantId) throw new InputError(`Connection "${c.name}" needs a token URL or an Entra tenant id. Edit the connection and set one.`);
  }
  const scopes = auth.scopes?.length
    ? auth.scopes
    : loginFlow === 'device_code'
      ? defaultDeviceCodeScopes(cluster, baseUrl)
      : loginFlow === 'client_credentials'
        ? defaultClientCredentialsScopes(cluster, baseUrl)
        : [];
  return {
    project,
    baseUrl,
    cluster,
    loginFlow,
    provider: auth.tenantId ? 'entra_id' : 'other',
    clientId: auth.clientId,
    tokenUrl,
    tenantId: auth.tenantId,
    deviceAuthorizationUrl,
    scopes,
    audience: auth.audience,
  };
}

/** Settings for a connection imported from elsewhere (a Toolkit .env). */
export function settingsFromDescription(name: string, d: ConnectionDescription): ConnectionSettings {
  const type: ConnectionAuthSettings['type'] = d.loginFlow === 'client_credentials' ? 'clientCredentials' : d.loginFlow === 'token' ? 'token' : 'deviceCode';
  const auth: ConnectionAuthSettings = { type };
  if (d.clientId) auth.clientId = d.clientId;
  if (d.tokenUrl) auth.tokenUrl = d.tokenUrl;
  if (d.tenantId) auth.tenantId = d.tenantId;
  if (d.deviceAuthorizationUrl) auth.deviceAuthorizationUrl = d.deviceAuthorizationUrl;
  if (d.scopes.length) auth.scopes = [...d.scopes];
  if (d.audience) auth.audience = d.audience;
  const s: ConnectionSettings = { name, project: d.project, auth };
  const derived = d.cluster ? `https://${d.cluster}.cognitedata.com` : undefined;
  if (d.cluster && derived === d.baseUrl) s.cluster = d.cluster;
  else s.baseUrl = d.baseUrl;
  return s;
}

/** One line for the tree and the status bar: project and where it lives. */
export function connectionSummary(c: ConnectionSettings): string {
  if (isEmbeddedSandbox(c)) return `${c.project} @ this machine`;
  let where: string;
  try {
    where = c.cluster ?? new URL(baseUrlOf(c)).host;
  } catch {
    where = c.baseUrl ?? '?';
  }
  return `${c.project} @ ${where}`;
}
