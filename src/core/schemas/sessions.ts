// Sessions: the nonces that let CDF services act for the caller (REFERENCE §3).
import * as z from 'zod/mini';
import { epochMs, internalId } from './common';
import { knownOr } from './tasks';

export const SESSION_STATUSES = ['READY', 'ACTIVE', 'CANCELLED', 'EXPIRED', 'REVOKED', 'ACCESS_LOST'] as const;
export const SESSION_TYPES = ['CLIENT_CREDENTIALS', 'TOKEN_EXCHANGE', 'ONESHOT_TOKEN_EXCHANGE'] as const;

export const createdSession = z.looseObject({
  id: internalId,
  type: z.optional(knownOr(SESSION_TYPES)),
  status: knownOr(SESSION_STATUSES),
  nonce: z.string().check(z.minLength(1)),
  clientId: z.nullish(z.string()),
});
export type CreatedSession = z.output<typeof createdSession>;

export const session = z.looseObject({
  id: internalId,
  type: z.optional(knownOr(SESSION_TYPES)),
  status: knownOr(SESSION_STATUSES),
  creationTime: z.optional(epochMs),
  expirationTime: z.optional(epochMs),
  clientId: z.nullish(z.string()),
});
export type Session = z.output<typeof session>;

/** What a session is created from: client credentials, or the caller's own token (token exchange). */
export type SessionCredentials =
  | { readonly kind: 'clientCredentials'; readonly clientId: string; readonly clientSecret: string }
  | { readonly kind: 'tokenExchange' }
  | { readonly kind: 'oneshotTokenExchange' };

export function sessionCreateItem(credentials: SessionCredentials): Record<string, unknown> {
  switch (credentials.kind) {
    case 'clientCredentials':
      return { clientId: credentials.clientId, clientSecret: credentials.clientSecret };
    case 'tokenExchange':
      return { tokenExchange: true };
    case 'oneshotTokenExchange':
      return { oneshotTokenExchange: true };
  }
}
