/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- response bodies are read loosely once the harness has checked them against the spec */
import * as assert from 'node:assert/strict';
import { ManualClock } from '../../../src/sandbox';
import { Harness } from './harness';

const form = (fields: Record<string, string>): URLSearchParams => new URLSearchParams(fields);

describe('sandbox identity: token endpoint, 401 and 403', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  let h: Harness;
  before(async () => {
    h = await Harness.start({
      clock,
      tokenLifetimeSeconds: 600,
      deviceCode: { intervalSeconds: 5, expiresInSeconds: 120 },
      clients: [
        { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' },
        { clientId: 'reader', clientSecret: 'reader-secret', capabilities: [{ workflowOrchestrationAcl: { actions: ['READ'], scope: { all: {} } } }] },
      ],
    });
  });
  after(async () => {
    await h?.close();
  });

  async function token(body: URLSearchParams, headers: Record<string, string> = {}): Promise<{ status: number; body: any; requestId: string | null }> {
    const res = await fetch(h.sandbox.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
    return { status: res.status, body: await res.json(), requestId: res.headers.get('x-request-id') };
  }

  it('issues a Bearer token for client credentials in the form body, with expires_in and a request id', async () => {
    const r = await token(form({ grant_type: 'client_credentials', client_id: 'sandbox-client', client_secret: 'sandbox-secret', scope: 'x/.default' }));
    assert.equal(r.status, 200);
    assert.equal(r.body.token_type, 'Bearer');
    assert.equal(r.body.expires_in, 600);
    assert.match(r.body.access_token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.ok(r.requestId);
  });

  it('accepts client credentials as HTTP Basic authorization', async () => {
    const basic = Buffer.from('sandbox-client:sandbox-secret').toString('base64');
    const r = await token(form({ grant_type: 'client_credentials' }), { authorization: `Basic ${basic}` });
    assert.equal(r.status, 200);
    assert.ok(r.body.access_token);
  });

  it('refuses a wrong secret with invalid_client and never echoes the secret', async () => {
    const r = await token(form({ grant_type: 'client_credentials', client_id: 'sandbox-client', client_secret: 'not-the-secret' }));
    assert.equal(r.status, 401);
    assert.equal(r.body.error, 'invalid_client');
    assert.ok(!JSON.stringify(r.body).includes('not-the-secret'));
  });

  it('names what is missing or unsupported in OAuth error bodies', async () => {
    const missing = await token(form({ grant_type: 'client_credentials', client_id: 'sandbox-client' }));
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error, 'invalid_request');
    const unsupported = await token(form({ grant_type: 'password', username: 'a', password: 'b' }));
    assert.equal(unsupported.body.error, 'unsupported_grant_type');
  });

  it('answers 401 with the CDF error body without a token, with a malformed header, and with an unknown token', async () => {
    for (const authorization of [undefined, 'Token abc', 'Bearer not-a-token']) {
      const r = await h.call('GET', '/workflows', undefined, { token: null, headers: authorization ? { authorization } : {} });
      assert.equal(r.status, 401);
      assert.equal(r.body.error.code, 401);
      assert.ok(r.headers.get('x-request-id'));
    }
  });

  it('answers 401 once a token has outlived its lifetime on the clock', async () => {
    const t = await h.fetchToken();
    assert.equal((await h.call('GET', '/workflows', undefined, { token: t })).status, 200);
    await clock.advance(601_000);
    const r = await h.call('GET', '/workflows', undefined, { token: t });
    assert.equal(r.status, 401);
    assert.match(r.body.error.message, /expired/);
  });

  it('expireTokens() invalidates every issued token, and so does POST /_sandbox/tokens/expire', async () => {
    const a = await h.fetchToken();
    h.sandbox.expireTokens();
    assert.equal((await h.call('GET', '/workflows', undefined, { token: a })).status, 401);
    const b = await h.fetchToken();
    const res = await fetch(`${h.sandbox.baseUrl}/_sandbox/tokens/expire`, { method: 'POST', headers: { authorization: `Bearer ${b}` } });
    assert.equal(res.status, 200);
    assert.equal((await h.call('GET', '/workflows', undefined, { token: b })).status, 401);
  });

  it('answers 403 naming the capability when a client lacks it', async () => {
    const t = await h.fetchToken('reader', 'reader-secret');
    assert.equal((await h.call('GET', '/workflows', undefined, { token: t })).status, 200);
    const r = await h.call('POST', '/workflows', { items: [{ externalId: 'x' }] }, { token: t });
    assert.equal(r.status, 403);
    assert.match(r.body.error.message, /workflowOrchestrationAcl:WRITE/);
    const s = await h.call('POST', '/sessions', { items: [{ tokenExchange: true }] }, { token: t });
    assert.equal(s.status, 403);
    assert.match(s.body.error.message, /sessionsAcl:CREATE/);
  });

  it('answers 403 for another project name in the path', async () => {
    const r = await h.call('GET', `${h.sandbox.baseUrl}/api/v1/projects/other-project/workflows`);
    assert.equal(r.status, 403);
    assert.match(r.body.error.message, /sandbox/);
  });

  it('describes the caller on GET /api/v1/token/inspect', async () => {
    const r = await h.call('GET', `${h.sandbox.baseUrl}/api/v1/token/inspect`);
    assert.equal(r.status, 200);
    assert.equal(r.body.subject, 'sandbox-client');
    assert.deepEqual(r.body.projects.map((p: any) => p.projectUrlName), ['sandbox']);
    assert.ok(r.body.capabilities.some((c: any) => c.workflowOrchestrationAcl?.actions.includes('WRITE')));
  });

  it('runs the device code flow: authorization_pending, slow_down, approval, then a token and a refresh token', async () => {
    const start = await fetch(h.sandbox.deviceAuthorizationUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ client_id: 'public-client', scope: 'openid offline_access' }),
    });
    const auth = (await start.json());
    assert.equal(start.status, 200);
    assert.match(auth.user_code, /^[A-Z]{4}-[A-Z]{4}$/);
    assert.equal(auth.interval, 5);
    assert.ok(auth.verification_uri.startsWith(h.sandbox.baseUrl));
    const poll = (): Promise<{ status: number; body: any }> =>
      token(form({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: auth.device_code, client_id: 'public-client' }));
    assert.equal((await poll()).body.error, 'authorization_pending');
    assert.equal((await poll()).body.error, 'slow_down');
    await clock.advance(10_000);
    assert.equal((await poll()).body.error, 'authorization_pending');
    // Approve through the sandbox page, as a person would.
    const page = await fetch(`${h.sandbox.baseUrl}/oauth2/device`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ user_code: auth.user_code, action: 'approve' }),
    });
    assert.equal(page.status, 200);
    await clock.advance(10_000);
    const done = await poll();
    assert.equal(done.status, 200);
    assert.ok(done.body.access_token && done.body.refresh_token);
    assert.equal((await h.call('GET', '/workflows', undefined, { token: done.body.access_token })).status, 200);
    const refreshed = await token(form({ grant_type: 'refresh_token', refresh_token: done.body.refresh_token, client_id: 'public-client' }));
    assert.equal(refreshed.status, 200);
    assert.ok(refreshed.body.access_token);
    assert.equal((await poll()).body.error, 'invalid_grant');
  });

  it('answers expired_token for a device code past its lifetime, and approves through the control route', async () => {
    const start = async (): Promise<any> =>
      (await fetch(h.sandbox.deviceAuthorizationUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ client_id: 'c' }) })).json();
    const old = await start();
    await clock.advance(121_000);
    const expired = await token(form({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: old.device_code }));
    assert.equal(expired.body.error, 'expired_token');
    const fresh = await start();
    const res = await fetch(`${h.sandbox.baseUrl}/_sandbox/device/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await h.fetchToken()}` },
      body: JSON.stringify({ userCode: fresh.user_code }),
    });
    assert.equal(res.status, 200);
    const ok = await token(form({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: fresh.device_code }));
    assert.equal(ok.status, 200);
    assert.equal(ok.body.refresh_token, undefined, 'no offline_access, no refresh token');
  });

  it('publishes OpenID discovery with the token and device authorization endpoints', async () => {
    const res = await fetch(`${h.sandbox.baseUrl}/.well-known/openid-configuration`);
    const body = (await res.json());
    assert.equal(body.token_endpoint, h.sandbox.tokenUrl);
    assert.equal(body.device_authorization_endpoint, h.sandbox.deviceAuthorizationUrl);
  });

  it('approveDeviceCode() throws for an unknown user code', () => {
    assert.throws(() => h.sandbox.approveDeviceCode('ZZZZ-ZZZZ'), /No pending device sign-in/);
  });
});
