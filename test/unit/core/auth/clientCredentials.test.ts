import assert from 'node:assert/strict';
import { ClientCredentialsTokenSource } from '../../../../src/core/auth/clientCredentials';
import { AuthError, CancelledError } from '../../../../src/core/errors';
import { type Sandbox } from '../../../../src/sandbox/index';
import { clientCredentials, countRequests, recordingTokens, startTestSandbox, testClient, useSandboxCleanup } from '../support/sandbox';
import { CapturingLogger, rejection, rememberSecret } from '../support/secretScan';

const tokenRequests = (sandbox: Sandbox) => countRequests(sandbox, 'POST', /\/oauth2\/token$/);

describe('core/auth client credentials', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startTestSandbox({ tokenLifetimeSeconds: 3600 });
  });
  useSandboxCleanup(() => ({ sandbox }));

  it('builds the Entra token URL from a tenant id and the default scope from the cluster', () => {
    const source = new ClientCredentialsTokenSource({ tenantId: 'contoso.onmicrosoft.com', clientId: 'c', clientSecret: 'x', cluster: 'westeurope-1' });
    assert.equal(source.tokenUrl, 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token');
    assert.deepEqual(source.scopes, ['https://westeurope-1.cognitedata.com/.default']);
    const fromBase = new ClientCredentialsTokenSource({ tenantId: 't', clientId: 'c', clientSecret: 'x', baseUrl: 'https://az-eastus-1.cognitedata.com' });
    assert.deepEqual(fromBase.scopes, ['https://az-eastus-1.cognitedata.com/.default']);
  });

  it('caches the token: two calls, one token request', async () => {
    const source = recordingTokens(clientCredentials(sandbox));
    const first = await source.getToken();
    const second = await source.getToken();
    assert.equal(first, second);
    assert.equal(tokenRequests(sandbox), 1);
  });

  it('makes one token request for twenty concurrent API calls', async () => {
    const t = testClient(sandbox);
    try {
      const pages = await Promise.all(Array.from({ length: 20 }, () => t.client.workflows.list()));
      assert.equal(pages.length, 20);
      assert.equal(tokenRequests(sandbox), 1);
      assert.equal(countRequests(sandbox, 'GET', /\/workflows$/), 20);
    } finally {
      await t.client.close();
    }
  });

  it('renews early in the background and keeps using the current token meanwhile', async () => {
    let now = 1_000_000;
    const source = recordingTokens(clientCredentials(sandbox, { now: () => now, refreshLeewayMs: 60_000 }));
    const first = await source.getToken();
    now += 3_550_000; // 50 s before expiry: inside the 60 s leeway
    assert.equal(await source.getToken(), first, 'still valid, so returned at once');
    while (tokenRequests(sandbox) < 2) await new Promise((r) => setTimeout(r, 2));
    await new Promise((r) => setTimeout(r, 10));
    const renewed = await source.getToken();
    assert.notEqual(renewed, first);
    assert.equal(tokenRequests(sandbox), 2);
  });

  it('fetches a new token once the cached one has expired', async () => {
    let now = 1_000_000;
    const source = recordingTokens(clientCredentials(sandbox, { now: () => now }));
    const first = await source.getToken();
    now += 3_600_000;
    const second = await source.getToken();
    assert.notEqual(first, second);
    assert.equal(tokenRequests(sandbox), 2);
  });

  it('forgets a token CDF rejected, and only that one', async () => {
    const source = recordingTokens(clientCredentials(sandbox));
    const first = await source.getToken();
    source.invalidate('some-other-token');
    assert.equal(await source.getToken(), first);
    source.invalidate(first);
    assert.notEqual(await source.getToken(), first);
  });

  it('says to check the client id and secret when the identity provider refuses them, without the secret', async () => {
    const wrong = 'wrong-secret-value-42';
    rememberSecret(wrong);
    const logger = new CapturingLogger();
    const source = clientCredentials(sandbox, { clientSecret: wrong, logger });
    const error = await rejection(() => source.getToken());
    assert.ok(error instanceof AuthError);
    assert.equal(error.reason, 'invalid-client');
    assert.equal(error.oauthError, 'invalid_client');
    assert.match(error.message, /refused the token request \(invalid_client\).*Check the client id and client secret/);
    assert.equal(tokenRequests(sandbox), 1, 'a refusal is not retried');
  });

  for (const kind of [503, 429, 'reset-before'] as const) {
    it(`retries the token endpoint after ${kind}`, async () => {
      sandbox.faults.add({ path: '/oauth2/token', count: 1, kind, retryAfterSeconds: 0 });
      const source = clientCredentials(sandbox);
      rememberSecret(await source.getToken());
      assert.equal(tokenRequests(sandbox), 2);
    });
  }

  it('says where it could not reach the identity provider after its retries', async () => {
    sandbox.faults.add({ path: '/oauth2/token', count: 10, kind: 502 });
    const error = await rejection(() => clientCredentials(sandbox, { retry: { maxRetries: 1, baseDelayMs: 1 } }).getToken());
    assert.ok(error instanceof AuthError);
    assert.equal(error.reason, 'token-endpoint');
    assert.match(error.message, /answered 502/);
  });

  it('lets one waiter cancel without failing the others that share the request', async () => {
    sandbox.faults.add({ path: '/oauth2/token', count: 1, kind: 'delay', delayMs: 200 });
    const source = recordingTokens(clientCredentials(sandbox));
    const controller = new AbortController();
    const cancelled = rejection(() => source.getToken(controller.signal));
    const patient = source.getToken();
    controller.abort();
    assert.ok((await cancelled) instanceof CancelledError);
    assert.ok((await patient).length > 0);
    assert.equal(tokenRequests(sandbox), 1);
  });
});
