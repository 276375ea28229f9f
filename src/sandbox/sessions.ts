// Sessions and their nonces (REFERENCE §3): create from client credentials or token exchange, bind a
// nonce once, revoke. [emulator] A session is READY when created and ACTIVE once its nonce is bound;
// nonces are single use and expire 60 s after creation (the real service is unconfirmed on both).
import { createHash } from 'node:crypto';
import { ApiError } from './api-error';
import { type Clock } from './clock';
import { type Identity, type Principal } from './identity';
import { newInternalId, newSecretToken } from './ids';
import { type SessionRecord, type SessionType } from './model';
import { type Store } from './store';

export const NONCE_LIFETIME_MS = 60_000;
const SESSION_LIFETIME_MS = 60 * 60 * 1000;

interface PendingNonce {
  sessionId: number;
  expiresAt: number;
}

// Nonces are credentials: only their hashes are kept, and never on disk.
const hashNonce = (nonce: string): string => createHash('sha256').update(nonce).digest('hex');

export class SessionService {
  private readonly nonces = new Map<string, PendingNonce>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly identity: Identity,
  ) {}

  /** Creates a session and returns it with its one-time nonce. */
  create(type: SessionType, principal: Principal, clientId?: string): { session: SessionRecord; nonce: string } {
    const now = this.clock.now();
    const session: SessionRecord = {
      id: newInternalId(),
      type,
      status: 'READY',
      creationTime: now,
      expirationTime: now + SESSION_LIFETIME_MS,
      principal,
      ...(clientId ? { clientId } : {}),
    };
    this.store.sessions.set(session.id, session);
    const nonce = newSecretToken(24);
    this.nonces.set(hashNonce(nonce), { sessionId: session.id, expiresAt: now + NONCE_LIFETIME_MS });
    this.store.changed();
    return { session, nonce };
  }

  /** Creates a session from the configured client's credentials; 400 when they are wrong. */
  createFromClientCredentials(clientId: string, clientSecret: string): { session: SessionRecord; nonce: string } {
    const principal = this.identity.clientPrincipal(clientId, clientSecret);
    if (!principal) {
      throw new ApiError(400, `items[0]: could not create a session: the identity provider refused the client credentials of client "${clientId}". Check the client id and secret.`);
    }
    return this.create('CLIENT_CREDENTIALS', principal, clientId);
  }

  /**
   * Binds a nonce (run, retry, trigger upsert, function call, schedule create): returns the session it
   * belongs to and marks the nonce used. `field` names the request field in error messages.
   */
  bindNonce(nonce: unknown, field: string): SessionRecord {
    if (typeof nonce !== 'string' || nonce.length === 0) throw new ApiError(400, `${field}: is required: create a session (POST /sessions) and pass its nonce.`);
    const key = hashNonce(nonce);
    const pending = this.nonces.get(key);
    if (!pending) {
      throw new ApiError(400, `${field}: the nonce is not valid or has already been used. Nonces are single use: create a new session for each request.`);
    }
    this.nonces.delete(key);
    if (pending.expiresAt <= this.clock.now()) {
      throw new ApiError(400, `${field}: the nonce has expired (nonces are valid for 60 seconds). Create a new session and use its nonce right away.`);
    }
    const session = this.store.sessions.get(pending.sessionId);
    if (!session || session.status === 'REVOKED' || session.status === 'CANCELLED') {
      throw new ApiError(400, `${field}: the session behind this nonce has been revoked.`);
    }
    session.status = 'ACTIVE';
    this.store.changed();
    return session;
  }

  /** Whether work bound to a session may still run. */
  isUsable(sessionId: number): boolean {
    const s = this.store.sessions.get(sessionId);
    return !!s && (s.status === 'READY' || s.status === 'ACTIVE');
  }

  /** Mints an access token for work running as the session (function calls, cdf tasks). */
  tokenFor(sessionId: number): string {
    const s = this.store.sessions.get(sessionId);
    if (!s || !this.isUsable(sessionId)) throw new Error(`Session ${sessionId} is not active (revoked or unknown).`);
    // Keep the session alive while it is used, like a refreshed session.
    s.expirationTime = Math.max(s.expirationTime, this.clock.now() + SESSION_LIFETIME_MS);
    return this.identity.issueToken({ ...s.principal, sessionId: s.id }).accessToken;
  }

  revoke(id: number): SessionRecord | undefined {
    const s = this.store.sessions.get(id);
    if (!s) return undefined;
    s.status = 'REVOKED';
    this.store.changed();
    return s;
  }
}
