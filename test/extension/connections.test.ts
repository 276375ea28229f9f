// Connections: the add/edit wizard (with Back), remove, switch, Toolkit .env import, the local sandbox,
// Test Connection with its capability report, device code sign-in; secrets only in SecretStorage.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CdfWorkflowsApi } from '../../src/extension';
import { type Capability, startSandbox, type Sandbox } from '../../src/sandbox/index';
import { SANDBOX_SECRET_KEY } from '../../src/vscode/connections/sandboxHost';
import type { UserInput } from '../../src/vscode/ui';
import { BACK, ScriptedUserInput } from './support/scriptedUi';
import { assertNoSecrets, extensionApi, until } from './tree-fixtures';

const all = { all: {} };
const LIMITED = {
  clientId: 'reader',
  clientSecret: 'reader-secret-7f3a',
  capabilities: <Capability[]>[
    { workflowOrchestrationAcl: { actions: ['READ'], scope: all } },
    { sessionsAcl: { actions: ['CREATE'], scope: all } },
    { projectsAcl: { actions: ['LIST'], scope: all } },
    { groupsAcl: { actions: ['LIST'], scope: all } },
  ],
};

interface ConnectionLike { name: string; project: string; baseUrl?: string; sandbox?: boolean; auth: { type: string; clientId?: string; tokenUrl?: string } }

function connections(): ConnectionLike[] {
  return vscode.workspace.getConfiguration('cdfWorkflows').get<ConnectionLike[]>('connections', []);
}

function secretKey(connection: string, kind: string): string {
  return `cdfWorkflows.connection/${encodeURIComponent(connection)}/${kind}`;
}

