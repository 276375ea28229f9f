// OAuth2 client credentials (a service principal): cached, renewed early in the background, one token
// request in flight however many calls wait, renewed on a 401 through invalidate().
import { type Logger, silentLogger } from '../log';
import { type RetryPolicy } from '../http/retryPolicy';
import { tokenResponse } from '../schemas/oauth';
import { type SessionCredentials } from '../schemas/sessions';
import { type CachedToken, cacheToken } from './cachedToken';
import { defaultClientCredentialsScopes, resolveTokenUrl } from './entra';
import { postForm } from './oauthEndpoint';
import { SharedFlight } from './sharedFlight';
import { type TokenSource } from './tokenSource';

export interface ClientCredentialsOptions {
  /** The IdP token endpoint; or give `tenantId` for Entra ID. */
  readonly tokenUrl?: string;
  readonly tenantId?: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Default `https://{cluster}.cognitedata.com/.default` (cluster from `cluster` or `baseUrl`). */
  readonly scopes?: readonly string[];
  readonly cluster?: string;
  readonly baseUrl?: string;
  /** Sent as `audience` (Auth0 and other non-Entra IdPs). */
  readonly audience?: string;
  readonly logger?: Logger;
  /** Renew this long before expiry (default 30 s, as the Python SDK). */
  readonly refreshLeewayMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly timeoutMs?: number;
  /** Clock for expiry; injectable for tests. */
  readonly now?: () => number;
}

export class ClientCredentialsTokenSource implements TokenSource {
  readonly tokenUrl: string;
  readonly scopes: readonly string[];
  readonly unauthorizedAdvice =
    'Check the client id, client secret, token URL and scopes of the connection, and that the service principal is in a CDF group of this project.';
  private cached?: CachedToken;
  private readonly flight = new SharedFlight<CachedToken>();
  private readonly log: Logger;
  private readonly now: () => number;

  constructor(private readonly options: ClientCredentialsOptions) {
    if (options.clientId.trim() === '') throw new TypeError('Client credentials need a client id.');
    if (options.clientSecret === '') throw new TypeError('Client credentials need a client secret.');
    this.tokenUrl = resolveTokenUrl(options.tokenUrl, options.tenantId);
    this.scopes = options.scopes && options.scopes.length > 0 ? options.scopes : defaultClientCredentialsScopes(options.cluster, options.baseUrl);
    this.log = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
  }

  async getToken(signal?: AbortSignal): Promise<string> {
    const now = this.now();
    const cached = this.cached;
    if (cached && now < cached.staleAt) {
      if (now >= cached.refreshAt) void this.flight.background((s) => this.fetch(s));
      return cached.token;
    }
    return (await this.flight.join((s) => this.fetch(s), signal)).token;
  }

  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  sessionCredentials(): SessionCredentials {
    return { kind: 'clientCredentials', clientId: this.options.clientId, clientSecret: this.options.clientSecret };
  }

  private async fetch(signal: AbortSignal): Promise<CachedToken> {
    const answer = await postForm(
      this.tokenUrl,
      {
        grant_type: 'client_credentials',
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
        scope: this.scopes.join(' '),
        audience: this.options.audience,
      },
      tokenResponse,
      {
        logger: this.log,
        retry: this.options.retry,
        timeoutMs: this.options.timeoutMs,
        signal,
        credentialsAdvice: 'Check the client id and client secret (it may have expired), and the token URL or tenant id.',
      },
    );
    const token = cacheToken(answer.access_token, answer.expires_in, this.now(), this.options.refreshLeewayMs ?? 30_000);
    this.cached = token;
    return token;
  }
}
