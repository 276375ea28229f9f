// The native route against the sandbox over loopback: a schedule trigger upserted with a nonce from the
// chosen client credentials, firing in its time zone; failures revoke the unused session.
import assert from 'node:assert/strict';
import { InputError } from '../../../../../src/core/errors';
import {
  DeployStepError,
  findTrigger,
  NativeRouteDeployment,
  type NativeRouteRequest,
  prepareTrigger,
  runDeploySteps,
} from '../../../../../src/core/schedule/deploy';
import { ManualClock } from '../../../../../src/sandbox/index';
import { rejection } from '../../support/secretScan';
import { allSessions, defaultCredentials, type DeployWorld, startDeployWorld, WORKFLOW } from './support';

describe('core/schedule/deploy native route', function () {
  this.timeout(30_000);
  let world: DeployWorld;
  let clock: ManualClock;

  beforeEach(async () => {
    // Winter: Europe/Oslo is UTC+1.
    clock = new ManualClock(Date.UTC(2026, 0, 5, 0, 0, 0));
    world = await startDeployWorld({ clock });
  });
  afterEach(async () => {
    world.sandbox.faults.clear();
    await world?.close();
  });

  function request(trigger: Partial<NativeRouteRequest['trigger']> = {}): NativeRouteRequest {
    const { sandbox } = world;
    return {
      trigger: { externalId: `${WORKFLOW}-1-schedule`, workflowExternalId: WORKFLOW, version: '1', cronExpression: '0 2 * * *', timezone: 'Europe/Oslo', ...trigger },
      credentials: defaultCredentials(sandbox),
      identityProvider: { tokenUrl: sandbox.tokenUrl, scopes: [`${sandbox.baseUrl}/.default`], baseUrl: sandbox.baseUrl },
    };
  }

  async function deploy(r: NativeRouteRequest): Promise<NativeRouteDeployment> {
    const deployment = new NativeRouteDeployment(world.deps(), r);
    try {
      await runDeploySteps(deployment.steps);
    } finally {
      await deployment.abandon();
    }
    return deployment;
  }

  it('upserts a schedule trigger that fires in its time zone and runs the version with the input', async () => {
    const { client, sandbox } = world;
    const d = await deploy(request({ cronExpression: '0 2 * * MON-FRI', input: { region: 'north' }, metadata: { source: 'vscode' } }));
    assert.equal(d.result?.updated, false);
    const t = await findTrigger(world.deps(), `${WORKFLOW}-1-schedule`);
    assert.ok(t);
    assert.deepEqual(t.triggerRule, { triggerType: 'schedule', cronExpression: '0 2 * * 1-5', timezone: 'Europe/Oslo' });
    assert.deepEqual(t.input, { region: 'north' });
    assert.deepEqual(t.metadata, { source: 'vscode' });
    assert.deepEqual((await allSessions(client)).map((s) => s.status), ['ACTIVE']);

    // 02:00 in Oslo on Monday 5 January 2026 is 01:00 UTC.
    await clock.advanceTo(Date.UTC(2026, 0, 5, 0, 59, 0));
    assert.equal((await client.triggers.history(t.externalId)).items.length, 0);
    await clock.advanceTo(Date.UTC(2026, 0, 5, 1, 0, 1));
    await sandbox.settle();
    const [run] = (await client.triggers.history(t.externalId)).items;
    assert.equal(run?.status, 'success');
    assert.equal(run.fireTime, Date.UTC(2026, 0, 5, 1, 0, 0));
    const execution = await client.executions.retrieve(run.workflowExecutionId!);
    assert.equal(execution.version, '1');
    assert.deepEqual(execution.input, { region: 'north', version: '1' });
  });

  it('updates the trigger with the same external id when edited: still one trigger', async () => {
    const { client } = world;
    await deploy(request());
    const d = await deploy(request({ version: '2', cronExpression: '30 6 * * *', timezone: 'UTC' }));
    assert.equal(d.result?.updated, true);
    const all = (await client.triggers.list()).items;
    assert.equal(all.length, 1);
    assert.equal(all[0].workflowVersion, '2');
  });

  it('revokes the unused session when CDF refuses the trigger, and names the step', async () => {
    const { client } = world;
    const error = await rejection(() => deploy(request({ version: '9' })));
    assert.ok(error instanceof DeployStepError);
    assert.equal(error.step, 'Create the schedule trigger');
    assert.match(error.message, /^Create the schedule trigger failed: Not found: .*"version":"9"/);
    assert.deepEqual((await allSessions(client)).map((s) => s.status), ['REVOKED']);
    assert.deepEqual((await client.triggers.list()).items, []);
  });

  it('revokes the unused session when the upsert keeps failing, and a second deploy completes', async () => {
    const { client, sandbox } = world;
    sandbox.faults.add({ method: 'POST', path: /\/workflows\/triggers$/, count: 10, kind: 503 });
    const error = await rejection(() => deploy(request()));
    assert.equal((error as DeployStepError).step, 'Create the schedule trigger');
    assert.deepEqual((await allSessions(client)).map((s) => s.status), ['REVOKED']);
    sandbox.faults.clear();
    await deploy(request());
    assert.equal((await client.triggers.list()).items.length, 1);
  });

  it('keeps the session when the upsert happened but its answer was lost', async () => {
    const { client, sandbox } = world;
    // reset-after on every attempt: the trigger is written each time, no answer arrives.
    sandbox.faults.add({ method: 'POST', path: /\/workflows\/triggers$/, count: 10, kind: 'reset-after' });
    const d = await deploy(request());
    assert.ok(d.result);
    assert.equal((await client.triggers.list()).items.length, 1);
    assert.deepEqual((await allSessions(client)).map((s) => s.status), ['ACTIVE']);
  });

  it('refuses bad cron expressions, time zones and oversized input before sending anything', () => {
    const cases: [Partial<NativeRouteRequest['trigger']>, RegExp][] = [
      [{ cronExpression: '* * * * * *' }, /has 6 fields; CDF wants 5.*seconds field/],
      [{ cronExpression: '0 0 32 * *' }, /32 in the day-of-month field .* out of range/],
      [{ cronExpression: '0 0 * JANUARY *' }, /"JANUARY" in the month field .* not a known name/],
      [{ cronExpression: '0 0 L * *' }, /not standard 5-field cron/],
      [{ timezone: 'UTC+2' }, /is a UTC offset, not a time zone name/],
      [{ timezone: 'Mars/Olympus' }, /not a known time zone/],
      [{ input: { blob: 'x'.repeat(103_000) } }, /at most 102,400 bytes/],
      [{ metadata: { k: 'v'.repeat(256) } }, /at most 255/],
      [{ externalId: '' }, /trigger external id is empty/],
    ];
    for (const [override, message] of cases) {
      assert.throws(() => prepareTrigger(request(override).trigger), (e: unknown) => e instanceof InputError && message.test(e.message), String(message));
    }
  });
});
