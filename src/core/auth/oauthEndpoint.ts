// Form-encoded requests to an identity provider's token and device authorization endpoints, with
// retries on throttling and outages, and errors that name what to check. Secrets never reach a message.
import { performance } from 'node:perf_hooks';
import type * as z from 'zod/mini';
import { AuthError, type AuthErrorReason, CancelledError } from '../errors';
import { sleep } from '../http/abort';
import { nextRetryDelayMs, parseRetryAfterMs, type RetryPolicy, retryPolicy } from '../http/retryPolicy';
import { errorCode, request } from '../http/transport';
import { type Logger } from '../log';
import { capText, Redactor } from '../redact';
import { oauthErrorResponse } from '../schemas/oauth';

export interface EndpointOptions {
  readonly logger: Logger;
  readonly retry?: Partial<RetryPolicy>;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Advice added to invalid-client errors: which settings to check. */
  readonly credentialsAdvice: string;
}

/** An OAuth2 error answer that a caller handles itself (authorization_pending, slow_down). */
export class OAuthErrorAnswer extends Error {
  constructor(
    readonly error: string,
    readonly description: string | undefined,
    readonly status: number,
  ) {
    super(error);
  }
}

const REASONS: Record<string, AuthErrorReason> = {
  invalid_client: 'invalid-client',
  unauthorized_client: 'invalid-client',
  invalid_scope: 'invalid-scope',
  invalid_grant: 'invalid-grant',
  access_denied: 'access-denied',
  expired_token: 'expired',
};

const DEFAULT_POLICY: Partial<RetryPolicy> = { maxRetries: 3, baseDelayMs: 300, maxDelayMs: 5_000, maxElapsedMs: 30_000 };

/** Form fields whose values are secret: an identity provider that echoes the request must not show them. */
const SECRET_FIELDS = ['client_secret', 'refresh_token', 'device_code', 'assertion', 'client_assertion', 'code_verifier', 'password', 'code'];

/**
 * POSTs `form` and parses the JSON answer with `schema`. OAuth2 error answers listed in `passThrough`
 * are thrown as OAuthErrorAnswer; other failures become AuthError.
 */
export async function postForm<S extends z.ZodMiniType>(
  url: string,
  form: Record<string, string | undefined>,
  schema: S,
  options: EndpointOptions & { passThrough?: readonly string[] },
): Promise<z.output<S>> {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) if (value !== undefined) body.append(key, value);
  const bodyText = body.toString();
  const redactor = new Redactor();
  for (const field of SECRET_FIELDS) redactor.add(form[field]);
  const where = new URL(url);
  const label = `${where.host}${where.pathname}`;
  const policy = retryPolicy({ ...DEFAULT_POLICY, ...options.retry });
  const started = performance.now();
  for (let retry = 0; ; retry++) {
    if (options.signal?.aborted) throw new CancelledError();
    const attemptStart = performance.now();
    let status: number;
    let text: string;
    let retryAfter: string | undefined;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 30_000);
    const onAbort = () => controller.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // Node's global agent: one token request now and then needs no pool of its own.
      const response = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: bodyText,
        signal: controller.signal,
      });
      status = response.status;
      text = response.text;
      const ra = response.headers['retry-after'];
      retryAfter = Array.isArray(ra) ? ra[0] : ra;
    } catch (error) {
      if (options.signal?.aborted) throw new CancelledError();
      const timedOut = controller.signal.aborted;
      const ms = Math.round(performance.now() - attemptStart);
      const delay = nextRetryDelayMs(policy, { retry, elapsedMs: performance.now() - started });
      options.logger.debug(`POST ${label} ${timedOut ? 'timeout' : (errorCode(error) ?? 'network error')} ${ms}ms${delay !== undefined ? `; retrying in ${delay}ms` : ''}`);
      if (delay !== undefined) {
        await sleep(delay, options.signal);
        continue;
      }
      throw new AuthError(
        `Could not reach the identity provider at ${where.origin}${timedOut ? ' (no answer in time)' : ''}. Check the token URL and the network, then try again.`,
        'token-endpoint',
        undefined,
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
    const ms = Math.round(performance.now() - attemptStart);
    options.logger.debug(`POST ${label} ${status} ${ms}ms`);

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (status >= 200 && status < 300) {
      const parsed = schema.safeParse(json);
      if (parsed.success) return parsed.data;
      throw new AuthError(
        `The identity provider at ${where.origin} answered without the expected fields. Check that the token URL is the OAuth2 token endpoint (…/oauth2/v2.0/token for Entra ID).`,
        'token-endpoint',
      );
    }
    const oauthError = oauthErrorResponse.safeParse(json);
    if (oauthError.success && options.passThrough?.includes(oauthError.data.error)) {
      throw new OAuthErrorAnswer(oauthError.data.error, redactor.redact(oauthError.data.error_description ?? '') || undefined, status);
    }
    if (status === 429 || status >= 500) {
      const delay = nextRetryDelayMs(policy, { retry, elapsedMs: performance.now() - started, retryAfterMs: parseRetryAfterMs(retryAfter, Date.now()) });
      if (delay !== undefined) {
        options.logger.debug(`POST ${label} ${status}; retrying in ${delay}ms`);
        await sleep(delay, options.signal);
        continue;
      }
    }
    if (oauthError.success) {
      const reason = REASONS[oauthError.data.error] ?? 'token-endpoint';
      // Both come from the provider: masked, and short in the message (Entra adds trace ids); the rest is logged.
      const code = capText(redactor.redact(oauthError.data.error), 64).text;
      const fullDescription = redactor.redact(oauthError.data.error_description ?? '');
      const firstLine = capText(fullDescription.split(/\r?\n/)[0]);
      if (firstLine.cut || fullDescription.includes('\n')) options.logger.warn(`POST ${label} ${status} ${code}: ${capText(fullDescription, 20_000).text}`);
      const description = firstLine.text ? ` ${firstLine.text}` : '';
      const advice =
        reason === 'invalid-client'
          ? options.credentialsAdvice
          : reason === 'invalid-scope'
            ? 'Check the scopes: for CDF they are usually https://<cluster>.cognitedata.com/.default.'
            : 'Check the connection settings and try again.';
      throw new AuthError(`The identity provider refused the token request (${code}).${description} ${advice}`, reason, code);
    }
    throw new AuthError(
      `The identity provider at ${where.origin} answered ${status}. Check the token URL and try again later.`,
      'token-endpoint',
    );
  }
}
