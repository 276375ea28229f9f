// Shipping definition files, in a real extension host against a sandbox started here: the CodeLenses of a
// version file and each of their commands, the overwrite guard (both ways, with the diff), Compare with
// Deployed showing nothing for an unchanged file, a pull then deploy round trip with no difference,
// triggers deployed with credentials from SecretStorage, Run in Local Sandbox with a real Toolkit function
// folder and with the echo stand-in, and Run... on a version file. No secret anywhere at the end.
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- command results are read loosely */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CdfWorkflowsApi } from '../../src/extension';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { ScheduleCredentialStore } from '../../src/vscode/schedule/credentialStore';
import type { UserInput } from '../../src/vscode/ui';
import { testWorkspace } from './index';
import { ScriptedUserInput } from './support/scriptedUi';
import { assertNoSecrets, extensionApi, labelOf, type NodeLike, until } from './tree-fixtures';

const SECRET = `ship-secret-${randomUUID()}`;
const TRIGGER_SECRET = `ship-trigger-secret-${randomUUID()}`;
const CONNECTION = `Ship tests ${randomUUID().slice(0, 6)}`;
const SANDBOX_CONNECTION = `Ship sandbox ${randomUUID().slice(0, 6)}`;

const ws = (...parts: string[]): string => path.join(testWorkspace(), 'ship', ...parts);
const uriOf = (...parts: string[]): vscode.Uri => vscode.Uri.file(ws(...parts));
const NIGHTLY = ['project', 'modules', 'nightly', 'workflows', 'nightly_v1.WorkflowVersion.yaml'];
const GUARD = ['project', 'modules', 'guard', 'workflows', 'guard_v1.WorkflowVersion.yaml'];

