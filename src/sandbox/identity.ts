// The sandbox's identity provider: OAuth2 client credentials, device code and refresh tokens, and the
// Bearer-token check every API request passes. Tokens live in memory only (a restart invalidates them).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ALL_CAPABILITIES, type Capability } from './capabilities';
import { type Clock } from './clock';
import { ApiError } from './api-error';
import { newSecretToken } from './ids';

export interface SandboxClient {
  clientId: string;
  clientSecret: string;
  capabilities?: Capability[];
}

/** Who is calling: a configured client, the device-code user, or work running as a session. */
export interface Principal {
  subject: string;
  /** The OAuth client the token was issued to. */
  clientId: string;
  capabilities: Capability[];
  /** Set when the token was minted for background work bound to a session. */
  sessionId?: number;
}

interface IssuedToken {
  principal: Principal;
  expiresAt: number;
}

interface DeviceCode {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scope: string;
  expiresAt: number;
  interval: number;
  lastPollAt?: number;
  state: 'pending' | 'approved' | 'denied' | 'redeemed';
}

export interface OAuthReply {
  status: number;
  body: Record<string, unknown>;
}

export interface IdentityOptions {
  clock: Clock;
  clients: SandboxClient[];
  tokenLifetimeSeconds: number;
  /** Seconds a device code stays valid (default 900). */
  deviceCodeLifetimeSeconds?: number;
  /** Minimum seconds between device-code polls; faster polls get slow_down (default 5). */
  deviceCodeIntervalSeconds?: number;
  /** The person who approves device codes. */
  deviceUser?: { subject: string; capabilities?: Capability[] };
  /** Lets tokens minted for a session stop working once the session is revoked. */
  isSessionUsable?: (sessionId: number) => boolean;
}

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

