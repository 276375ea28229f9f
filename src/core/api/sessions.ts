// Sessions (REFERENCE §3): a session yields the nonce that run, retry, trigger upsert, function call and
// schedule create hand to the service that acts for the caller.
import * as z from 'zod/mini';
import { type TokenSource } from '../auth/tokenSource';
import { type CdfHttp } from '../http/cdfHttp';
import { itemsOf, type Page, pageOf } from '../schemas/common';
import { type CreatedSession, createdSession, type Session, session, type SessionCredentials, sessionCreateItem } from '../schemas/sessions';
import { CAPABILITY } from './capabilities';
import { paged, type PagedList } from './paging';
import { type CallContext } from './requests';

export interface SessionListOptions extends CallContext {
  readonly status?: 'ready' | 'active' | 'cancelled' | 'revoked' | 'access_lost';
  readonly limit?: number;
  readonly cursor?: string;
}

/** A new session and when it was asked for (local clock) and answered (server clock, if sent). */
export interface NonceGrant {
  readonly session: CreatedSession;
  readonly nonce: string;
  /** Local time just before the request: the nonce cannot have been issued earlier. */
  readonly requestedAt: number;
  readonly serverTime: number | undefined;
}

/** Revoke answers with full sessions, or only `id` when the caller lacks sessionsAcl:LIST. */
export type RevokedSession = Pick<Session, 'id'> & Partial<Session>;

const oneSession = itemsOf(createdSession).check(z.refine((b) => b.items.length === 1, { message: 'expected exactly one item', path: ['items'] }));

export class SessionsApi {
  constructor(
    private readonly http: CdfHttp,
    private readonly tokens: TokenSource,
  ) {}

  /** Creates a session from `credentials`, by default the way the connection's own identity allows. */
  async create(credentials?: SessionCredentials, ctx: CallContext = {}): Promise<CreatedSession> {
    return (await this.grant(credentials, ctx)).session;
  }

  /** Creates a session for one nonce; run and the other nonce consumers call this. */
  async grant(credentials: SessionCredentials | undefined, ctx: CallContext = {}): Promise<NonceGrant> {
    const using = credentials ?? this.tokens.sessionCredentials();
    if (using.kind === 'clientCredentials') this.http.redactor.add(using.clientSecret);
    const requestedAt = Date.now();
    // Resending is harmless: an extra session is never used and expires.
    const answer = await this.http.send('POST', '/sessions', {
      schema: oneSession,
      body: { items: [sessionCreateItem(using)] },
      idempotent: true,
      capability: CAPABILITY.sessionsCreate,
      signal: ctx.signal,
    });
    const created = answer.data.items[0];
    this.http.redactor.add(created.nonce);
    return { session: created, nonce: created.nonce, requestedAt, serverTime: answer.serverTime };
  }

  list(options: SessionListOptions = {}): Promise<Page<Session>> {
    return this.http.get('/sessions', {
      schema: pageOf(session),
      query: { status: options.status, limit: options.limit, cursor: options.cursor },
      capability: CAPABILITY.sessionsList,
      signal: options.signal,
    });
  }

  iterate(options: Omit<SessionListOptions, 'cursor'> = {}): PagedList<Session> {
    return paged((cursor) => this.list({ ...options, cursor }), options.signal);
  }

  /** Revokes sessions (idempotent; CDF may take up to an hour to enforce it). */
  async revoke(ids: readonly number[], ctx: CallContext = {}): Promise<RevokedSession[]> {
    if (ids.length === 0) return [];
    const answer = await this.http.post('/sessions/revoke', {
      // Only `id` comes back when the caller lacks sessionsAcl:LIST.
      schema: itemsOf(z.partial(session, { status: true })),
      body: { items: ids.map((id) => ({ id })) },
      idempotent: true,
      capability: CAPABILITY.sessionsDelete,
      signal: ctx.signal,
    });
    return answer.items;
  }
}