describe('deploy, compare, pull and run definition files', function () {
  this.timeout(90_000);
  let api: CdfWorkflowsApi;
  let sb: Sandbox;
  let ui: ScriptedUserInput;
  let previousUi: UserInput | undefined;
  let previousActive: string | undefined;
  const settings = vscode.workspace.getConfiguration('cdfWorkflows');

  const command = <T>(id: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(id, ...args);
  /** API requests since the last reset, as "METHOD /path" relative to the project (token requests left out). */
  const requests = () => sb.requests.list.filter((r) => !/\/oauth2\//.test(r.path)).map((r) => `${r.method} ${r.path.replace(/^\/api\/v1\/projects\/[^/]+/, '')}`);
  const client = async () => (await api.services.connections.client(CONNECTION)).client;
  const errors = () => ui.messages.filter((m) => m.kind === 'error').map((m) => m.message);

  async function lensesOf(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    let lenses: vscode.CodeLens[] = [];
    await until(async () => {
      lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
      return lenses.some((l) => /Deploy/.test(l.command?.title ?? ''));
    }, `the CodeLenses of ${uri.fsPath}`);
    const ship = new Set(['cdfWorkflows.deployDefinition', 'cdfWorkflows.compareWithDeployed', 'cdfWorkflows.runInLocalSandbox', 'cdfWorkflows.runDeployedVersion']);
    return lenses.filter((l) => ship.has(l.command?.command ?? ''));
  }

  /** Replaces a file's text through its document and saves it, so the editor and the disk agree at once. */
  async function setFileText(file: string, text: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save());
  }

  /** The requests a command made itself: reads of the tree refreshing beside it are left out. */
  const TREE_READS = new Set(['GET /workflows', 'POST /workflows/versions/list', 'POST /workflows/executions/list']);
  const ownRequests = () => requests().filter((r) => !TREE_READS.has(r));

  /** Runs a CodeLens's command the way clicking it does. */
  const click = <T>(lens: vscode.CodeLens | undefined): Thenable<T> => {
    assert.ok(lens?.command, 'no such CodeLens');
    return command<T>(lens.command.command, ...(lens.command.arguments ?? []));
  };
  const lens = (lenses: vscode.CodeLens[], title: RegExp): vscode.CodeLens | undefined => lenses.find((l) => title.test(l.command?.title ?? ''));

  async function treeNode(...labels: string[]): Promise<NodeLike> {
    let nodes = (await api.tree.provider.getChildren(undefined)) as unknown as NodeLike[];
    let found: NodeLike | undefined;
    for (const label of [CONNECTION, ...labels]) {
      found = nodes.find((n) => labelOf(n) === label);
      if (!found) throw new Error(`No tree node "${label}" among: ${nodes.map(labelOf).join(' | ')}`);
      nodes = await api.tree.provider.getChildren(found as never);
    }
    return found!;
  }

  /** The text of the diff editor's left side (the deployed version), once it is open. */
  async function diffLeftText(): Promise<string> {
    let left: vscode.Uri | undefined;
    await until(() => {
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      const input = tab?.input;
      left = input instanceof vscode.TabInputTextDiff && input.original.scheme === 'cdf-workflows-deployed' ? input.original : undefined;
      return left !== undefined;
    }, 'the diff editor');
    return (await vscode.workspace.openTextDocument(left!)).getText();
  }

  before(async function () {
    this.timeout(120_000);
    api = await extensionApi();
    sb = await startSandbox({
      quiet: true,
      functionDeployMs: { queued: 100, deploying: 100 },
      clients: [
        { clientId: 'ship-tests', clientSecret: SECRET },
        { clientId: 'trigger-client', clientSecret: TRIGGER_SECRET },
      ],
    });
    sb.scriptTransformation('tr_load', { durationMs: 200 });
    sb.scriptTransformation('tr_check', { durationMs: 200 });
    sb.stubFunction('fn_plan', { durationMs: 100, response: { batches: 2 } });
    // The data set the nightly workflow file names by external id.
    const created = await fetch(`${sb.baseUrl}/api/v1/projects/${sb.project}/datasets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sb.accessToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ externalId: 'ds_ship', name: 'Ship tests' }] }),
    });
    assert.equal(created.status, 201);
    previousActive = settings.get<string>('activeConnection') || undefined;
    api.services.connections.setClientOptions({ retry: { baseDelayMs: 1, maxDelayMs: 20, maxRetries: 2 } });
    await api.services.connections.save({ name: CONNECTION, baseUrl: sb.baseUrl, project: sb.project, auth: { type: 'clientCredentials', tokenUrl: sb.tokenUrl, clientId: 'ship-tests' } }, { clientSecret: SECRET });
    // The same sandbox seen as the local sandbox, for Run in Local Sandbox.
    await api.services.connections.save(
      { name: SANDBOX_CONNECTION, baseUrl: sb.baseUrl, project: sb.project, auth: { type: 'clientCredentials', tokenUrl: sb.tokenUrl, clientId: 'ship-tests' }, sandbox: true },
      { clientSecret: SECRET },
    );
    await api.services.connections.setActive(CONNECTION);
    await vscode.commands.executeCommand('workbench.view.extension.cdfWorkflows');
  });

  beforeEach(() => {
    ui = new ScriptedUserInput(api.classes, (p) => vscode.Uri.file(p));
    previousUi = api.setUserInput(ui);
    sb.faults.clear();
    sb.requests.reset();
  });

  afterEach(async () => {
    if (previousUi) api.setUserInput(previousUi);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async function () {
    this.timeout(60_000);
    if (!api) return;
    await new ScheduleCredentialStore(api.services.context.globalState, api.services.context.secrets).remove('trigger-client');
    api.services.connections.setClientOptions({});
    for (const name of [CONNECTION, SANDBOX_CONNECTION]) await api.services.connections.remove(name).catch(() => undefined);
    await api.services.connections.setActive(previousActive ?? '').catch(() => settings.update('activeConnection', previousActive, vscode.ConfigurationTarget.Global));
    await sb?.close();
  });

  it('puts Deploy, Compare with Deployed, Run in Local Sandbox and Run... above each version of a file', async () => {
    const lenses = await lensesOf(uriOf(...NIGHTLY));
    assert.deepEqual(
      lenses.map((l) => [l.command?.title, l.command?.command, l.range.start.line]),
      [
        [`$(cloud-upload) Deploy to ${CONNECTION}`, 'cdfWorkflows.deployDefinition', 1],
        ['$(diff) Compare with Deployed', 'cdfWorkflows.compareWithDeployed', 1],
        ['$(beaker) Run in Local Sandbox', 'cdfWorkflows.runInLocalSandbox', 1],
        ['$(play) Run...', 'cdfWorkflows.runDeployedVersion', 1],
      ],
    );
    // Not on a workflow file, nor on a trigger file.
    const workflowFile = uriOf('project', 'modules', 'nightly', 'workflows', 'nightly.Workflow.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workflowFile));
    const workflowLenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', workflowFile)) ?? [];
    assert.equal(workflowLenses.filter((l) => l.command?.command === 'cdfWorkflows.deployDefinition').length, 0);
  });

  it('deploys a new workflow (from its file, data set looked up) and version from the CodeLens, and the version shows in the tree', async () => {
    const lenses = await lensesOf(uriOf(...NIGHTLY));
    ui.script({ ask: 'Not Now', match: /It has a trigger to deploy/ });
    const outcome = await click<any>(lens(lenses, /Deploy/));
    assert.deepEqual(errors(), []);
    assert.ok(outcome, 'the command resolved with its outcome');
    assert.equal(outcome.result.workflowAction, 'create');
    assert.equal(outcome.result.versionAction, 'create');
    assert.deepEqual(ownRequests(), [
      'POST /datasets/byids',
      'GET /workflows/ship-nightly',
      'POST /workflows',
      'POST /workflows/versions',
      'GET /workflows/triggers',
    ]);
    const version = await (await client()).versions.retrieve('ship-nightly', '1');
    assert.equal(version.workflowDefinition.tasks[1]?.timeout, 1800, 'the template was filled from config.dev.yaml');
    const workflow = await (await client()).workflows.retrieve('ship-nightly');
    assert.equal(workflow.description, 'Nightly load of the plant data');
    assert.equal(typeof workflow.dataSetId, 'number');
    await until(async () => {
      try {
        await treeNode('ship-nightly', 'v1');
        return true;
      } catch {
        return false;
      }
    }, 'version 1 of ship-nightly in the tree');
    assert.match(ui.messages.map((m) => m.message).join('\n'), /Deployed ship-nightly@1 to ".*": workflow created, version created\./);
  });

  it('does nothing when the file is as deployed: two reads, no write', async () => {
    ui.script({ ask: 'Not Now', match: /It has a trigger to deploy/ });
    const outcome = await command<any>('cdfWorkflows.deployDefinition', uriOf(...NIGHTLY));
    assert.equal(outcome.unchanged, true);
    assert.deepEqual(ownRequests().filter((r) => !r.startsWith('GET /workflows/triggers')), ['POST /datasets/byids', 'GET /workflows/ship-nightly', 'GET /workflows/ship-nightly/versions/1']);
    assert.ok(ui.messages.some((m) => /^ship-nightly@1 on ".*" is already as in .*nightly_v1\.WorkflowVersion\.yaml\. It has a trigger to deploy/.test(m.message)));
  });

  it('compares with the deployed version: the diff shows the file itself when nothing differs', async () => {
    const text = fs.readFileSync(ws(...NIGHTLY), 'utf8');
    const lenses = await lensesOf(uriOf(...NIGHTLY));
    await click(lens(lenses, /Compare with Deployed/));
    assert.equal(await diffLeftText(), text, 'server-filled defaults and templates leave no difference');
    assert.ok(ui.messages.some((m) => /matches ship-nightly@1 on/.test(m.message)));
    assert.deepEqual(ownRequests(), ['GET /workflows/ship-nightly/versions/1']);
  });

  it('compares a changed file: only the changed value differs, the template stays on the file side', async () => {
    const saved = fs.readFileSync(ws(...NIGHTLY), 'utf8');
    const doc = await vscode.workspace.openTextDocument(uriOf(...NIGHTLY));
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.getText().indexOf('Plans, then loads');
    await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + 'Plans, then loads'.length)), 'Plans and loads'));
    const comparison = await command<any>('cdfWorkflows.compareWithDeployed', doc.uri);
    assert.deepEqual(comparison.differences, ['workflowDefinition › description: "Plans and loads" in the file, "Plans, then loads" in CDF']);
    const left = await diffLeftText();
    assert.equal(left, saved, 'the deployed side is the file as it was');
    // Restored through the document: the workbench may have saved the edit meanwhile.
    await setFileText(ws(...NIGHTLY), saved);
  });

  describe('the overwrite guard', () => {
    const original = () => fs.readFileSync(ws(...GUARD), 'utf8');
    let saved = '';
    before(async () => {
      saved = original();
      const c = await client();
      await c.versions.upsert({ workflowExternalId: 'ship-guard', version: '1', workflowDefinition: { tasks: [{ externalId: 'check', type: 'transformation', parameters: { transformation: { externalId: 'tr_check' } }, retries: 2 }] } });
      sb.insertExecutions({ workflowExternalId: 'ship-guard', version: '1', count: 4 });
    });
    afterEach(() => setFileText(ws(...GUARD), saved));

    it('shows the diff on request, asks again, and overwrites the version when told to', async () => {
      await setFileText(ws(...GUARD), saved.replace('retries: 2', 'retries: 5'));
      ui.script(
        { ask: 'Show Differences', match: /Version 1 of ship-guard on ".*" differs from/ },
        { ask: 'Overwrite Version 1 (4 executions ran on it)', match: /differs from/ },
      );
      const outcome = await command<any>('cdfWorkflows.deployDefinition', uriOf(...GUARD));
      assert.deepEqual(errors(), []);
      const modals = ui.messages.filter((m) => m.modal);
      assert.equal(modals.length, 2, 'the guard came back after the diff');
      assert.deepEqual(modals[0]?.actions, ['Overwrite Version 1 (4 executions ran on it)', 'Deploy as a New Version...', 'Show Differences']);
      const left = await diffLeftText();
      assert.match(left, /retries: 2/, 'the diff shows what CDF holds');
      assert.equal(outcome.result.versionAction, 'update');
      assert.equal((await (await client()).versions.retrieve('ship-guard', '1')).workflowDefinition.tasks[0]?.retries, 5);
      assert.equal(requests().filter((r) => r === 'POST /workflows/versions').length, 1);
      assert.equal(requests().filter((r) => r === 'POST /workflows/executions/list').length, 1);
    });

    it('deploys as a new version instead, leaving the deployed one, and points the file at it', async () => {
      await setFileText(ws(...GUARD), saved.replace('retries: 2', 'retries: 7'));
      ui.script({ ask: 'Deploy as a New Version...', match: /differs from/ }, { input: '2' });
      const outcome = await command<any>('cdfWorkflows.deployDefinition', uriOf(...GUARD));
      assert.deepEqual(errors(), []);
      assert.equal(outcome.result.versionName, '2');
      assert.equal(outcome.result.versionAction, 'create');
      const c = await client();
      assert.equal((await c.versions.retrieve('ship-guard', '1')).workflowDefinition.tasks[0]?.retries, 5, 'version 1 is untouched');
      assert.equal((await c.versions.retrieve('ship-guard', '2')).workflowDefinition.tasks[0]?.retries, 7);
      assert.match(original(), /^version: '2'$/m, 'the file now names the new version');
      assert.ok(ui.messages.some((m) => /now says version 2/.test(m.message)));
    });

    it('revokes the session of a trigger CDF refuses, and says why', async () => {
      const triggerFile = ws('project', 'modules', 'guard', 'workflows', 'guard.WorkflowTrigger.yaml');
      fs.writeFileSync(triggerFile, "externalId: ship-guard-bad\ntriggerRule:\n  triggerType: schedule\n  cronExpression: '61 * * * *'\nworkflowExternalId: ship-guard\nworkflowVersion: '1'\n");
      try {
        await setFileText(ws(...GUARD), saved.replace('retries: 2', 'retries: 5'));
        ui.script({ ask: 'Deploy Trigger', match: /It has a trigger to deploy: ship-guard-bad \(new\)/ }, { pick: /^Client credentials of connection/ });
        assert.equal(await command('cdfWorkflows.deployDefinition', uriOf(...GUARD)), undefined);
        assert.match(errors()[0] ?? '', /cronExpression/);
        const sessions = requests().filter((r) => r === 'POST /sessions').length;
        assert.equal(sessions, 1);
        assert.equal(requests().filter((r) => r === 'POST /sessions/revoke').length, 1, 'the unused session was revoked');
      } finally {
        fs.rmSync(triggerFile, { force: true });
      }
    });

    it('cancels without writing when the guard is dismissed', async () => {
      await setFileText(ws(...GUARD), saved.replace('retries: 2', 'retries: 9'));
      ui.script({ ask: undefined, match: /differs from/ });
      assert.equal(await command('cdfWorkflows.deployDefinition', uriOf(...GUARD)), undefined);
      assert.deepEqual(errors(), []);
      assert.equal(requests().filter((r) => r.startsWith('POST /workflows/versions')).length, 0);
    });
  });

  it('pulls a version from the tree to Toolkit YAML and API JSON, and deploying the pulled file changes nothing', async () => {
    const node = await treeNode('ship-nightly', 'v1');
    const yamlFile = ws('pulled', 'ship-nightly_v1.WorkflowVersion.yaml');
    fs.mkdirSync(path.dirname(yamlFile), { recursive: true });
    ui.script({ pick: 'Toolkit YAML' }, { file: yamlFile });
    const pulled = await command<any>('cdfWorkflows.pullToFile', node);
    assert.deepEqual(errors(), []);
    assert.deepEqual(pulled.files.map((u: vscode.Uri) => path.basename(u.fsPath)), ['ship-nightly_v1.WorkflowVersion.yaml', 'ship-nightly.Workflow.yaml']);
    assert.match(fs.readFileSync(yamlFile, 'utf8'), /^workflowExternalId: ship-nightly\nversion: '1'\nworkflowDefinition:\n/);
    assert.match(fs.readFileSync(ws('pulled', 'ship-nightly.Workflow.yaml'), 'utf8'), /^externalId: ship-nightly\ndescription: Nightly load of the plant data\ndataSetExternalId: ds_ship\nmaxConcurrentExecutions: 2\n$/);
    sb.requests.reset();
    const again = await command<any>('cdfWorkflows.deployDefinition', vscode.Uri.file(yamlFile));
    assert.equal(again.unchanged, true, 'the pulled files deploy as no change');
    assert.ok(!requests().some((r) => r === 'POST /workflows' || r === 'POST /workflows/versions'), requests().join(', '));
    await command('cdfWorkflows.compareWithDeployed', vscode.Uri.file(yamlFile));
    assert.equal(await diffLeftText(), fs.readFileSync(yamlFile, 'utf8'));

    const jsonFile = ws('pulled', 'ship-nightly_v1.WorkflowVersion.json');
    ui.script({ pick: 'API JSON' }, { file: jsonFile });
    await command('cdfWorkflows.pullToFile', node);
    const body = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
    assert.deepEqual(Object.keys(body), ['workflowExternalId', 'version', 'workflowDefinition']);
    assert.equal(body.workflowDefinition.hash, undefined);
    sb.requests.reset();
    assert.equal((await command<any>('cdfWorkflows.deployDefinition', vscode.Uri.file(jsonFile))).unchanged, true);
  });

  it('deploys an API JSON version and its CodeLens runs the same commands', async () => {
    const lenses = await lensesOf(uriOf('api', 'ship-api_v1.WorkflowVersion.json'));
    assert.equal(lenses.length, 4);
    const outcome = await click<any>(lens(lenses, /Deploy/));
    assert.equal(outcome.result.versionAction, 'create');
    assert.equal((await (await client()).versions.retrieve('ship-api', '1')).workflowDefinition.description, 'An API JSON version');
  });

  it('deploys the version\'s triggers with credentials from SecretStorage, and no secret goes anywhere else', async () => {
    await new ScheduleCredentialStore(api.services.context.globalState, api.services.context.secrets).save('trigger-client', TRIGGER_SECRET);
    assert.deepEqual((await command<any>('cdfWorkflows.compareWithDeployed', uriOf(...NIGHTLY))).differences, []);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    ui.script({ ask: 'Deploy Trigger', match: /It has a trigger to deploy: ship-nightly-0300 \(new\)\.$/ }, { pick: 'trigger-client' });
    const outcome = await command<any>('cdfWorkflows.deployDefinition', uriOf(...NIGHTLY));
    assert.deepEqual(errors(), []);
    assert.deepEqual(outcome.triggers, ['ship-nightly-0300']);
    const trigger = (await (await client()).triggers.list({ limit: 1000 })).items.find((t) => t.externalId === 'ship-nightly-0300');
    assert.ok(trigger);
    assert.deepEqual(trigger.triggerRule, { triggerType: 'schedule', cronExpression: '0 3 * * *', timezone: 'Europe/Oslo' });
    assert.deepEqual(trigger.input, { runDate: 'today' });
    // One session for the trigger, made with the stored pair; the body carried only a nonce.
    const sessionCalls = sb.requests.list.filter((r) => r.method === 'POST' && /\/sessions$/.test(r.path));
    assert.equal(sessionCalls.length, 1);
    assert.equal(requests().filter((r) => r === 'POST /workflows/triggers').length, 1);
    // The same files again: the trigger is as deployed, nothing is asked.
    sb.requests.reset();
    const again = await command<any>('cdfWorkflows.deployDefinition', uriOf(...NIGHTLY));
    assert.deepEqual(again.triggers, []);
    assert.ok(!requests().includes('POST /workflows/triggers'));
    assertNoSecrets(api, [SECRET, TRIGGER_SECRET]);
    for (const file of fs.readdirSync(ws(), { recursive: true, encoding: 'utf8' })) {
      const full = ws(file);
      if (fs.statSync(full).isFile()) assert.ok(!fs.readFileSync(full, 'utf8').includes(TRIGGER_SECRET), `the secret is in ${file}`);
    }
  });

  describe('Run in Local Sandbox', () => {
    before(() => api.services.connections.setActive(SANDBOX_CONNECTION));
    after(() => api.services.connections.setActive(CONNECTION));

    it('deploys the real Toolkit function folder it calls, runs with no input and follows the run to its end', async () => {
      const file = uriOf('toolkit', 'modules', 'examples', 'run_local_functions', 'workflows', 'v1.WorkflowVersion.yaml');
      const lenses = await lensesOf(file);
      ui.script({ pick: 'No input' });
      const outcome = await click<any>(lens(lenses, /Run in Local Sandbox/));
      assert.deepEqual(errors(), []);
      assert.equal(outcome.connection, SANDBOX_CONNECTION);
      assert.deepEqual(outcome.functions.map((f: any) => [f.externalId, f.source, f.action]), [['fn_test3', 'workspace', 'create']]);
      assert.match(outcome.functions[0].from, /run_local_functions\/functions\/fn_test3$/);
      const c = (await api.services.connections.client(SANDBOX_CONNECTION)).client;
      let done: any;
      await until(async () => {
        done = await c.executions.retrieve(outcome.execution.id);
        return done.status !== 'RUNNING';
      }, 'the local run to end', 60_000);
      assert.equal(done.status, 'COMPLETED', JSON.stringify(done.executedTasks));
      const response = done.executedTasks[0].output.response;
      // The Toolkit's own handler ran: it returns the data it got and its function info.
      assert.deepEqual(response.data, { breakfast: 'today: egg and bacon', lunch: 'today: a chicken', dinner: 'today: steak with stakes on the side' });
      const [fn] = await c.functions.retrieveMany([{ externalId: 'fn_test3' }]);
      assert.match(fn?.metadata?.['cdf-workflows-local-run'] ?? '', /^[0-9a-f]{64}$/);
      // Again: the same code is reused, not uploaded twice.
      sb.requests.reset();
      ui.script({ pick: 'No input' });
      const second = await command<any>('cdfWorkflows.runInLocalSandbox', file);
      assert.equal(second.functions[0].action, 'reuse');
      assert.ok(!requests().some((r) => r.startsWith('POST /files')), requests().join(', '));
    });

    it('runs a function with no code in the workspace as an echo stand-in, with a warning, with an input file', async () => {
      ui.script({ pick: /^Choose a file/ }, { file: ws('api', 'question.json') });
      const outcome = await command<any>('cdfWorkflows.runInLocalSandbox', uriOf('project', 'modules', 'echo', 'workflows', 'echo_v1.WorkflowVersion.yaml'));
      assert.deepEqual(errors(), []);
      assert.deepEqual(outcome.functions.map((f: any) => [f.externalId, f.source]), [['fn_not_in_workspace', 'stand-in']]);
      const warning = await ui.waitForMessage(/fn_not_in_workspace has no code in this workspace .* the sandbox runs an echo stand-in/);
      assert.equal(warning.kind, 'warning');
      const c = (await api.services.connections.client(SANDBOX_CONNECTION)).client;
      let done: any;
      await until(async () => {
        done = await c.executions.retrieve(outcome.execution.id);
        return done.status !== 'RUNNING';
      }, 'the stand-in run to end', 60_000);
      assert.equal(done.status, 'COMPLETED', JSON.stringify(done.executedTasks));
      assert.deepEqual(done.executedTasks[0].output.response, { question: 'Does the stand-in answer?' });
      assert.deepEqual(done.input, { question: 'Does the stand-in answer?', runDate: '2026-03-01' });
    });
  });

  it('Run... runs the deployed version, warning first when the file differs from it', async () => {
    const apiFile = ws('api', 'ship-api_v1.WorkflowVersion.json');
    const saved = fs.readFileSync(apiFile, 'utf8');
    await setFileText(apiFile, saved.replace('An API JSON version', 'Changed here'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    ui.script(
      { ask: 'Run Deployed Version', match: /differs from ship-api@1 on ".*": the run uses the deployed version/ },
      { file: ws('api', 'question.json') },
      { input: '' },
    );
    const execution = await command<any>('cdfWorkflows.runDeployedVersion', uriOf('api', 'ship-api_v1.WorkflowVersion.json'));
    assert.deepEqual(errors(), []);
    assert.ok(execution?.id, 'a run started');
    assert.equal(execution.workflowExternalId, 'ship-api');
    const detailed = await (await client()).executions.retrieve(execution.id);
    assert.deepEqual(detailed.input, { question: 'Does the stand-in answer?', runDate: '2026-03-01' });
    await setFileText(apiFile, saved);
  });

  it('says what to do when there is no version file, and leaves no secret anywhere', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(await command('cdfWorkflows.deployDefinition'), undefined);
    assert.match(errors()[0] ?? '', /Open a workflow version file first/);
    assertNoSecrets(api, [SECRET, TRIGGER_SECRET]);
  });
});
