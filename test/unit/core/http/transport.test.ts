import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import Module from 'node:module';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ABORTED,
  createOriginAgent,
  MAX_RESPONSE_BYTES,
  type OriginAgent,
  request,
  RESPONSE_TOO_LARGE,
  TransportError,
} from '../../../../src/core/http/transport';

// The transport on node:http/https against loopback servers that misbehave in the ways a network and a
// hostile server can: each failure must say whether the request reached the server.

interface TestServer {
  readonly origin: string;
  readonly port: number;
  /** Every connection the server accepted, open or closed. */
  readonly sockets: net.Socket[];
  close(): Promise<void>;
}

async function listen(server: net.Server, scheme: 'http' | 'https'): Promise<TestServer> {
  const sockets: net.Socket[] = [];
  server.on('connection', (socket: net.Socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    origin: `${scheme}://127.0.0.1:${port}`,
    port,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const httpServer = (handler: http.RequestListener, options: http.ServerOptions = {}): Promise<TestServer> => listen(http.createServer(options, handler), 'http');
/** A TCP server that does `onConnection` with each raw socket (it may never speak HTTP or TLS at all). */
const tcpServer = (onConnection: (socket: net.Socket) => void, scheme: 'http' | 'https' = 'http'): Promise<TestServer> =>
  listen(net.createServer(onConnection), scheme);

async function transportError(promise: Promise<unknown>): Promise<TransportError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TransportError, `expected a TransportError, got ${String(error)}`);
    return error;
  }
  assert.fail('the request succeeded');
}

const closed = (socket: net.Socket): Promise<void> => (socket.destroyed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve())));
const echo: http.RequestListener = (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    res.writeHead(200, { 'Content-Type': 'application/json', 'X-Request-Id': 'req-1', 'Set-Cookie': ['a=1', 'b=2'] });
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: body.toString('base64') }));
  });
};

