import assert from 'node:assert/strict';
import { RUN_ID_METADATA_KEY } from '../../../../src/core/api/runReconcile';
import { collect } from '../../../../src/core/api/paging';
import { CdfApiError, InputError, OutcomeUnknownError } from '../../../../src/core/errors';
import { type Execution } from '../../../../src/core/schemas/executions';
import { type FaultRule, type Sandbox } from '../../../../src/sandbox/index';
import { startLateProxy } from '../support/lateProxy';
import { countRequests, idleWorkflow, startTestSandbox, testClient, type TestClient, useSandboxCleanup } from '../support/sandbox';
import { rejection, scanned } from '../support/secretScan';

const RUN_PATH = /\/workflows\/[^/]+\/versions\/[^/]+\/run$/;

describe('core/api running a workflow', function () {
  let sandbox: Sandbox;
  let t: TestClient;

  before(async () => {
    sandbox = await startTestSandbox({ limits: { concurrentExecutions: 10_000 } });
    t = testClient(sandbox, {
      // How long a run request could still be processed after its session: real CDF honours a nonce for
      // about a minute. The sandbox never processes a request after answering it or after the client
      // gave up, so a short window keeps the suite fast without weakening what is checked.
      run: { nonceLifetimeMs: 300, marginMs: 0, pollIntervalMs: 20, maxPollIntervalMs: 100 },
      timeoutMs: 1_000,
    });
    await idleWorkflow(sandbox, t.client, 'wf', '1');
  });
  useSandboxCleanup(() => ({ sandbox, t }));

  async function executionsOf(workflowExternalId: string): Promise<Execution[]> {
    return collect(t.client.executions.iterate({ filter: { workflowFilters: [{ externalId: workflowExternalId }] }, limit: 1000 }));
  }

  it('creates a session and runs with its nonce: exactly two requests with a cached token', async () => {
    await t.client.workflows.list(); // token cached
    sandbox.requests.reset();
    const execution = await t.client.executions.run('wf', '1', { input: { runDate: '2026-01-01' }, metadata: { ticket: 'OPS-1' } });
    assert.equal(execution.status, 'RUNNING');
    assert.equal(execution.workflowExternalId, 'wf');
    assert.deepEqual(
      sandbox.requests.list.map((r) => `${r.method} ${r.path.replace(/^\/api\/v1\/projects\/sandbox/, '')}`),
      ['POST /sessions', 'POST /workflows/wf/versions/1/run'],
    );
    assert.equal(execution.metadata['ticket'], 'OPS-1');
    assert.match(execution.metadata[RUN_ID_METADATA_KEY], /^[0-9a-f-]{36}$/);
    const detailed = await t.client.executions.retrieve(execution.id);
    assert.deepEqual(detailed.input, { runDate: '2026-01-01' });
  });

  it('refuses bad input and metadata before sending anything', async () => {
    const big = { blob: 'x'.repeat(101 * 1024) };
    const cases: [() => Promise<unknown>, RegExp][] = [
      [() => t.client.executions.run('wf', '1', { input: big }), /at most 102,400 bytes \(100 KB\)/],
      [() => t.client.executions.run('wf', '1', { input: [] as unknown as Record<string, unknown> }), /must be a JSON object/],
      [() => t.client.executions.run('wf', '1', { metadata: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'v'])) }), /at most 9 are allowed/],
      [() => t.client.executions.run('wf', '1', { metadata: { [RUN_ID_METADATA_KEY]: 'x' } }), /reserved/],
      [() => t.client.executions.run('wf', '1', { metadata: { ['k'.repeat(33)]: 'v' } }), /keys may have at most 32/],
    ];
    for (const [call, message] of cases) {
      const error = await rejection(call);
      assert.ok(error instanceof InputError, String(error));
      assert.match(error.message, message);
    }
    assert.equal(sandbox.requests.count(), 0);
  });

  it('resends a run refused with 429: one execution', async () => {
    sandbox.faults.add({ method: 'POST', path: RUN_PATH, count: 2, kind: 429, retryAfterSeconds: 0 });
    const before = (await executionsOf('wf')).length;
    const execution = await t.client.executions.run('wf', '1');
    assert.equal(countRequests(sandbox, 'POST', RUN_PATH), 3);
    const after = await executionsOf('wf');
    assert.equal(after.length, before + 1);
    assert.ok(after.some((e) => e.id === execution.id));
  });

  it('finds the execution after the connection was reset once the server had processed the run', async () => {
    sandbox.faults.add({ method: 'POST', path: RUN_PATH, count: 1, kind: 'reset-after' });
    const before = (await executionsOf('wf')).length;
    const execution = await t.client.executions.run('wf', '1');
    assert.equal(countRequests(sandbox, 'POST', RUN_PATH), 1, 'never resent');
    const after = await executionsOf('wf');
    assert.equal(after.length, before + 1);
    assert.equal(after.find((e) => e.id === execution.id)?.metadata[RUN_ID_METADATA_KEY], execution.metadata[RUN_ID_METADATA_KEY]);
    assert.equal(t.logger.matching(/found execution/).length >= 1, true);
  });

  it('finds the execution when a 2xx answer cannot be parsed', async () => {
    sandbox.faults.add({ method: 'POST', path: RUN_PATH, count: 1, kind: 'malformed-json' });
    const before = (await executionsOf('wf')).length;
    const execution = await t.client.executions.run('wf', '1');
    assert.equal((await executionsOf('wf')).length, before + 1);
    assert.equal(execution.workflowExternalId, 'wf');
  });

  for (const kind of [502, 'reset-before'] as const) {
    it(`after ${kind} it looks for the execution, finds none and says the run most likely did not start`, async () => {
      sandbox.faults.add({ method: 'POST', path: RUN_PATH, count: 1, kind });
      const before = (await executionsOf('wf')).length;
      const error = await rejection(() => t.client.executions.run('wf', '1'));
      assert.ok(error instanceof OutcomeUnknownError);
      assert.equal(error.checked, true);
      assert.match(error.runId!, /^[0-9a-f-]{36}$/);
      assert.match(error.message, /did not confirm.*most likely did not start\. Check the executions list/);
      assert.equal(countRequests(sandbox, 'POST', RUN_PATH), 1, 'never resent');
      assert.ok(countRequests(sandbox, 'POST', /executions\/list$/) >= 2, 'looked more than once');
      assert.equal((await executionsOf('wf')).length, before);
    });
  }

  it('after a timeout it keeps looking until the nonce could no longer start the run', async () => {
    const impatient = testClient(sandbox, { timeoutMs: 100, run: { nonceLifetimeMs: 300, marginMs: 0, pollIntervalMs: 20 } });
    try {
      sandbox.faults.add({ method: 'POST', path: RUN_PATH, count: 1, kind: 'delay', delayMs: 1_000 });
      const before = (await executionsOf('wf')).length;
      const error = await rejection(() => impatient.client.executions.run('wf', '1'));
      assert.ok(error instanceof OutcomeUnknownError);
      assert.equal(error.checked, true);
      await sandbox.settle();
      assert.equal((await executionsOf('wf')).length, before, 'the abandoned request created nothing');
    } finally {
      await impatient.client.close();
    }
  });

  it('finds and returns a run the server processed after the client gave up, without running it again', async () => {
    const proxy = await startLateProxy(sandbox.baseUrl);
    const late = testClient(sandbox, { baseUrl: proxy.origin, timeoutMs: 100, run: { nonceLifetimeMs: 1_000, marginMs: 0, pollIntervalMs: 20 } });
    try {
      proxy.holdNext(RUN_PATH, 1, 400);
      const before = (await executionsOf('wf')).length;
      const execution = await late.client.executions.run('wf', '1');
      assert.equal(proxy.forwardedLate, 1);
      assert.equal(countRequests(sandbox, 'POST', RUN_PATH), 1, 'never resent');
      const after = await executionsOf('wf');
      assert.equal(after.length, before + 1);
      assert.ok(after.some((e) => e.id === execution.id));
      assert.ok(late.logger.matching(/^POST \/workflows\/wf\/versions\/1\/run timeout/).length === 1);
    } finally {
      await late.client.close();
      await proxy.close();
    }
  });

  it('cancelled while the run request is in flight: outcome unknown, with the run id to look for', async () => {
    sandbox.faults.add({ method: 'POST', path: RUN_PATH, count: 1, kind: 'delay', delayMs: 5_000 });
    const controller = new AbortController();
    const pending = rejection(() => t.client.executions.run('wf', '1', { signal: controller.signal }));
    while (countRequests(sandbox, 'POST', /\/sessions$/) === 0) await new Promise((r) => setTimeout(r, 2));
    setTimeout(() => controller.abort(), 20);
    const error = await pending;
    assert.ok(error instanceof OutcomeUnknownError);
    assert.equal(error.checked, false);
    assert.match(error.message, new RegExp(`${RUN_ID_METADATA_KEY}=${error.runId}`));
  });

  it('a definite refusal (404) is an ordinary error, not an unknown outcome', async () => {
    const error = await rejection(() => t.client.executions.run('wf', 'no-such-version'));
    assert.ok(error instanceof CdfApiError);
    assert.equal(error.reason, 'not-found');
    assert.equal(countRequests(sandbox, 'POST', /executions\/list$/), 0);
  });

  it('1,000 runs under faults make exactly one execution per reported success, none twice', async function () {
    this.timeout(120_000);
    await idleWorkflow(sandbox, t.client, 'proof', '1');
    // Through a proxy that holds some run requests past the client's 1 s timeout and forwards them 1.3 s
    // later: the server processes requests the client gave up on. The client keeps looking for 3 s after
    // each session, standing in for the nonce lifetime (about a minute in CDF; the sandbox's is fixed at 60 s).
    const proxy = await startLateProxy(sandbox.baseUrl);
    const proof = testClient(sandbox, { baseUrl: proxy.origin, timeoutMs: 1_000, run: { nonceLifetimeMs: 3_000, marginMs: 0, pollIntervalMs: 20, maxPollIntervalMs: 250 } });
    const faultsPerRound: Omit<FaultRule, 'path'>[] = [
      { method: 'POST', kind: 'reset-after', count: 10 },
      { method: 'POST', kind: 502, count: 8 },
      { method: 'POST', kind: 429, count: 8, retryAfterSeconds: 0 },
      { method: 'POST', kind: 'reset-before', count: 5 },
      { method: 'POST', kind: 503, count: 3 },
      { method: 'POST', kind: 504, count: 3 },
      { method: 'POST', kind: 500, count: 2 },
      { method: 'POST', kind: 'malformed-json', count: 3 },
      // Longer than the client's 1 s timeout: the client gives up and must find out what happened.
      { method: 'POST', kind: 'delay', count: 2, delayMs: 1_300 },
      // Shorter than the timeout: the answer is just slow.
      { method: 'POST', kind: 'delay', count: 2, delayMs: 200 },
    ];
    const outcomes: { ok: Execution[]; unknown: OutcomeUnknownError[]; other: Error[] } = { ok: [], unknown: [], other: [] };
    // Two rounds' worth of faults, all queued at once; the 1,000 calls then run 50 at a time.
    const rounds = 2;
    const calls = 1_000;
    const concurrency = 50;
    for (let round = 0; round < rounds; round++) {
      for (const rule of faultsPerRound) sandbox.faults.add({ ...rule, path: RUN_PATH });
      proxy.holdNext(RUN_PATH, 3, 1_300);
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < calls) {
          const n = next++;
          try {
            outcomes.ok.push(await proof.client.executions.run('proof', '1', { input: { n } }));
          } catch (error) {
            if (error instanceof OutcomeUnknownError) outcomes.unknown.push(scanned(error));
            else outcomes.other.push(scanned(error as Error));
          }
        }
      }),
    );
    sandbox.faults.clear();
    await proxy.idle();
    await proof.client.close();
    await proxy.close();
    await sandbox.settle();
    assert.equal(proxy.forwardedLate, rounds * 3);
    const total = outcomes.ok.length + outcomes.unknown.length + outcomes.other.length;
    assert.equal(total, calls);
    assert.deepEqual(outcomes.other.map((e) => e.message), []);

    const executions = await executionsOf('proof');
    const runIds = executions.map((e) => e.metadata[RUN_ID_METADATA_KEY]);
    assert.equal(new Set(runIds).size, executions.length, 'no run id twice');
    assert.equal(executions.length, outcomes.ok.length, 'one execution per reported success');
    assert.deepEqual(new Set(outcomes.ok.map((e) => e.id)), new Set(executions.map((e) => e.id)));
    assert.ok(outcomes.unknown.every((e) => e.checked), 'every failure was checked');
    // Every fault kind was met: some runs were found after ambiguity, some honestly reported unknown.
    assert.ok(outcomes.unknown.length >= rounds * 20, `unknown outcomes: ${outcomes.unknown.length}`);
    assert.ok(proof.logger.matching(/found execution/).length >= rounds * 13, 'every reset-after and malformed answer was found');
    // Resent only after a 429 (a 429 that reaches a request its client already gave up on is not resent).
    const resent = countRequests(sandbox, 'POST', RUN_PATH) - calls;
    assert.equal(resent, proof.logger.matching(/^POST \/workflows\/proof\/versions\/1\/run 429 .*retrying/).length);
    assert.ok(resent > 0 && resent <= rounds * 8);
  });
});
