// The function route replaces or deletes only what the schedule wizard made: a function counts as ours
// when its metadata carries the owner marker and a handler hash. Anything else under the trigger
// function's external id, or behind a schedule being edited, stops the deploy before any change.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { type CdfFunction } from '../../../../../src/core/schemas/functions';
import { type FunctionSchedule } from '../../../../../src/core/schemas/functionSchedules';
import { buildTriggerFunction, TRIGGER_FUNCTION_METADATA_KEYS, triggerFunctionEnvVars } from '../../../../../src/core/schedule';
import {
  configHashKeyId,
  DeployStepError,
  NotOwnedError,
  ownershipOf,
  planFunctionRoute,
  plannedDeletions,
  prepareFunctionRoute,
  sessionCredentialsOf,
  TRIGGER_FUNCTION_CONFIG_HASH_KEY,
  TRIGGER_FUNCTION_CONFIG_KEY_ID_KEY,
  TRIGGER_FUNCTION_OWNER,
  triggerFunctionConfigHash,
} from '../../../../../src/core/schedule/deploy';
import { rejection } from '../../support/secretScan';
import {
  allFiles,
  allSessions,
  defaultCredentials,
  deployFunctionRoute,
  type DeployWorld,
  environmentOf,
  functionRequest,
  functionsNamed,
  schedulesOf,
  startDeployWorld,
  TEST_HASH_KEY,
  WORKFLOW,
} from './support';

const OTHER_INSTALLATION_KEY = 'another-installation-key-fedcba9876543210fedcba';

/** A function made by someone else (or by an earlier version), with the metadata and owner given. */
async function plantFunction(world: DeployWorld, externalId: string, metadata?: Record<string, string>, owner?: string): Promise<CdfFunction> {
  const { client } = world;
  const file = await client.files.create({ name: `${externalId}.zip`, externalId: `${externalId}-code.zip`, mimeType: 'application/zip' }, { overwrite: true });
  await client.files.upload(file.uploadUrl, zipSync({ 'handler.py': strToU8('def handle(data):\n    return {"theirs": True}\n') }), { mimeType: 'application/zip' });
  await client.files.waitUntilUploaded(file.id, { pollIntervalMs: 5 });
  const fn = await client.functions.create({ name: externalId, externalId, fileId: file.id, functionPath: 'handler.py', ...(metadata ? { metadata } : {}), ...(owner ? { owner } : {}) });
  return client.functions.waitUntilDeployed(fn.id, { pollIntervalMs: 5, maxPollIntervalMs: 20, timeoutMs: 10_000 });
}

async function plantSchedule(world: DeployWorld, fn: CdfFunction, name: string): Promise<FunctionSchedule> {
  const grant = await world.client.sessions.grant(sessionCredentialsOf(defaultCredentials(world.sandbox)));
  return world.client.functionSchedules.create(
    { name, cronExpression: '0 3 * * *', functionId: fn.id, data: { workflowExternalId: WORKFLOW, version: '1' } },
    { nonce: grant.nonce },
  );
}

/** What a function deployed by version 0.1.0 carried: no owner marker, a plain SHA-256 of the configuration. */
function legacyMetadata(world: DeployWorld): Record<string, string> {
  const { handlerHash } = buildTriggerFunction();
  const credentials = defaultCredentials(world.sandbox);
  const env = Object.entries(triggerFunctionEnvVars(environmentOf(world.sandbox))).sort(([a], [b]) => a.localeCompare(b));
  return {
    'cdf-workflows-vscode-version': '0.1.0',
    'cdf-workflows-handler-hash': handlerHash,
    'cdf-workflows-config-hash': createHash('sha256').update(JSON.stringify(['cdf-workflows-trigger/1', handlerHash, credentials.clientId, credentials.clientSecret, env]), 'utf8').digest('hex'),
    'cdf-workflows-client-id': credentials.clientId,
  };
}

