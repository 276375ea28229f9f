// One owner for every resource, seen from the extension host: Services is fixed once activate() returns;
// a connection's client is retired only after the deploy using it has ended, and a client closed under a
// deploy is a ClientClosedError the user sees, with nothing left half made; a wizard step's unexpected
// error is logged with the stack of its cause.
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { CdfClient } from '../../src/core/client';
import type { CdfWorkflowsApi } from '../../src/extension';
import { ManualClock, startSandbox, type Sandbox } from '../../src/sandbox/index';
import { withBoundary } from '../../src/vscode/boundary';
import type { UserInput } from '../../src/vscode/ui';
import { WizardStepError } from '../../src/vscode/wizard';
import { ScriptedUserInput } from './support/scriptedUi';
import { assertNoSecrets, extensionApi, until } from './tree-fixtures';

const CONNECTION = `Lifecycle ${randomUUID().slice(0, 8)}`;
const SECRET = `lifecycle-secret-${randomUUID()}`;
const WORKFLOW = 'wf-life';

describe('one owner for every resource', function () {
  this.timeout(120_000);
  let api: CdfWorkflowsApi;
  let sb: Sandbox;
  let ui: ScriptedUserInput;
  let previousUi: UserInput | undefined;
  let previousActive: string | undefined;
  const clock = new ManualClock(Date.UTC(2026, 0, 4, 12, 0, 0));
  const settings = () => vscode.workspace.getConfiguration('cdfWorkflows');
  const client = async (): Promise<CdfClient> => (await api.services.connections.client(CONNECTION)).client;
  const errors = () => ui.messages.filter(m => m.kind === 'error').map(m => m.message);

  const saveConnection = () =>
    api.services.connections.save(
      { name: CONNECTION, baseUrl: sb.baseUrl, project: sb.project, auth: { type: 'clientCredentials', tokenUrl: sb.tokenUrl, clientId: 'lifecycle-tests' } },
      { clientSecret: SECRET },
    );

  /** The wizard's answers for a function-route schedule from the palette. */
  const answers = (name: string) => [
    { pick: WORKFLOW },
    { pick: /^v1 · / },
    { pick: 'Cognite Function + schedule' },
    { input: '15 3 * * *' },
    { pick: /^\$\(check\) Use / },
    { pick: /^No input/ },
    { pick: /^Client credentials of connection/ },
    { input: name },
    { pick: /Deploy/ },
  ];

  /** Starts the wizard and resolves once its deploy waits for the function build (the clock stands still). */
  async function deployUntilBuilding(name: string): Promise<{ pending: Thenable<unknown> }> {
    ui.script(...answers(name));
    const creates = sb.requests.count({ method: 'POST', path: /\/functions$/ });
    const pending = vscode.commands.executeCommand('cdfWorkflows.scheduleWorkflow');
    await until(() => sb.requests.count({ method: 'POST', path: /\/functions$/ }) > creates, 'the trigger function to be created');
    // One poll of the build status at least: the deploy is in its wait.
    const polls = sb.requests.count({ method: 'GET', path: /\/functions\/\d+$/ });
    await until(() => sb.requests.count({ method: 'GET', path: /\/functions\/\d+$/ }) > polls, 'a poll of the build');
    // Wrapped: an async function returning a thenable would wait for it.
    return { pending };
  }

  /** Moves the sandbox clock on until `work` settles (the build finishes on that clock). */
  async function withClock<T>(work: Thenable<T>): Promise<T> {
    let done = false;
    const finished = Promise.resolve(work).finally(() => {
      done = true;
    });
    while (!done) {
      await clock.advance(200);
      await new Promise(r => setTimeout(r, 10));
    }
    return finished;
  }

  /** Nothing half made: every file is a Ready trigger function's code, and no session waits unused. */
  async function assertNothingHalfMade(): Promise<void> {
    const c = await client();
    const functions = (await c.functions.list()).filter(f => f.externalId === 'workflow-trigger');
    const token = sb.accessToken('lifecycle-tests');
    const files = ((await (await fetch(`${sb.baseUrl}/api/v1/projects/${sb.project}/files?limit=1000`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { id: number }[] }).items;
    assert.deepEqual(files.map(f => f.id).sort(), functions.map(f => f.fileId).sort(), 'every file is the code of a trigger function');
    assert.ok(functions.length <= 1 && functions.every(f => f.status === 'Ready'), 'one Ready trigger function at most');
    const sessions: string[] = [];
    for await (const s of c.sessions.iterate({ limit: 1000 })) sessions.push(s.status);
    assert.ok(!sessions.includes('READY'), 'no session made and never used');
  }

  before(async function () {
    api = await extensionApi();
    sb = await startSandbox({ quiet: true, clock, functionDeployMs: { queued: 300, deploying: 300 }, clients: [{ clientId: 'lifecycle-tests', clientSecret: SECRET }] });
    sb.upsertWorkflow({ externalId: WORKFLOW }, [{ version: '1', workflowDefinition: { tasks: [{ externalId: 'ping', type: 'cdf', parameters: { cdfRequest: { resourcePath: '/workflows', method: 'GET' } } }] } }]);
    previousActive = settings().get<string>('activeConnection') || undefined;
    api.services.connections.setClientOptions({ retry: { baseDelayMs: 1, maxDelayMs: 5, maxRetries: 2 } });
    await saveConnection();
    await api.services.connections.setActive(CONNECTION);
  });

  beforeEach(() => {
    ui = new ScriptedUserInput(api.classes, p => vscode.Uri.file(p));
    previousUi = api.setUserInput(ui);
  });

  afterEach(() => {
    if (previousUi) api.setUserInput(previousUi);
  });

  after(async function () {
    if (!api) return;
    await api.services.connections.remove(CONNECTION).catch(() => undefined);
    await settings().update('activeConnection', previousActive, vscode.ConfigurationTarget.Global);
    await settings().update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    api.services.connections.setClientOptions({});
    await sb?.close();
    assertNoSecrets(api, [SECRET]);
  });

  it('builds Services once: it cannot be changed after activate()', () => {
    assert.ok(Object.isFrozen(api.services));
    assert.throws(() => {
      (api.services as unknown as Record<string, unknown>).tree = undefined;
    }, TypeError);
    assert.ok(api.services.tree, 'the tree is a service from the start');
  });

  it('finishes a deploy on its client when a setting changes meanwhile, and closes that client afterwards', async () => {
    const { pending } = await deployUntilBuilding('Survives a setting change');
    const used = await client();
    await settings().update('requestTimeoutSeconds', 45, vscode.ConfigurationTarget.Global);
    const fresh = await client();
    assert.notEqual(fresh, used, 'later calls get a new client');
    assert.equal(used.isClosed, false, 'the deploy still holds its client');
    await withClock(pending);
    assert.deepEqual(errors(), []);
    ui.assertAllUsed();
    await until(() => used.isClosed, 'the retired client to close once the deploy ended');
    const schedules = await fresh.functionSchedules.list({ limit: 1000 });
    assert.equal(schedules.filter(s => s.name === 'Survives a setting change').length, 1);
    await assertNothingHalfMade();
  });

  it('shows a ClientClosedError when the connection is removed under a deploy, leaves nothing half made, and a second run completes', async () => {
    const c = await client();
    // A fresh build: no trigger function to reuse.
    for (const s of await c.functionSchedules.list({ limit: 1000 })) await c.functionSchedules.delete([s.id]);
    for (const f of (await c.functions.list()).filter(f => f.externalId === 'workflow-trigger')) {
      await c.functions.delete([{ id: f.id }]);
      await c.files.delete([{ id: f.fileId }]);
    }
    const { pending } = await deployUntilBuilding('Outlives its connection');
    await api.services.connections.remove(CONNECTION);
    await withClock(pending);
    const [message] = errors();
    assert.match(message ?? '', /^Wait for the trigger function to be Ready failed: .* was not sent: connection "Lifecycle [0-9a-f]{8}" was removed\. Run it again\.$/);
    assert.ok(!ui.messages.some(m => /cancel/i.test(m.message)), 'not a silent cancellation');

    // The same project again: the kept function is reused, and nothing is left half made.
    await saveConnection();
    await api.services.connections.setActive(CONNECTION);
    ui.reset();
    ui.script(...answers('Outlives its connection'));
    await withClock(vscode.commands.executeCommand('cdfWorkflows.scheduleWorkflow'));
    assert.deepEqual(errors(), []);
    const schedules = await (await client()).functionSchedules.list({ limit: 1000 });
    assert.equal(schedules.filter(s => s.name === 'Outlives its connection').length, 1);
    await assertNothingHalfMade();
  });

  it("logs the stack of a wizard step's unexpected error, not the wrapper's", async () => {
    const lines: string[] = [];
    const log = { error: (m: string) => lines.push(m), debug: () => undefined, show: () => undefined } as unknown as vscode.LogOutputChannel;
    function stepThatBreaks(): never {
      throw new TypeError('cannot read properties of undefined');
    }
    let cause: unknown;
    try {
      stepThatBreaks();
    } catch (e) {
      cause = e;
    }
    await withBoundary('cdfWorkflows.test', { log, ui: () => ui }, () => {
      throw new WizardStepError('Create the schedule', cause);
    });
    assert.equal(lines.length, 1);
    assert.match(lines[0], /Create the schedule failed: cannot read properties of undefined/);
    assert.match(lines[0], /TypeError: cannot read properties of undefined\n\s+at stepThatBreaks/);
  });
});
