// Typed errors thrown by src/core. The one command boundary in src/vscode decides what to show from the
// type and its fields, never from message text. Messages say what to do next and never contain a secret.

export abstract class CdfError extends Error {
  abstract readonly kind: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The user (or code on the user's behalf) cancelled the operation: shown silently. */
export class CancelledError extends CdfError {
  readonly kind = 'cancelled';
  constructor(message = 'Cancelled.') {
    super(message);
  }
}

/**
 * The client was closed before a call could use it (its connection was removed or signed out, or the
 * extension is stopping). Unlike a cancellation the user did not ask for this, so it is shown, with what
 * to do. Calls that had started when the client was closed ran to their end.
 */
export class ClientClosedError extends CdfError {
  readonly kind = 'client-closed';
  constructor(
    message: string,
    /** Why the client was closed, as given to close(). */
    readonly reason: string | undefined,
  ) {
    super(message);
  }
}

/** Bad input found before anything was sent; line and column are 1-based when known. */
export class InputError extends CdfError {
  readonly kind = 'input';
  constructor(
    message: string,
    readonly location?: { line: number; column: number; offset: number },
  ) {
    super(message);
  }
}

/**
 * What a CDF error response means, following REFERENCE §1.6 (the Python SDK's classification):
 * 401 → unauthorized; 403 → forbidden; 409 with `duplicated` → duplicated; 400/404/422 with `missing`
 * and any 404 → not-found; 429 → throttled; 400/422 otherwise → invalid; 5xx → server; else other.
 */
export type ApiErrorReason =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'duplicated'
  | 'throttled'
  | 'invalid'
  | 'server'
  | 'other';

/** Where a failed request went: method and path relative to the project (never a query string). */
export interface RequestTarget {
  readonly method: string;
  readonly path: string;
}

/** CDF answered with an error status. `message` is written for people; the fields are for code. */
export class CdfApiError extends CdfError {
  readonly kind = 'api';
  readonly status: number;
  /** `error.code` of the body (equals the HTTP status in practice). */
  readonly code: number;
  /** The server's own message, without our advice around it. */
  readonly serverMessage: string;
  readonly requestId: string | undefined;
  readonly missing: readonly Record<string, unknown>[];
  readonly duplicated: readonly Record<string, unknown>[];
  /** Other keys the service put inside `error`. */
  readonly extra: Readonly<Record<string, unknown>>;
  readonly reason: ApiErrorReason;
  readonly method: string;
  readonly path: string;
  /** How many times the request was resent before this error was final. */
  readonly retries: number;
  /** For 403: the capability the call needs (REFERENCE §6), e.g. `workflowOrchestrationAcl:WRITE`. */
  readonly capability: string | undefined;

  constructor(
    message: string,
    fields: {
      status: number;
      code?: number;
      serverMessage: string;
      requestId?: string;
      missing?: readonly Record<string, unknown>[];
      duplicated?: readonly Record<string, unknown>[];
      extra?: Record<string, unknown>;
      reason: ApiErrorReason;
      target: RequestTarget;
      retries: number;
      capability?: string;
    },
  ) {
    super(message);
    this.status = fields.status;
    this.code = fields.code ?? fields.status;
    this.serverMessage = fields.serverMessage;
    this.requestId = fields.requestId;
    this.missing = fields.missing ?? [];
    this.duplicated = fields.duplicated ?? [];
    this.extra = fields.extra ?? {};
    this.reason = fields.reason;
    this.method = fields.target.method;
    this.path = fields.target.path;
    this.retries = fields.retries;
    this.capability = fields.capability;
  }
}

/** The connection failed (refused, reset, DNS, TLS). `requestSent` is false only when CDF certainly never saw it. */
export class NetworkError extends CdfError {
  readonly kind = 'network';
  constructor(
    message: string,
    readonly target: RequestTarget,
    readonly code: string | undefined,
    readonly requestSent: boolean,
    readonly retries: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** No complete response within the request timeout. */
export class TimeoutError extends CdfError {
  readonly kind = 'timeout';
  constructor(
    message: string,
    readonly target: RequestTarget,
    readonly timeoutMs: number,
    readonly retries: number,
  ) {
    super(message);
  }
}

/** One place where a body broke its schema: `path` is a JSON path like `items[3].createdTime`. */
export interface SchemaIssue {
  readonly path: string;
  readonly message: string;
}

/** A response (or a file/definition we parse) did not have the shape we rely on. */
export class SchemaError extends CdfError {
  readonly kind = 'schema';
  constructor(
    message: string,
    readonly target: RequestTarget,
    readonly issues: readonly SchemaIssue[],
    /** HTTP status of the response that broke the schema (a 2xx means the server did the work). */
    readonly status: number,
    readonly requestId: string | undefined,
  ) {
    super(message);
  }
}

/**
 * A request that could create something (run, function create/call, file create, schedule create) failed
 * in a way that does not tell whether the server did it. It was not resent. `checked` says whether the
 * client looked for the result (for run: an execution carrying `runId`) and did not find it.
 */
export class OutcomeUnknownError extends CdfError {
  readonly kind = 'outcome-unknown';
  constructor(
    message: string,
    readonly operation: string,
    readonly checked: boolean,
    readonly runId?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Why the identity provider would not give a token. */
export type AuthErrorReason =
  | 'invalid-client'
  | 'invalid-scope'
  | 'invalid-grant'
  | 'access-denied'
  | 'expired'
  | 'token-endpoint'
  | 'rejected-token';

/** Getting or using a token failed at the identity provider (not at CDF). */
export class AuthError extends CdfError {
  readonly kind = 'auth';
  constructor(
    message: string,
    readonly reason: AuthErrorReason,
    /** The OAuth2 `error` code when the identity provider sent one, e.g. `invalid_client`. */
    readonly oauthError?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
