// Turns a CDF error response into a CdfApiError whose message says what to do next (REFERENCE §1.6).
// Whatever the server sent is masked with the client's known secrets before it reaches the error, and only
// a short excerpt of it goes into the message: a server that echoes a request (or is hostile) must not be
// able to put a secret, or pages of text, in front of the user. The full masked text goes to the log.
import { type ApiErrorReason, CdfApiError, type RequestTarget } from '../errors';
import { type Logger } from '../log';
import { capText, type Redactor, redactDeep } from '../redact';
import { errorBody } from '../schemas/errorBody';

export interface ErrorContext {
  readonly target: RequestTarget;
  readonly project: string;
  readonly retries: number;
  readonly elapsedMs: number;
  readonly requestId: string | undefined;
  /** The capability the call needs, for 403 messages (REFERENCE §6). */
  readonly capability: string | undefined;
  /** What the call was about, for 404 messages: `workflow "daily-sync"`. */
  readonly subject: string | undefined;
  readonly unauthorizedAdvice: string;
  readonly redactor: Redactor;
  /** Gets the server's text in full (masked) when the message shows only part of it. */
  readonly log?: Logger;
}

interface ParsedBody {
  code?: number;
  message: string;
  missing: Record<string, unknown>[];
  duplicated: Record<string, unknown>[];
  extra: Record<string, unknown>;
}

function parseBody(status: number, text: string): ParsedBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // A gateway's HTML page or plain text: keep a short, single-line excerpt.
    const excerpt = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
    return { message: excerpt || `HTTP ${status}`, missing: [], duplicated: [], extra: {} };
  }
  const parsed = errorBody.safeParse(json);
  if (!parsed.success) return { message: `HTTP ${status}`, missing: [], duplicated: [], extra: {} };
  const error = parsed.data.error;
  if (typeof error === 'string') return { message: error, missing: [], duplicated: [], extra: {} };
  const { code, message, missing, duplicated, ...extra } = error;
  return { code, message: message ?? `HTTP ${status}`, missing: missing ?? [], duplicated: duplicated ?? [], extra };
}

export function classify(status: number, body: { missing: unknown[]; duplicated: unknown[] }): ApiErrorReason {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 409 && body.duplicated.length > 0) return 'duplicated';
  if (status === 404 || ((status === 400 || status === 422) && body.missing.length > 0)) return 'not-found';
  if (status === 409) return 'duplicated';
  if (status === 429) return 'throttled';
  if (status === 400 || status === 422) return 'invalid';
  if (status >= 500) return 'server';
  return 'other';
}

const ids = (items: readonly Record<string, unknown>[]) =>
  items
    .slice(0, 5)
    .map((i) => JSON.stringify(i))
    .join(', ') + (items.length > 5 ? ` and ${items.length - 5} more` : '');

export function apiError(status: number, bodyText: string, ctx: ErrorContext): CdfApiError {
  const parsed = parseBody(status, bodyText);
  const body = {
    ...parsed,
    missing: redactDeep(parsed.missing, ctx.redactor),
    duplicated: redactDeep(parsed.duplicated, ctx.redactor),
    extra: redactDeep(parsed.extra, ctx.redactor),
  };
  const reason = classify(status, body);
  const serverMessage = ctx.redactor.redact(body.message);
  const where = `${ctx.target.method} ${ctx.target.path}`;
  let cut = false;
  const excerpt = (text: string): string => {
    const capped = capText(text);
    cut ||= capped.cut;
    return capped.text;
  };
  const shortMessage = excerpt(serverMessage);
  const said = shortMessage.endsWith('.') || shortMessage.endsWith('…') ? shortMessage : `${shortMessage}.`;
  const req = ctx.requestId ? ` (request id ${ctx.requestId})` : '';
  const seconds = (ctx.elapsedMs / 1000).toFixed(1);
  let message: string;
  switch (reason) {
    case 'unauthorized':
      message = `CDF rejected the credentials (401) for ${where}: ${said} ${ctx.unauthorizedAdvice}`;
      break;
    case 'forbidden':
      message =
        `Access denied (403) for ${where} in project "${ctx.project}": ${said} ` +
        (ctx.capability
          ? `The identity needs the capability ${ctx.capability}; ask a CDF admin to add it to one of its groups (Token inspect shows the ones it has).`
          : 'Ask a CDF admin which capability is missing (Token inspect shows the ones the identity has).');
      break;
    case 'not-found': {
      const what = body.missing.length > 0 ? `Not found: ${excerpt(ids(body.missing))}` : `${ctx.subject ?? 'The resource'} was not found`;
      message = `${what} (404, ${where}) in project "${ctx.project}". Check the id, or refresh the view: it may have been deleted.`;
      break;
    }
    case 'duplicated':
      message = `Already exists (409, ${where}): ${body.duplicated.length > 0 ? excerpt(ids(body.duplicated)) : said} Use another id, or delete the existing one first.`;
      break;
    case 'throttled':
      message =
        `CDF is throttling requests (429) for ${where}: ${said} Retried ${ctx.retries} time${ctx.retries === 1 ? '' : 's'} over ${seconds} s. ` +
        'Wait a minute and try again, or run fewer operations at once.';
      break;
    case 'invalid':
      message = `CDF refused the request (${status}) for ${where}: ${said} Correct the request and try again.`;
      break;
    case 'server':
      message =
        `CDF failed (${status}) for ${where}${ctx.retries > 0 ? ` after ${ctx.retries} retries over ${seconds} s` : ''}: ${said} ` +
        `Try again later; if it keeps failing, give Cognite support the request id${req}.`;
      break;
    default:
      message = `CDF answered ${status} for ${where}: ${said}`;
  }
  if (cut) {
    const full = JSON.stringify({ message: serverMessage, missing: body.missing, duplicated: body.duplicated, ...body.extra });
    ctx.log?.warn(`${where} ${status}${ctx.requestId ? ` req=${ctx.requestId}` : ''}: the error in full: ${capText(full, 20_000).text}`);
  }
  return new CdfApiError(message, {
    status,
    code: body.code,
    serverMessage,
    requestId: ctx.requestId,
    missing: body.missing,
    duplicated: body.duplicated,
    extra: body.extra,
    reason,
    target: ctx.target,
    retries: ctx.retries,
    capability: ctx.capability,
  });
}
