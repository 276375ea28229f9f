// Running a workflow with a JSON file as input, in a real extension host against the sandbox started
// here: every run command through a scripted ui, the run followed to its end and shown in the tree, the
// pair last used first and the CodeLens, and each bad input or failing server with request counts that
// prove what was (not) sent. At the end, no secret in the log, the settings or the state.
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CdfWorkflowsApi } from '../../src/extension';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import type { ConnectionSettings } from '../../src/vscode/config';
import type { UserInput, InputOptions } from '../../src/vscode/ui';
import { repoRoot, testWorkspace } from './index';
import { BACK, ScriptedUserInput } from './support/scriptedUi';

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { publisher: string; name: string };
const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

const MAIN = 'Run tests';
const SECRET = `run-secret-${randomUUID()}`;
const READER_SECRET = `reader-secret-${randomUUID()}`;
const WRONG_SECRET = `wrong-secret-${randomUUID()}`;
const RUN_ID_KEY = 'cdf-workflows-run-id';

/** The scripted ui, also recording the prefilled value of every input box. */
class RunUi extends ScriptedUserInput {
  readonly values: string[] = [];
  override input(options: InputOptions): Promise<string> {
    this.values.push(options.value ?? '');
    return super.input(options);
  }
  override reset(): void {
    super.reset();
    this.values.length = 0;
  }
}

function file(name: string): vscode.Uri {
  return vscode.Uri.file(path.join(testWorkspace(), 'run', name));
}

/** Waits (without a time limit of its own: mocha's timeout bounds it) until `ok` holds. */
async function until(ok: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; ; i++) {
    if (await ok()) return;
    if (i > 1000) throw new Error(`Still waiting for ${what}`);
    await new Promise(r => setTimeout(r, 20));
  }
}

