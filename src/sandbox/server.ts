// The sandbox's HTTP plumbing on node:http: Host and Origin checks, request ids, body decoding (gzip),
// auth, capabilities, fault injection, the request log and error bodies. Routes do the rest.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type Socket } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { ApiError } from './api-error';
import { describeNeed, hasCapability } from './capabilities';
import { type Clock } from './clock';
import { type FaultInjector, type FaultRule } from './faults';
import { type Identity, type Principal } from './identity';
import { newUuid } from './ids';
import { type RequestLog } from './request-log';
import { type ApiRequest, type ApiResponse, type Router } from './router';

/** Largest request body the sandbox reads (decompressed); file uploads may be bigger. */
const MAX_JSON_BODY = 20 * 1024 * 1024;
const MAX_UPLOAD_BODY = 200 * 1024 * 1024;

export interface HttpServerOptions {
  router: Router;
  identity: Identity;
  faults: FaultInjector;
  requests: RequestLog;
  clock: Clock;
  project: string;
  quiet: boolean;
  /** Requests carrying this header value come from the sandbox itself (cdf tasks): no faults, not logged. */
  internalKey: string;
  log: (line: string) => void;
}

const NO_PRINCIPAL: Principal = { subject: '', clientId: '', capabilities: [] };

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('aborted')));
  });
}

function decode(raw: Buffer, encoding: string | undefined, limit: number): Buffer {
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  if (enc === '' || enc === 'identity') return raw;
  try {
    if (enc === 'gzip' || enc === 'x-gzip') return gunzipSync(raw, { maxOutputLength: limit });
    if (enc === 'deflate') return inflateSync(raw, { maxOutputLength: limit });
    if (enc === 'br') return brotliDecompressSync(raw, { maxOutputLength: limit });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new ApiError(413, `The decompressed request body is larger than ${limit} bytes.`);
    throw new ApiError(400, `The request body is not valid ${enc} data: ${(err as Error).message}`);
  }
  throw new ApiError(415, `Content-Encoding ${enc} is not supported; send gzip, deflate, br or an uncompressed body.`);
}

/**
 * Why a request is refused before anything else happens, or undefined when it may proceed. A web page the
 * user visits can reach 127.0.0.1 (a form post, or DNS rebinding that points its own name at 127.0.0.1),
 * but it cannot make its browser send one of our loopback names as Host, nor hide its Origin on a post.
 */
export function refusalOf(headers: IncomingMessage['headers'], port: number): string | undefined {
  const own = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  if (port === 80) for (const h of ['127.0.0.1', 'localhost', '[::1]']) own.add(h);
  const host = (headers.host ?? '').trim().toLowerCase();
  if (!own.has(host)) {
    return `The sandbox answers only requests for 127.0.0.1:${port}, localhost:${port} or [::1]:${port}; this one was for ${host ? `"${host.slice(0, 100)}"` : 'no Host'}. Use http://127.0.0.1:${port} as the base URL.`;
  }
  const origin = headers.origin;
  if (origin !== undefined) {
    // A browser page of the sandbox itself (the device sign-in form) sends its own origin; any other page,
    // an opaque "null" origin included, is refused.
    const ownOrigin = [...own].some((h) => origin.toLowerCase() === `http://${h}`);
    if (!ownOrigin) return `The sandbox refuses requests from web pages other than its own; this one came from ${JSON.stringify(origin.slice(0, 100))}.`;
  }
  return undefined;
}

export class SandboxHttpServer {
  readonly server: Server;
  private readonly sockets = new Set<Socket>();
  /** The port listened on: the Host check compares against it. */
  private port = -1;

