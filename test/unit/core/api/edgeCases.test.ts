// The client's last edge cases: each ends in a typed error with a clear message, and nothing is sent or
// created. Ids that have no URL encoding, server text that echoes secrets or runs on for pages, JSON nested
// past any stack, and metadata lengths counted the same way by every check.
import assert from 'node:assert/strict';
import { ClientCredentialsTokenSource } from '../../../../src/core/auth/clientCredentials';
import { StaticTokenSource } from '../../../../src/core/auth/tokenSource';
import { createCdfClient } from '../../../../src/core/client';
import { AuthError, CdfApiError, InputError } from '../../../../src/core/errors';
import { SERVER_TEXT_MAX } from '../../../../src/core/redact';
import { jsonInputBytes, metadataLength, parseRunInput, parseRunMetadata, RUN_INPUT_MAX_DEPTH, validateRunMetadata } from '../../../../src/core/run';
import { type Sandbox } from '../../../../src/sandbox/index';
import { parseUserMetadata } from '../../../../src/vscode/run/metadata';
import { startRecordingServer, type RecordingServer } from '../support/recordingServer';
import { APP_VERSION, idleWorkflow, startTestSandbox, testClient, type TestClient, useSandboxCleanup } from '../support/sandbox';
import { CapturingLogger, rejection, rememberSecret, scanned } from '../support/secretScan';

/** Half of a surrogate pair: what an id cut in the middle of an emoji leaves behind. */
const LONE = 'run-\uD83D';

function refusal(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
    return scanned(error);
  }
  assert.fail('expected a refusal');
}

