// OAuth2 device authorization grant (RFC 8628) for people without a service principal: shows a user
// code and a URL through a callback, polls until the user signs in, honours slow_down, gives up when the
// code expires, and can be cancelled. Later tokens come from the refresh token when there is one.
import { AuthError, CancelledError } from '../errors';
import { sleep } from '../http/abort';
import { parseServiceUrl } from '../http/urls';
import { type Logger, silentLogger } from '../log';
import { deviceAuthorizationResponse, tokenResponse } from '../schemas/oauth';
import { type SessionCredentials } from '../schemas/sessions';
import { type CachedToken, cacheToken } from './cachedToken';
import { defaultDeviceCodeScopes, entraDeviceAuthorizationUrl, resolveTokenUrl } from './entra';
import { OAuthErrorAnswer, postForm } from './oauthEndpoint';
import { SharedFlight } from './sharedFlight';
import { type TokenSource } from './tokenSource';

/** What to show the user: open `verificationUri` and enter `userCode` before `expiresAt`. */
export interface DeviceCodePrompt {
  readonly userCode: string;
  readonly verificationUri: string;
  readonly verificationUriComplete?: string;
  /** Epoch ms. */
  readonly expiresAt: number;
  /** The provider's own instruction, if it sent one. */
  readonly message?: string;
}

export interface DeviceCodeOptions {
  /** Give both endpoints, or `tenantId` for Entra ID. */
  readonly deviceAuthorizationUrl?: string;
  readonly tokenUrl?: string;
  readonly tenantId?: string;
  readonly clientId: string;
  /** Default: IDENTITY, user_impersonation on the cluster, profile, openid, offline_access. */
  readonly scopes?: readonly string[];
  readonly cluster?: string;
  readonly baseUrl?: string;
  readonly audience?: string;
  /** Called once per sign-in with the code to show; the sign-in continues while it is shown. */
  readonly onPrompt: (prompt: DeviceCodePrompt) => void;
  /** A refresh token kept from an earlier sign-in (e.g. in VS Code SecretStorage): no code is shown while it works. */
  readonly refreshToken?: string;
  /** Told every new refresh token, and undefined when it is dropped, so the caller can keep it safe. */
  readonly onRefreshToken?: (token: string | undefined) => void;
  readonly logger?: Logger;
  /** Poll interval; default the provider's `interval` (5 s if absent). Tests set it small. */
  readonly pollIntervalMs?: number;
  /** Added to the interval on each `slow_down` (RFC 8628: 5 s). */
  readonly slowDownStepMs?: number;
  readonly refreshLeewayMs?: number;
  readonly now?: () => number;
}

export class DeviceCodeTokenSource implements TokenSource {
  readonly unauthorizedAdvice =
    'Your sign-in was rejected by CDF: sign in again, and check that your user is in a CDF group of this project and that the scopes match the cluster.';
  private readonly tokenUrl: string;
  private readonly deviceAuthorizationUrl: string;
  private readonly scopes: readonly string[];
  private cached?: CachedToken;
  private refreshToken?: string;
  private readonly flight = new SharedFlight<CachedToken>();
  private readonly log: Logger;
  private readonly now: () => number;

  constructor(private readonly options: DeviceCodeOptions) {
    if (options.clientId.trim() === '') throw new TypeError('Device code sign-in needs a client id.');
    this.tokenUrl = resolveTokenUrl(options.tokenUrl, options.tenantId);
    if (options.deviceAuthorizationUrl) {
      this.deviceAuthorizationUrl = parseServiceUrl(options.deviceAuthorizationUrl, 'Device authorization URL').href;
    } else if (options.tenantId) {
      this.deviceAuthorizationUrl = entraDeviceAuthorizationUrl(options.tenantId);
    } else {
      throw new TypeError('Device code sign-in needs a device authorization URL or an Entra tenant id.');
    }
    this.scopes = options.scopes && options.scopes.length > 0 ? options.scopes : defaultDeviceCodeScopes(options.cluster, options.baseUrl);
    this.log = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.refreshToken = options.refreshToken || undefined;
  }

