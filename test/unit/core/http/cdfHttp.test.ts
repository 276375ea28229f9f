import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import * as z from 'zod/mini';
import { StaticTokenSource } from '../../../../src/core/auth/tokenSource';
import { CancelledError, CdfApiError, ClientClosedError, NetworkError, OutcomeUnknownError, SchemaError, TimeoutError } from '../../../../src/core/errors';
import { CdfHttp } from '../../../../src/core/http/cdfHttp';
import { workflow } from '../../../../src/core/schemas/workflows';
import { pageOf } from '../../../../src/core/schemas/common';
import { type Sandbox } from '../../../../src/sandbox/index';
import { startRecordingServer, type RecordingServer } from '../support/recordingServer';
import { APP_VERSION, clientCredentials, countRequests, recordingTokens, startTestSandbox, testClient, type TestClient } from '../support/sandbox';
import { CapturingLogger, rejection, rememberSecret } from '../support/secretScan';

const STATIC_TOKEN = 'static-test-token-0123456789';
rememberSecret(STATIC_TOKEN);

describe('core/http CdfHttp', function () {
  let sandbox: Sandbox;
  let t: TestClient;

  before(async () => {
    sandbox = await startTestSandbox();
  });
  after(async () => {
    await sandbox?.close();
  });
  beforeEach(() => {
    t = testClient(sandbox);
  });
  afterEach(async () => {
    sandbox.faults.clear();
    sandbox.requests.reset();
    await t.client.close();
  });

  describe('headers and log', () => {
    let a: RecordingServer;
    let b: RecordingServer;
    before(async () => {
      a = await startRecordingServer();
      b = await startRecordingServer();
    });
    after(async () => {
      await a?.close();
      await b?.close();
    });

    it('sends the bearer token, x-cdp-sdk, x-cdp-app and cdf-version to CDF', async () => {
      a.answer(200, { items: [] });
      const http = new CdfHttp({ baseUrl: a.origin, project: 'p', tokenSource: new StaticTokenSource(STATIC_TOKEN), appVersion: APP_VERSION, appName: 'test-app' });
      try {
        await http.get('/workflows', { schema: z.unknown(), query: { limit: 5, cursor: undefined } });
      } finally {
        await http.close();
      }
      const [req] = a.requests.slice(-1);
      assert.equal(req.url, '/api/v1/projects/p/workflows?limit=5');
      assert.equal(req.headers.authorization, `Bearer ${STATIC_TOKEN}`);
      assert.equal(req.headers['x-cdp-sdk'], `cdf-workflows-vscode:${APP_VERSION}`);
      assert.equal(req.headers['x-cdp-app'], 'test-app');
      assert.equal(req.headers['cdf-version'], '20230101');
    });

    it('sends no Authorization or x-cdp-* header to an upload URL on another origin', async () => {
      b.answer(200, {});
      const http = new CdfHttp({ baseUrl: a.origin, project: 'p', tokenSource: new StaticTokenSource(STATIC_TOKEN), appVersion: APP_VERSION });
      try {
        await http.upload(`${b.origin}/upload/abc?sig=xyz`, new Uint8Array([1, 2, 3]), { contentType: 'application/zip' });
      } finally {
        await http.close();
      }
      const req = b.requests[b.requests.length - 1];
      assert.equal(req.method, 'PUT');
      assert.equal(req.url, '/upload/abc?sig=xyz');
      assert.deepEqual([...req.body], [1, 2, 3]);
      assert.equal(req.headers['content-type'], 'application/zip');
      for (const name of ['authorization', 'x-cdp-sdk', 'x-cdp-app', 'cdf-version']) assert.equal(req.headers[name], undefined, name);
    });

    it('names the path and the field when a response breaks its schema', async () => {
      a.answer(200, { items: [{ externalId: 5, createdTime: 1, lastUpdatedTime: 1 }] });
      const http = new CdfHttp({ baseUrl: a.origin, project: 'p', tokenSource: new StaticTokenSource(STATIC_TOKEN), appVersion: APP_VERSION });
      try {
        const error = await rejection(() => http.get('/workflows', { schema: pageOf(workflow) }));
        assert.ok(error instanceof SchemaError);
        assert.deepEqual(error.issues.map((i) => i.path), ['items[0].externalId']);
        assert.match(error.message, /GET \/workflows .*items\[0\]\.externalId: expected string, received number/);
      } finally {
        await http.close();
      }
    });

    it('keeps x-request-id and logs each request once, relative to the project, without a token', async () => {
      await t.client.workflows.list({ limit: 10 });
      const served = sandbox.requests.list.filter((r) => r.path.endsWith('/workflows'));
      assert.equal(served.length, 1);
      const lines = t.logger.matching(/^GET \/workflows /);
      assert.equal(lines.length, 1);
      assert.match(lines[0].message, new RegExp(`^GET /workflows 200 \\d+ms req=${served[0].requestId}$`));
      assert.equal(lines[0].level, 'info');
      for (const token of t.tokens.issued) assert.ok(t.logger.lines.every((l) => !l.message.includes(token)));
    });
  });

  describe('faults on an idempotent request', () => {
    for (const kind of [429, 502, 503, 504, 'reset-before', 'reset-after'] as const) {
      it(`retries after ${kind} and succeeds`, async () => {
        await t.client.workflows.list(); // token fetched outside the count
        sandbox.requests.reset();
        sandbox.faults.add({ method: 'GET', path: '/workflows', count: 2, kind, retryAfterSeconds: 0 });
        const page = await t.client.workflows.list();
        assert.deepEqual(page.items, []);
        assert.equal(countRequests(sandbox, 'GET', /\/workflows$/), 3);
        assert.equal(t.logger.matching(/retrying in/).length, 2);
        assert.match(t.logger.matching(/^GET \/workflows 200/)[1].message, /after 2 retries$/);
      });
    }

    it('waits what Retry-After says on a 429', async () => {
      sandbox.faults.add({ method: 'GET', path: '/workflows', count: 1, kind: 429, retryAfterSeconds: 1 });
      await t.client.workflows.list();
      assert.match(t.logger.matching(/429/)[0].message, /retrying in 1000ms$/);
    });

    it('does not retry a 500 and says what to do', async () => {
      sandbox.faults.add({ method: 'GET', path: '/workflows', count: 1, kind: 500 });
      const error = await rejection(() => t.client.workflows.list());
      assert.ok(error instanceof CdfApiError);
      assert.equal(error.reason, 'server');
      assert.equal(error.retries, 0);
      assert.ok(error.requestId);
      assert.match(error.message, /CDF failed \(500\) for GET \/workflows: .* Try again later/);
      assert.equal(countRequests(sandbox, 'GET', /\/workflows$/), 1);
    });

    it('gives up after maxRetries and reports how many retries it made', async () => {
      sandbox.faults.add({ method: 'GET', path: '/workflows', count: 10, kind: 503 });
      const error = await rejection(() => t.client.workflows.list());
      assert.ok(error instanceof CdfApiError);
      assert.equal(error.status, 503);
      assert.equal(error.retries, 4);
      assert.match(error.message, /after 4 retries/);
      assert.equal(countRequests(sandbox, 'GET', /\/workflows$/), 5);
    });

    it('reports throttling with the number of retries when 429 outlasts them', async () => {
      sandbox.faults.add({ method: 'GET', path: '/workflows', count: 10, kind: 429, retryAfterSeconds: 0 });
      const error = await rejection(() => t.client.workflows.list());
      assert.ok(error instanceof CdfApiError);
      assert.equal(error.reason, 'throttled');
      assert.match(error.message, /throttling requests \(429\).*Retried 4 times/);
    });

    it('retries a timeout and ends with TimeoutError when every attempt times out', async () => {
      const slow = testClient(sandbox, { timeoutMs: 50, retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 } });
      try {
        sandbox.faults.add({ method: 'GET', path: '/workflows', count: 3, kind: 'delay', delayMs: 2_000 });
        const error = await rejection(() => slow.client.workflows.list());
        assert.ok(error instanceof TimeoutError);
        assert.equal(error.retries, 2);
        assert.match(error.message, /GET \/workflows got no answer within 50 ms \(3 attempts\)/);
      } finally {
        await slow.client.close();
      }
    });

    it('answers malformed JSON with a SchemaError instead of retrying', async () => {
      sandbox.faults.add({ method: 'GET', path: '/workflows', count: 1, kind: 'malformed-json' });
      const error = await rejection(() => t.client.workflows.list());
      assert.ok(error instanceof SchemaError);
      assert.equal(error.status, 200);
      assert.deepEqual(error.issues, [{ path: '(body)', message: 'not valid JSON' }]);
      assert.equal(countRequests(sandbox, 'GET', /\/workflows$/), 1);
    });
  });

  describe('requests that may create something', () => {
    const upsert = (client: TestClient, externalId: string) =>
      (client.client as unknown as { workflows: { http: CdfHttp } }).workflows.http.post('/workflows', {
        schema: z.unknown(),
        body: { items: [{ externalId }] },
        idempotent: false,
      });

    it('resends after a 429: the server certainly did not process it', async () => {
      sandbox.faults.add({ method: 'POST', path: '/workflows', count: 1, kind: 429, retryAfterSeconds: 0 });
      await upsert(t, 'made-after-429');
      assert.equal(countRequests(sandbox, 'POST', /\/workflows$/), 2);
    });

    for (const kind of [502, 503, 504, 500, 'reset-before', 'reset-after'] as const) {
      it(`does not resend after ${kind} and says the outcome is unknown`, async () => {
        sandbox.faults.add({ method: 'POST', path: '/workflows', count: 1, kind });
        const error = await rejection(() => upsert(t, `maybe-${kind}`));
        assert.ok(error instanceof OutcomeUnknownError);
        assert.equal(error.checked, false);
        assert.match(error.message, /outcome of POST \/workflows is unknown.*not sent again/);
        assert.equal(countRequests(sandbox, 'POST', /\/workflows$/), 1);
      });
    }

    it('resends after a refused connection and ends with a NetworkError saying nothing was sent', async () => {
      const closed = await startRecordingServer();
      const origin = closed.origin;
      await closed.close();
      const logger = new CapturingLogger();
      const http = new CdfHttp({
        baseUrl: origin,
        project: 'p',
        tokenSource: new StaticTokenSource(STATIC_TOKEN),
        appVersion: APP_VERSION,
        logger,
        retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 },
      });
      try {
        const error = await rejection(() => http.post('/files', { schema: z.unknown(), body: {}, idempotent: false }));
        assert.ok(error instanceof NetworkError);
        assert.equal(error.code, 'ECONNREFUSED');
        assert.equal(error.requestSent, false);
        assert.equal(error.retries, 2);
        assert.match(error.message, /could not connect .*Check the network/);
        assert.equal(logger.matching(/ECONNREFUSED.*retrying/).length, 2);
      } finally {
        await http.close();
      }
    });
  });

  describe('cancellation', () => {
    it('cancels mid-request through AbortSignal', async () => {
      await t.client.workflows.list();
      sandbox.faults.add({ method: 'GET', path: '/workflows', count: 1, kind: 'delay', delayMs: 10_000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 30);
      const error = await rejection(() => t.client.workflows.list({ signal: controller.signal }));
      assert.ok(error instanceof CancelledError);
      assert.equal(t.logger.matching(/^GET \/workflows cancelled/).length, 1);
    });

    it('stops waiting between retries when cancelled', async () => {
      sandbox.faults.add({ method: 'GET', path: '/workflows', count: 1, kind: 429, retryAfterSeconds: 60 });
      const slowRetry = testClient(sandbox, { retry: { maxRetries: 3, maxElapsedMs: 600_000 } });
      const controller = new AbortController();
      try {
        const pending = rejection(() => slowRetry.client.workflows.list({ signal: controller.signal }));
        while (slowRetry.logger.matching(/retrying in 60000ms/).length === 0) await new Promise((r) => setTimeout(r, 5));
        controller.abort();
        assert.ok((await pending) instanceof CancelledError);
      } finally {
        await slowRetry.client.close();
      }
    });

    it('refuses to start when the signal is already aborted', async () => {
      const error = await rejection(() => t.client.workflows.list({ signal: AbortSignal.abort() }));
      assert.ok(error instanceof CancelledError);
      assert.equal(sandbox.requests.count(), 0);
    });
  });

  describe('errors say what to do next', () => {
    it('404 names the id and suggests checking it', async () => {
      const error = await rejection(() => t.client.workflows.retrieve('no-such-workflow'));
      assert.ok(error instanceof CdfApiError);
      assert.equal(error.reason, 'not-found');
      assert.match(error.message, /no-such-workflow.*\(404, GET \/workflows\/no-such-workflow\) in project "sandbox"\. Check the id/);
    });

    it('403 names the capability the call needs', async () => {
      const limited = await startTestSandbox({
        clients: [{ clientId: 'reader', clientSecret: 'reader-secret-123', capabilities: [{ workflowOrchestrationAcl: { actions: ['READ'], scope: { all: {} } } }] }],
      });
      const reader = testClient(limited);
      try {
        const error = await rejection(() => reader.client.workflows.upsert({ externalId: 'x' }));
        assert.ok(error instanceof CdfApiError);
        assert.equal(error.reason, 'forbidden');
        assert.equal(error.capability, 'workflowOrchestrationAcl:WRITE');
        assert.match(error.message, /Access denied \(403\) for POST \/workflows.*needs the capability workflowOrchestrationAcl:WRITE/);
      } finally {
        await reader.client.close();
        await limited.close();
      }
    });

    it('401 with a token that cannot be renewed says to get a new one', async () => {
      const stale = testClient(sandbox, { tokenSource: new StaticTokenSource(STATIC_TOKEN) });
      try {
        const error = await rejection(() => stale.client.workflows.list());
        assert.ok(error instanceof CdfApiError);
        assert.equal(error.reason, 'unauthorized');
        assert.match(error.message, /rejected the credentials \(401\).*Get a new token/);
        assert.equal(countRequests(sandbox, 'GET', /\/workflows$/), 2, 'one renewal attempt');
      } finally {
        await stale.client.close();
      }
    });

    it('renews an expired client-credentials token once on 401 and succeeds', async () => {
      const source = recordingTokens(clientCredentials(sandbox));
      const c = testClient(sandbox, { tokenSource: source });
      try {
        await c.client.workflows.list();
        sandbox.expireTokens();
        await c.client.workflows.list();
        assert.equal(countRequests(sandbox, 'POST', /\/oauth2\/token$/), 2);
        assert.equal(new Set(source.issued).size, 2);
      } finally {
        await c.client.close();
      }
    });
  });
  describe('hostile servers and connections', () => {
    const servers: { server: net.Server; sockets: net.Socket[] }[] = [];
    const serve = async (server: net.Server): Promise<{ origin: string; sockets: net.Socket[] }> => {
      const sockets: net.Socket[] = [];
      server.on('connection', (socket: net.Socket) => sockets.push(socket));
      servers.push({ server, sockets });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const scheme = server instanceof http.Server ? 'http' : 'https';
      return { origin: `${scheme}://127.0.0.1:${(server.address() as net.AddressInfo).port}`, sockets };
    };
    const client = (origin: string, options: { timeoutMs?: number; logger?: CapturingLogger } = {}) =>
      new CdfHttp({
        baseUrl: origin,
        project: 'p',
        tokenSource: new StaticTokenSource(STATIC_TOKEN),
        appVersion: APP_VERSION,
        retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 },
        ...options,
      });
    afterEach(async () => {
      for (const { server, sockets } of servers.splice(0)) {
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });

    it('cuts a body that never ends with its own timeout', async () => {
      const { origin, sockets } = await serve(
        http.createServer((_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"items":[');
        }),
      );
      const http2 = client(origin, { timeoutMs: 200 });
      try {
        const error = await rejection(() => http2.get('/workflows', { schema: z.unknown() }));
        assert.ok(error instanceof TimeoutError, String(error));
        assert.equal(error.retries, 2);
        assert.match(error.message, /GET \/workflows got no answer within 200 ms \(3 attempts\)/);
        assert.equal(sockets.length, 3, 'each attempt on a new connection: a cut one is not reused');
      } finally {
        await http2.close();
      }
    });

    it('refuses a 2 GB answer without reading it, and does not ask for it again', async () => {
      let served = 0;
      const { origin } = await serve(
        http.createServer((_req, res) => {
          served++;
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(2 * 1024 ** 3) });
          res.write('{"items":[');
        }),
      );
      const http2 = client(origin);
      try {
        const error = await rejection(() => http2.get('/workflows', { schema: z.unknown() }));
        assert.ok(error instanceof NetworkError, String(error));
        assert.equal(error.code, 'ERESPONSETOOLARGE');
        assert.equal(error.requestSent, true);
        assert.match(error.message, /^GET \/workflows: the response \(200\) is larger than 64 MB; it was not read, so that it cannot exhaust memory \(ERESPONSETOOLARGE\)\. .*check the base URL/);
        assert.equal(served, 1);
      } finally {
        await http2.close();
      }
    });

    it('cuts an endless answer at the configured cap; a request that may create something then has an unknown outcome', async () => {
      const { origin } = await serve(
        http.createServer((_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          const chunk = Buffer.alloc(64 * 1024, 0x20);
          let written = 0;
          const pump = (): void => {
            while (!res.destroyed && written < 16 * 1024 * 1024) {
              written += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
          };
          pump();
        }),
      );
      const http2 = new CdfHttp({ baseUrl: origin, project: 'p', tokenSource: new StaticTokenSource(STATIC_TOKEN), appVersion: APP_VERSION, maxResponseBytes: 256 * 1024 });
      try {
        const error = await rejection(() => http2.post('/workflows', { schema: z.unknown(), body: { items: [] }, idempotent: false }));
        assert.ok(error instanceof OutcomeUnknownError, String(error));
        assert.match(error.message, /its answer was too large to read/);
        assert.ok(error.cause instanceof NetworkError);
        assert.equal(error.cause.code, 'ERESPONSETOOLARGE');
      } finally {
        await http2.close();
      }
    });

    it('resends a request that timed out before it could be written (TLS handshake never answered): nothing was sent', async () => {
      const { origin, sockets } = await serve(net.createServer(() => undefined));
      const logger = new CapturingLogger();
      const http2 = client(origin, { timeoutMs: 100, logger });
      try {
        const error = await rejection(() => http2.post('/workflows', { schema: z.unknown(), body: {}, idempotent: false }));
        assert.ok(error instanceof TimeoutError, String(error));
        assert.equal(error.retries, 2);
        assert.equal(sockets.length, 3);
      } finally {
        await http2.close();
      }
    });

    it('a request that may create something, cancelled before it was written, is cancelled, not of unknown outcome', async () => {
      const { origin, sockets } = await serve(net.createServer(() => undefined));
      const http2 = client(origin);
      const controller = new AbortController();
      try {
        const pending = rejection(() => http2.post('/workflows', { schema: z.unknown(), body: {}, idempotent: false, signal: controller.signal }));
        while (sockets.length === 0) await new Promise((r) => setTimeout(r, 2));
        controller.abort();
        const error = await pending;
        assert.ok(error instanceof CancelledError, String(error));
        assert.ok(!(error instanceof OutcomeUnknownError));
      } finally {
        await http2.close();
      }
    });

    it('close() ends its kept-alive connections at once', async () => {
      const server = http.createServer((_req, res) => res.end('{}'));
      server.keepAliveTimeout = 60_000;
      const { origin, sockets } = await serve(server);
      const http2 = client(origin);
      await http2.get('/workflows', { schema: z.unknown() });
      assert.equal(sockets.length, 1);
      assert.equal(sockets[0].destroyed, false, 'kept alive after the answer');
      await http2.close();
      // Without close() the server would hold the connection for 60 s and this would time out.
      if (!sockets[0].destroyed) await new Promise((resolve) => sockets[0].once('close', resolve));
    });
  });

  describe('closing', () => {
    it('lets a call in flight finish, then refuses new calls with ClientClosedError saying why', async () => {
      const c = testClient(sandbox);
      await c.client.workflows.list(); // token cached
      sandbox.faults.add({ method: 'GET', path: '/workflows', count: 1, kind: 'delay', delayMs: 300 });
      const inFlight = c.client.workflows.list();
      await new Promise((r) => setTimeout(r, 50));
      let closed = false;
      const closing = c.client.close('connection "prod" was removed').then(() => {
        closed = true;
      });
      assert.ok(c.client.isClosed);
      const refused = await rejection(() => c.client.workflows.retrieve('wf'));
      assert.ok(refused instanceof ClientClosedError, String(refused));
      assert.ok(!(refused instanceof CancelledError), 'a closed client is not a silent cancellation');
      assert.match(refused.message, /was not sent: connection "prod" was removed\. Run it again\./);
      assert.equal(refused.reason, 'connection "prod" was removed');
      assert.equal(closed, false, 'close waits for the call in flight');
      assert.ok(Array.isArray((await inFlight).items), 'the call in flight finished');
      await closing;
      assert.equal(countRequests(sandbox, 'GET', /\/workflows\/wf$/), 0, 'the refused call sent nothing');
    });
  });
});