describe('connections', function () {
  this.timeout(60_000);
  let api: CdfWorkflowsApi;
  let sb: Sandbox;
  let ui: ScriptedUserInput;
  let previous: UserInput;
  const secrets = [LIMITED.clientSecret];

  before(async () => {
    api = await extensionApi();
    sb = await startSandbox({ seed: 'demo', clients: [{ clientId: 'sandbox-client', clientSecret: 'sandbox-secret-c0nn' }, LIMITED], deviceCode: { intervalSeconds: 0.05 } });
    secrets.push(sb.clientSecret);
  });

  beforeEach(() => {
    ui = new ScriptedUserInput(api.classes, p => vscode.Uri.file(p));
    previous = api.setUserInput(ui);
  });

  afterEach(async () => {
    api.setUserInput(previous);
    for (const c of connections()) await api.services.connections.remove(c.name);
  });

  after(async () => {
    await api.services.sandbox.stop();
    assertNoSecrets(api, secrets);
    await sb?.close();
  });

  it('adds a connection through the wizard, Back included, keeping the secret out of settings', async () => {
    ui.script(
      { input: 'Sandbox A' },
      { pick: 'A CDF cluster' },
      BACK, // from the cluster prompt back to "where"
      { pick: 'Another base URL' },
      { input: sb.baseUrl },
      { input: sb.project },
      { pick: 'Client credentials' },
      { pick: 'Token URL' },
      { input: sb.tokenUrl },
      { input: sb.clientId },
      { input: sb.clientSecret },
      { input: '' },
      { ask: 'Test Connection' },
    );
    await vscode.commands.executeCommand('cdfWorkflows.addConnection');
    ui.assertAllUsed();
    const saved = connections().find(c => c.name === 'Sandbox A');
    assert.ok(saved, 'the connection is in settings');
    assert.equal(saved.baseUrl, sb.baseUrl);
    assert.equal(saved.auth.clientId, sb.clientId);
    assert.ok(!JSON.stringify(connections()).includes(sb.clientSecret), 'no secret in settings');
    assert.equal(await api.services.context.secrets.get(secretKey('Sandbox A', 'clientSecret')), sb.clientSecret);
    assert.equal(vscode.workspace.getConfiguration('cdfWorkflows').get('activeConnection'), 'Sandbox A');
    assert.deepEqual(ui.prompts.map(p => p.step), [1, 2, 3, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'Back returns to the previous prompt');
    const last = ui.prompts[ui.prompts.length - 1];
    assert.equal(last.step, last.totalSteps, 'the last prompt is the last step');
    const done = await ui.waitForMessage(/Connected to project/);
    assert.match(done.message, /Every capability the extension uses is granted/);
  });

  it('refuses a plain-http base URL that is not on this machine, naming the rule', async () => {
    ui.script({ input: 'Insecure' }, { pick: 'Another base URL' }, { input: 'http://cdf.example.com' });
    await vscode.commands.executeCommand('cdfWorkflows.addConnection');
    const m = await ui.waitForMessage(/must use https/);
    assert.equal(m.kind, 'error');
    assert.equal(connections().length, 0, 'nothing was saved');
  });

  it('reports each missing capability when testing a connection', async () => {
    await api.services.connections.save(
      { name: 'Reader', baseUrl: sb.baseUrl, project: sb.project, auth: { type: 'clientCredentials', tokenUrl: sb.tokenUrl, clientId: LIMITED.clientId } },
      { clientSecret: LIMITED.clientSecret },
    );
    await vscode.commands.executeCommand('cdfWorkflows.testConnection', 'Reader');
    const m = await ui.waitForMessage(/Connected to project/);
    assert.equal(m.kind, 'warning');
    assert.match(m.message, /workflowOrchestrationAcl:WRITE/);
    assert.match(m.message, /functionsAcl:WRITE/);
    assert.doesNotMatch(m.message, /workflowOrchestrationAcl:READ/);
  });

  it('says what to check when the client secret is wrong', async () => {
    await api.services.connections.save(
      { name: 'Wrong secret', baseUrl: sb.baseUrl, project: sb.project, auth: { type: 'clientCredentials', tokenUrl: sb.tokenUrl, clientId: sb.clientId } },
      { clientSecret: 'not-the-secret' },
    );
    await vscode.commands.executeCommand('cdfWorkflows.testConnection', 'Wrong secret');
    const m = await ui.waitForMessage(/client|secret|credentials/i);
    assert.equal(m.kind, 'error');
    assert.ok(!m.message.includes('not-the-secret'), 'the secret is not quoted');
  });

  it('edits a connection: a rename keeps its secret, a new project is used', async () => {
    await api.services.connections.save(
      { name: 'Before', baseUrl: sb.baseUrl, project: 'other', auth: { type: 'clientCredentials', tokenUrl: sb.tokenUrl, clientId: sb.clientId } },
      { clientSecret: sb.clientSecret },
    );
    ui.script(
      { input: 'After' },
      { pick: 'Another base URL' },
      { input: sb.baseUrl },
      { input: sb.project },
      { pick: 'Client credentials' },
      { pick: 'Token URL' },
      { input: sb.tokenUrl },
      { input: sb.clientId },
      { input: '' }, // keep the stored secret
      { input: '' },
    );
    await vscode.commands.executeCommand('cdfWorkflows.editConnection', 'Before');
    ui.assertAllUsed();
    assert.deepEqual(connections().map(c => c.name), ['After']);
    assert.equal(await api.services.context.secrets.get(secretKey('After', 'clientSecret')), sb.clientSecret);
    assert.equal(await api.services.context.secrets.get(secretKey('Before', 'clientSecret')), undefined);
    const { client } = await api.services.connections.client('After');
    assert.equal(client.project, sb.project);
    const page = await client.workflows.list({ limit: 10 });
    assert.ok(page.items.length > 0);
  });

  it('removes a connection with its secrets after asking, and moves the active connection', async () => {
    const auth = { type: 'clientCredentials' as const, tokenUrl: sb.tokenUrl, clientId: sb.clientId };
    await api.services.connections.save({ name: 'One', baseUrl: sb.baseUrl, project: sb.project, auth }, { clientSecret: sb.clientSecret });
    await api.services.connections.save({ name: 'Two', baseUrl: sb.baseUrl, project: sb.project, auth }, { clientSecret: sb.clientSecret });
    await api.services.connections.setActive('One');
    ui.script({ ask: 'Remove' });
    await vscode.commands.executeCommand('cdfWorkflows.removeConnection', 'One');
    assert.deepEqual(connections().map(c => c.name), ['Two']);
    assert.equal(await api.services.context.secrets.get(secretKey('One', 'clientSecret')), undefined);
    assert.equal(vscode.workspace.getConfiguration('cdfWorkflows').get('activeConnection'), 'Two');
  });

  it('switches the active connection from a pick', async () => {
    const auth = { type: 'clientCredentials' as const, tokenUrl: sb.tokenUrl, clientId: sb.clientId };
    await api.services.connections.save({ name: 'North', baseUrl: sb.baseUrl, project: sb.project, auth }, { clientSecret: sb.clientSecret });
    await api.services.connections.save({ name: 'South', baseUrl: sb.baseUrl, project: sb.project, auth }, { clientSecret: sb.clientSecret });
    await api.services.connections.setActive('North');
    ui.script({ pick: 'South' });
    await vscode.commands.executeCommand('cdfWorkflows.switchConnection');
    assert.equal(vscode.workspace.getConfiguration('cdfWorkflows').get('activeConnection'), 'South');
    assert.equal(api.services.connections.active()?.name, 'South');
  });

  it('imports a Cognite Toolkit .env: settings get the description, SecretStorage the secret', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toolkit-env-'));
    const file = path.join(dir, '.env');
    fs.writeFileSync(file, [
      `CDF_URL=${sb.baseUrl}`, `CDF_PROJECT=${sb.project}`, 'LOGIN_FLOW=client_credentials', 'PROVIDER=other',
      `IDP_CLIENT_ID=${sb.clientId}`, `IDP_CLIENT_SECRET=${sb.clientSecret}`, `IDP_TOKEN_URL=${sb.tokenUrl}`, 'IDP_SCOPES=a,b',
    ].join('\n'));
    try {
      ui.script({ file }, { input: 'From env' });
      await vscode.commands.executeCommand('cdfWorkflows.importToolkitEnv');
      ui.assertAllUsed();
      const c = connections().find(x => x.name === 'From env');
      assert.ok(c, 'imported');
      assert.equal(c.auth.tokenUrl, sb.tokenUrl);
      assert.ok(!JSON.stringify(connections()).includes(sb.clientSecret));
      assert.equal(await api.services.context.secrets.get(secretKey('From env', 'clientSecret')), sb.clientSecret);
      const m = await ui.waitForMessage(/Imported "From env"/);
      assert.ok(!m.message.includes(sb.clientSecret));
      const { client } = await api.services.connections.client('From env');
      assert.ok((await client.workflows.list({ limit: 1 })).items.length === 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the variable when a Toolkit .env lacks one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toolkit-env-'));
    const file = path.join(dir, '.env');
    fs.writeFileSync(file, `CDF_CLUSTER=westeurope-1\nIDP_CLIENT_ID=x\n`);
    try {
      ui.script({ file });
      await vscode.commands.executeCommand('cdfWorkflows.importToolkitEnv');
      const m = await ui.waitForMessage(/CDF_PROJECT/);
      assert.equal(m.kind, 'error');
      assert.equal(connections().length, 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts the embedded sandbox in a child process with a per-install secret, and connects to it', async () => {
    await vscode.commands.executeCommand('cdfWorkflows.trySandbox');
    const m = await ui.waitForMessage(/local sandbox runs at/);
    const c = connections().find(x => x.sandbox);
    assert.ok(c, 'a sandbox connection was added');
    assert.equal(c.baseUrl, undefined, 'no URL in settings: the port is picked when the sandbox starts');
    assert.equal(c.auth.tokenUrl, undefined);
    assert.equal(api.services.connections.active()?.name, c.name);
    const pid = api.services.sandbox.processId;
    assert.ok(pid !== undefined && pid !== process.pid, 'the sandbox runs in a child process');
    const secret = await api.services.context.secrets.get(SANDBOX_SECRET_KEY);
    assert.ok(secret && secret !== 'sandbox-secret', 'a secret of its own in SecretStorage');
    secrets.push(secret);
    assert.equal(await api.services.context.secrets.get(secretKey(c.name, 'clientSecret')), undefined, 'not stored as the connection\'s secret');

    const { connection, client } = await api.services.connections.client(c.name);
    assert.match(connection.baseUrl!, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(m.message.includes(connection.baseUrl!), m.message);
    const workflows = (await client.workflows.list({ limit: 100 })).items.map(w => w.externalId);
    assert.ok(workflows.includes('daily-asset-sync'), `demo workflows: ${workflows.join(', ')}`);

    // Its port is taken while it is stopped: it starts on another one and the connection follows.
    const port = Number(new URL(connection.baseUrl!).port);
    await api.services.sandbox.stop();
    const squatter = await new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer().once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
    try {
      const again = await api.services.connections.client(c.name);
      assert.notEqual(again.connection.baseUrl, connection.baseUrl, 'another port');
      assert.ok((await again.client.workflows.list({ limit: 1 })).items.length === 1, 'the connection works on the new port');
      assert.equal(connections().find(x => x.name === c.name)?.baseUrl, undefined, 'the settings did not change');
    } finally {
      squatter.close();
    }
  });

  it('uses a sandbox started elsewhere (npm start) at its URL, and says what to do when it is not running', async () => {
    const external = await startSandbox({ quiet: true });
    const settings = { name: 'Started elsewhere', baseUrl: external.baseUrl, project: external.project, auth: { type: 'clientCredentials' as const, tokenUrl: external.tokenUrl, clientId: external.clientId }, sandbox: true };
    try {
      await api.services.connections.save(settings);
      const { client } = await api.services.connections.client(settings.name);
      assert.equal((await client.workflows.list({ limit: 1 })).items.length, 0, 'its default client, without a stored secret');
    } finally {
      await external.close();
    }
    api.services.connections.setClientOptions({});
    await vscode.commands.executeCommand('cdfWorkflows.testConnection', settings.name);
    const m = await ui.waitForMessage(/Nothing answers at/);
    assert.equal(m.kind, 'error');
    assert.match(m.message, /npm run sandbox.*Try the Local Sandbox/);
  });

  it('signs in with a device code: shows the code, waits for approval, then works', async () => {
    await api.services.connections.save({
      name: 'Person', baseUrl: sb.baseUrl, project: sb.project,
      auth: { type: 'deviceCode', clientId: sb.clientId, tokenUrl: sb.tokenUrl, deviceAuthorizationUrl: sb.deviceAuthorizationUrl, scopes: ['openid', 'offline_access'] },
    });
    const done = vscode.commands.executeCommand('cdfWorkflows.signIn', 'Person');
    // The tree may have started a sign-in for the new connection before Sign In dropped it: approve every
    // code shown (as a person would enter the newest one), until the command's sign-in succeeds.
    const approved = new Set<string>();
    await until(() => {
      for (const m of ui.messages) {
        const code = /enter the code (\S+?)\.$/.exec(m.message)?.[1];
        if (code && !approved.has(code)) {
          approved.add(code);
          sb.approveDeviceCode(code);
        }
      }
      return ui.messages.some(m => /Connected to project/.test(m.message));
    }, 'the sign-in to succeed');
    assert.ok(approved.size >= 1, 'a code was shown');
    await done;

    // The refresh token is kept in SecretStorage only, so a new client (as after a restart) needs no code.
    const key = secretKey('Person', 'refreshToken');
    await until(async () => (await api.services.context.secrets.get(key)) !== undefined, 'the refresh token in SecretStorage');
    secrets.push((await api.services.context.secrets.get(key))!);
    api.services.connections.setClientOptions({});
    const codesBefore = ui.messages.filter(m => /enter the code/.test(m.message)).length;
    const { client } = await api.services.connections.client('Person');
    await client.workflows.list({ limit: 1 });
    assert.equal(ui.messages.filter(m => /enter the code/.test(m.message)).length, codesBefore, 'no new code was shown');

    await vscode.commands.executeCommand('cdfWorkflows.signOut', 'Person');
    assert.equal(await api.services.context.secrets.get(key), undefined, 'signing out forgets the refresh token');
  });

  it('shows the welcome content only while there is no connection', async () => {
    await until(() => connections().length === 0, 'no connections');
    await api.services.connections.save({ name: 'Solo', baseUrl: sb.baseUrl, project: sb.project, auth: { type: 'clientCredentials', tokenUrl: sb.tokenUrl, clientId: sb.clientId } }, { clientSecret: sb.clientSecret });
    const roots = await api.tree.provider.getChildren();
    assert.deepEqual(roots.map(r => r.id), ['conn/Solo'], 'with a connection the tree has its node instead of the welcome');
    await api.services.connections.remove('Solo');
    await until(async () => (await api.tree.provider.getChildren()).length === 0, 'an empty tree (the welcome content shows)');
  });
});
