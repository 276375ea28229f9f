import assert from 'node:assert/strict';
import { type DeviceCodePrompt, DeviceCodeTokenSource } from '../../../../src/core/auth/deviceCode';
import { AuthError, CancelledError } from '../../../../src/core/errors';
import { type Sandbox } from '../../../../src/sandbox/index';
import { countRequests, recordingTokens, startTestSandbox, testClient, useSandboxCleanup } from '../support/sandbox';
import { CapturingLogger, rejection, rememberSecret } from '../support/secretScan';

describe('core/auth device code', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startTestSandbox({ deviceCode: { intervalSeconds: 0, expiresInSeconds: 600 } });
  });
  useSandboxCleanup(() => ({ sandbox }));

  function source(onPrompt: (p: DeviceCodePrompt) => void, extra: Partial<ConstructorParameters<typeof DeviceCodeTokenSource>[0]> = {}) {
    return new DeviceCodeTokenSource({
      deviceAuthorizationUrl: sandbox.deviceAuthorizationUrl,
      tokenUrl: sandbox.tokenUrl,
      clientId: 'public-client',
      baseUrl: sandbox.baseUrl,
      pollIntervalMs: 5,
      slowDownStepMs: 20,
      onPrompt,
      ...extra,
    });
  }

  it('shows the user code and URL, then returns a token once the user approves', async () => {
    const prompts: DeviceCodePrompt[] = [];
    const s = recordingTokens(source((p) => {
      prompts.push(p);
      setTimeout(() => sandbox.approveDeviceCode(p.userCode), 30);
    }));
    const t = testClient(sandbox, { tokenSource: s });
    try {
      const page = await t.client.workflows.list();
      assert.deepEqual(page.items, []);
      assert.equal(prompts.length, 1);
      assert.match(prompts[0].userCode, /^[A-Z]{4}-[A-Z]{4}$/);
      assert.equal(prompts[0].verificationUri, `${sandbox.baseUrl}/oauth2/device`);
      assert.ok(countRequests(sandbox, 'POST', /\/oauth2\/token$/) >= 2, 'polled while pending');
      assert.deepEqual(s.sessionCredentials(), { kind: 'tokenExchange' });
    } finally {
      await t.client.close();
    }
  });

  it('uses the refresh token instead of prompting again when the token is rejected', async () => {
    let prompts = 0;
    const s = recordingTokens(source((p) => {
      prompts++;
      sandbox.approveDeviceCode(p.userCode);
    }));
    const first = await s.getToken();
    s.invalidate(first);
    const second = await s.getToken();
    assert.notEqual(first, second);
    assert.equal(prompts, 1);
  });

  it('honours slow_down by polling less often', async () => {
    const slowSandbox = await startTestSandbox({ deviceCode: { intervalSeconds: 3600 } });
    const logger = new CapturingLogger();
    const s = new DeviceCodeTokenSource({
      deviceAuthorizationUrl: slowSandbox.deviceAuthorizationUrl,
      tokenUrl: slowSandbox.tokenUrl,
      clientId: 'public-client',
      baseUrl: slowSandbox.baseUrl,
      pollIntervalMs: 5,
      slowDownStepMs: 20,
      logger,
      onPrompt: (p) => {
        const approveAfterSlowDown = () => {
          if (logger.matching(/slow_down/).length > 0) slowSandbox.approveDeviceCode(p.userCode);
          else setTimeout(approveAfterSlowDown, 2);
        };
        approveAfterSlowDown();
      },
    });
    try {
      rememberSecret(await s.getToken());
      assert.match(logger.matching(/slow_down/)[0].message, /polling every 25ms/);
    } finally {
      await slowSandbox.close();
    }
  });

  it('gives up when the provider says the code expired, and says to start again', async () => {
    const shortSandbox = await startTestSandbox({ deviceCode: { intervalSeconds: 0, expiresInSeconds: 1 } });
    const frozen = Date.now();
    const s = new DeviceCodeTokenSource({
      deviceAuthorizationUrl: shortSandbox.deviceAuthorizationUrl,
      tokenUrl: shortSandbox.tokenUrl,
      clientId: 'public-client',
      baseUrl: shortSandbox.baseUrl,
      pollIntervalMs: 50,
      onPrompt: () => undefined,
      now: () => frozen, // our own clock never expires the code: the provider's answer must end it
    });
    try {
      const error = await rejection(() => s.getToken());
      assert.ok(error instanceof AuthError);
      assert.equal(error.reason, 'expired');
      assert.equal(error.oauthError, 'expired_token');
      assert.match(error.message, /expired before sign-in finished\. Start the sign-in again/);
    } finally {
      await shortSandbox.close();
    }
  });

  it('stops polling when the only waiter cancels', async () => {
    const controller = new AbortController();
    const s = source(() => setTimeout(() => controller.abort(), 20));
    const error = await rejection(() => s.getToken(controller.signal));
    assert.ok(error instanceof CancelledError);
    await new Promise((r) => setTimeout(r, 30)); // a poll already on the wire may still arrive
    const polls = countRequests(sandbox, 'POST', /\/oauth2\/token$/);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(countRequests(sandbox, 'POST', /\/oauth2\/token$/), polls, 'no polls after cancel');
  });

  it('reports a declined sign-in', async () => {
    const s = source((p) => {
      // The sandbox's control route declines the sign-in, as a user pressing "Cancel" would.
      void fetch(`${sandbox.baseUrl}/_sandbox/device/approve`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${sandbox.accessToken()}` },
        body: JSON.stringify({ userCode: p.userCode, approve: false }),
      });
    });
    const error = await rejection(() => s.getToken());
    assert.ok(error instanceof AuthError);
    assert.equal(error.reason, 'access-denied');
    assert.match(error.message, /Sign-in was declined/);
  });

  it('keeps its refresh token through the caller, and signs in without a code after a restart', async () => {
    const kept: (string | undefined)[] = [];
    let prompts = 0;
    const first = source((p) => {
      prompts++;
      sandbox.approveDeviceCode(p.userCode);
    }, { onRefreshToken: (t) => kept.push(t) });
    await first.getToken();
    assert.equal(prompts, 1);
    const refreshToken = kept.at(-1);
    assert.ok(refreshToken, 'the caller was given the refresh token');

    // A new source (VS Code restarted) with the kept refresh token needs no prompt.
    const second = source(() => assert.fail('no code may be shown when a refresh token works'), { refreshToken, onRefreshToken: (t) => kept.push(t) });
    assert.ok(await second.getToken());
    second.signOut();
    assert.equal(kept.at(-1), undefined, 'signing out drops the kept token');
  });

  it('drops a kept refresh token the provider refuses, then asks for a code', async () => {
    const kept: (string | undefined)[] = [];
    let prompts = 0;
    const s = source((p) => {
      prompts++;
      sandbox.approveDeviceCode(p.userCode);
    }, { refreshToken: 'revoked-or-made-up', onRefreshToken: (t) => kept.push(t) });
    assert.ok(await s.getToken());
    assert.equal(prompts, 1);
    assert.equal(kept[0], undefined, 'the refused token was dropped first');
    assert.ok(kept.at(-1), 'the new sign-in gave a new refresh token');
  });
});
