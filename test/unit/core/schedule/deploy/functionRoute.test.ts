// The function route against the sandbox over loopback: what a deploy creates, reuses and replaces, and
// what each failing step leaves behind (nothing orphaned, nothing duplicated, a second deploy completes).
/* eslint-disable @typescript-eslint/no-explicit-any -- sandbox answers are read loosely in assertions */
import assert from 'node:assert/strict';
import { strFromU8, unzipSync } from 'fflate';
import { createHash } from 'node:crypto';
import { CancelledError, InputError } from '../../../../../src/core/errors';
import { buildTriggerFunction, TRIGGER_HANDLER_PY, type TriggerFunctionPackage } from '../../../../../src/core/schedule';
import {
  DeployStepError,
  FunctionBuildError,
  FunctionNotReadyError,
  FunctionRouteDeployment,
  planFunctionRoute,
  prepareFunctionRoute,
  TRIGGER_FUNCTION_CONFIG_HASH_KEY,
} from '../../../../../src/core/schedule/deploy';
import { zipSync, strToU8 } from 'fflate';
import { ManualClock } from '../../../../../src/sandbox/index';
import { rejection, rememberSecret, scanState } from '../../support/secretScan';
import {
  allFiles,
  allSessions,
  deployFunctionRoute,
  type DeployWorld,
  FAST,
  functionRequest,
  functionsNamed,
  schedulesOf,
  startDeployWorld,
  withClockMoving,
  WORKFLOW,
} from './support';

/** A trigger function package whose handler differs from the shipped one (a new extension version). */
function changedPackage(marker: string): TriggerFunctionPackage {
  const handler = `${TRIGGER_HANDLER_PY}\n# ${marker}\n`;
  return {
    files: { 'handler.py': handler },
    zip: zipSync({ 'handler.py': strToU8(handler) }),
    handlerHash: createHash('sha256').update(handler, 'utf8').digest('hex'),
  };
}

/** A package CDF cannot build: handler.py without handle(). */
function brokenPackage(): TriggerFunctionPackage {
  const handler = 'def not_handle(data):\n    return {}\n';
  return { files: { 'handler.py': handler }, zip: zipSync({ 'handler.py': strToU8(handler) }), handlerHash: 'broken' };
}

function stepOf(error: Error): string {
  assert.ok(error instanceof DeployStepError, `expected a DeployStepError, got ${error.name}: ${error.message}`);
  return error.step;
}