describe('core/schedule/deploy ownership', function () {
  this.timeout(30_000);
  let world: DeployWorld;
  beforeEach(async () => {
    world = await startDeployWorld();
  });
  afterEach(async () => {
    await world?.close();
  });

  it('judges ownership by the owner marker and handler hash, and recognises what an earlier version made', () => {
    const { handlerHash } = buildTriggerFunction();
    const marker = { [TRIGGER_FUNCTION_METADATA_KEYS.owner]: 'cdf-workflows-vscode' };
    assert.equal(ownershipOf({ metadata: { ...marker, [TRIGGER_FUNCTION_METADATA_KEYS.handlerHash]: handlerHash } }), 'ours');
    assert.equal(ownershipOf({ metadata: { ...marker, [TRIGGER_FUNCTION_METADATA_KEYS.handlerHash]: 'an-older-handler' } }), 'ours', 'an older handler of ours is still ours');
    assert.equal(ownershipOf({ metadata: marker }), 'foreign', 'a marker without a handler hash');
    assert.equal(ownershipOf({ metadata: { [TRIGGER_FUNCTION_METADATA_KEYS.handlerHash]: handlerHash } }), 'foreign', 'a handler hash without the marker');
    assert.equal(ownershipOf({ metadata: { [TRIGGER_FUNCTION_METADATA_KEYS.owner]: 'someone-else', [TRIGGER_FUNCTION_METADATA_KEYS.handlerHash]: handlerHash } }), 'foreign');
    assert.equal(ownershipOf({}), 'foreign');
    assert.equal(ownershipOf({ owner: TRIGGER_FUNCTION_OWNER }), 'foreign', 'our owner field alone proves nothing');
    const legacy = legacyMetadata(world);
    assert.equal(ownershipOf({ owner: TRIGGER_FUNCTION_OWNER, metadata: legacy }), 'legacy');
    assert.equal(ownershipOf({ owner: 'Someone', metadata: legacy }), 'foreign', 'an earlier version always wrote its owner field');
    assert.equal(ownershipOf({ owner: TRIGGER_FUNCTION_OWNER, metadata: { ...legacy, 'cdf-workflows-config-hash': 'short' } }), 'foreign');
  });

  for (const [what, metadata, owner] of [
    ['no metadata at all', undefined, undefined],
    ['a handler hash but not the owner marker', { 'cdf-workflows-handler-hash': 'c0ffee' }, TRIGGER_FUNCTION_OWNER],
    ['the owner marker but no handler hash', { 'cdf-workflows-owner': 'cdf-workflows-vscode' }, undefined],
  ] as const) {
    it(`stops before any change when the function under the external id has ${what}, naming it and what to do`, async () => {
      const { client, sandbox } = world;
      const theirs = await plantFunction(world, 'workflow-trigger', metadata ? { ...metadata } : undefined, owner);
      const schedule = await plantSchedule(world, theirs, 'their nightly run');
      // A leftover the journal owes: the sweep must not run either.
      const leftover = await client.files.create({ name: 'leftover.zip', externalId: 'leftover.zip' });
      await world.deps().journal.addLeftover({ kind: 'file', id: leftover.id });
      const filesBefore = (await allFiles(sandbox)).length;
      const sessionsBefore = (await allSessions(client)).length;

      const planned = await rejection(() => planFunctionRoute(world.deps(), prepareFunctionRoute(functionRequest(sandbox))));
      assert.ok(planned instanceof NotOwnedError, `${planned.name}: ${planned.message}`);
      const error = await rejection(() => deployFunctionRoute(world, functionRequest(sandbox)));
      assert.ok(error instanceof DeployStepError);
      assert.equal(error.step, 'Check the trigger function');
      assert.ok(error.cause instanceof NotOwnedError);
      assert.match(error.message, new RegExp(`Function "workflow-trigger" \\(id ${theirs.id}, name "workflow-trigger"`));
      assert.match(error.message, /not made by the schedule wizard/);
      assert.match(error.message, /changed nothing/);
      assert.match(error.message, /Pick another external id .*cdfWorkflows\.schedule\.functionExternalId/);

      assert.deepEqual((await functionsNamed(client)).map((f) => f.id), [theirs.id], 'their function is still there');
      assert.deepEqual((await schedulesOf(client, theirs.id)).map((s) => s.id), [schedule.id], 'with its schedule');
      assert.equal((await allFiles(sandbox)).length, filesBefore, 'nothing uploaded, nothing removed');
      assert.equal((await allSessions(client)).length, sessionsBefore, 'no session made');
      assert.deepEqual(world.deps().journal.leftovers, [{ kind: 'file', id: leftover.id }], 'the sweep did not run');

      // Another external id works, and leaves theirs alone.
      await deployFunctionRoute(world, functionRequest(sandbox, {}, { externalId: 'my-workflow-trigger' }));
      assert.equal((await functionsNamed(client, 'my-workflow-trigger')).length, 1);
      assert.deepEqual((await schedulesOf(client, theirs.id)).map((s) => s.id), [schedule.id]);
    });
  }

  it('refuses to edit a schedule that runs a function the wizard did not make, changing nothing', async () => {
    const { client, sandbox } = world;
    const theirs = await plantFunction(world, 'their-function', { purpose: 'billing' });
    const schedule = await plantSchedule(world, theirs, 'their schedule');
    const request = { ...functionRequest(sandbox, { name: 'mine' }), replaces: { scheduleId: schedule.id } };
    const planned = await rejection(() => planFunctionRoute(world.deps(), prepareFunctionRoute(request)));
    assert.ok(planned instanceof NotOwnedError);
    assert.match(planned.message, new RegExp(`Schedule "their schedule" \\(id ${schedule.id}\\) runs function "their-function" \\(id ${theirs.id}\\)`));
    const error = await rejection(() => deployFunctionRoute(world, request));
    assert.equal((error as DeployStepError).step, 'Check the trigger function');
    assert.deepEqual((await schedulesOf(client)).map((s) => s.id), [schedule.id], 'their schedule stays, nothing new was made');
    assert.equal((await functionsNamed(client)).length, 0, 'no trigger function was made');
  });

  it('replaces a function an earlier version made (plain hash, no marker), moving its schedules, and leaves no unkeyed hash', async () => {
    const { client, sandbox } = world;
    const old = await plantFunction(world, 'workflow-trigger', legacyMetadata(world), TRIGGER_FUNCTION_OWNER);
    await plantSchedule(world, old, 'A');
    await plantSchedule(world, old, 'B');
    const plan = await planFunctionRoute(world.deps(), prepareFunctionRoute(functionRequest(sandbox, { name: 'C' })));
    assert.equal(plan.action, 'replace');
    assert.equal(plan.reason, 'legacy');
    assert.deepEqual(plan.moving.map((s) => s.name).sort(), ['A', 'B']);

    const deployment = await deployFunctionRoute(world, functionRequest(sandbox, { name: 'C' }));
    assert.deepEqual([...(deployment.result?.restored ?? [])].sort(), ['A', 'B']);
    const [now] = await functionsNamed(client);
    assert.notEqual(now.id, old.id);
    assert.equal(ownershipOf(now), 'ours');
    assert.equal(now.metadata?.[TRIGGER_FUNCTION_CONFIG_KEY_ID_KEY], configHashKeyId(TEST_HASH_KEY));
    assert.notEqual(now.metadata?.[TRIGGER_FUNCTION_CONFIG_HASH_KEY], legacyMetadata(world)['cdf-workflows-config-hash']);
    assert.deepEqual((await schedulesOf(client)).map((s) => s.name).sort(), ['A', 'B', 'C']);
    // The next deploy from this installation reuses it.
    assert.equal((await planFunctionRoute(world.deps(), prepareFunctionRoute(functionRequest(sandbox, { name: 'D' })))).action, 'reuse');
  });

  it('writes an HMAC of the configuration with the key id, and replaces a function another installation made', async () => {
    const { client, sandbox } = world;
    await deployFunctionRoute(world, functionRequest(sandbox, { name: 'A' }));
    const [fn] = await functionsNamed(client);
    const prepared = prepareFunctionRoute(functionRequest(sandbox));
    assert.equal(fn.metadata?.[TRIGGER_FUNCTION_CONFIG_HASH_KEY], triggerFunctionConfigHash(TEST_HASH_KEY, prepared.package.handlerHash, defaultCredentials(sandbox), prepared.envVars));
    assert.equal(fn.metadata?.[TRIGGER_FUNCTION_METADATA_KEYS.owner], 'cdf-workflows-vscode');

    const elsewhere = functionRequest(sandbox, { name: 'B' }, { configHashKey: OTHER_INSTALLATION_KEY });
    const plan = await planFunctionRoute(world.deps(), prepareFunctionRoute(elsewhere));
    assert.equal(plan.action, 'replace');
    assert.equal(plan.reason, 'installation');
    await deployFunctionRoute(world, elsewhere);
    const [now] = await functionsNamed(client);
    assert.notEqual(now.id, fn.id);
    assert.equal(now.metadata?.[TRIGGER_FUNCTION_CONFIG_KEY_ID_KEY], configHashKeyId(OTHER_INSTALLATION_KEY));
    assert.deepEqual((await schedulesOf(client, now.id)).map((s) => s.name).sort(), ['A', 'B']);
  });

  it('lists every deletion of a deploy by name and id, and deletes nothing else', async () => {
    const { client, sandbox } = world;
    await deployFunctionRoute(world, functionRequest(sandbox, { name: 'A' }));
    await deployFunctionRoute(world, functionRequest(sandbox, { name: 'B' }));
    const [old] = await functionsNamed(client);
    const [a, b] = (await schedulesOf(client, old.id)).sort((x, y) => x.name.localeCompare(y.name));
    const leftover = await client.files.create({ name: 'leftover.zip', externalId: 'leftover.zip' });
    await world.deps().journal.addLeftover({ kind: 'file', id: leftover.id });

    // Another installation, and B scheduled again: A moves, B is replaced, the function and its zip go.
    const request = functionRequest(sandbox, { name: 'B', cron: '0 5 * * *' }, { configHashKey: OTHER_INSTALLATION_KEY });
    const plan = await planFunctionRoute(world.deps(), prepareFunctionRoute(request));
    const deletions = plannedDeletions(plan).map((d) => `${d.kind} ${d.name} ${d.id}`);
    assert.deepEqual(deletions, [
      `leftover code file ${leftover.id}`,
      `schedule A ${a.id}`,
      `schedule B ${b.id}`,
      `function workflow-trigger ${old.id}`,
      `file code of "workflow-trigger" ${old.fileId}`,
    ]);
    for (const d of plannedDeletions(plan)) assert.ok(d.why.length > 10, `${d.kind} ${d.name} says why`);

    const filesBefore = new Set((await allFiles(sandbox)).map((f) => Number(f.id)));
    await deployFunctionRoute(world, request);
    const filesAfter = new Set((await allFiles(sandbox)).map((f) => Number(f.id)));
    const [now] = await functionsNamed(client);
    assert.deepEqual([...filesBefore].filter((id) => !filesAfter.has(id)).sort(), [leftover.id, old.fileId].sort(), 'exactly the listed files went');
    assert.deepEqual((await schedulesOf(client)).map((s) => s.functionId), [now.id, now.id], 'A moved, B replaced: nothing else');
  });
});