/** `{"a":{"a":...1...}}` nested `depth` levels. */
function nestedText(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

function nestedValue(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { a: 1 };
  for (let i = 1; i < depth; i++) value = { a: value };
  return value;
}

describe('core/api client edge cases', function () {
  let sandbox: Sandbox;
  let t: TestClient;

  before(async () => {
    sandbox = await startTestSandbox();
    t = testClient(sandbox);
    await idleWorkflow(sandbox, t.client, 'wf', '1');
  });
  useSandboxCleanup(() => ({ sandbox, t }));

  describe('an id that cannot be put in a URL', () => {
    it('is an InputError naming it before any request, for run (no session), retry and the reads', async () => {
      sandbox.requests.reset();
      const calls: [string, () => Promise<unknown>][] = [
        ['run (workflow)', () => t.client.executions.run(LONE, '1', { input: { a: 1 } })],
        ['run (version)', () => t.client.executions.run('wf', LONE)],
        ['retry', () => t.client.executions.retry(LONE)],
        ['retrieve', () => t.client.executions.retrieve(LONE)],
        ['cancel', () => t.client.executions.cancel(LONE)],
        ['workflow', () => t.client.workflows.retrieve(LONE)],
        ['trigger history', () => t.client.triggers.history(LONE)],
        ['a cursor', () => t.client.workflows.list({ cursor: LONE })],
      ];
      for (const [what, call] of calls) {
        const error = await rejection(call);
        assert.ok(error instanceof InputError, `${what}: ${String(error)}`);
        assert.match(error.message, /cannot be sent in a URL/, what);
        assert.match(error.message, /\\uD83D/, `${what}: the message shows the broken character as an escape`);
        assert.doesNotMatch(error.message, /[\uD800-\uDFFF]/, `${what}: the message itself is valid Unicode`);
      }
      assert.equal(sandbox.requests.count(), 0, 'no token request, no session, no API call');
    });

    it('accepts a whole emoji (a complete pair) and encodes it', async () => {
      sandbox.requests.reset();
      const error = await rejection(() => t.client.workflows.retrieve('wf-\uD83D\uDE00'));
      assert.ok(error instanceof CdfApiError, String(error));
      assert.equal(error.status, 404);
      assert.deepEqual(sandbox.requests.list.filter(r => !r.path.includes('oauth2')).map(r => r.path.split('/').pop()), ['wf-%F0%9F%98%80']);
    });

    it('refuses a project name with a lone surrogate when the client is made', () => {
      refusal(() => createCdfClient({ baseUrl: sandbox.baseUrl, project: `p${LONE}`, tokenSource: new StaticTokenSource('static-token-edge-0001'), appVersion: APP_VERSION }));
    });
  });

  describe('error messages built from what a server sent', () => {
    let server: RecordingServer;
    const token = 'edge-case-bearer-token-4f1d0c';
    rememberSecret(token);

    before(async () => {
      server = await startRecordingServer();
    });
    after(async () => {
      await server?.close();
    });

    function hostileClient(logger: CapturingLogger) {
      return createCdfClient({ baseUrl: server.origin, project: 'p', tokenSource: new StaticTokenSource(token), appVersion: APP_VERSION, logger, retry: { maxRetries: 0 } });
    }

    it('masks the known secrets in missing, duplicated and extra items and the message, and caps the message', async () => {
      const logger = new CapturingLogger();
      const client = hostileClient(logger);
      const longTail = 'x'.repeat(5_000);
      try {
        const bodies: [number, unknown, RegExp][] = [
          [404, { error: { code: 404, message: 'not found', missing: [{ externalId: token }, { externalId: longTail }] } }, /Not found: /],
          [409, { error: { code: 409, message: 'dup', duplicated: [{ externalId: `${token}-${longTail}` }] } }, /Already exists/],
          [400, { error: { code: 400, message: `bad request for ${token} ${longTail}`, detail: { echoed: token } } }, /CDF refused the request/],
          [500, { error: { code: 500, message: `${longTail} ${token}` } }, /CDF failed/],
        ];
        for (const [status, body, kind] of bodies) {
          server.answer(status, body);
          const error = await rejection(() => client.workflows.retrieve('wf'));
          assert.ok(error instanceof CdfApiError, String(error));
          assert.match(error.message, kind);
          assert.ok(!error.message.includes(token), `${status}: the token is in the message`);
          assert.ok(error.message.length < SERVER_TEXT_MAX + 400, `${status}: the message is ${error.message.length} characters`);
          assert.ok(!JSON.stringify([error.missing, error.duplicated, error.extra, error.serverMessage]).includes(token), `${status}: the token is in the error's fields`);
        }
        const bad = await rejection(() => client.workflows.retrieve('wf'));
        assert.ok(bad instanceof CdfApiError);
        assert.match(bad.message, /…/, 'a cut message says so');
        // The rest went to the log, masked like the message.
        assert.ok(logger.matching(/the error in full/).some(l => l.message.includes(longTail)), 'the full text is in the log');
        assert.ok(!logger.lines.some(l => l.message.includes(token)), 'the log has no token');
      } finally {
        await client.close();
      }
    });

    it('masks the client secret a token endpoint echoes in error and error_description, and caps them', async () => {
      const secret = 'edge-client-secret-9d2e41b7';
      rememberSecret(secret);
      const logger = new CapturingLogger();
      server.answer(401, { error: `invalid_client ${secret}`, error_description: `The secret ${secret} is wrong. ${'Trace: 0123456789 '.repeat(200)}\nline two` });
      const source = new ClientCredentialsTokenSource({ tokenUrl: `${server.origin}/oauth2/token`, clientId: 'edge-client', clientSecret: secret, baseUrl: server.origin, logger, retry: { maxRetries: 0 } });
      const error = await rejection(() => source.getToken());
      assert.ok(error instanceof AuthError, String(error));
      assert.ok(!error.message.includes(secret), error.message);
      assert.ok(!(error.oauthError ?? '').includes(secret));
      assert.match(error.message, /The secret \*\*\* is wrong/);
      assert.ok(error.message.length < SERVER_TEXT_MAX + 300, `the message is ${error.message.length} characters`);
      assert.ok(logger.lines.some(l => l.message.includes('line two')), 'the whole description is in the log');
      assert.ok(!logger.lines.some(l => l.message.includes(secret)));
    });
  });

  describe('JSON nested 10,000 levels deep', () => {
    it('is an InputError with a line and column from parseRunInput, never a stack overflow', () => {
      const text = `{\n  "data": ${nestedText(10_000)}\n}`;
      const error = refusal(() => parseRunInput(text));
      assert.match(error.message, /more than 1000 levels deep \(line 2, column \d+\)/);
      assert.equal(error.location?.line, 2);
      assert.equal(text.charAt(error.location.offset), '{', 'the position is the bracket that goes one level too deep');
    });

    it('is an InputError naming where from run, before anything is sent', async () => {
      sandbox.requests.reset();
      const error = await rejection(() => t.client.executions.run('wf', '1', { input: nestedValue(10_000) }));
      assert.ok(error instanceof InputError, String(error));
      assert.match(error.message, /more than 1000 levels deep \(at input\.a\.a\.a\.a\.a\.a…\)/);
      assert.equal(sandbox.requests.count(), 0);
    });

    it('accepts 1000 levels, and refuses an input that refers to itself', () => {
      assert.equal(parseRunInput(nestedText(RUN_INPUT_MAX_DEPTH)).input.a !== undefined, true);
      assert.ok(jsonInputBytes(nestedValue(RUN_INPUT_MAX_DEPTH), 'x') > 0);
      const loop: Record<string, unknown> = { name: 'loop' };
      loop.self = { again: loop };
      assert.match(refusal(() => jsonInputBytes(loop, 'The run input')).message, /refers to itself at input\.self\.again/);
    });

    it('counts brackets inside strings as text', () => {
      const text = JSON.stringify({ note: '{'.repeat(5_000) });
      assert.deepEqual(parseRunInput(text).input, { note: '{'.repeat(5_000) });
    });
  });

  describe('metadata lengths', () => {
    // 17 emoji: 17 code points, 34 UTF-16 units.
    const emojiKey = '\u{1F600}'.repeat(17);

    it('are counted one way by the validator, the input box and the client', async () => {
      assert.equal(metadataLength(emojiKey), 34);
      for (const check of [() => validateRunMetadata({ [emojiKey]: 'v' }), () => parseRunMetadata(`${emojiKey}=v`), () => parseUserMetadata(`${emojiKey}=v`)]) {
        assert.match(refusal(check).message, /is 34 characters \(emoji and some other symbols count as 2\); keys may have at most 32/);
      }
      sandbox.requests.reset();
      const error = await rejection(() => t.client.executions.run('wf', '1', { metadata: { [emojiKey]: 'v' } }));
      assert.ok(error instanceof InputError);
      assert.match(error.message, /is 34 characters \(emoji and some other symbols count as 2\); keys may have at most 32/);
      assert.equal(sandbox.requests.count(), 0);
    });

    it('accept what every reading of "characters" accepts, and the server agrees', async () => {
      const key = '\u{1F600}'.repeat(16); // 32 units
      const value = 'ø'.repeat(255);
      validateRunMetadata({ [key]: value });
      assert.deepEqual(parseUserMetadata(`${key}=${value}`), { [key]: value });
      const execution = await t.client.executions.run('wf', '1', { metadata: { [key]: value } });
      assert.equal(execution.metadata[key], value);
    });
  });
});
