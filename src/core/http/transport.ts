// HTTP/1.1 on Node's own http and https modules: keep-alive agents per origin, a hard cap on what a response
// may hold, cancellation, and for every failure whether the request reached the server. Node's modules are
// what VS Code patches in the extension host for `http.proxy`, `http.proxySupport`, system proxies and
// certificates, so requests made here go through a user's proxy. They are looked up on every request (not
// captured when this module loads) so that whatever patching the host applies is the one used.
import type * as Http from 'node:http';
import type * as Https from 'node:https';

/** What one response body may hold: a hostile or broken server must not fill the extension host's memory. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** How long a new TCP connection may take before the request fails as not sent. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** How long an idle keep-alive connection is kept (a server's shorter `Keep-Alive: timeout` hint wins). */
export const KEEP_ALIVE_MS = 30_000;

/** A response larger than the cap. */
export const RESPONSE_TOO_LARGE = 'ERESPONSETOOLARGE';
/** The caller's signal aborted the request. */
export const ABORTED = 'ABORT_ERR';

export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface TransportResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: ResponseHeaders;
  /** The body decoded as UTF-8. */
  readonly text: string;
}

export interface TransportRequest {
  readonly method: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent with a content-length. */
  readonly body?: string | Uint8Array;
  /** Aborting destroys the request; the promise rejects with ABORT_ERR (the reason as cause). */
  readonly signal?: AbortSignal;
  readonly maxResponseBytes?: number;
  readonly connectTimeoutMs?: number;
}

/**
 * Any failure without a complete response. `sent` is false when the server certainly did not get the whole
 * request, so it may be sent again without being done twice: the failure came before the request's last
 * byte was handed to the operating system (while resolving, connecting, in the TLS handshake, or waiting for
 * a free connection). That covers refused connections, unknown hosts, certificates that do not verify, a
 * reset or timeout while connecting, whatever code the error has. True means the outcome is unknown: even an
 * error a TLS library raises while reading the answer comes after the server may have acted.
 */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly sent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransportError';
  }
}

/** The first string `code` on an error or its causes (Node puts it on the error, wrappers on a cause). */
export function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

interface NodeModules {
  readonly http: typeof Http;
  readonly https: typeof Https;
}

function nodeModules(): NodeModules {
  // The bare names (not node:http) are what VS Code's extension host intercepts to hand out its patched
  // modules; loaded when first needed, which keeps them off the activation path.
  /* eslint-disable @typescript-eslint/no-require-imports -- see above */
  return { http: require('http') as typeof Http, https: require('https') as typeof Https };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

export interface AgentOptions {
  /** Most sockets open to the origin at once; further requests wait for a free one. */
  readonly connections: number;
  readonly keepAliveMs?: number;
  /** Name resolution for the agent's sockets (tests stand in for DNS with it). */
  readonly lookup?: Http.AgentOptions['lookup'];
}

export type OriginAgent = Http.Agent;

/** A keep-alive agent for one origin (`http:` or `https:`); TLS verification is Node's default. */
export function createOriginAgent(origin: string, options: AgentOptions): OriginAgent {
  const node = nodeModules();
  const Agent = new URL(origin).protocol === 'https:' ? node.https.Agent : node.http.Agent;
  return new Agent({
    keepAlive: true,
    maxSockets: options.connections,
    maxFreeSockets: options.connections,
    // Node destroys a free socket after this long idle (and after a server's shorter Keep-Alive hint).
    timeout: options.keepAliveMs ?? KEEP_ALIVE_MS,
    // The most recently used socket first: idle ones age out instead of all being kept warm.
    scheduling: 'lifo',
    ...(options.lookup ? { lookup: options.lookup } : {}),
  });
}

/**
 * One request to `url` (its path and query are sent). `agent` undefined uses Node's global agent, which
 * VS Code's proxy support also patches.
 */
export function request(url: string | URL, options: TransportRequest, agent?: OriginAgent): Promise<TransportResponse> {
  const target = typeof url === 'string' ? new URL(url) : url;
  const max = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const connectTimeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  const signal = options.signal;
  if (signal?.aborted) return Promise.reject(new TransportError('The request was cancelled before it was sent.', ABORTED, false, { cause: signal.reason }));

  return new Promise<TransportResponse>((resolve, reject) => {
    let settled = false;
    // Every byte of the request handed to the operating system: from here on a failure leaves the outcome unknown.
    let written = false;
    let connectTimer: NodeJS.Timeout | undefined;
    let req: Http.ClientRequest | undefined;

    const settle = (error: TransportError | undefined, response?: TransportResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      signal?.removeEventListener('abort', onAbort);
      if (error) {
        req?.destroy();
        reject(error);
      } else if (response) resolve(response);
    };
    const fail = (message: string, code: string, sent: boolean, cause?: unknown): void =>
      settle(new TransportError(message, code, sent, cause === undefined ? undefined : { cause }));
    const onAbort = (): void => fail('The request was cancelled.', ABORTED, written, signal?.reason);

    const headers: Record<string, string> = { ...options.headers };
    const body = options.body;
    if (body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-length')) {
      headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
    }

    const node = nodeModules();
    const send = target.protocol === 'https:' ? node.https.request : node.http.request;
    try {
      req = send({
        protocol: target.protocol,
        // URL keeps the brackets of an IPv6 literal; the socket wants the bare address.
        hostname: target.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: target.port,
        method: options.method,
        path: `${target.pathname}${target.search}`,
        headers,
        agent,
      });
    } catch (error) {
      // Headers Node refuses (a control character in a value) or a bad method: nothing was sent.
      fail(`The request could not be made: ${error instanceof Error ? error.message : String(error)}`, errorCode(error) ?? 'ERR_INVALID_REQUEST', false, error);
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });

    req.on('socket', (socket) => {
      // A socket that is still connecting (a new one; a reused or proxy-made one is already connected).
      if (!socket.connecting || settled) return;
      connectTimer = setTimeout(
        () => fail(`Could not connect to ${target.host} within ${connectTimeoutMs / 1000} s.`, 'ETIMEDOUT', false),
        connectTimeoutMs,
      );
      socket.once('connect', () => clearTimeout(connectTimer));
    });
    // Called once the last byte was written to the socket (after the TLS handshake, on a proxy's tunnel too).
    req.on('finish', () => {
      written = true;
    });
    req.on('error', (error) => fail(error.message, errorCode(error) ?? 'ECONNRESET', written, error));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      // The connection ended mid-body: the server got the request and began to answer.
      res.on('error', (error) => fail(error.message, errorCode(error) ?? 'ECONNRESET', true, error));
      res.on('close', () => {
        if (!res.complete) fail('The connection closed before the response was complete.', 'ECONNRESET', true);
      });
      const tooLarge = (): void =>
        fail(
          `The response (${status}) is larger than ${max >= 1024 * 1024 ? `${Math.round(max / 1024 / 1024)} MB` : `${Math.round(max / 1024)} KB`}; it was not read, so that it cannot exhaust memory.`,
          RESPONSE_TOO_LARGE,
          true,
        );
      const declared = Number(res.headers['content-length']);
      if (declared > max) {
        tooLarge();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > max) tooLarge();
        else chunks.push(chunk);
      });
      res.on('end', () => settle(undefined, { status, headers: res.headers, text: Buffer.concat(chunks, size).toString('utf8') }));
    });

    if (body === undefined) req.end();
    else req.end(body);
  });
}
