// Microsoft Entra ID endpoints and the default CDF scopes (REFERENCE §1.3).
import { InputError } from '../errors';
import { clusterOf, parseServiceUrl } from '../http/urls';

export function entraTokenUrl(tenantId: string): string {
  return `https://login.microsoftonline.com/${checkTenant(tenantId)}/oauth2/v2.0/token`;
}

export function entraDeviceAuthorizationUrl(tenantId: string): string {
  return `https://login.microsoftonline.com/${checkTenant(tenantId)}/oauth2/v2.0/devicecode`;
}

function checkTenant(tenantId: string): string {
  const tenant = tenantId.trim();
  if (!/^[A-Za-z0-9.-]+$/.test(tenant)) {
    throw new InputError(`Tenant id "${tenantId}" is not an Entra tenant id. Use the directory (tenant) id GUID or its domain, e.g. contoso.onmicrosoft.com.`);
  }
  return tenant;
}

/** The token URL given, or the Entra one for the tenant; exactly one is needed. */
export function resolveTokenUrl(tokenUrl: string | undefined, tenantId: string | undefined): string {
  if (tokenUrl) return parseServiceUrl(tokenUrl, 'Token URL').href;
  if (tenantId) return entraTokenUrl(tenantId);
  throw new InputError('The connection needs a token URL or an Entra tenant id. Set IDP_TOKEN_URL or IDP_TENANT_ID.');
}

/** The resource prefix scopes are built on: `https://{cluster}.cognitedata.com`, else the base URL's origin. */
function resource(cluster: string | undefined, baseUrl: string | undefined): string | undefined {
  const name = cluster ?? (baseUrl ? clusterOf(baseUrl) : undefined);
  if (name) return `https://${name}.cognitedata.com`;
  return baseUrl ? new URL(baseUrl).origin : undefined;
}

/** Client credentials: `https://{cluster}.cognitedata.com/.default`. */
export function defaultClientCredentialsScopes(cluster: string | undefined, baseUrl: string | undefined): string[] {
  const r = resource(cluster, baseUrl);
  if (!r) throw new InputError('Cannot choose default scopes without a cluster or base URL. Set CDF_CLUSTER or IDP_SCOPES.');
  return [`${r}/.default`];
}

/** Device code (a user): IDENTITY and user_impersonation on the cluster, plus a refresh token. */
export function defaultDeviceCodeScopes(cluster: string | undefined, baseUrl: string | undefined): string[] {
  const r = resource(cluster, baseUrl);
  if (!r) throw new InputError('Cannot choose default scopes without a cluster or base URL. Set CDF_CLUSTER or IDP_SCOPES.');
  return [`${r}/IDENTITY`, `${r}/user_impersonation`, 'profile', 'openid', 'offline_access'];
}