describe('core/schedule/deploy function route', function () {
  this.timeout(30_000);

  describe('on a manual clock', () => {
    let world: DeployWorld;
    let clock: ManualClock;

    beforeEach(async () => {
      clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 0));
      world = await startDeployWorld({ clock });
    });
    afterEach(async () => {
      await world?.close();
    });

    it('deploys the trigger function and a schedule that, when the clock reaches it, runs the right workflow version with its input', async () => {
      const { client, sandbox } = world;
      const deployment = await withClockMoving(
        clock,
        deployFunctionRoute(world, functionRequest(sandbox, { version: '2', cron: '0 2 * * *', input: { mode: 'full', day: 1 } })),
      );
      const result = deployment.result;
      assert.ok(result);
      assert.equal(result.plan.action, 'create');
      assert.equal(result.function.status, 'Ready');
      assert.equal(result.function.externalId, 'workflow-trigger');
      // Secrets come back masked; the environment names the connection; metadata holds the hashes.
      assert.deepEqual(result.function.secrets, { 'client-id': '***', 'client-secret': '***' });
      assert.deepEqual(result.function.envVars, {
        IDP_TOKEN_URL: sandbox.tokenUrl,
        CDF_PROJECT: sandbox.project,
        CDF_URL: sandbox.baseUrl,
        IDP_SCOPES: `${sandbox.baseUrl}/.default`,
      });
      assert.equal(result.function.metadata?.['cdf-workflows-handler-hash'], buildTriggerFunction().handlerHash);
      assert.match(result.function.metadata?.[TRIGGER_FUNCTION_CONFIG_HASH_KEY] ?? '', /^[0-9a-f]{64}$/);
      assert.equal(result.schedule.cronExpression, '0 2 * * *');
      assert.equal(result.schedule.name, `Scheduled trigger: ${WORKFLOW}@2`);
      assert.deepEqual(await client.functionSchedules.inputData(result.schedule.id), { workflowExternalId: WORKFLOW, version: '2', input: { mode: 'full', day: 1 } });

      await clock.advanceTo(Date.UTC(2026, 0, 1, 2, 0, 1));
      await sandbox.settle();
      const calls = (await client.functions.listCalls(result.function.id)).items.filter((c) => c.scheduleId === result.schedule.id);
      assert.equal(calls.length, 1);
      assert.equal(calls[0].status, 'Completed', JSON.stringify(calls[0]));
      const response = (await client.functions.callResponse(result.function.id, calls[0].id)).response as { executionId: string };
      const execution = await client.executions.retrieve(response.executionId);
      assert.equal(execution.workflowExternalId, WORKFLOW);
      assert.equal(execution.version, '2');
      assert.deepEqual(execution.input, { mode: 'full', day: 1 });
      const logs = (await client.functions.callLogs(result.function.id, calls[0].id)).map((l) => l.message).join('\n');
      assert.match(logs, new RegExp(`Started execution ${response.executionId} of ${WORKFLOW}@2`));
    });

    it('keeps a function that is still building when the wait times out, and the next deploy continues with it', async () => {
      const { client, sandbox } = world;
      const error = await rejection(() => deployFunctionRoute(world, functionRequest(sandbox), { ...FAST, readyTimeoutMs: 60 }));
      assert.equal(stepOf(error), 'Wait for the trigger function to be Ready');
      assert.ok((error as DeployStepError).cause instanceof FunctionNotReadyError);
      assert.match(error.message, /still Queued .* It is kept: run the wizard again later/);
      const kept = await functionsNamed(client);
      assert.equal(kept.length, 1);
      assert.equal((await schedulesOf(client)).length, 0);

      sandbox.requests.reset();
      const second = await withClockMoving(clock, deployFunctionRoute(world, functionRequest(sandbox)));
      assert.equal(second.result?.plan.action, 'reuse');
      assert.equal(second.result?.function.id, kept[0].id);
      assert.equal(sandbox.requests.count({ method: 'POST', path: /\/functions$/ }), 0);
      assert.equal((await schedulesOf(client, kept[0].id)).length, 1);
    });

    it('stops waiting when cancelled, keeps the function and makes no session', async () => {
      const { client, sandbox } = world;
      const abort = new AbortController();
      const deployment = new FunctionRouteDeployment(world.deps(), functionRequest(sandbox), FAST);
      const steps = deployment.steps;
      const pending = (async () => {
        for (const step of steps) {
          if (step.shouldExecute && !step.shouldExecute()) continue;
          if (step.title === 'Wait for the trigger function to be Ready') setTimeout(() => abort.abort(), 30);
          await step.execute(() => undefined, abort.signal);
        }
      })();
      await assert.rejects(pending, CancelledError);
      await deployment.abandon();
      assert.equal((await functionsNamed(client)).length, 1);
      assert.equal(sandbox.requests.count({ method: 'POST', path: /\/sessions$/ }), 0);
    });
  });

  describe('on real time', () => {
    let world: DeployWorld;

    beforeEach(async () => {
      world = await startDeployWorld({
        clients: [
          { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' },
          { clientId: 'scheduler-bot', clientSecret: 'bot-Secret-1-never-shown' },
        ],
      });
    });
    afterEach(async () => {
      world.sandbox.faults.clear();
      await world?.close();
    });

    it('reuses the trigger function for a second workflow: one upload and one function for two schedules', async () => {
      const { client, sandbox } = world;
      await deployFunctionRoute(world, functionRequest(sandbox));
      const second = await deployFunctionRoute(world, functionRequest(sandbox, { workflow: 'weekly-report', cron: '0 6 * * 1' }));
      assert.equal(second.result?.plan.action, 'reuse');
      assert.equal(sandbox.requests.count({ method: 'POST', path: /\/files$/ }), 1);
      assert.equal(sandbox.requests.count({ method: 'POST', path: /\/functions$/ }), 1);
      const fns = await functionsNamed(client);
      assert.equal(fns.length, 1);
      assert.deepEqual((await schedulesOf(client, fns[0].id)).map((s) => s.name).sort(), [`Scheduled trigger: ${WORKFLOW}@1`, 'Scheduled trigger: weekly-report@1']);
    });

    it('replaces a schedule with the same name instead of adding a second one, and revokes the old schedule session', async () => {
      const { client, sandbox } = world;
      const first = await deployFunctionRoute(world, functionRequest(sandbox, { name: 'Nightly', cron: '0 2 * * *' }));
      const oldSession = Number(first.result?.schedule.sessionId);
      const second = await deployFunctionRoute(world, functionRequest(sandbox, { name: 'Nightly', cron: '30 3 * * 1-5', version: '2' }));
      assert.equal(second.result?.plan.replacing.length, 1);
      const schedules = await schedulesOf(client);
      assert.equal(schedules.length, 1);
      assert.equal(schedules[0].cronExpression, '30 3 * * 1-5');
      assert.equal(((await client.functionSchedules.inputData(schedules[0].id)) as any).version, '2');
      assert.equal((await allSessions(client)).find((s) => s.id === oldSession)?.status, 'REVOKED');
      assert.deepEqual(world.store.get(world.deps().journal.key), undefined, 'the journal is empty afterwards');
    });

    it('edits a schedule under a new name: the edited one is removed, the new one made', async () => {
      const { client, sandbox } = world;
      const first = await deployFunctionRoute(world, functionRequest(sandbox, { name: 'Nightly' }));
      const request = { ...functionRequest(sandbox, { name: 'Nightly (v2)', version: '2' }), replaces: { scheduleId: first.result!.schedule.id } };
      await deployFunctionRoute(world, request);
      assert.deepEqual((await schedulesOf(client)).map((s) => s.name), ['Nightly (v2)']);
    });

    it('replaces the function when the handler changes and keeps every schedule with its cron and data', async () => {
      const { client, sandbox } = world;
      const inputs = [
        { name: 'A', cron: '0 1 * * *', input: { a: 1 } },
        { name: 'B', cron: '15 4 * * 1', input: { b: [1, 2] }, version: '2' },
        { name: 'C', cron: '*/30 * * * *', workflow: 'weekly-report' },
      ];
      for (const s of inputs) await deployFunctionRoute(world, functionRequest(sandbox, s));
      const [old] = await functionsNamed(client);
      const before = await Promise.all((await schedulesOf(client, old.id)).map(async (s) => ({ name: s.name, cron: s.cronExpression, data: await client.functionSchedules.inputData(s.id) })));

      const plan = await planFunctionRoute(world.deps(), prepareFunctionRoute(functionRequest(sandbox, { name: 'D' }, { package: changedPackage('v2') })));
      assert.equal(plan.action, 'replace');
      assert.equal(plan.reason, 'handler');
      assert.deepEqual(plan.moving.map((s) => s.name).sort(), ['A', 'B', 'C']);

      const replaced = await deployFunctionRoute(world, functionRequest(sandbox, { name: 'D' }, { package: changedPackage('v2') }));
      assert.deepEqual([...(replaced.result?.restored ?? [])].sort(), ['A', 'B', 'C']);
      const fns = await functionsNamed(client);
      assert.equal(fns.length, 1);
      assert.notEqual(fns[0].id, old.id);
      const after = await Promise.all((await schedulesOf(client, fns[0].id)).map(async (s) => ({ name: s.name, cron: s.cronExpression, data: await client.functionSchedules.inputData(s.id) })));
      const byName = (list: typeof before) => [...list].sort((x, y) => x.name.localeCompare(y.name));
      assert.deepEqual(byName(after.filter((s) => s.name !== 'D')), byName(before));
      assert.equal((await schedulesOf(client)).length, 4, 'nothing is left on the old function');
      // The old zip went with the old function: one code file remains.
      assert.deepEqual((await allFiles(sandbox)).map((f) => Number(f.id)), [fns[0].fileId]);
    });

    it('uploads the new code before removing the outdated function: a failing upload leaves it and its schedules in place', async () => {
      const { client, sandbox } = world;
      await deployFunctionRoute(world, functionRequest(sandbox, { name: 'A' }));
      const [old] = await functionsNamed(client);
      sandbox.faults.add({ method: 'PUT', path: /gcs_proxy/, count: 10, kind: 503 });
      const error = await rejection(() => deployFunctionRoute(world, functionRequest(sandbox, { name: 'B' }, { package: changedPackage('v5') })));
      assert.equal(stepOf(error), 'Upload the function code');
      assert.deepEqual((await functionsNamed(client)).map((f) => f.id), [old.id]);
      assert.deepEqual((await schedulesOf(client, old.id)).map((s) => s.name), ['A']);
      assert.deepEqual((await allFiles(sandbox)).map((f) => Number(f.id)), [old.fileId]);
      assert.deepEqual(world.deps().journal.pending, []);
    });

    it('removes the new zip when removing the outdated function fails', async () => {
      const { client, sandbox } = world;
      await deployFunctionRoute(world, functionRequest(sandbox, { name: 'A' }));
      const [old] = await functionsNamed(client);
      sandbox.faults.add({ method: 'POST', path: /\/functions\/delete$/, count: 10, kind: 503 });
      const error = await rejection(() => deployFunctionRoute(world, functionRequest(sandbox, { name: 'B' }, { package: changedPackage('v6') })));
      assert.equal(stepOf(error), 'Remove the outdated trigger function');
      assert.deepEqual((await allFiles(sandbox)).map((f) => Number(f.id)), [old.fileId]);
      sandbox.faults.clear();
      // Its schedules were deleted before the failure: the journal holds them and the next deploy restores them.
      assert.deepEqual(world.deps().journal.pending.map((s) => s.name), ['A']);
      await deployFunctionRoute(world, functionRequest(sandbox, { name: 'B' }, { package: changedPackage('v6') }));
      assert.deepEqual((await schedulesOf(client)).map((s) => s.name).sort(), ['A', 'B']);
      assert.equal((await functionsNamed(client)).length, 1);
      assert.equal((await allFiles(sandbox)).length, 1);
    });

    it('replaces the function when the client secret or client changes (the configuration hash in its metadata differs)', async () => {
      const { client, sandbox } = world;
      await deployFunctionRoute(world, functionRequest(sandbox));
      const [old] = await functionsNamed(client);
      const request = functionRequest(sandbox, { workflow: 'weekly-report' }, { credentials: { clientId: 'scheduler-bot', clientSecret: 'bot-Secret-1-never-shown' } });
      const plan = await planFunctionRoute(world.deps(), prepareFunctionRoute(request));
      assert.equal(plan.action, 'replace');
      assert.equal(plan.reason, 'configuration');
      await deployFunctionRoute(world, request);
      const [now] = await functionsNamed(client);
      assert.notEqual(now.id, old.id);
      assert.equal((await schedulesOf(client, now.id)).length, 2);
    });

    it('removes the uploaded file when the upload fails, and a second deploy completes', async () => {
      const { client, sandbox } = world;
      sandbox.faults.add({ method: 'PUT', path: /gcs_proxy/, count: 10, kind: 503 });
      const error = await rejection(() => deployFunctionRoute(world, functionRequest(sandbox)));
      assert.equal(stepOf(error), 'Upload the function code');
      assert.deepEqual(await allFiles(sandbox), []);
      assert.deepEqual(await functionsNamed(client), []);
      sandbox.faults.clear();
      await deployFunctionRoute(world, functionRequest(sandbox));
      assert.equal((await schedulesOf(client)).length, 1);
      assert.equal((await allFiles(sandbox)).length, 1);
    });

    it('finds and removes a file whose create was answered ambiguously', async () => {
      const { sandbox } = world;
      sandbox.faults.add({ method: 'POST', path: /\/files$/, count: 1, kind: 'reset-after' });
      const error = await rejection(() => deployFunctionRoute(world, functionRequest(sandbox)));
      assert.equal(stepOf(error), 'Upload the function code');
      assert.equal(sandbox.requests.count({ method: 'POST', path: /\/files$/ }), 1, 'the create was not resent');
      assert.deepEqual(await allFiles(sandbox), []);
    });

    it('removes the uploaded file when the function create fails, and a second deploy completes', async () => {
      const { client, sandbox } = world;
      sandbox.faults.add({ method: 'POST', path: /\/functions$/, count: 1, kind: 503 });
      const error = await rejection(() => deployFunctionRoute(world, functionRequest(sandbox)));
      assert.equal(stepOf(error), 'Create the trigger function');
      assert.deepEqual(await allFiles(sandbox), []);
      assert.deepEqual(await functionsNamed(client), []);
      await deployFunctionRoute(world, functionRequest(sandbox));
      assert.equal((await schedulesOf(client)).length, 1);
    });

    it('carries on with a function whose create was answered ambiguously but happened', async () => {
      const { client, sandbox } = world;
      sandbox.faults.add({ method: 'POST', path: /\/functions$/, count: 1, kind: 'reset-after' });
      await deployFunctionRoute(world, functionRequest(sandbox));
      assert.equal((await functionsNamed(client)).length, 1);
      assert.equal((await schedulesOf(client)).length, 1);
      assert.equal((await allFiles(sandbox)).length, 1);
    });

    it('shows the build error, removes the failed function and its file, and a second deploy completes', async () => {
      const { client, sandbox } = world;
      const error = await rejection(() => deployFunctionRoute(world, functionRequest(sandbox, {}, { package: brokenPackage() })));
      assert.equal(stepOf(error), 'Wait for the trigger function to be Ready');
      const cause = (error as DeployStepError).cause;
      assert.ok(cause instanceof FunctionBuildError);
      assert.match(error.message, /failed to build: handler\.py must define a top-level function named handle\. It was removed with its code file/);
      assert.deepEqual(await functionsNamed(client), []);
      assert.deepEqual(await allFiles(sandbox), []);
      await deployFunctionRoute(world, functionRequest(sandbox));
      assert.equal((await schedulesOf(client)).length, 1);
    });

    it('keeps the Ready function when the session fails, and a second deploy reuses it', async () => {
      const { client, sandbox } = world;
      sandbox.faults.add({ method: 'POST', path: /\/sessions$/, count: 10, kind: 503 });
      const error = await rejection(() => deployFunctionRoute(world, functionRequest(sandbox)));
      assert.equal(stepOf(error), 'Create a session');
      const [kept] = await functionsNamed(client);
      assert.equal(kept.status, 'Ready');
      sandbox.faults.clear();
      sandbox.requests.reset();
      const second = await deployFunctionRoute(world, functionRequest(sandbox));
      assert.equal(second.result?.plan.action, 'reuse');
      assert.equal(sandbox.requests.count({ method: 'POST', path: /\/functions$/ }), 0);
      assert.equal((await schedulesOf(client, kept.id)).length, 1);
    });

    it('revokes the unused session when the schedule create fails, and a second deploy makes exactly one schedule', async () => {
      const { client, sandbox } = world;
      sandbox.faults.add({ method: 'POST', path: /\/functions\/schedules$/, count: 1, kind: 503 });
      const error = await rejection(() => deployFunctionRoute(world, functionRequest(sandbox)));
      assert.equal(stepOf(error), 'Create the schedule');
      assert.deepEqual(await schedulesOf(client), []);
      const sessions = await allSessions(client);
      assert.equal(sessions.length, 1);
      assert.equal(sessions[0].status, 'REVOKED');
      await deployFunctionRoute(world, functionRequest(sandbox));
      assert.equal((await schedulesOf(client)).length, 1);
    });

    it('keeps a schedule whose create was answered ambiguously but happened, and its session', async () => {
      const { client, sandbox } = world;
      sandbox.faults.add({ method: 'POST', path: /\/functions\/schedules$/, count: 1, kind: 'reset-after' });
      const deployment = await deployFunctionRoute(world, functionRequest(sandbox));
      const schedules = await schedulesOf(client);
      assert.equal(schedules.length, 1);
      assert.equal(deployment.result?.schedule.id, schedules[0].id);
      assert.deepEqual((await allSessions(client)).map((s) => s.status), ['ACTIVE']);
    });

    it('loses no schedule when a replacement fails half-way: the next deploy restores them all, once', async () => {
      const { client, sandbox } = world;
      await deployFunctionRoute(world, functionRequest(sandbox, { name: 'A', input: { a: 1 } }));
      await deployFunctionRoute(world, functionRequest(sandbox, { name: 'B', cron: '0 12 * * *' }));
      sandbox.faults.add({ method: 'POST', path: /\/functions$/, count: 1, kind: 503 });
      const error = await rejection(() => deployFunctionRoute(world, functionRequest(sandbox, { name: 'C' }, { package: changedPackage('v3') })));
      assert.equal(stepOf(error), 'Create the trigger function');
      assert.deepEqual(await functionsNamed(client), [], 'the old function was removed before the failure');
      const journal = world.deps().journal;
      assert.deepEqual(journal.pending.map((s) => s.name).sort(), ['A', 'B']);

      const second = await deployFunctionRoute(world, functionRequest(sandbox, { name: 'C' }, { package: changedPackage('v3') }));
      assert.deepEqual([...(second.result?.restored ?? [])].sort(), ['A', 'B']);
      const schedules = await schedulesOf(client);
      assert.deepEqual(schedules.map((s) => s.name).sort(), ['A', 'B', 'C']);
      assert.deepEqual(await client.functionSchedules.inputData(schedules.find((s) => s.name === 'A')!.id), { workflowExternalId: WORKFLOW, version: '1', input: { a: 1 } });
      assert.equal(schedules.find((s) => s.name === 'B')?.cronExpression, '0 12 * * *');
      assert.equal(world.deps().journal.pending.length, 0);
    });

    it('remembers a file it could not remove and removes it on the next deploy', async () => {
      const { client, sandbox } = world;
      sandbox.faults.add({ method: 'POST', path: /\/functions$/, count: 1, kind: 503 });
      sandbox.faults.add({ method: 'POST', path: /\/files\/delete$/, count: 10, kind: 503 });
      await rejection(() => deployFunctionRoute(world, functionRequest(sandbox)));
      const [left] = await allFiles(sandbox);
      assert.ok(left, 'the file is still there');
      assert.deepEqual(world.deps().journal.leftovers, [{ kind: 'file', id: left.id }]);
      sandbox.faults.clear();
      // A deploy with other credentials builds another zip: the leftover is removed, not reused.
      await deployFunctionRoute(world, functionRequest(sandbox, {}, { credentials: { clientId: 'scheduler-bot', clientSecret: 'bot-Secret-1-never-shown' } }));
      const files = await allFiles(sandbox);
      assert.equal(files.length, 1);
      assert.notEqual(files[0].id, left.id);
      assert.equal((await functionsNamed(client))[0].fileId, files[0].id);
      assert.deepEqual(world.deps().journal.leftovers, []);
    });

    it('refuses a mistyped client secret before anything is created', async () => {
      const { sandbox } = world;
      sandbox.requests.reset();
      const error = await rejection(() =>
        deployFunctionRoute(world, functionRequest(sandbox, {}, { credentials: { clientId: 'scheduler-bot', clientSecret: 'wrong-secret-value' } })),
      );
      assert.equal(stepOf(error), 'Check the client credentials');
      assert.equal(sandbox.requests.list.filter((r) => r.method === 'POST' && !r.path.endsWith('/oauth2/token')).length, 0);
    });

    it('refuses bad input before sending anything: cron, names, credentials, run input size', () => {
      const cases: [Parameters<typeof functionRequest>, RegExp][] = [
        [[world.sandbox, { cron: '0 2 * *' }], /has 4 fields; CDF wants 5/],
        [[world.sandbox, { cron: '0 25 * * *' }], /25 in the hour field .* is out of range; the hour field takes 0-23/],
        [[world.sandbox, { cron: '0 2 * * FUNDAY' }], /"FUNDAY" in the day-of-week field .* is not a known name/],
        [[world.sandbox, { name: '   ' }], /schedule name is empty/],
        [[world.sandbox, { name: 'x'.repeat(141) }], /at most 140/],
        [[world.sandbox, { input: { blob: 'x'.repeat(110_000) } }], /at most 102,400 bytes/],
        [[world.sandbox, {}, { credentials: { clientId: 'bot', clientSecret: '' } }], /client secret for "bot" is empty/],
        [[world.sandbox, {}, { externalId: ' workflow-trigger' }], /starts or ends with a blank/],
      ];
      for (const [args, message] of cases) {
        assert.throws(() => prepareFunctionRoute(functionRequest(...args)), (e: unknown) => e instanceof InputError && message.test(e.message));
      }
    });

    it('never puts the client secret in logs, the journal, the zip, the schedule data or the function settings', async () => {
      const { client, sandbox } = world;
      const secret = 'bot-Secret-1-never-shown';
      rememberSecret(secret);
      const credentials = { clientId: 'scheduler-bot', clientSecret: secret };
      await deployFunctionRoute(world, functionRequest(sandbox, { name: 'A' }, { credentials }));
      sandbox.faults.add({ method: 'POST', path: /\/functions$/, count: 1, kind: 503 });
      await rejection(() => deployFunctionRoute(world, functionRequest(sandbox, { name: 'B' }, { credentials, package: changedPackage('v4') })));
      const journalText = JSON.stringify(world.store.get(world.deps().journal.key));
      assert.ok(journalText.includes('"A"'), 'the journal holds the schedule to restore');
      assert.ok(!journalText.includes(secret));
      sandbox.faults.clear();
      const done = await deployFunctionRoute(world, functionRequest(sandbox, { name: 'B' }, { credentials, package: changedPackage('v4') }));
      const fn = done.result!.function;
      assert.ok(!strFromU8(unzipSync(changedPackage('v4').zip)['handler.py']).includes(secret));
      assert.ok(!JSON.stringify(await client.functions.retrieve(fn.id)).includes(secret));
      for (const s of await schedulesOf(client)) assert.ok(!JSON.stringify(await client.functionSchedules.inputData(s.id)).includes(secret));
      assert.ok(!world.logger.lines.some((l) => l.message.includes(secret)));
      assert.ok(scanState.secrets.has(secret));
    });
  });
});
