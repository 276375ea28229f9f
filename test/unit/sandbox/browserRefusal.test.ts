// The sandbox refuses what a web page in the user's browser could send it: requests for another host name
// (DNS rebinding), requests from another page's origin, and control calls without a token. Raw node:http
// requests, because fetch cannot set Host.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { ManualClock } from '../../../src/sandbox';
import { Harness } from './harness';

interface Raw {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** A request to the sandbox's socket with exactly the headers given (Host included; none when null). */
function raw(port: number, method: string, path: string, headers: Record<string, string | null>, body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const { host, ...rest } = headers;
    const sent: Record<string, string> = {};
    for (const [k, v] of Object.entries(rest)) if (v !== null) sent[k] = v;
    if (typeof host === 'string') sent['host'] = host;
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: sent, setHost: false, agent: false }, (res) => {
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

function errorOf(r: Raw): { code: number; message: string } {
  return (JSON.parse(r.body) as { error: { code: number; message: string } }).error;
}

describe('sandbox refuses what a web page could send', function () {
  this.timeout(20_000);
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const logged: string[] = [];
  let h: Harness;
  let port: number;
  let token: string;
  const own = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  const credentials = (): string =>
    new URLSearchParams({ grant_type: 'client_credentials', client_id: h.sandbox.clientId, client_secret: h.sandbox.clientSecret }).toString();
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const issuedTokens = (): number => h.sandbox.requests.list.filter((r) => r.method === 'POST' && r.path === '/oauth2/token' && r.status === 200).length;

  before(async () => {
    h = await Harness.start({ clock, log: (line) => logged.push(line) });
    port = Number(new URL(h.sandbox.baseUrl).port);
    token = await h.fetchToken();
  });
  afterEach(() => h.sandbox.faults.clear());
  after(async () => {
    await h?.close();
  });

  it('answers a request for any of its loopback names on its own port', async () => {
    for (const host of own()) {
      const r = await raw(port, 'GET', `/api/v1/projects/${h.sandbox.project}/workflows`, { host, authorization: `Bearer ${token}` });
      assert.equal(r.status, 200, `${host}: ${r.body}`);
      const t = await raw(port, 'POST', '/oauth2/token', { host, ...form }, credentials());
      assert.equal(t.status, 200, `${host}: ${t.body}`);
    }
  });

  it('refuses a foreign Host on every kind of route with a CDF error body, before anything happens', async () => {
    const tokensBefore = issuedTokens();
    const cases: [string, string, Record<string, string>, string?][] = [
      ['POST', '/oauth2/token', form, credentials()],
      ['GET', `/api/v1/projects/${h.sandbox.project}/workflows`, { authorization: `Bearer ${token}` }],
      ['POST', `/api/v1/projects/${h.sandbox.project}/workflows`, { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, JSON.stringify({ items: [{ externalId: 'planted' }] })],
      ['GET', '/oauth2/device', {}],
      ['POST', '/oauth2/devicecode', form, 'client_id=x'],
      ['GET', '/.well-known/openid-configuration', {}],
      ['GET', '/_sandbox/info', { authorization: `Bearer ${token}` }],
      ['POST', '/_sandbox/tokens/expire', { authorization: `Bearer ${token}` }],
    ];
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1.evil.example:${port}`, `127.0.0.1:${port + 1}`, `localhost:${port}0`, `127.0.0.1`]) {
      for (const [method, path, headers, body] of cases) {
        const r = await raw(port, method, path, { host, ...headers }, body);
        assert.equal(r.status, 403, `${method} ${path} for ${host}: ${r.body}`);
        assert.equal(errorOf(r).code, 403);
        assert.match(errorOf(r).message, /127\.0\.0\.1:\d+, localhost:\d+ or \[::1\]:\d+/);
        assert.ok(!r.body.includes('access_token'), 'no token is issued');
      }
    }
    // HTTP/1.1 without Host is malformed: node:http answers 400 before the sandbox sees it.
    const noHost = await raw(port, 'GET', '/oauth2/device', { host: null });
    assert.equal(noHost.status, 400, 'a request without Host is refused too');
    assert.equal(issuedTokens(), tokensBefore, 'no token request succeeded');
    const api = `/api/v1/projects/${h.sandbox.project}/workflows`;
    assert.equal((await raw(port, 'GET', `${api}/planted`, { host: `127.0.0.1:${port}`, authorization: `Bearer ${token}` })).status, 404, 'nothing was created');
    assert.equal((await raw(port, 'GET', api, { host: `127.0.0.1:${port}`, authorization: `Bearer ${token}` })).status, 200, 'the token still works: the expiry was refused');
    assert.ok(logged.some((l) => /refused POST \/oauth2\/token: .*evil\.example/.test(l)), 'the refusal is logged');
  });

  it('refuses a DNS-rebinding page: its own name as Host and its own origin, even with valid credentials', async () => {
    const r = await raw(port, 'POST', '/oauth2/token', { host: `attacker.example:${port}`, origin: `http://attacker.example:${port}`, ...form }, credentials());
    assert.equal(r.status, 403);
    assert.ok(!r.body.includes('access_token'));
  });

  it('refuses an Origin other than its own: another site, "null", another port, https', async () => {
    const created = (): Promise<number> => h.call('GET', '/workflows/from-a-page').then((r) => r.status);
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`, `http://localhost:${port}.evil.example`]) {
      const t = await raw(port, 'POST', '/oauth2/token', { host: `127.0.0.1:${port}`, origin, ...form }, credentials());
      assert.equal(t.status, 403, `${origin}: ${t.body}`);
      assert.match(errorOf(t).message, /web pages other than its own/);
      assert.ok(!t.body.includes('access_token'));
      const w = await raw(
        port,
        'POST',
        `/api/v1/projects/${h.sandbox.project}/workflows`,
        { host: `127.0.0.1:${port}`, origin, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        JSON.stringify({ items: [{ externalId: 'from-a-page' }] }),
      );
      assert.equal(w.status, 403, `${origin}: ${w.body}`);
      assert.equal(await created(), 404, 'nothing was created');
    }
    // A page of the sandbox itself may post to it.
    const ok = await raw(port, 'POST', '/oauth2/token', { host: `localhost:${port}`, origin: `http://localhost:${port}`, ...form }, credentials());
    assert.equal(ok.status, 200);
  });

  it('keeps the device sign-in page working at each of its host names, and never in a frame', async () => {
    for (const host of own()) {
      const started = await raw(port, 'POST', '/oauth2/devicecode', { host, ...form }, 'client_id=person&scope=openid');
      const { user_code: userCode } = JSON.parse(started.body) as { user_code: string };
      const page = await raw(port, 'GET', `/oauth2/device?user_code=${encodeURIComponent(userCode)}`, { host });
      assert.equal(page.status, 200);
      assert.match(page.body, /<form method="post" action="\/oauth2\/device">/);
      assert.equal(page.headers['x-frame-options'], 'DENY');
      assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);
      assert.match(String(page.headers['content-security-policy']), /form-action 'self'/);
      assert.equal(page.headers['referrer-policy'], 'same-origin', 'with no-referrer a browser posts the form with Origin "null"');
      // The browser posts the form with the page's own origin.
      const approved = await raw(port, 'POST', '/oauth2/device', { host, origin: `http://${host}`, ...form }, new URLSearchParams({ user_code: userCode, action: 'approve' }).toString());
      assert.equal(approved.status, 200, `${host}: ${approved.body}`);
      assert.match(approved.body, /Signed in/);
    }
    // The same form posted by another page is refused.
    const started = await raw(port, 'POST', '/oauth2/devicecode', { host: `127.0.0.1:${port}`, ...form }, 'client_id=person');
    const { user_code: userCode, device_code: deviceCode } = JSON.parse(started.body) as { user_code: string; device_code: string };
    const forged = await raw(port, 'POST', '/oauth2/device', { host: `127.0.0.1:${port}`, origin: 'http://evil.example', ...form }, `user_code=${userCode}&action=approve`);
    assert.equal(forged.status, 403);
    const poll = await raw(port, 'POST', '/oauth2/token', { host: `127.0.0.1:${port}`, ...form }, `grant_type=urn:ietf:params:oauth:grant-type:device_code&device_code=${deviceCode}&client_id=person`);
    assert.equal((JSON.parse(poll.body) as { error: string }).error, 'authorization_pending', 'the sign-in was not approved');
  });

  it('answers 401 to every control route called without a valid token, and changes nothing', async () => {
    const routes: [string, string, string?][] = [
      ['GET', '/_sandbox/info'],
      ['GET', '/_sandbox/requests'],
      ['DELETE', '/_sandbox/requests'],
      ['GET', '/_sandbox/faults'],
      ['POST', '/_sandbox/faults', JSON.stringify({ path: '/workflows', count: 5, kind: 503 })],
      ['DELETE', '/_sandbox/faults'],
      ['POST', '/_sandbox/tokens/expire'],
      ['POST', '/_sandbox/device/approve', JSON.stringify({ userCode: 'BCDF-GHJK' })],
    ];
    const host = `127.0.0.1:${port}`;
    h.sandbox.requests.reset();
    await h.call('GET', '/workflows');
    for (const authorization of [null, 'Bearer not-a-token', `Basic ${Buffer.from(`${h.sandbox.clientId}:${h.sandbox.clientSecret}`).toString('base64')}`]) {
      for (const [method, path, body] of routes) {
        const r = await raw(port, method, path, { host, authorization, 'content-type': 'application/json' }, body);
        assert.equal(r.status, 401, `${method} ${path} with ${authorization ?? 'no Authorization'}: ${r.body}`);
        assert.equal(errorOf(r).code, 401);
      }
    }
    assert.equal((await h.call('GET', '/workflows')).status, 200, 'no fault was added and the token was not expired');
    assert.equal(h.sandbox.requests.count({ method: 'GET', path: /\/workflows$/ }), 2, 'the request log was not cleared');
    const info = await raw(port, 'GET', '/_sandbox/info', { host, authorization: `Bearer ${token}` });
    assert.equal(info.status, 200);
    assert.equal((JSON.parse(info.body) as { project: string }).project, h.sandbox.project);
  });

  it('spends no fault on a refused request', async () => {
    h.sandbox.faults.add({ method: 'GET', path: '/workflows', count: 1, kind: 503 });
    const refused = await raw(port, 'GET', `/api/v1/projects/${h.sandbox.project}/workflows`, { host: 'evil.example', authorization: `Bearer ${token}` });
    assert.equal(refused.status, 403);
    assert.equal((await h.call('GET', '/workflows')).status, 503, 'the fault is still armed for the next real request');
  });
});
