/* eslint-disable @typescript-eslint/no-unsafe-return -- response bodies are read loosely once the harness has checked them against the spec */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { gzipSync } from 'node:zlib';
import { ManualClock } from '../../../src/sandbox';
import { Harness } from './harness';

/** A raw request, so a reset connection shows up as an error instead of a retry inside fetch. */
function rawRequest(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('sandbox fault injection and transport', function () {
  this.timeout(20_000);
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  let h: Harness;
  let token: string;
  before(async () => {
    h = await Harness.start({ clock });
    token = await h.fetchToken();
    await h.upsertWorkflow('wf');
    await h.upsertVersion('wf', '1', [{ externalId: 't', type: 'transformation', parameters: { transformation: { externalId: 'tr' } } }]);
  });
  afterEach(() => h.sandbox.faults.clear());
  after(async () => {
    await h?.close();
  });

  const auth = (): Record<string, string> => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
  const runCount = (): number => h.sandbox.requests.count({ method: 'POST', path: /\/run$/ });
  const executionsOfWf = async (): Promise<number> =>
    (await h.call('POST', '/workflows/executions/list', { filter: { workflowFilters: [{ externalId: 'wf' }] }, limit: 1000 })).body.items.length;

  it('answers 429 with Retry-After for the next N matching requests, then lets them through', async () => {
    h.sandbox.faults.add({ method: 'GET', path: '/workflows', count: 2, kind: 429, retryAfterSeconds: 7 });
    for (let i = 0; i < 2; i++) {
      const r = await h.call('GET', '/workflows');
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('retry-after'), '7');
      assert.equal(r.body.error.code, 429);
      assert.ok(r.headers.get('x-request-id'));
    }
    assert.equal((await h.call('GET', '/workflows')).status, 200);
  });

  it('answers 500, 502, 503 and 504 without processing the request', async () => {
    const before = await executionsOfWf();
    for (const kind of [500, 502, 503, 504] as const) {
      h.sandbox.faults.add({ path: '/workflows/wf/versions/1/run', count: 1, kind });
      const r = await h.call('POST', '/workflows/wf/versions/1/run', { authentication: { nonce: await h.nonce() } });
      assert.equal(r.status, kind);
    }
    assert.equal(await executionsOfWf(), before, 'no execution was created');
  });

  it('reset-before drops the connection and nothing happens; reset-after drops it after the execution exists', async () => {
    const before = await executionsOfWf();
    h.sandbox.faults.add({ method: 'POST', path: /\/run$/, count: 1, kind: 'reset-before' });
    await assert.rejects(rawRequest(`${h.api}/workflows/wf/versions/1/run`, 'POST', auth(), JSON.stringify({ authentication: { nonce: await h.nonce() } })));
    assert.equal(await executionsOfWf(), before);
    h.sandbox.faults.add({ method: 'POST', path: /\/run$/, count: 1, kind: 'reset-after' });
    await assert.rejects(rawRequest(`${h.api}/workflows/wf/versions/1/run`, 'POST', auth(), JSON.stringify({ authentication: { nonce: await h.nonce() } })));
    assert.equal(await executionsOfWf(), before + 1, 'the run happened although the client never heard');
    const resets = h.sandbox.requests.list.filter((r) => r.fault === 'reset-before' || r.fault === 'reset-after');
    assert.deepEqual(resets.map((r) => r.status), [0, 0]);
  });

  it('delay processes the request after the delay, and not at all when the client gives up first', async () => {
    h.sandbox.faults.add({ path: '/workflows/wf', count: 1, kind: 'delay', delayMs: 50 });
    assert.equal((await h.call('GET', '/workflows/wf')).status, 200);
    const before = await executionsOfWf();
    h.sandbox.faults.add({ path: /\/run$/, count: 1, kind: 'delay', delayMs: 2000 });
    const pending = fetch(`${h.api}/workflows/wf/versions/1/run`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ authentication: { nonce: await h.nonce() } }),
      signal: AbortSignal.timeout(50),
    });
    await assert.rejects(pending);
    await h.sandbox.settle();
    assert.equal(await executionsOfWf(), before, 'an abandoned delayed request is not processed');
  });

  it('malformed-json processes the request and sends a truncated JSON body', async () => {
    h.sandbox.faults.add({ method: 'GET', path: '/workflows', count: 1, kind: 'malformed-json' });
    const r = await rawRequest(`${h.api}/workflows`, 'GET', auth());
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.throws(() => JSON.parse(r.body) as unknown);
  });

  it('takes fault rules over HTTP (string or regex path) and clears them', async () => {
    const authorization = `Bearer ${h.sandbox.accessToken()}`;
    const add = await fetch(`${h.sandbox.baseUrl}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ method: 'GET', path: { regex: '/workflows$' }, count: 5, kind: 503 }),
    });
    assert.equal(add.status, 200);
    assert.equal((await h.call('GET', '/workflows')).status, 503);
    assert.equal((await fetch(`${h.sandbox.baseUrl}/_sandbox/faults`, { method: 'DELETE', headers: { authorization } })).status, 200);
    assert.equal((await h.call('GET', '/workflows')).status, 200);
    const bad = await fetch(`${h.sandbox.baseUrl}/_sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ path: '/x', count: 1, kind: 418 }) });
    assert.equal(bad.status, 400);
    assert.throws(() => h.sandbox.faults.add({ path: '/x', count: 0, kind: 500 }), /count must be a positive integer/);
  });

  it('counts requests by method and path, and resets the log', async () => {
    h.sandbox.requests.reset();
    await h.call('GET', '/workflows');
    await h.call('GET', '/workflows/wf');
    assert.equal(h.sandbox.requests.count({ method: 'GET', path: '/workflows' }), 1);
    assert.equal(h.sandbox.requests.count({ path: /\/workflows/ }), 2);
    assert.equal(h.sandbox.requests.list[0].status, 200);
    h.sandbox.requests.reset();
    assert.equal(h.sandbox.requests.count(), 0);
    assert.equal(runCount(), 0);
  });

  it('accepts gzip-encoded request bodies and tolerates x-cdp and cdf-version headers', async () => {
    const r = await h.call('POST', '/workflows', { items: [{ externalId: 'gzipped' }] }, { gzip: true, headers: { 'x-cdp-sdk': 'CognitePythonSDK:8.13.0', 'x-cdp-app': 'tests', 'cdf-version': '20230101' } });
    assert.equal(r.status, 200);
    const broken = await h.call('POST', '/workflows', undefined, { raw: Buffer.from('not gzip'), headers: { 'content-encoding': 'gzip', 'content-type': 'application/json' } });
    assert.equal(broken.status, 400);
    assert.match(broken.body.error.message, /not valid gzip/);
  });

  it('sends x-request-id on every response: success, errors, token endpoint, unknown paths', async () => {
    const responses = await Promise.all([
      fetch(`${h.api}/workflows`, { headers: auth() }),
      fetch(`${h.api}/workflows`),
      fetch(h.sandbox.tokenUrl, { method: 'POST' }),
      fetch(`${h.sandbox.baseUrl}/nowhere`),
      fetch(`${h.api}/workflows`, { method: 'DELETE', headers: auth() }),
    ]);
    assert.deepEqual(responses.map((r) => r.status), [200, 401, 400, 404, 405]);
    for (const r of responses) assert.match(r.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const ids = new Set(responses.map((r) => r.headers.get('x-request-id')));
    assert.equal(ids.size, responses.length);
  });

  it('answers a body that is not JSON with 400 naming the problem', async () => {
    const r = await h.call('POST', '/workflows', undefined, { raw: '{"items": [', headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 400);
    assert.match(r.body.error.message, /not valid JSON/);
  });

  it('binds 127.0.0.1 only', () => {
    assert.match(h.sandbox.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('accepts gzip bodies made by other tools too (application/json + content-encoding gzip)', async () => {
    const body = gzipSync(JSON.stringify({ filter: {}, limit: 1 }));
    const res = await fetch(`${h.api}/workflows/executions/list`, { method: 'POST', headers: { ...auth(), 'content-encoding': 'gzip' }, body: new Uint8Array(body) });
    assert.equal(res.status, 200);
  });
});
