// URL rules shared by CDF and identity-provider endpoints: https only, except loopback (the sandbox).
import { InputError } from '../errors';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname) || hostname.startsWith('127.');
}

/** Parses `value` as an https URL (http allowed for loopback); `what` names it in the error. */
export function parseServiceUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new InputError(`${what} "${value}" is not a URL. Use a full address such as https://westeurope-1.cognitedata.com.`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw new InputError(`${what} "${url.origin}" must use https (plain http is only allowed for localhost, e.g. the local sandbox).`);
}

// A UTF-16 surrogate without its pair: not Unicode, so it has no UTF-8 form and no percent-encoding.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Throws InputError when `value` cannot go into a URL (a lone surrogate, e.g. an id cut in the middle of an
 * emoji). encodeURIComponent would throw a raw URIError, and URLSearchParams would silently send U+FFFD
 * instead, which names another resource.
 */
export function checkUrlText(value: string, what: string): void {
  if (!LONE_SURROGATE.test(value)) return;
  const shown = value.replace(new RegExp(LONE_SURROGATE.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const excerpt = shown.length > 80 ? `${shown.slice(0, 80)}…` : shown;
  throw new InputError(
    `${what} "${excerpt}" cannot be sent in a URL: it contains half of a UTF-16 surrogate pair, which is not valid Unicode. ` +
      'Copy the id again from CDF (it may have been cut in the middle of an emoji).',
  );
}

/** One path segment, percent-encoded like the Python SDK's quote(x, safe=""). Throws InputError for text that has no encoding. */
export function encodePathSegment(value: string | number, what = 'The id'): string {
  const text = String(value);
  checkUrlText(text, what);
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `https://{cluster}.cognitedata.com` for a cluster name like `westeurope-1`. */
export function clusterBaseUrl(cluster: string): string {
  const name = cluster.trim();
  if (!/^[a-z0-9][a-z0-9.-]*$/i.test(name)) {
    throw new InputError(`CDF cluster "${cluster}" is not a cluster name. Use the part before .cognitedata.com, e.g. westeurope-1.`);
  }
  return `https://${name}.cognitedata.com`;
}

/** The cluster of a `https://{cluster}.cognitedata.com` base URL (also private-link hosts), if any. */
export function clusterOf(baseUrl: string): string | undefined {
  const host = new URL(baseUrl).hostname;
  const match = /(?:^|\.)([a-z0-9-]+)\.cognitedata\.com$/i.exec(host);
  return match?.[1];
}

/** A CDF base URL as people paste it: the server, possibly with the API path and the project after it. */
export interface CdfBaseUrl {
  /** The origin: what the client puts `/api/v1/projects/<project>` after. */
  readonly baseUrl: string;
  /** The project named in the path (`.../api/v1/projects/<project>/...`), if any. */
  readonly project?: string;
}

/**
 * Reads a base URL that may carry CDF's API path (`https://x.cognitedata.com/api/v1/projects/my-project`,
 * copied from a browser or the SDK's docs): the origin is the base URL and the project is taken from the
 * path. Any other path is refused, since the client would silently drop it.
 */
export function parseCdfBaseUrl(value: string, what = 'Base URL'): CdfBaseUrl {
  const url = parseServiceUrl(value, what);
  const path = url.pathname.replace(/\/+$/, '');
  if (path === '' || path === '/api/v1' || path === '/api/v1/projects') return { baseUrl: url.origin };
  const match = /^\/api\/v1\/projects\/([^/]+)(?:\/.*)?$/.exec(path);
  if (match) {
    let project: string;
    try {
      project = decodeURIComponent(match[1]);
    } catch {
      project = match[1];
    }
    return { baseUrl: url.origin, project };
  }
  throw new InputError(`${what} "${url.href}" has a path (${url.pathname}); give the server only, such as ${url.origin}, or a CDF URL ending in /api/v1/projects/<project>.`);
}
