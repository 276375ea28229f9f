import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { type AddressInfo } from 'node:net';
import * as undiciIndex from 'undici';
import { createPool, type Pool, request, requestUrl } from '../../../../src/core/http/undici';

// src/core/http/undici.ts loads undici's own modules instead of its index (bundle size). These tests fail
// if an undici update moves those modules or changes what they export.
describe('core/http undici modules', () => {
  let server: http.Server;
  let origin: string;
  const pools: Pool[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.setHeader('x-request-id', 'req-1');
        res.end(JSON.stringify({ method: req.method, url: req.url, contentType: req.headers['content-type'] ?? null, body }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await Promise.all(pools.map((p) => p.close()));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("makes pools of undici's own Pool class, the one its index exports", () => {
    const pool = createPool(origin, { connections: 1 });
    pools.push(pool);
    assert.ok(pool instanceof undiciIndex.Pool);
  });

  it('sends a request on a Pool and reads the status, headers and body', async () => {
    const pool = createPool(origin, { connections: 1 });
    pools.push(pool);
    const response = await request(pool, { method: 'POST', path: '/api/v1/projects/p/workflows/list?limit=5', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['x-request-id'], 'req-1');
    assert.deepEqual(await response.body.json(), { method: 'POST', url: '/api/v1/projects/p/workflows/list?limit=5', contentType: 'application/json', body: '{"a":1}' });
  });

  it('sends a one-off request to a URL on the global dispatcher, keeping its path and query', async () => {
    const response = await requestUrl(`${origin}/oauth2/token?tenant=t`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(await response.body.json(), {
      method: 'POST',
      url: '/oauth2/token?tenant=t',
      contentType: 'application/x-www-form-urlencoded',
      body: 'grant_type=client_credentials',
    });
  });

  it('rejects with the abort reason when the signal aborts while the request is in flight', async () => {
    const pool = createPool(origin, { connections: 1 });
    pools.push(pool);
    const controller = new AbortController();
    const reason = new Error('stop');
    const pending = request(pool, { method: 'GET', path: '/', signal: controller.signal });
    controller.abort(reason);
    await assert.rejects(pending, (e) => e === reason);
  });
});