function b64url(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

const oauthError = (status: number, error: string, description: string): OAuthReply => ({
  status,
  body: { error, error_description: description },
});

export class Identity {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly refreshTokens = new Map<string, Principal>();
  private readonly deviceCodes = new Map<string, DeviceCode>();
  private readonly signingKey = randomBytes(32);
  private readonly clients: SandboxClient[];

  constructor(private readonly options: IdentityOptions) {
    this.clients = options.clients;
  }

  get tokenLifetimeSeconds(): number {
    return this.options.tokenLifetimeSeconds;
  }

  findClient(clientId: string): SandboxClient | undefined {
    return this.clients.find((c) => c.clientId === clientId);
  }

  /** The principal for a client id + secret, or undefined when they do not match a configured client. */
  clientPrincipal(clientId: string, clientSecret: string): Principal | undefined {
    const client = this.findClient(clientId);
    if (!client || !safeEqual(client.clientSecret, clientSecret)) return undefined;
    return { subject: client.clientId, clientId: client.clientId, capabilities: client.capabilities ?? ALL_CAPABILITIES };
  }

  /** Mints an access token (JWT-shaped, so clients that read `exp` can) for a principal. */
  issueToken(principal: Principal, lifetimeSeconds = this.options.tokenLifetimeSeconds): { accessToken: string; expiresIn: number } {
    const now = this.options.clock.now();
    const iat = Math.floor(now / 1000);
    const payload = {
      iss: 'cdf-sandbox',
      sub: principal.subject,
      aud: 'cdf-sandbox',
      appid: principal.clientId,
      iat,
      exp: iat + lifetimeSeconds,
      jti: newSecretToken(9),
    };
    const unsigned = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}`;
    const signature = createHmac('sha256', this.signingKey).update(unsigned).digest('base64url');
    const accessToken = `${unsigned}.${signature}`;
    this.prune(now);
    this.tokens.set(accessToken, { principal, expiresAt: now + lifetimeSeconds * 1000 });
    return { accessToken, expiresIn: lifetimeSeconds };
  }

  /** Every issued token stops working now (refresh tokens too, like a revoked sign-in). */
  expireTokens(): void {
    this.tokens.clear();
    this.refreshTokens.clear();
  }

  /** Resolves the Authorization header to a principal, or throws 401 with the CDF error body. */
  authenticate(authorization: string | undefined): Principal {
    if (!authorization) throw new ApiError(401, 'Unauthorized: the request has no Authorization header. Send "Authorization: Bearer <access token>".');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw new ApiError(401, 'Unauthorized: the Authorization header must be "Bearer <access token>".');
    const issued = this.tokens.get(match[1]);
    if (!issued) throw new ApiError(401, 'Unauthorized: the access token is not valid. Get a new token from the token endpoint.');
    if (issued.expiresAt <= this.options.clock.now()) {
      this.tokens.delete(match[1]);
      throw new ApiError(401, 'Unauthorized: the access token has expired. Get a new token from the token endpoint.');
    }
    const sessionId = issued.principal.sessionId;
    if (sessionId !== undefined && this.options.isSessionUsable && !this.options.isSessionUsable(sessionId)) {
      throw new ApiError(401, `Unauthorized: session ${sessionId} has been revoked.`);
    }
    return issued.principal;
  }

  /** POST {tokenUrl}: client_credentials (form or HTTP Basic), device_code and refresh_token grants. */
  token(form: URLSearchParams, authorization: string | undefined): OAuthReply {
    let clientId = form.get('client_id') ?? undefined;
    let clientSecret = form.get('client_secret') ?? undefined;
    const basic = authorization ? /^Basic\s+(\S+)$/i.exec(authorization) : null;
    if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return oauthError(400, 'invalid_request', 'The Basic authorization header must hold client_id:client_secret.');
      clientId = decodeURIComponent(decoded.slice(0, colon));
      clientSecret = decodeURIComponent(decoded.slice(colon + 1));
    }
    const grant = form.get('grant_type');
    if (!grant) return oauthError(400, 'invalid_request', 'grant_type is required (client_credentials, refresh_token or the device_code grant).');
    if (grant === 'client_credentials') {
      if (!clientId || !clientSecret) {
        return oauthError(400, 'invalid_request', 'client_id and client_secret are required, in the form body or as HTTP Basic authorization.');
      }
      const principal = this.clientPrincipal(clientId, clientSecret);
      if (!principal) return oauthError(401, 'invalid_client', 'Client authentication failed: unknown client_id or wrong client_secret.');
      return this.tokenReply(principal, false);
    }
    if (grant === DEVICE_GRANT) return this.pollDeviceCode(form.get('device_code') ?? '', clientId);
    if (grant === 'refresh_token') {
      const refresh = form.get('refresh_token') ?? '';
      const principal = this.refreshTokens.get(refresh);
      if (!principal) return oauthError(400, 'invalid_grant', 'The refresh token is not valid or has been revoked.');
      this.refreshTokens.delete(refresh);
      return this.tokenReply(principal, true);
    }
    return oauthError(400, 'unsupported_grant_type', `grant_type ${grant} is not supported by the sandbox.`);
  }

  /** POST {deviceAuthorizationUrl}: starts a device-code sign-in. */
  deviceAuthorization(form: URLSearchParams, baseUrl: string): OAuthReply {
    const clientId = form.get('client_id');
    if (!clientId) return oauthError(400, 'invalid_request', 'client_id is required.');
    const now = this.options.clock.now();
    const lifetime = this.options.deviceCodeLifetimeSeconds ?? 900;
    const interval = this.options.deviceCodeIntervalSeconds ?? 5;
    const letters = 'BCDFGHJKLMNPQRSTVWXZ';
    const bytes = randomBytes(8);
    let userCode = '';
    for (let i = 0; i < 8; i++) userCode += letters[bytes[i] % letters.length] + (i === 3 ? '-' : '');
    const code: DeviceCode = {
      deviceCode: newSecretToken(32),
      userCode,
      clientId,
      scope: form.get('scope') ?? '',
      expiresAt: now + lifetime * 1000,
      interval,
      state: 'pending',
    };
    this.deviceCodes.set(code.deviceCode, code);
    const verificationUri = `${baseUrl}/oauth2/device`;
    return {
      status: 200,
      body: {
        device_code: code.deviceCode,
        user_code: userCode,
        verification_uri: verificationUri,
        verification_uri_complete: `${verificationUri}?user_code=${encodeURIComponent(userCode)}`,
        expires_in: lifetime,
        interval,
        message: `To sign in to the CDF sandbox, open ${verificationUri} and enter the code ${userCode}.`,
      },
    };
  }

  /** Approves (or denies) a pending device code by its user code. Throws when there is none. */
  approveDeviceCode(userCode: string, approve = true): void {
    const wanted = userCode.trim().toUpperCase();
    for (const code of this.deviceCodes.values()) {
      if (code.userCode === wanted && code.state === 'pending' && code.expiresAt > this.options.clock.now()) {
        code.state = approve ? 'approved' : 'denied';
        return;
      }
    }
    throw new ApiError(404, `No pending device sign-in has the user code ${userCode}.`);
  }

  private pollDeviceCode(deviceCode: string, clientId: string | undefined): OAuthReply {
    const code = this.deviceCodes.get(deviceCode);
    if (!code) return oauthError(400, 'invalid_grant', 'Unknown device_code.');
    if (clientId && clientId !== code.clientId) return oauthError(400, 'invalid_grant', 'The device_code was issued to another client_id.');
    const now = this.options.clock.now();
    if (code.expiresAt <= now) {
      this.deviceCodes.delete(deviceCode);
      return oauthError(400, 'expired_token', 'The device code has expired. Start the sign-in again.');
    }
    if (code.state === 'denied') return oauthError(400, 'access_denied', 'The sign-in was declined.');
    if (code.state === 'redeemed') return oauthError(400, 'invalid_grant', 'The device code has already been used.');
    if (code.state === 'pending') {
      // A poll a little early (timer jitter, clock granularity) is not "too fast": only polls well inside the
      // interval get slow_down, which otherwise spirals (each slow_down adds 5 s) for short test intervals.
      const tooSoon = code.lastPollAt !== undefined && now - code.lastPollAt < code.interval * 1000 * 0.8;
      code.lastPollAt = now;
      if (tooSoon) {
        // RFC 8628 §3.5: slow_down adds 5 seconds to the interval the client must keep.
        code.interval += 5;
        return oauthError(400, 'slow_down', `Polling too fast: wait at least ${code.interval} seconds between requests.`);
      }
      return oauthError(400, 'authorization_pending', 'The user has not approved the sign-in yet.');
    }
    code.state = 'redeemed';
    const user = this.options.deviceUser ?? { subject: 'sandbox-user@example.com' };
    const principal: Principal = { subject: user.subject, clientId: code.clientId, capabilities: user.capabilities ?? ALL_CAPABILITIES };
    // Like Entra ID, a refresh token comes only with the offline_access scope.
    return this.tokenReply(principal, code.scope.split(/\s+/).includes('offline_access'));
  }

  private tokenReply(principal: Principal, withRefresh: boolean): OAuthReply {
    const { accessToken, expiresIn } = this.issueToken(principal);
    const body: Record<string, unknown> = { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: accessToken };
    if (withRefresh) {
      const refresh = newSecretToken(32);
      this.refreshTokens.set(refresh, principal);
      body['refresh_token'] = refresh;
    }
    return { status: 200, body };
  }

  private prune(now: number): void {
    if (this.tokens.size < 10_000) return;
    for (const [token, issued] of this.tokens) if (issued.expiresAt <= now) this.tokens.delete(token);
  }
}