  async getToken(signal?: AbortSignal): Promise<string> {
    const now = this.now();
    const cached = this.cached;
    if (cached && now < cached.staleAt) {
      if (now >= cached.refreshAt && this.refreshToken) void this.flight.background((s) => this.refresh(s));
      return cached.token;
    }
    // Interactive: if everybody waiting gives up, the sign-in stops polling.
    return (await this.flight.join((s) => this.obtain(s), signal, true)).token;
  }

  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  sessionCredentials(): SessionCredentials {
    return { kind: 'tokenExchange' };
  }

  /** Forgets every token: the next call signs in again. */
  signOut(): void {
    this.cached = undefined;
    this.setRefreshToken(undefined);
  }

  private setRefreshToken(token: string | undefined): void {
    if (token === this.refreshToken) return;
    this.refreshToken = token;
    this.options.onRefreshToken?.(token);
  }

  private async obtain(signal: AbortSignal): Promise<CachedToken> {
    if (this.refreshToken) {
      try {
        return await this.refresh(signal);
      } catch (error) {
        if (error instanceof CancelledError) throw error;
        this.setRefreshToken(undefined);
        this.log.info('Token refresh failed; signing in again with a device code.');
      }
    }
    return this.signIn(signal);
  }

  private async refresh(signal: AbortSignal): Promise<CachedToken> {
    const answer = await postForm(
      this.tokenUrl,
      { grant_type: 'refresh_token', refresh_token: this.refreshToken, client_id: this.options.clientId, scope: this.scopes.join(' ') },
      tokenResponse,
      { logger: this.log, signal, credentialsAdvice: 'Sign in again.' },
    );
    return this.store(answer.access_token, answer.expires_in, answer.refresh_token);
  }

  private async signIn(signal: AbortSignal): Promise<CachedToken> {
    const started = this.now();
    const grant = await postForm(
      this.deviceAuthorizationUrl,
      { client_id: this.options.clientId, scope: this.scopes.join(' '), audience: this.options.audience },
      deviceAuthorizationResponse,
      { logger: this.log, signal, credentialsAdvice: 'Check the client id: it must be a public client that allows the device code flow.' },
    );
    const verificationUri = grant.verification_uri ?? grant.verification_url;
    if (!verificationUri) {
      throw new AuthError('The identity provider did not say where to enter the sign-in code. Check the device authorization URL.', 'token-endpoint');
    }
    const expiresAt = started + grant.expires_in * 1000;
    this.options.onPrompt({
      userCode: grant.user_code,
      verificationUri,
      verificationUriComplete: grant.verification_uri_complete,
      expiresAt,
      message: grant.message,
    });
    let intervalMs = this.options.pollIntervalMs ?? (grant.interval ?? 5) * 1000;
    for (;;) {
      await sleep(intervalMs, signal);
      if (this.now() >= expiresAt) throw expired(grant.expires_in);
      try {
        const answer = await postForm(
          this.tokenUrl,
          { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: grant.device_code, client_id: this.options.clientId },
          tokenResponse,
          {
            logger: this.log,
            signal,
            credentialsAdvice: 'Check the client id.',
            passThrough: ['authorization_pending', 'slow_down', 'expired_token', 'access_denied'],
          },
        );
        return this.store(answer.access_token, answer.expires_in, answer.refresh_token);
      } catch (error) {
        if (!(error instanceof OAuthErrorAnswer)) throw error;
        switch (error.error) {
          case 'authorization_pending':
            continue;
          case 'slow_down':
            intervalMs += this.options.slowDownStepMs ?? 5_000;
            this.log.debug(`Device code sign-in: slow_down, polling every ${intervalMs}ms`);
            continue;
          case 'expired_token':
            throw expired(grant.expires_in);
          default:
            throw new AuthError('Sign-in was declined. Start the sign-in again if that was a mistake.', 'access-denied', error.error);
        }
      }
    }
  }

  private store(accessToken: string, expiresIn: number | undefined, refreshToken: string | undefined): CachedToken {
    if (refreshToken) this.setRefreshToken(refreshToken);
    this.cached = cacheToken(accessToken, expiresIn, this.now(), this.options.refreshLeewayMs ?? 30_000);
    return this.cached;
  }
}

function expired(expiresInSeconds: number): AuthError {
  const minutes = Math.max(1, Math.round(expiresInSeconds / 60));
  return new AuthError(
    `The sign-in code expired before sign-in finished. Start the sign-in again and enter the code within ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    'expired',
    'expired_token',
  );
}
