// When a cached token is still good, when to renew it in the background, and when it must be renewed first.

export interface CachedToken {
  readonly token: string;
  /** After this a call starts a background renewal but still uses the token. */
  readonly refreshAt: number;
  /** After this a call waits for a new token. */
  readonly staleAt: number;
}

export const DEFAULT_LIFETIME_SECONDS = 3600;

/**
 * Renews `leewayMs` (at most half the lifetime) before expiry, in the background; stops using the token
 * a little before it expires (a tenth of the lifetime, at most 5 s) so it does not expire in flight.
 */
export function cacheToken(token: string, expiresInSeconds: number | undefined, nowMs: number, leewayMs: number): CachedToken {
  const lifetimeMs = Math.max(1, (expiresInSeconds ?? DEFAULT_LIFETIME_SECONDS) * 1000);
  const expiresAt = nowMs + lifetimeMs;
  return {
    token,
    refreshAt: expiresAt - Math.min(leewayMs, lifetimeMs / 2),
    staleAt: expiresAt - Math.min(5_000, lifetimeMs / 10),
  };
}