  constructor(private readonly o: HttpServerOptions) {
    this.server = createServer({ requestTimeout: 0, headersTimeout: 30_000 }, (req, res) => {
      const work = this.handle(req, res).catch((err: unknown) => {
        this.o.log(`sandbox: unexpected error ${(err as Error)?.stack ?? String(err)}`);
        if (!res.headersSent && !res.destroyed) {
          try {
            this.send(res, '', { status: 500, body: new ApiError(500, 'Internal sandbox error.').toBody() });
          } catch {
            res.destroy();
          }
        }
      });
      this.o.clock.track(work);
    });
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    // Malformed HTTP (bad headers, bad framing): answer 400 when the socket can still take it, then close.
    this.server.on('clientError', (_err, socket: Socket) => {
      if (socket.writable && !socket.destroyed) {
        socket.end(`HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: application/json\r\nx-request-id: ${newUuid()}\r\n\r\n{"error":{"code":400,"message":"Malformed HTTP request."}}`);
      } else socket.destroy();
    });
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', onError);
        const address = this.server.address();
        this.port = typeof address === 'object' && address ? address.port : port;
        resolve(this.port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
      this.server.closeAllConnections?.();
    });
  }

  private send(res: ServerResponse, requestId: string, response: ApiResponse): void {
    if (res.headersSent || res.destroyed) return;
    const headers: Record<string, string> = { 'x-request-id': requestId || newUuid(), ...(response.headers ?? {}) };
    let payload: Buffer | string;
    if (response.raw !== undefined) {
      payload = response.raw;
      headers['content-type'] = response.contentType ?? 'application/octet-stream';
    } else if (response.body !== undefined) {
      payload = JSON.stringify(response.body);
      headers['content-type'] = response.contentType ?? 'application/json';
    } else {
      payload = '';
    }
    headers['content-length'] = String(Buffer.byteLength(payload));
    res.writeHead(response.status, headers);
    res.end(payload);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newUuid();
    const arrived = this.o.clock.now();
    const method = (req.method ?? 'GET').toUpperCase();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      this.send(res, requestId, { status: 400, body: new ApiError(400, 'The request URL is malformed.').toBody() });
      return;
    }
    const pathname = url.pathname;
    const internal = req.headers['x-sandbox-internal'] === this.o.internalKey;
    const control = pathname.startsWith('/_sandbox/') || pathname === '/_sandbox';
    const logIt = !internal && !control;
    const refusal = refusalOf(req.headers, this.port);
    if (refusal) {
      req.resume();
      this.o.log(`sandbox: refused ${method} ${pathname}: ${refusal}`);
      this.send(res, requestId, { status: 403, body: new ApiError(403, `Forbidden: ${refusal}`).toBody() });
      if (logIt) this.o.requests.add({ method, path: pathname, status: 403, time: arrived, requestId });
      return;
    }
    let fault: FaultRule | undefined;
    if (logIt) fault = this.o.faults.take(method, pathname);

    const record = (status: number): void => {
      if (!logIt) return;
      this.o.requests.add({ method, path: pathname, status, time: arrived, requestId, ...(fault ? { fault: String(fault.kind) } : {}) });
      if (!this.o.quiet) this.o.log(`${new Date(arrived).toISOString()} ${method} ${pathname}${url.search} -> ${status || 'reset'}${fault ? ` (fault ${fault.kind})` : ''}`);
    };

    if (fault?.kind === 'reset-before') {
      record(0);
      req.socket.destroy();
      return;
    }
    if (typeof fault?.kind === 'number') {
      // The request is refused before anything happens server-side.
      req.resume();
      const status = fault.kind;
      const message =
        status === 429 ? 'Too many requests: the sandbox is throttling this request (fault injection). Retry after the Retry-After delay.' : `Sandbox fault injection: ${status}.`;
      const headers: Record<string, string> = status === 429 ? { 'retry-after': String(fault.retryAfterSeconds ?? 1) } : {};
      this.send(res, requestId, { status, body: new ApiError(status, message).toBody(), headers });
      record(status);
      return;
    }
    if (fault?.kind === 'delay') {
      // If the client gives up during the delay, the request is not processed at all: a client that timed
      // out must be able to assume nothing happened (and retry) unless the request was already running.
      const delayMs = fault.delayMs ?? 1000;
      const gone = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          res.off('close', onClose);
          resolve(false);
        }, delayMs);
        const onClose = (): void => {
          clearTimeout(timer);
          resolve(true);
        };
        res.once('close', onClose);
      });
      if (gone || res.destroyed) {
        record(0);
        return;
      }
    }

    const response = await this.process(req, method, pathname, url.searchParams, requestId);

    if (fault?.kind === 'reset-after') {
      // Everything happened server-side; the client just never hears about it.
      record(0);
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'malformed-json') {
      const full = JSON.stringify(response.body ?? {});
      const truncated = full.slice(0, Math.max(1, Math.floor(full.length / 2)));
      this.send(res, requestId, { status: response.status, raw: truncated, contentType: 'application/json', headers: response.headers ?? {} });
      record(response.status);
      return;
    }
    this.send(res, requestId, response);
    record(response.status);
  }

  /** Runs the route for a request and turns every failure into a CDF error response. */
  private async process(req: IncomingMessage, method: string, pathname: string, query: URLSearchParams, requestId: string): Promise<ApiResponse> {
    try {
      const found = this.o.router.match(method, pathname);
      if (!found) {
        req.resume();
        throw new ApiError(404, `The sandbox has no endpoint ${method} ${pathname}.`);
      }
      if ('methodMismatch' in found) {
        req.resume();
        throw new ApiError(405, `${method} is not allowed on ${pathname}; use ${found.methodMismatch.join(' or ')}.`, {
          headers: { allow: found.methodMismatch.join(', ') },
        });
      }
      const { route, params } = found;
      const needsAuth = route.auth ?? route.scope !== 'root';
      let principal = NO_PRINCIPAL;
      if (needsAuth) {
        const authorization = req.headers.authorization;
        principal = this.o.identity.authenticate(authorization);
        if (route.scope === 'project' && params['__project'] !== this.o.project) {
          throw new ApiError(403, `This sandbox serves the project "${this.o.project}", not "${params['__project']}". Use /api/v1/projects/${this.o.project}/...`);
        }
        for (const need of route.needs ?? []) {
          if (!hasCapability(principal.capabilities, need)) {
            throw new ApiError(403, `Forbidden: the caller lacks the capability ${describeNeed(need)} that ${method} ${pathname} needs.`);
          }
        }
      }
      delete params['__project'];
      const limit = route.body === 'raw' ? MAX_UPLOAD_BODY : MAX_JSON_BODY;
      let raw: Buffer;
      try {
        raw = decode(await readBody(req, limit), req.headers['content-encoding'], limit);
      } catch (err) {
        if (err instanceof BodyTooLarge) throw new ApiError(413, `The request body is larger than ${limit} bytes.`);
        throw err;
      }
      let body: unknown;
      if ((route.body ?? 'json') === 'json' && raw.length > 0) {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch (err) {
          throw new ApiError(400, `The request body is not valid JSON: ${(err as Error).message}`);
        }
      }
      const apiReq: ApiRequest = { method, pathname, params, query, headers: req.headers, body, rawBody: raw, principal, requestId };
      return await route.handler(apiReq);
    } catch (err) {
      // Drain what is left of the body so the connection can be reused.
      if (!req.complete) req.resume();
      if (err instanceof ApiError) {
        return { status: err.status, body: err.toBody(), ...(err.extra.headers ? { headers: err.extra.headers } : {}) };
      }
      if ((err as Error)?.message === 'aborted') return { status: 400, body: new ApiError(400, 'The request was aborted.').toBody() };
      this.o.log(`sandbox: internal error on ${method} ${pathname}: ${(err as Error)?.stack ?? String(err)}`);
      return { status: 500, body: new ApiError(500, `Internal sandbox error: ${(err as Error)?.message ?? String(err)}`).toBody() };
    }
  }
}