describe('core/http transport (node:http/https)', function () {
  const servers: TestServer[] = [];
  const agents: OriginAgent[] = [];
  const start = async (server: Promise<TestServer>): Promise<TestServer> => {
    const s = await server;
    servers.push(s);
    return s;
  };
  const agentFor = (origin: string, connections = 4, lookup?: Parameters<typeof createOriginAgent>[1]['lookup']): OriginAgent => {
    const agent = createOriginAgent(origin, { connections, lookup });
    agents.push(agent);
    return agent;
  };
  afterEach(async () => {
    for (const agent of agents.splice(0)) agent.destroy();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  describe('requests and responses', () => {
    it('sends the method, path and query, headers and a string body with its content-length in bytes', async () => {
      const server = await start(httpServer(echo));
      const body = '{"name":"Ærø ✓"}';
      const response = await request(`${server.origin}/api/v1/projects/p/workflows/list?limit=5&cursor=a%2Fb`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-cdp-app': 'test' }, body }, agentFor(server.origin));
      assert.equal(response.status, 200);
      const seen = JSON.parse(response.text) as { method: string; url: string; headers: Record<string, string>; body: string };
      assert.equal(seen.method, 'POST');
      assert.equal(seen.url, '/api/v1/projects/p/workflows/list?limit=5&cursor=a%2Fb');
      assert.equal(seen.headers['x-cdp-app'], 'test');
      assert.equal(seen.headers['content-length'], String(Buffer.byteLength(body)));
      assert.equal(seen.headers['transfer-encoding'], undefined);
      assert.equal(Buffer.from(seen.body, 'base64').toString('utf8'), body);
    });

    it('sends a Uint8Array body as its bytes', async () => {
      const server = await start(httpServer(echo));
      const bytes = new Uint8Array([0, 1, 2, 250, 255]);
      const response = await request(`${server.origin}/upload`, { method: 'PUT', headers: { 'content-type': 'application/zip' }, body: bytes.subarray(1) }, agentFor(server.origin));
      const seen = JSON.parse(response.text) as { headers: Record<string, string>; body: string };
      assert.deepEqual([...Buffer.from(seen.body, 'base64')], [1, 2, 250, 255]);
      assert.equal(seen.headers['content-length'], '4');
    });

    it('gives header names in lower case, repeated headers as a list, and the body as UTF-8 even when a character spans two chunks', async () => {
      const text = JSON.stringify({ name: 'Ærø ✓ 😀' });
      const bytes = Buffer.from(text, 'utf8');
      const split = bytes.indexOf(Buffer.from('😀')) + 2; // in the middle of the emoji's four bytes
      const server = await start(
        httpServer((_req, res) => {
          res.writeHead(201, { 'X-Request-Id': 'req-7', 'Set-Cookie': ['a=1', 'b=2'], 'Content-Type': 'application/json' });
          res.write(bytes.subarray(0, split));
          setTimeout(() => res.end(bytes.subarray(split)), 10);
        }),
      );
      const response = await request(`${server.origin}/x`, { method: 'GET' }, agentFor(server.origin));
      assert.equal(response.status, 201);
      assert.equal(response.headers['x-request-id'], 'req-7');
      assert.deepEqual(response.headers['set-cookie'], ['a=1', 'b=2']);
      assert.equal(response.text, text);
    });

    it("sends a one-off request on Node's global agent when given no agent (identity providers)", async () => {
      const server = await start(httpServer(echo));
      const response = await request(`${server.origin}/oauth2/token?tenant=t`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
      const seen = JSON.parse(response.text) as { url: string; body: string };
      assert.equal(seen.url, '/oauth2/token?tenant=t');
      assert.equal(Buffer.from(seen.body, 'base64').toString(), 'grant_type=client_credentials');
    });

    it('refuses a header value with a line break before sending anything', async () => {
      const server = await start(httpServer(echo));
      const error = await transportError(request(`${server.origin}/x`, { method: 'GET', headers: { authorization: 'Bearer a\r\nx-evil: 1' } }, agentFor(server.origin)));
      assert.equal(error.sent, false);
      assert.equal(server.sockets.length, 0);
    });
  });

  describe("VS Code's proxy support", () => {
    // The extension host hands extensions patched copies of http and https when they require them by those
    // names, and its `http.proxySupport: override` puts its own proxy agent in place of the caller's.
    const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
    const realLoad = loader._load;
    afterEach(() => {
      loader._load = realLoad;
    });
    const patchHttp = (replaceAgent: http.Agent | undefined, seen: http.RequestOptions[]): void => {
      const patched = {
        ...http,
        request: (options: http.RequestOptions, callback?: (res: http.IncomingMessage) => void) => {
          seen.push({ ...options });
          return http.request(replaceAgent ? { ...options, agent: replaceAgent } : options, callback);
        },
      };
      loader._load = function (this: unknown, request: string, ...rest: unknown[]) {
        return request === 'http' ? patched : realLoad.call(this, request, ...rest);
      };
    };

    it('requires http by its bare name on each request, so the patched module sends it with our agent', async () => {
      const server = await start(httpServer(echo));
      const agent = agentFor(server.origin);
      const seen: http.RequestOptions[] = [];
      patchHttp(undefined, seen);
      const response = await request(`${server.origin}/x?a=1`, { method: 'GET' }, agent);
      assert.equal(response.status, 200);
      assert.equal(seen.length, 1);
      assert.equal(seen[0].agent, agent);
      assert.equal(seen[0].path, '/x?a=1');
    });

    it('works when the host replaces our agent with its own (http.proxySupport: override)', async () => {
      const server = await start(httpServer(echo));
      const hostAgent = new http.Agent({ keepAlive: false });
      const seen: http.RequestOptions[] = [];
      patchHttp(hostAgent, seen);
      try {
        const response = await request(`${server.origin}/x`, { method: 'POST', body: '{}' }, agentFor(server.origin));
        assert.equal(response.status, 200);
        assert.equal(seen.length, 1);
      } finally {
        hostAgent.destroy();
      }
    });
  });

  describe('keep-alive', () => {
    it('reuses its connections: 60 concurrent requests in two waves open at most `connections` sockets', async () => {
      let active = 0;
      let mostActive = 0;
      const server = await start(
        httpServer((_req, res) => {
          active++;
          mostActive = Math.max(mostActive, active);
          setTimeout(() => {
            active--;
            res.end('{}');
          }, 5);
        }),
      );
      const agent = agentFor(server.origin, 4);
      for (let wave = 0; wave < 2; wave++) {
        const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => request(`${server.origin}/r/${i}`, { method: 'GET' }, agent)));
        assert.ok(answers.every((a) => a.status === 200));
      }
      assert.ok(server.sockets.length <= 4, `${server.sockets.length} connections for 4 allowed`);
      assert.ok(mostActive <= 4, `${mostActive} requests in flight at once`);
      assert.ok(server.sockets.length >= 1);
    });

    it('destroy() closes the idle kept-alive connections, so nothing keeps a server or the process waiting', async () => {
      // The server would keep an idle connection 60 s: only the client closing it ends it sooner.
      const server = await start(httpServer((_req, res) => res.end('{}'), { keepAliveTimeout: 60_000 }));
      const agent = agentFor(server.origin, 2);
      await Promise.all([1, 2].map(() => request(`${server.origin}/x`, { method: 'GET' }, agent)));
      assert.ok(server.sockets.length >= 1);
      assert.ok(server.sockets.every((s) => !s.destroyed), 'the connections are kept alive after the answers');
      agent.destroy();
      await Promise.all(server.sockets.map(closed));
    });
  });

  describe('whether a failed request was sent', () => {
    it('connection refused: not sent (ECONNREFUSED)', async () => {
      const server = await tcpServer(() => undefined);
      const origin = server.origin;
      await server.close();
      const error = await transportError(request(`${origin}/x`, { method: 'POST', body: '{}' }, agentFor(origin)));
      assert.equal(error.code, 'ECONNREFUSED');
      assert.equal(error.sent, false);
    });

    it('a connection reset before the request was written (during the TLS handshake): not sent (ECONNRESET)', async () => {
      const server = await start(tcpServer((socket) => socket.resetAndDestroy(), 'https'));
      const error = await transportError(request(`${server.origin}/x`, { method: 'POST', body: '{}' }, agentFor(server.origin)));
      assert.equal(error.code, 'ECONNRESET');
      assert.equal(error.sent, false);
    });

    it('a connection reset after the whole request was written: sent, the outcome is unknown (ECONNRESET)', async () => {
      let received = '';
      const server = await start(
        tcpServer((socket) => {
          socket.on('data', (chunk: Buffer) => {
            received += chunk.toString('latin1');
            if (received.endsWith('{"run":1}')) socket.resetAndDestroy();
          });
        }),
      );
      const error = await transportError(request(`${server.origin}/run`, { method: 'POST', body: '{"run":1}' }, agentFor(server.origin)));
      assert.equal(error.code, 'ECONNRESET');
      assert.equal(error.sent, true);
      assert.match(received, /^POST \/run HTTP\/1\.1\r\n/);
    });

    it('a connection closed mid-answer: sent (ECONNRESET)', async () => {
      const server = await start(
        tcpServer((socket) => {
          socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"items":['));
        }),
      );
      const error = await transportError(request(`${server.origin}/x`, { method: 'GET' }, agentFor(server.origin)));
      assert.equal(error.code, 'ECONNRESET');
      assert.equal(error.sent, true);
    });

    it('a connection that cannot be made within the connect timeout: not sent (ETIMEDOUT)', async () => {
      // Name resolution that never answers keeps the socket connecting, without any traffic.
      const agent = agentFor('http://cdf.invalid', 1, () => undefined);
      const error = await transportError(request('http://cdf.invalid/x', { method: 'POST', body: '{}', connectTimeoutMs: 50 }, agent));
      assert.equal(error.code, 'ETIMEDOUT');
      assert.equal(error.sent, false);
      assert.match(error.message, /Could not connect to cdf\.invalid within 0\.05 s/);
    });

    it('a server certificate that does not verify (self-signed): not sent, and TLS verification stays on', async function () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdf-tls-'));
      try {
        try {
          execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=127.0.0.1'], {
            stdio: 'ignore',
          });
        } catch (error) {
          throw new Error('This test makes a self-signed certificate with openssl (Debian package "openssl").', { cause: error });
        }
        const tls = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) => res.end('{}'));
        const server = await start(listen(tls, 'https'));
        let served = 0;
        tls.on('request', () => served++);
        const error = await transportError(request(`${server.origin}/x`, { method: 'POST', body: '{}' }, agentFor(server.origin)));
        assert.equal(error.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
        assert.equal(error.sent, false);
        assert.equal(served, 0);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('cancellation', () => {
    it('cancelled mid-body: rejects at once with ABORT_ERR (sent) and closes the connection', async () => {
      let serverSocket: net.Socket | undefined;
      const server = await start(
        httpServer((req, res) => {
          serverSocket = req.socket;
          res.writeHead(200, { 'content-length': '1000' });
          res.write('{"items":[');
        }),
      );
      const controller = new AbortController();
      const reason = new Error('stop');
      const pending = request(`${server.origin}/x`, { method: 'GET', signal: controller.signal }, agentFor(server.origin));
      while (serverSocket === undefined) await new Promise((r) => setTimeout(r, 2));
      await new Promise((r) => setTimeout(r, 20)); // the head and the first bytes have arrived
      controller.abort(reason);
      const error = await transportError(pending);
      assert.equal(error.code, ABORTED);
      assert.equal(error.sent, true);
      assert.equal(error.cause, reason);
      await closed(serverSocket);
    });

    it('cancelled before the request could be written (a TLS handshake that never ends): not sent', async () => {
      const server = await start(tcpServer(() => undefined, 'https'));
      const controller = new AbortController();
      const pending = request(`${server.origin}/x`, { method: 'POST', body: '{}', signal: controller.signal }, agentFor(server.origin));
      while (server.sockets.length === 0) await new Promise((r) => setTimeout(r, 2));
      controller.abort();
      const error = await transportError(pending);
      assert.equal(error.code, ABORTED);
      assert.equal(error.sent, false);
    });

    it('an already aborted signal sends nothing', async () => {
      const server = await start(httpServer(echo));
      const error = await transportError(request(`${server.origin}/x`, { method: 'GET', signal: AbortSignal.abort() }, agentFor(server.origin)));
      assert.equal(error.code, ABORTED);
      assert.equal(error.sent, false);
      assert.equal(server.sockets.length, 0);
    });
  });

  describe('response size cap', () => {
    it(`refuses a declared 2 GB body at once, with the default cap of ${MAX_RESPONSE_BYTES / 1024 / 1024} MB, without reading it`, async () => {
      let serverSocket: net.Socket | undefined;
      const server = await start(
        httpServer((req, res) => {
          serverSocket = req.socket;
          res.writeHead(200, { 'content-length': String(2 * 1024 ** 3) });
          res.write(Buffer.alloc(64 * 1024, 0x20));
        }),
      );
      const before = process.memoryUsage().rss;
      const error = await transportError(request(`${server.origin}/x`, { method: 'GET' }, agentFor(server.origin)));
      assert.equal(error.code, RESPONSE_TOO_LARGE);
      assert.equal(error.sent, true);
      assert.match(error.message, /The response \(200\) is larger than 64 MB; it was not read/);
      assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024);
      await closed(serverSocket!);
    });

    it('stops reading a body without a length once it passes the cap, and closes the connection', async () => {
      let written = 0;
      let serverSocket: net.Socket | undefined;
      const server = await start(
        httpServer((req, res) => {
          serverSocket = req.socket;
          res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length to check up front
          const chunk = Buffer.alloc(64 * 1024, 0x20);
          // Writes until the client goes away (at most 64 MB, so a broken client cannot keep this test busy).
          const pump = (): void => {
            while (!res.destroyed && written < 64 * 1024 * 1024) {
              written += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
          };
          pump();
        }),
      );
      const error = await transportError(request(`${server.origin}/x`, { method: 'GET', maxResponseBytes: 1024 * 1024 }, agentFor(server.origin)));
      assert.equal(error.code, RESPONSE_TOO_LARGE);
      assert.match(error.message, /larger than 1 MB/);
      await closed(serverSocket!);
      assert.ok(written < 64 * 1024 * 1024, `the server wrote ${written} bytes before the client went away`);
    });

    it('reads a body of exactly the cap', async () => {
      const server = await start(httpServer((_req, res) => res.end(Buffer.alloc(1024, 0x61))));
      const response = await request(`${server.origin}/x`, { method: 'GET', maxResponseBytes: 1024 }, agentFor(server.origin));
      assert.equal(response.text.length, 1024);
    });
  });
});
