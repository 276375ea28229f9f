// The one client to CDF: keep-alive agents per origin (node:http/https, see transport.ts), bearer auth,
// x-cdp-* headers, timeouts, cancellation, retries, typed errors and one log line per request. Every body
// is parsed with a schema.
import { performance } from 'node:perf_hooks';
import type * as z from 'zod/mini';
import { type TokenSource } from '../auth/tokenSource';
import {
  CancelledError,
  type CdfApiError,
  CdfError,
  ClientClosedError,
  NetworkError,
  OutcomeUnknownError,
  type RequestTarget,
  SchemaError,
  TimeoutError,
} from '../errors';
import { type Logger, silentLogger } from '../log';
import { Redactor, redactingLogger } from '../redact';
import { describeIssues, schemaIssues } from '../schemas/common';
import { sleep } from './abort';
import { apiError } from './apiErrors';
import { nextRetryDelayMs, parseRetryAfterMs, type RetryPolicy, retryPolicy } from './retryPolicy';
import { createOriginAgent, MAX_RESPONSE_BYTES, request, RESPONSE_TOO_LARGE, TransportError, type OriginAgent, type ResponseHeaders } from './transport';
import { checkUrlText, encodePathSegment, parseServiceUrl } from './urls';

export const DEFAULT_TIMEOUT_MS = 60_000;
export const UPLOAD_TIMEOUT_MS = 600_000;
export const CDF_VERSION = '20230101';
export const SDK_NAME = 'cdf-workflows-vscode';

export type QueryValue = string | number | boolean | undefined;
export type Query = Readonly<Record<string, QueryValue>>;

export interface CdfHttpOptions {
  /** `https://{cluster}.cognitedata.com`, or the sandbox's `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  readonly project: string;
  readonly tokenSource: TokenSource;
  /** Sent as `x-cdp-sdk: cdf-workflows-vscode:<appVersion>`. */
  readonly appVersion: string;
  /** Sent as `x-cdp-app`. */
  readonly appName?: string;
  readonly logger?: Logger;
  readonly retry?: Partial<RetryPolicy>;
  /** Per-request timeout, default DEFAULT_TIMEOUT_MS (60 s); uploads use UPLOAD_TIMEOUT_MS unless told otherwise. */
  readonly timeoutMs?: number;
  /** Masks secrets in log lines and error messages; tokens and session secrets are added as they are used. */
  readonly redactor?: Redactor;
  /** Connections per origin. */
  readonly connections?: number;
  /** Largest response body read (default MAX_RESPONSE_BYTES, 64 MB); a larger one fails the call. */
  readonly maxResponseBytes?: number;
}

export interface CallOptions<S extends z.ZodMiniType> {
  /** Parses the response body; a mismatch throws SchemaError naming the field. */
  readonly schema: S;
  readonly query?: Query;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** The capability this call needs, named in 403 messages (REFERENCE §6). */
  readonly capability?: string;
  /** What the call is about, named in 404 and outcome-unknown messages: `workflow "daily-sync"`. */
  readonly subject?: string;
}

export interface SendOptions<S extends z.ZodMiniType> extends CallOptions<S> {
  /**
   * Decided per call. Idempotent requests are resent after 429, 502/503/504, connection failures and
   * timeouts. Others (they may create something) are resent only when the server certainly did not
   * process them: 429, or a connection that failed before the request was sent; any other failure
   * throws OutcomeUnknownError.
   */
  readonly idempotent: boolean;
}