function freePortThenClosed(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface NodeLike {
  id: string;
  getTreeItem(): vscode.TreeItem;
  getChildren(): Promise<NodeLike[]>;
}

function labelOf(node: NodeLike): string {
  const label = node.getTreeItem().label;
  return typeof label === 'string' ? label : label?.label ?? '';
}

/** Walks the workflows tree from the roots by labels: connection, workflow, version. */
async function treeNode(api: CdfWorkflowsApi, ...labels: string[]): Promise<NodeLike> {
  let nodes = (await api.tree.provider.getChildren(undefined)) as unknown as NodeLike[];
  let found: NodeLike | undefined;
  for (const label of labels) {
    found = nodes.find(n => labelOf(n) === label);
    if (!found) throw new Error(`No tree node "${label}" among: ${nodes.map(labelOf).join(' | ')}`);
    nodes = await found.getChildren();
  }
  return found!;
}

describe('run a workflow with a JSON file', function () {
  this.timeout(60_000);
  let api: CdfWorkflowsApi;
  let sb: Sandbox;
  let ui: RunUi;
  let previousUi: UserInput | undefined;
  let previousActive: string | undefined;
  const added: string[] = [];
  const settings = vscode.workspace.getConfiguration('cdfWorkflows');
  const previousFollow = { min: settings.inspect('follow.minIntervalSeconds')?.globalValue, max: settings.inspect('follow.maxIntervalSeconds')?.globalValue };

  const addConnection = async (name: string, overrides: Partial<ConnectionSettings> & { clientId?: string } = {}, secret = SECRET) => {
    const { clientId, ...rest } = overrides;
    await api.services.connections.save(
      { name, baseUrl: sb.baseUrl, project: sb.project, auth: { type: 'clientCredentials', tokenUrl: sb.tokenUrl, clientId: clientId ?? sb.clientId }, ...rest },
      { clientSecret: secret },
    );
    added.push(name);
  };

  const client = async () => (await api.services.connections.client(MAIN)).client;
  const executionsOf = async (workflowExternalId: string, version?: string) =>
    (await (await client()).executions.list({ filter: { workflowFilters: [{ externalId: workflowExternalId, ...(version ? { version } : {}) }] }, limit: 1000 })).items;
  const count = (method: string, re: RegExp) => sb.requests.count({ method, path: re });
  const RUN_POST = /\/workflows\/[^/]+\/versions\/[^/]+\/run$/;
  /** Runs a command and returns what it resolved with (undefined when the boundary caught an error). */
  const command = <T>(id: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(id, ...args);
  /** The error message the command boundary showed. */
  const errorShown = () => ui.messages.filter(m => m.kind === 'error').map(m => m.message);
  /** Nothing followed any more, so the sandbox sees no reads from the tracker while a test counts requests. */
  const quiet = () => until(() => api.services.tracker.followed.every(f => f.ids.length === 0), 'followed runs to end');

  before(async function () {
    this.timeout(120_000);
    const extension = vscode.extensions.getExtension<CdfWorkflowsApi>(EXTENSION_ID);
    assert.ok(extension);
    api = extension.isActive ? extension.exports : await extension.activate();
    sb = await startSandbox({
      quiet: true,
      clients: [
        { clientId: 'run-tests', clientSecret: SECRET },
        {
          clientId: 'reader',
          clientSecret: READER_SECRET,
          capabilities: [{ workflowOrchestrationAcl: { actions: ['READ'], scope: { all: {} } } }, { sessionsAcl: { actions: ['LIST', 'CREATE'], scope: { all: {} } } }],
        },
      ],
    });
    // Stubbed functions: quick, no python, and several runs of one version may overlap.
    sb.stubFunction('fn-load', { durationMs: 300, response: { loaded: true } });
    sb.stubFunction('fn-report', { durationMs: 200, response: { ok: true } });
    const load = { externalId: 'load', type: 'function', parameters: { function: { externalId: 'fn-load' } } };
    sb.upsertWorkflow({ externalId: 'wf-run', description: 'Loads a site' }, [
      { version: '1', workflowDefinition: { description: 'One quick load', tasks: [load] } },
    ]);
    // Version 2 is newer and reads two input keys.
    await new Promise(r => setTimeout(r, 5));
    sb.upsertWorkflow({ externalId: 'wf-run', description: 'Loads a site' }, [
      {
        version: '2',
        workflowDefinition: {
          tasks: [
            load,
            {
              externalId: 'report',
              type: 'function',
              dependsOn: [{ externalId: 'load' }],
              parameters: { function: { externalId: 'fn-report', data: { site: '${workflow.input.site}', day: '${workflow.input.runDate}' } } },
            },
          ],
        },
      },
    ]);
    sb.upsertWorkflow({ externalId: 'wf-gone', description: 'Its version is deleted' }, [{ version: '1', workflowDefinition: { tasks: [load] } }]);
    sb.upsertWorkflow({ externalId: 'wf-other' }, [{ version: '1', workflowDefinition: { tasks: [load] } }]);

    previousActive = settings.get<string>('activeConnection') || undefined;
    await settings.update('follow.minIntervalSeconds', 1, vscode.ConfigurationTarget.Global);
    await settings.update('follow.maxIntervalSeconds', 2, vscode.ConfigurationTarget.Global);
    await addConnection(MAIN, { clientId: 'run-tests' });
    await api.services.connections.setActive(MAIN);
    api.services.connections.setClientOptions({ retry: { baseDelayMs: 1, maxDelayMs: 20, maxRetries: 3 } });
  });

  beforeEach(() => {
    ui = new RunUi(api.classes, p => vscode.Uri.file(p));
    previousUi = api.setUserInput(ui);
    sb.faults.clear();
  });

  afterEach(async () => {
    if (previousUi) api.setUserInput(previousUi);
    sb.faults.clear();
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async function () {
    this.timeout(60_000);
    if (!api) return;
    api.services.connections.setClientOptions({});
    for (const name of added) await api.services.connections.remove(name).catch(() => undefined);
    await api.services.connections.setActive(previousActive ?? '').catch(() => settings.update('activeConnection', previousActive, vscode.ConfigurationTarget.Global));
    await settings.update('follow.minIntervalSeconds', previousFollow.min, vscode.ConfigurationTarget.Global);
    await settings.update('follow.maxIntervalSeconds', previousFollow.max, vscode.ConfigurationTarget.Global);
    await sb?.close();
  });

  describe('the commands', () => {
    it('runs the active JSON document with its unsaved edits, reveals the execution under its version and follows it to its end', async () => {
      const doc = await vscode.workspace.openTextDocument(file('daily.json'));
      const editor = await vscode.window.showTextDocument(doc);
      await editor.edit(e => e.insert(new vscode.Position(1, 2), '"unsaved": true,\n  '));
      assert.ok(doc.isDirty);
      ui.script({ pick: 'wf-run' }, { pick: /^v1 · / }, { input: 'ticket=OPS-1, source=tests' });

      const execution = await command<{ id: string; workflowExternalId: string; version: string }>('cdfWorkflows.runWorkflow');
      assert.deepEqual(errorShown(), []);
      ui.assertAllUsed();
      assert.ok(execution, 'the command resolves with the new execution');
      assert.equal(execution.workflowExternalId, 'wf-run');
      assert.equal(execution.version, '1');

      // The prompts: workflow, version (newest first, with task counts), metadata; one step counter.
      const [wfPick, versionPick, metaBox] = ui.prompts;
      assert.deepEqual(wfPick.labels, ['wf-gone', 'wf-other', 'wf-run']);
      assert.deepEqual(versionPick.labels, ['v2 · 2 tasks', 'v1 · 1 task']);
      assert.deepEqual([wfPick.step, versionPick.step, metaBox.step], [1, 2, 3]);
      assert.equal(metaBox.totalSteps, 3);
      assert.match(metaBox.prompt ?? '', /at most 9/);

      const details = await (await client()).executions.retrieve(execution.id);
      assert.deepEqual(details.input, { unsaved: true, site: 'oslo', runDate: '2026-01-01' }, 'the unsaved edit was sent');
      assert.equal(details.metadata.ticket, 'OPS-1');
      assert.equal(details.metadata.source, 'tests');
      assert.match(details.metadata[RUN_ID_KEY] ?? '', /^[0-9a-f-]{36}$/);

      const done = await ui.waitForMessage(/^Run of wf-run@1 /);
      assert.match(done.message, /^Run of wf-run@1 completed in .+\.$/);
      assert.equal(done.kind, 'info');
      assert.deepEqual(done.actions, ['Show Details']);
      assert.equal(count('POST', RUN_POST), 1);

      const version = await treeNode(api, MAIN, 'wf-run', 'v1');
      const children = await version.getChildren();
      assert.ok(
        children.some(c => c.id.includes(execution.id) || JSON.stringify(c.getTreeItem().id ?? '').includes(execution.id)),
        `execution ${execution.id} is not under wf-run/1 in the tree: ${children.map(labelOf).join(' | ')}`,
      );
    });

    it('offers the pair last used with the file first, prefills its metadata and adds a CodeLens that runs it again without prompts', async () => {
      const uri = file('lens.json');
      await vscode.window.showTextDocument(uri);
      const before = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
      assert.deepEqual(before.map(l => l.command?.title), [], 'no CodeLens before the first run');

      ui.script({ pick: 'wf-run' }, { pick: /^v2 · / }, { input: 'ticket=OPS-2' });
      const first = await command<{ id: string }>('cdfWorkflows.runWorkflow', uri);
      assert.ok(first, JSON.stringify(errorShown()));

      let lenses: vscode.CodeLens[] = [];
      await until(async () => {
        lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
        return lenses.length === 2;
      }, 'the CodeLens after the run');
      assert.deepEqual(lenses.map(l => l.command?.title), ['▶ Run wf-run@2', 'Run with another workflow...']);
      assert.equal(lenses[0].range.start.line, 0);

      // Again from the palette: the remembered pair comes first, and picking it skips the version.
      ui.reset();
      ui.script({ pick: 'wf-run@2' }, { input: 'ticket=OPS-2' });
      const second = await command<{ id: string }>('cdfWorkflows.runWorkflow', uri);
      assert.ok(second, JSON.stringify(errorShown()));
      ui.assertAllUsed();
      assert.deepEqual(ui.prompts[0].labels, ['wf-run@2', 'wf-gone', 'wf-other', 'wf-run']);
      assert.deepEqual(ui.values, ['ticket=OPS-2'], 'the metadata box is prefilled with the last metadata');
      assert.deepEqual(ui.prompts.map(p => p.type), ['pick', 'input']);
      assert.deepEqual([ui.prompts[1].step, ui.prompts[1].totalSteps], [2, 2]);

      // The CodeLens: no prompt at all, same pair and metadata.
      ui.reset();
      const runs = count('POST', RUN_POST);
      const third = await command<{ id: string }>(lenses[0].command!.command, ...(lenses[0].command!.arguments ?? []));
      assert.ok(third, JSON.stringify(errorShown()));
      assert.deepEqual(ui.prompts, []);
      assert.equal(count('POST', RUN_POST), runs + 1);
      const details = await (await client()).executions.retrieve(third.id);
      assert.equal(details.version, '2');
      assert.equal(details.metadata.ticket, 'OPS-2');
      await ui.waitForMessage(/^Run of wf-run@2 completed/);
    });

    it('asks for a file when no JSON editor is active, and goes Back from the version to the workflow', async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      ui.script({ file: file('picked.json').fsPath }, { pick: 'wf-run' }, BACK, { pick: 'wf-other' }, { pick: /^v1 · / }, { input: '' });
      const run = await command<{ workflowExternalId: string }>('cdfWorkflows.runWorkflow');
      assert.ok(run, JSON.stringify(errorShown()));
      ui.assertAllUsed();
      assert.equal(run.workflowExternalId, 'wf-other');
      assert.deepEqual(ui.prompts.map(p => (p.type === 'pick' ? p.placeholder?.split(' ')[0] : 'metadata')), ['Workflow', 'Version', 'Workflow', 'Version', 'metadata']);
    });

    it('runs a version from its tree node with the active editor, or with a chosen file', async () => {
      const node = await treeNode(api, MAIN, 'wf-other', 'v1');
      await vscode.window.showTextDocument(file('node.json'));
      ui.script({ pick: /^Active editor \(run\/node\.json\)$/ }, { input: '' });
      const fromEditor = await command<{ id: string; workflowExternalId: string }>('cdfWorkflows.runVersion', node);
      assert.ok(fromEditor, JSON.stringify(errorShown()));
      ui.assertAllUsed();
      assert.equal(fromEditor.workflowExternalId, 'wf-other');
      assert.deepEqual(ui.prompts[0].labels, ['Active editor (run/node.json)', 'Choose a file...']);
      assert.equal(ui.prompts.length, 2, 'no workflow or version prompt');

      ui.reset();
      ui.script({ pick: 'Choose a file...' }, { file: file('picked.json').fsPath }, { input: 'from=node' });
      const fromFile = await command<{ id: string }>('cdfWorkflows.runVersion', node);
      assert.ok(fromFile, JSON.stringify(errorShown()));
      ui.assertAllUsed();
      const details = await (await client()).executions.retrieve(fromFile.id);
      assert.deepEqual(details.input, { site: 'oslo', runDate: '2026-01-01' });
      assert.equal(details.metadata.from, 'node');
      assert.equal(details.workflowExternalId, 'wf-other');
    });
  });

  describe('checks before anything is sent', () => {
    beforeEach(async () => {
      await quiet();
      sb.requests.reset();
    });

    it('refuses invalid JSON with a diagnostic at its line and column and sends nothing', async () => {
      const uri = file('invalid.json');
      const doc = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(doc);
      const result = await command('cdfWorkflows.runWorkflow', uri);
      assert.equal(result, undefined);
      assert.deepEqual(errorShown(), ['invalid.json: The run input is not valid JSON: strings must be in double quotes, not single quotes (line 3, column 14).']);
      assert.equal(sb.requests.count(), 0, `requests: ${JSON.stringify(sb.requests.list)}`);

      const [d, ...more] = vscode.languages.getDiagnostics(uri);
      assert.equal(more.length, 0);
      assert.equal(d.source, 'CDF Workflows');
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      assert.deepEqual([d.range.start.line, d.range.start.character], [2, 13]);
      assert.match(d.message, /strings must be in double quotes/);

      // Editing the document clears it.
      await editor.edit(e => e.replace(new vscode.Range(2, 13, 2, 25), '"2026-01-01"'));
      await until(() => vscode.languages.getDiagnostics(uri).length === 0, 'the diagnostic to clear on change');
    });

    it('clears the diagnostic of a file when a later run of it passes the checks', async () => {
      const uri = file('errors.json');
      fs.writeFileSync(uri.fsPath, '{ "site": "oslo", }\n');
      assert.equal(await command('cdfWorkflows.runWith', uri, { connection: MAIN, workflowExternalId: 'wf-run', version: '1' }), undefined);
      assert.match(errorShown()[0] ?? '', /trailing comma before '}'/);
      assert.equal(vscode.languages.getDiagnostics(uri).length, 1);
      fs.writeFileSync(uri.fsPath, '{ "site": "oslo" }\n');
      const run = await command<{ id: string }>('cdfWorkflows.runWith', uri, { connection: MAIN, workflowExternalId: 'wf-run', version: '1' });
      assert.ok(run, JSON.stringify(errorShown()));
      assert.equal(vscode.languages.getDiagnostics(uri).length, 0);
    });

    it('refuses a top-level array and sends nothing', async () => {
      const uri = file('array.json');
      assert.equal(await command('cdfWorkflows.runWorkflow', uri), undefined);
      assert.deepEqual(errorShown(), ['array.json: The run input must be a JSON object such as {"key": "value"}, not a list (array). Wrap the value in an object.']);
      assert.equal(vscode.languages.getDiagnostics(uri)[0]?.range.start.line, 0);
      assert.equal(sb.requests.count(), 0);
    });

    it('refuses an input over 100 KB as sent and sends nothing', async () => {
      const uri = file('big.json');
      fs.writeFileSync(uri.fsPath, JSON.stringify({ blob: 'x'.repeat(101 * 1024) }, null, 2));
      assert.equal(await command('cdfWorkflows.runWorkflow', uri), undefined);
      assert.match(errorShown()[0] ?? '', /^big\.json: The run input is 103,435 bytes as sent \(compact JSON\); CDF accepts at most 102,400 bytes \(100 KB\)\./);
      assert.equal(sb.requests.count(), 0);
    });

    it('warns about a referenced input key the file lacks: cancel sends nothing, Run Anyway runs', async () => {
      const uri = file('missing-key.json');
      const target = { connection: MAIN, workflowExternalId: 'wf-run', version: '2' };
      ui.script({ ask: undefined, match: /runDate/ });
      assert.equal(await command('cdfWorkflows.runWith', uri, target), undefined);
      const warning = ui.messages.find(m => m.kind === 'warning');
      assert.ok(warning);
      assert.equal(warning.modal, true);
      assert.equal(warning.message, 'wf-run@2 reads an input key that run/missing-key.json does not have: runDate (task report).');
      // The safe choice first (the modal's default): add the key to the file; running anyway comes second.
      assert.deepEqual(warning.actions, ['Add Missing Keys', 'Run Anyway']);
      assert.deepEqual(errorShown(), [], 'cancelling is silent');
      assert.equal(count('GET', /\/workflows\/wf-run\/versions\/2$/), 1, 'the definition was read');
      assert.equal(count('POST', /\/sessions$/), 0);
      assert.equal(count('POST', RUN_POST), 0);

      ui.script({ ask: 'Run Anyway', match: /runDate/ });
      const run = await command<{ id: string }>('cdfWorkflows.runWith', uri, target);
      assert.ok(run, JSON.stringify(errorShown()));
      assert.equal(count('POST', RUN_POST), 1);
    });

    it('refuses bad metadata as it is typed and sends nothing', async () => {
      const uri = file('daily.json');
      const ten = Array.from({ length: 10 }, (_, i) => `k${i}=v`).join(', ');
      ui.script({ pick: 'wf-run' }, { pick: /^v1 · / }, { input: ten });
      assert.equal(await command('cdfWorkflows.runWorkflow', uri), undefined);
      assert.equal(
        ui.prompts[2].validation,
        'Run metadata has 10 entries; at most 9 are allowed: CDF allows 10 and the extension adds its run id (cdf-workflows-run-id) as one of them. Remove 1.',
      );
      ui.reset();
      ui.script({ pick: 'wf-run' }, { pick: /^v1 · / }, { input: 'ticket=1, =2' });
      assert.equal(await command('cdfWorkflows.runWorkflow', uri), undefined);
      assert.equal(ui.prompts[2].validation, 'Run metadata entry "=2" has no key before "="; write it as key=value.');
      ui.reset();
      ui.script({ pick: 'wf-run' }, { pick: /^v1 · / }, { input: `${'k'.repeat(33)}=v` });
      assert.equal(await command('cdfWorkflows.runWorkflow', uri), undefined);
      assert.match(ui.prompts[2].validation ?? '', /is 33 characters; keys may have at most 32/);
      assert.equal(count('POST', /\/sessions$/), 0);
      assert.equal(count('POST', RUN_POST), 0);
    });
  });

  describe('failing servers', () => {
    const uri = () => file('daily.json');
    beforeEach(async () => {
      await quiet();
      sb.requests.reset();
    });

    it('says clearly when the server cannot be reached', async () => {
      const port = await freePortThenClosed();
      await addConnection('Run unreachable', { baseUrl: `http://127.0.0.1:${port}` });
      assert.equal(await command('cdfWorkflows.runWith', uri(), { connection: 'Run unreachable', workflowExternalId: 'wf-run', version: '1' }), undefined);
      const [message] = errorShown();
      assert.match(message ?? '', new RegExp(`could not connect to http://127\\.0\\.0\\.1:${port}`), message);
      assert.equal(count('POST', RUN_POST), 0);
    });

    it('reports a wrong client secret (401 from the identity provider) before any API request', async () => {
      await addConnection('Run wrong secret', { clientId: 'run-tests' }, WRONG_SECRET);
      assert.equal(await command('cdfWorkflows.runWith', uri(), { connection: 'Run wrong secret', workflowExternalId: 'wf-run', version: '1' }), undefined);
      const [message] = errorShown();
      assert.match(message ?? '', /refused the token request \(invalid_client\).*Check the client id and client secret/, message);
      assert.ok(count('POST', /\/oauth2\/token$/) >= 1);
      assert.equal(count('GET', /\/versions\/1$/), 0, 'the version was not read');
      assert.equal(count('POST', /\/sessions$/), 0);
      assert.equal(count('POST', RUN_POST), 0);
    });

    it('names the missing capability when the identity may read but not run (403)', async () => {
      await addConnection('Run reader', { clientId: 'reader' }, READER_SECRET);
      const before = (await executionsOf('wf-run', '1')).length;
      sb.requests.reset();
      assert.equal(await command('cdfWorkflows.runWith', uri(), { connection: 'Run reader', workflowExternalId: 'wf-run', version: '1' }), undefined);
      const [message] = errorShown();
      assert.match(message ?? '', /workflowOrchestrationAcl:WRITE/, message);
      assert.equal(count('POST', RUN_POST), 1);
      assert.equal((await executionsOf('wf-run', '1')).length, before, 'no execution was created');
    });

    it('says the version is gone when it was deleted after the file was last run with it (404)', async () => {
      const gone = file('gone.json');
      await vscode.workspace.openTextDocument(gone);
      ui.script({ pick: 'wf-gone' }, { pick: /^v1 · / }, { input: '' });
      assert.ok(await command('cdfWorkflows.runWorkflow', gone), JSON.stringify(errorShown()));
      await (await client()).versions.delete([{ workflowExternalId: 'wf-gone', version: '1' }]);
      await quiet();
      sb.requests.reset();
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', gone)) ?? [];
      const lens = lenses.find(l => l.command?.command === 'cdfWorkflows.runWith');
      assert.ok(lens?.command);
      assert.equal(await command(lens.command.command, ...(lens.command.arguments ?? [])), undefined);
      const [message] = errorShown();
      assert.match(message ?? '', /^wf-gone@1 is not on "Run tests" any more \(404\): it may have been deleted\./, message);
      assert.equal(count('GET', /\/workflows\/wf-gone\/versions\/1$/), 1);
      assert.equal(count('POST', /\/sessions$/), 0);
      assert.equal(count('POST', RUN_POST), 0);
    });

    it('retries a 429 storm a bounded number of times, then says it was throttled', async () => {
      sb.faults.add({ method: 'POST', path: RUN_POST, count: 100, kind: 429, retryAfterSeconds: 0 });
      const before = (await executionsOf('wf-run', '1')).length;
      sb.requests.reset();
      assert.equal(await command('cdfWorkflows.runWith', uri(), { connection: MAIN, workflowExternalId: 'wf-run', version: '1' }), undefined);
      const [message] = errorShown();
      assert.match(message ?? '', /throttl|too many requests/i, message);
      assert.equal(count('POST', RUN_POST), 4, 'the first attempt and 3 retries');
      assert.equal((await executionsOf('wf-run', '1')).length, before);
    });

    it('never runs again on its own when the outcome of a run is unknown', async () => {
      api.services.connections.setClientOptions({ retry: { baseDelayMs: 1, maxDelayMs: 20, maxRetries: 3 }, run: { nonceLifetimeMs: 300, marginMs: 0, pollIntervalMs: 50 } });
      try {
        sb.faults.add({ method: 'POST', path: RUN_POST, count: 1, kind: 502 });
        const before = (await executionsOf('wf-run', '1')).length;
        sb.requests.reset();
        assert.equal(await command('cdfWorkflows.runWith', uri(), { connection: MAIN, workflowExternalId: 'wf-run', version: '1' }), undefined);
        const [message] = errorShown();
        assert.match(message ?? '', /did not confirm.*most likely did not start/, message);
        assert.equal(count('POST', RUN_POST), 1, 'sent once');
        assert.equal((await executionsOf('wf-run', '1')).length, before);
      } finally {
        api.services.connections.setClientOptions({ retry: { baseDelayMs: 1, maxDelayMs: 20, maxRetries: 3 } });
      }
    });
  });

  describe('secrets', () => {
    it('leaves no client secret or token in the log, the settings or the state', async () => {
      await quiet();
      const logDir = api.services.context.logUri.fsPath;
      const logText = () => {
        const files = fs.existsSync(logDir) ? fs.readdirSync(logDir, { recursive: true, encoding: 'utf8' }).map(f => path.join(logDir, f)).filter(f => fs.statSync(f).isFile()) : [];
        return files.map(f => fs.readFileSync(f, 'utf8')).join('\n');
      };
      // The log file is written asynchronously: wait until it has this suite's runs.
      await until(() => /Started execution .* of wf-run@2 on "Run tests"/.test(logText()), `the run log lines in ${logDir}`);
      const config = vscode.workspace.getConfiguration('cdfWorkflows');
      const texts = {
        log: logText(),
        settings: JSON.stringify(['connections', 'activeConnection'].map(k => config.inspect(k))),
        state: JSON.stringify([
          ...api.services.context.workspaceState.keys().map(k => [k, api.services.context.workspaceState.get(k)]),
          ...api.services.context.globalState.keys().map(k => [k, api.services.context.globalState.get(k)]),
        ]),
      };
      for (const [where, text] of Object.entries(texts)) {
        for (const secret of [SECRET, READER_SECRET, WRONG_SECRET]) assert.ok(!text.includes(secret), `a client secret is in the ${where}`);
        assert.doesNotMatch(text, /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/, `a token is in the ${where}`);
      }
      assert.match(texts.state, /wf-run/, 'the run memory is in the state');
    });
  });
});
