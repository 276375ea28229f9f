// What CdfHttp asks for a bearer token, and the simplest source: a token the user pasted.
import { type SessionCredentials } from '../schemas/sessions';

export interface TokenSource {
  /** A valid access token; cached sources answer from memory. Rejects with CancelledError on abort. */
  getToken(signal?: AbortSignal): Promise<string>;
  /** CDF rejected `token` (401): forget it so the next getToken fetches a new one. */
  invalidate(token: string): void;
  /** How CDF sessions (nonces for runs, triggers, schedules) are created for this identity. */
  sessionCredentials(): SessionCredentials;
  /** Advice for a 401 from CDF, naming what this kind of source should check. */
  readonly unauthorizedAdvice: string;
}

/** A token obtained elsewhere (e.g. `CDF_TOKEN`); it cannot be renewed, so a 401 means "get a new one". */
export class StaticTokenSource implements TokenSource {
  readonly unauthorizedAdvice =
    'The access token was rejected: it may have expired or be meant for another cluster. Get a new token and update the connection.';

  constructor(private readonly token: string) {
    if (token.trim() === '') throw new TypeError('StaticTokenSource needs a non-empty token.');
  }

  getToken(): Promise<string> {
    return Promise.resolve(this.token);
  }

  invalidate(): void {
    // Nothing to renew: the next request sends the same token and gets the same 401.
  }

  sessionCredentials(): SessionCredentials {
    return { kind: 'tokenExchange' };
  }
}