export interface CdfResponse<T> {
  readonly data: T;
  readonly status: number;
  readonly requestId: string | undefined;
  /** The server's clock (Date header, ms) when it answered, if sent. */
  readonly serverTime: number | undefined;
  readonly retries: number;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

const TIMEOUT = Symbol('timeout');
const CANCEL = Symbol('cancel');

// `sent`: whether the server may have got the whole request (transport.ts decides); false means it may be
// sent again without being done twice.
type Attempt =
  | { type: 'response'; status: number; headers: ResponseHeaders; text: string; ms: number }
  | { type: 'network'; error: unknown; code: string | undefined; sent: boolean; ms: number }
  | { type: 'timeout'; sent: boolean; ms: number }
  | { type: 'cancelled'; sent: boolean; ms: number };

function header(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    checkUrlText(String(value), `The ${key} parameter`);
    params.append(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

export class CdfHttp {
  readonly baseUrl: string;
  readonly project: string;
  readonly redactor: Redactor;
  /** `/api/v1/projects/{project}` on the base URL's origin (keeps a base path if there is one). */
  private readonly projectPath: string;
  private readonly apiRoot: string;
  private readonly origin: string;
  private readonly tokens: TokenSource;
  private readonly log: Logger;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly connections: number;
  private readonly maxResponseBytes: number;
  private readonly agents = new Map<string, OriginAgent>();
  private readonly staticHeaders: Record<string, string>;
  /** open: takes calls; closing: refuses new calls, lets started ones finish; closed: connections closed. */
  private state: 'open' | 'closing' | 'closed' = 'open';
  private closeReason: string | undefined;
  private inFlight = 0;
  private readonly idle: (() => void)[] = [];

  constructor(options: CdfHttpOptions) {
    const url = parseServiceUrl(options.baseUrl, 'CDF base URL');
    if (options.project.trim() === '') throw new TypeError('CdfHttp needs a project.');
    this.origin = url.origin;
    const basePath = url.pathname.replace(/\/+$/, '');
    this.apiRoot = `${basePath}/api/v1`;
    this.projectPath = `${this.apiRoot}/projects/${encodePathSegment(options.project, 'The project name')}`;
    this.baseUrl = `${url.origin}${basePath}`;
    this.project = options.project;
    this.tokens = options.tokenSource;
    this.redactor = options.redactor ?? new Redactor();
    this.log = redactingLogger(options.logger ?? silentLogger, this.redactor);
    this.policy = retryPolicy(options.retry);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.connections = options.connections ?? 16;
    this.maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    this.staticHeaders = {
      accept: 'application/json',
      'x-cdp-sdk': `${SDK_NAME}:${options.appVersion}`,
      'x-cdp-app': options.appName ?? SDK_NAME,
      'cdf-version': CDF_VERSION,
    };
    const credentials = this.tokens.sessionCredentials();
    if (credentials.kind === 'clientCredentials') this.redactor.add(credentials.clientSecret);
  }

  get<S extends z.ZodMiniType>(path: string, options: CallOptions<S>): Promise<z.output<S>> {
    return this.send('GET', path, { ...options, idempotent: true }).then((r) => r.data);
  }

  post<S extends z.ZodMiniType>(path: string, options: SendOptions<S>): Promise<z.output<S>> {
    return this.send('POST', path, options).then((r) => r.data);
  }

  put<S extends z.ZodMiniType>(path: string, options: CallOptions<S>): Promise<z.output<S>> {
    return this.send('PUT', path, { ...options, idempotent: true }).then((r) => r.data);
  }

  /**
   * One call with retries. `path` is relative to the project (`/workflows`) unless it starts with
   * `/api/` (e.g. `/api/v1/token/inspect`).
   */
  async send<S extends z.ZodMiniType>(method: string, path: string, options: SendOptions<S>): Promise<CdfResponse<z.output<S>>> {
    return this.tracked(`${method} ${path}`, () => this.sendOnce(method, path, options));
  }

  /** Runs one call (with its retries) as in flight: close() waits for it instead of cutting it off. */
  private async tracked<T>(what: string, call: () => Promise<T>): Promise<T> {
    if (this.state !== 'open') throw this.closedError(what);
    this.inFlight++;
    try {
      return await call();
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) for (const wake of this.idle.splice(0)) wake();
    }
  }

  private closedError(what: string): ClientClosedError {
    const why = this.closeReason ?? 'the CDF client was closed';
    return new ClientClosedError(`${what} was not sent: ${why}. Run it again.`, this.closeReason);
  }

  private async sendOnce<S extends z.ZodMiniType>(method: string, path: string, options: SendOptions<S>): Promise<CdfResponse<z.output<S>>> {
    const fullPath = (path.startsWith('/api/') ? `${this.apiRoot}${path.slice('/api/v1'.length)}` : `${this.projectPath}${path}`) + queryString(options.query);
    const target: RequestTarget = { method, path };
    const bodyText = options.body === undefined ? undefined : JSON.stringify(options.body);
    const started = performance.now();
    let retries = 0;
    let renewedAuth = false;

    for (;;) {
      if (options.signal?.aborted) throw new CancelledError();
      const token = await this.tokens.getToken(options.signal);
      this.redactor.add(token);
      const headers: Record<string, string> = { ...this.staticHeaders, authorization: `Bearer ${token}` };
      if (bodyText !== undefined) headers['content-type'] = 'application/json';
      const attempt = await this.dispatch(this.origin, method, fullPath, headers, bodyText, options.timeoutMs ?? this.timeoutMs, options.signal);
      const elapsedMs = performance.now() - started;

      if (attempt.type === 'cancelled') {
        this.logLine('info', target, 'cancelled', attempt.ms, undefined, retries);
        if (!options.idempotent && attempt.sent) {
          throw this.outcomeUnknown(target, options, 'it was cancelled while the request was in flight', new CancelledError());
        }
        throw new CancelledError();
      }

      if (attempt.type === 'response') {
        const { status } = attempt;
        const requestId = header(attempt.headers, 'x-request-id');
        if (status >= 200 && status < 300) {
          this.logLine('info', target, String(status), attempt.ms, requestId, retries);
          return {
            data: this.parse(attempt.text, options.schema, target, status, requestId),
            status,
            requestId,
            serverTime: parseDate(header(attempt.headers, 'date')),
            retries,
          };
        }
        if (status === 401 && !renewedAuth) {
          // One renewal: the token may have expired or been revoked since it was cached.
          renewedAuth = true;
          this.tokens.invalidate(token);
          this.log.debug(`${method} ${path} 401 ${attempt.ms}ms req=${requestId ?? '-'}; renewing the token once`);
          continue;
        }
        const autoRetryable = header(attempt.headers, 'cdf-is-auto-retryable') !== undefined;
        const error = (): CdfApiError =>
          apiError(status, attempt.text, {
            target,
            project: this.project,
            retries,
            elapsedMs,
            requestId,
            capability: options.capability,
            subject: options.subject,
            unauthorizedAdvice: this.tokens.unauthorizedAdvice,
            redactor: this.redactor,
            log: this.log,
          });
        const retryable = status === 429 || (options.idempotent && (RETRYABLE_STATUS.has(status) || autoRetryable));
        if (retryable) {
          const delay = nextRetryDelayMs(this.policy, {
            retry: retries,
            elapsedMs,
            retryAfterMs: parseRetryAfterMs(header(attempt.headers, 'retry-after'), Date.now()),
          });
          if (delay !== undefined) {
            this.log.debug(`${method} ${path} ${status} ${attempt.ms}ms req=${requestId ?? '-'} (attempt ${retries + 1}); retrying in ${delay}ms`);
            await sleep(delay, options.signal);
            retries++;
            continue;
          }
        }
        this.logLine('warn', target, String(status), attempt.ms, requestId, retries);
        // A 5xx on a request that may create something does not say whether it was done.
        if (!options.idempotent && status >= 500) throw this.outcomeUnknown(target, options, `the server answered ${status}`, error());
        throw error();
      }

      // Network failure or timeout. A response too large to read would be as large again.
      const sent = attempt.sent;
      const tooLarge = attempt.type === 'network' && attempt.code === RESPONSE_TOO_LARGE;
      if ((options.idempotent || !sent) && !tooLarge) {
        const delay = nextRetryDelayMs(this.policy, { retry: retries, elapsedMs });
        if (delay !== undefined) {
          this.log.debug(`${method} ${path} ${attempt.type === 'timeout' ? 'timeout' : (attempt.code ?? 'network error')} ${attempt.ms}ms (attempt ${retries + 1}); retrying in ${delay}ms`);
          await sleep(delay, options.signal);
          retries++;
          continue;
        }
      }
      const failure = attempt.type === 'timeout' ? this.timeoutError(target, options, retries) : this.networkError(target, attempt, retries);
      this.logLine('warn', target, attempt.type === 'timeout' ? 'timeout' : (attempt.code ?? 'network-error'), attempt.ms, undefined, retries);
      if (!options.idempotent && sent) {
        throw this.outcomeUnknown(
          target,
          options,
          attempt.type === 'timeout'
            ? 'no answer came within the timeout'
            : tooLarge
              ? 'its answer was too large to read'
              : 'the connection failed after the request was sent',
          failure,
        );
      }
      throw failure;
    }
  }

  /**
   * PUTs bytes to a file upload URL. The URL may be on another origin (pre-signed storage): then no
   * Authorization or x-cdp-* header is sent. A relative URL is resolved against the base URL.
   */
  upload(uploadUrl: string, bytes: Uint8Array, options: { contentType?: string; signal?: AbortSignal; timeoutMs?: number } = {}): Promise<void> {
    return this.tracked('The upload', () => this.uploadOnce(uploadUrl, bytes, options));
  }

  private async uploadOnce(uploadUrl: string, bytes: Uint8Array, options: { contentType?: string; signal?: AbortSignal; timeoutMs?: number }): Promise<void> {
    const url = new URL(uploadUrl, `${this.baseUrl}/`);
    if (url.protocol !== 'https:') parseServiceUrl(url.href, 'File upload URL');
    const sameOrigin = url.origin === this.origin;
    const target: RequestTarget = { method: 'PUT', path: sameOrigin ? url.pathname.replace(this.projectPath, '') : `${url.origin}${url.pathname}` };
    const started = performance.now();
    let retries = 0;
    for (;;) {
      const headers: Record<string, string> = {
        'content-type': options.contentType ?? 'application/octet-stream',
        'content-length': String(bytes.byteLength),
      };
      let token: string | undefined;
      if (sameOrigin) {
        token = await this.tokens.getToken(options.signal);
        Object.assign(headers, this.staticHeaders, { authorization: `Bearer ${token}` });
      }
      const attempt = await this.dispatch(url.origin, 'PUT', url.pathname + url.search, headers, bytes, options.timeoutMs ?? UPLOAD_TIMEOUT_MS, options.signal);
      const elapsedMs = performance.now() - started;
      if (attempt.type === 'cancelled') throw new CancelledError();
      if (attempt.type === 'response' && attempt.status >= 200 && attempt.status < 300) {
        this.logLine('info', target, String(attempt.status), attempt.ms, header(attempt.headers, 'x-request-id'), retries);
        return;
      }
      // Writing the same bytes to the same URL twice is harmless: every failure kind may be retried.
      const retryable = attempt.type === 'response' ? RETRYABLE_STATUS.has(attempt.status) : !(attempt.type === 'network' && attempt.code === RESPONSE_TOO_LARGE);
      const retryAfterMs = attempt.type === 'response' ? parseRetryAfterMs(header(attempt.headers, 'retry-after'), Date.now()) : undefined;
      const delay = retryable ? nextRetryDelayMs(this.policy, { retry: retries, elapsedMs, retryAfterMs }) : undefined;
      if (delay !== undefined) {
        this.log.debug(`PUT ${target.path} ${attempt.type === 'response' ? attempt.status : attempt.type} (attempt ${retries + 1}); retrying in ${delay}ms`);
        await sleep(delay, options.signal);
        retries++;
        continue;
      }
      if (attempt.type === 'response') {
        this.logLine('warn', target, String(attempt.status), attempt.ms, header(attempt.headers, 'x-request-id'), retries);
        throw apiError(attempt.status, attempt.text, {
          target,
          project: this.project,
          retries,
          elapsedMs,
          requestId: header(attempt.headers, 'x-request-id'),
          capability: 'filesAcl:WRITE',
          subject: 'The file upload URL',
          unauthorizedAdvice: this.tokens.unauthorizedAdvice,
          redactor: this.redactor,
          log: this.log,
        });
      }
      this.logLine('warn', target, attempt.type === 'timeout' ? 'timeout' : (attempt.code ?? 'network-error'), attempt.ms, undefined, retries);
      throw attempt.type === 'timeout'
        ? this.timeoutError(target, { timeoutMs: options.timeoutMs ?? UPLOAD_TIMEOUT_MS }, retries)
        : this.networkError(target, attempt, retries);
    }
  }

  /**
   * Refuses new calls at once (ClientClosedError, saying `reason`: "connection "x" was removed"), lets the
   * calls already started finish, then closes every kept-alive connection.
   */
  async close(reason?: string): Promise<void> {
    if (this.state === 'open') {
      this.state = 'closing';
      this.closeReason = reason;
    }
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    this.state = 'closed';
    const agents = [...this.agents.values()];
    this.agents.clear();
    for (const agent of agents) agent.destroy();
  }

  /** True once close() was called. */
  get isClosed(): boolean {
    return this.state !== 'open';
  }

  private agent(origin: string): OriginAgent {
    if (this.state === 'closed') throw this.closedError(`A request to ${origin}`);
    let agent = this.agents.get(origin);
    if (!agent) {
      agent = createOriginAgent(origin, { connections: this.connections });
      this.agents.set(origin, agent);
    }
    return agent;
  }

  private async dispatch(
    origin: string,
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string | Uint8Array | undefined,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<Attempt> {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    const controller = new AbortController();
    // Our own timer covers the whole exchange, body included.
    const timer = setTimeout(() => controller.abort(TIMEOUT), timeoutMs);
    const onAbort = () => controller.abort(CANCEL);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await request(
        `${origin}${path}`,
        { method, headers, body, signal: controller.signal, maxResponseBytes: this.maxResponseBytes },
        this.agent(origin),
      );
      return { type: 'response', status: response.status, headers: response.headers, text: response.text, ms: ms() };
    } catch (error) {
      if (error instanceof CdfError) throw error;
      const sent = error instanceof TransportError ? error.sent : true;
      if (controller.signal.aborted) return { type: controller.signal.reason === TIMEOUT ? 'timeout' : 'cancelled', sent, ms: ms() };
      const code = error instanceof TransportError ? error.code : undefined;
      return { type: 'network', error, code, sent, ms: ms() };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private parse<S extends z.ZodMiniType>(text: string, schema: S, target: RequestTarget, status: number, requestId: string | undefined): z.output<S> {
    let json: unknown;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new SchemaError(
        `The response to ${target.method} ${target.path} (${status}) is not valid JSON${requestId ? ` (request id ${requestId})` : ''}. ` +
          'A proxy or gateway may have answered instead of CDF: check the base URL and network, then try again.',
        target,
        [{ path: '(body)', message: 'not valid JSON' }],
        status,
        requestId,
      );
    }
    const result = schema.safeParse(json);
    if (result.success) return result.data;
    const issues = schemaIssues(result.error);
    throw new SchemaError(
      `The response to ${target.method} ${target.path} does not have the expected shape: ${describeIssues(issues)}. ` +
        `Check that the base URL points at CDF; if it does, report this with the request id${requestId ? ` ${requestId}` : ''}.`,
      target,
      issues,
      status,
      requestId,
    );
  }

  private outcomeUnknown(target: RequestTarget, options: { subject?: string }, why: string, cause: Error): OutcomeUnknownError {
    const what = options.subject ?? `${target.method} ${target.path}`;
    return new OutcomeUnknownError(
      `The outcome of ${what} is unknown: ${why}, so it may or may not have been done. It was not sent again, ` +
        'to avoid doing it twice. Check whether it exists in CDF before trying again.',
      what,
      false,
      undefined,
      { cause },
    );
  }

  private timeoutError(target: RequestTarget, options: { timeoutMs?: number }, retries: number): TimeoutError {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    return new TimeoutError(
      `${target.method} ${target.path} got no answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}` +
        `${retries > 0 ? ` (${retries + 1} attempts)` : ''}. CDF may be slow or unreachable: check the network and try again.`,
      target,
      timeoutMs,
      retries,
    );
  }

  private networkError(target: RequestTarget, attempt: Extract<Attempt, { type: 'network' }>, retries: number): NetworkError {
    const code = attempt.code ?? 'network error';
    if (code === RESPONSE_TOO_LARGE) {
      const what = attempt.error instanceof Error ? attempt.error.message.replace(/\.$/, '') : 'The response is too large';
      return new NetworkError(
        `${target.method} ${target.path}: ${what.charAt(0).toLowerCase()}${what.slice(1)} (${code}). ` +
          'Something other than CDF may have answered (a proxy or gateway): check the base URL and the network, then try again.',
        target,
        code,
        true,
        retries,
        { cause: attempt.error },
      );
    }
    const detail = attempt.sent ? 'the connection failed during the request' : `could not connect to ${this.origin}`;
    return new NetworkError(
      `${target.method} ${target.path}: ${detail} (${code})${retries > 0 ? ` after ${retries} retries` : ''}. ` +
        'Check the network, VPN or proxy and the base URL, then try again.',
      target,
      attempt.code,
      attempt.sent,
      retries,
      { cause: attempt.error },
    );
  }

  private logLine(level: 'info' | 'warn', target: RequestTarget, outcome: string, ms: number, requestId: string | undefined, retries: number): void {
    this.log[level](
      `${target.method} ${target.path} ${outcome} ${ms}ms req=${requestId ?? '-'}${retries > 0 ? ` after ${retries} ${retries === 1 ? 'retry' : 'retries'}` : ''}`,
    );
  }
}

function parseDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
