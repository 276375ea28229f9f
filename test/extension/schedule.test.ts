// The schedule wizard in a real extension host against a sandbox on a manual clock, driven by a scripted
// ui: both routes end to end (the schedule fires on the advanced clock, the sandbox runs the generated
// handler.py in python3, and the execution appears in the tree), a failure injected at each deploy step
// leaving no orphan and a second run completing, a changed handler replacing the function and keeping
// every schedule, bad cron expressions refused with their explanation, the actions on schedules and
// triggers, and no secret in the log, settings, state, the zip or the schedule data.
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { CdfClient } from '../../src/core/client';
import { buildTriggerFunction } from '../../src/core/schedule';
import type { CdfWorkflowsApi } from '../../src/extension';
import { ManualClock, startSandbox, type Sandbox } from '../../src/sandbox/index';
import type { InputOptions, UserInput } from '../../src/vscode/ui';
import { testWorkspace } from './index';
import { BACK, CANCEL, ScriptedUserInput } from './support/scriptedUi';
import { assertNoSecrets, extensionApi, hasToken, labelOf, type NodeLike, until } from './tree-fixtures';

const CONNECTION = `Schedule tests ${randomUUID().slice(0, 8)}`;
const SECRET = `schedule-secret-${randomUUID()}`;
const BOT_SECRET = `bot-secret-${randomUUID()}`;
const WORKFLOW = 'wf-sched';
/** The answer to the step that lists the next five runs. */
const USE_CRON = { pick: /^\$\(check\) Use / };
const PING = { externalId: 'ping', type: 'cdf', parameters: { cdfRequest: { resourcePath: '/workflows', method: 'GET' } } };

/** Records what each input box's validation says, for values probed before the scripted answer. */
class ScheduleUi extends ScriptedUserInput {
  private probes: string[] = [];
  readonly probed: { value: string; message: string; blocking: boolean }[] = [];
  probe(...values: string[]): this {
    this.probes.push(...values);
    return this;
  }
  override async input(options: InputOptions): Promise<string> {
    if (this.probes.length > 0 && options.validate) {
      for (const value of this.probes.splice(0)) {
        const m = await options.validate(value);
        const message = typeof m === 'string' ? m : m?.message ?? '';
        // severity 3 = InputBoxValidationSeverity.Error; a plain string is an error too.
        this.probed.push({ value, message, blocking: typeof m === 'string' || (m?.severity as number) === 3 });
      }
    }
    return super.input(options);
  }
}

describe('schedule wizard', function () {
  this.timeout(90_000);
  let api: CdfWorkflowsApi;
  let sb: Sandbox;
  let ui: ScheduleUi;
  let previousUi: UserInput | undefined;
  let previousActive: string | undefined;
  // Sunday 4 January 2026, noon UTC.
  const clock = new ManualClock(Date.UTC(2026, 0, 4, 12, 0, 0));
  const settings = () => vscode.workspace.getConfiguration('cdfWorkflows');

  const client = async (): Promise<CdfClient> => (await api.services.connections.client(CONNECTION)).client;
  const errors = () => ui.messages.filter(m => m.kind === 'error').map(m => m.message);
  const infos = () => ui.messages.filter(m => m.kind === 'info').map(m => m.message);
  const inputFile = () => path.join(testWorkspace(), 'inputs', 'run-input.json');

  /**
   * Runs a command while the sandbox clock moves on (function builds and nonces live on that clock), and
   * resolves with what the command resolved (undefined when the boundary caught an error).
   */
  async function withClock<T>(work: Thenable<T>): Promise<T> {
    let done = false;
    const finished = Promise.resolve(work).finally(() => {
      done = true;
    });
    const ticker = (async () => {
      while (!done) {
        await clock.advance(200);
        await new Promise(r => setTimeout(r, 5));
      }
    })();
    try {
      return await finished;
    } finally {
      await ticker;
    }
  }

  const schedule = (arg?: unknown) => withClock(vscode.commands.executeCommand<{ kind: string; id: number | string; message: string } | undefined>('cdfWorkflows.scheduleWorkflow', arg));

  /** The answers of a function-route run from the palette (workflow, version, method, cron, input, credentials, name, review). */
  const functionRun = (o: { workflow?: string; version?: string; cron?: string; name: string; input?: 'none' | 'file'; credentials?: RegExp }) => [
    { pick: o.workflow ?? WORKFLOW },
    { pick: new RegExp(`^v${o.version ?? '1'} · `) },
    { pick: 'Cognite Function + schedule' },
    { input: o.cron ?? '30 2 * * *' },
    USE_CRON,
    ...(o.input === 'file' ? [{ pick: 'Choose a JSON file...' }, { file: inputFile() }] : [{ pick: 'No input' }]),
    { pick: o.credentials ?? /^Client credentials of connection/ },
    { input: o.name },
    { pick: /Deploy/ },
  ];

  async function node(...labels: (string | RegExp)[]): Promise<NodeLike> {
    let nodes = (await api.tree.provider.getChildren(undefined)) as unknown as NodeLike[];
    let found: NodeLike | undefined;
    for (const label of [CONNECTION, ...labels]) {
      found = nodes.find(n => (typeof label === 'string' ? labelOf(n) === label : label.test(labelOf(n))));
      if (!found) throw new Error(`No tree node "${String(label)}" among: ${nodes.map(labelOf).join(' | ')}`);
      nodes = await api.tree.provider.getChildren(found as never);
    }
    return found!;
  }
  const children = async (n: NodeLike) => (await api.tree.provider.getChildren(n as never)) as unknown as NodeLike[];

  /** What exists in the sandbox: functions, schedules (with data), files, sessions. */
  async function inventory() {
    const c = await client();
    const functions = (await c.functions.list()).filter(f => f.externalId === 'workflow-trigger');
    const schedules = await Promise.all((await c.functionSchedules.list({ limit: 1000 })).map(async s => ({ ...s, data: await c.functionSchedules.inputData(s.id) })));
    const token = sb.accessToken('schedule-tests');
    const files = ((await (await fetch(`${sb.baseUrl}/api/v1/projects/${sb.project}/files?limit=1000`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { id: number; externalId?: string }[] }).items;
    const sessions: { id: number; status: string }[] = [];
    for await (const s of c.sessions.iterate({ limit: 1000 })) sessions.push({ id: s.id, status: s.status });
    return { functions, schedules, files, sessions };
  }

  const CONNECTION_PAIR = /^Client credentials of connection/;
  const BOT_PAIR = /^scheduler-bot/;
  /** The pair the trigger function runs as now, and the other one (choosing it rebuilds the function). */
  async function pairs(): Promise<{ same: RegExp; other: RegExp }> {
    const current = (await inventory()).functions[0]?.metadata?.['cdf-workflows-client-id'];
    return current === 'scheduler-bot' ? { same: BOT_PAIR, other: CONNECTION_PAIR } : { same: CONNECTION_PAIR, other: BOT_PAIR };
  }

  /** Nothing orphaned: every file is a function's code, no failed function, no session made and never used. */
  async function assertNoOrphans(): Promise<void> {
    const inv = await inventory();
    assert.deepEqual(inv.files.map(f => f.id).sort(), inv.functions.map(f => f.fileId).sort(), 'every file is the code of a trigger function');
    assert.ok(inv.functions.length <= 1, 'at most one trigger function');
    assert.ok(inv.functions.every(f => f.status === 'Ready'), 'no failed function');
    assert.deepEqual(inv.sessions.filter(s => s.status === 'READY'), [], 'no unused session');
  }

  before(async function () {
    this.timeout(120_000);
    api = await extensionApi();
    sb = await startSandbox({
      quiet: true,
      clock,
      functionDeployMs: { queued: 300, deploying: 300 },
      clients: [
        { clientId: 'schedule-tests', clientSecret: SECRET },
        { clientId: 'scheduler-bot', clientSecret: BOT_SECRET },
      ],
    });
    sb.upsertWorkflow({ externalId: WORKFLOW, description: 'Scheduled in tests' }, [{ version: '1', workflowDefinition: { tasks: [PING] } }]);
    await clock.advance(1000);
    sb.upsertWorkflow({ externalId: WORKFLOW }, [{ version: '2', workflowDefinition: { tasks: [PING] } }]);
    sb.upsertWorkflow({ externalId: 'wf-other' }, [{ version: '1', workflowDefinition: { tasks: [PING] } }]);
    previousActive = settings().get<string>('activeConnection') || undefined;
    api.services.connections.setClientOptions({ retry: { baseDelayMs: 1, maxDelayMs: 5, maxRetries: 2 } });
    await api.services.connections.save(
      { name: CONNECTION, baseUrl: sb.baseUrl, project: sb.project, auth: { type: 'clientCredentials', tokenUrl: sb.tokenUrl, clientId: 'schedule-tests' } },
      { clientSecret: SECRET },
    );
    await api.services.connections.setActive(CONNECTION);
    await vscode.commands.executeCommand('workbench.view.extension.cdfWorkflows');
  });

  beforeEach(() => {
    ui = new ScheduleUi(api.classes, p => vscode.Uri.file(p));
    previousUi = api.setUserInput(ui);
    sb.faults.clear();
  });

  afterEach(async () => {
    if (previousUi) api.setUserInput(previousUi);
    sb.faults.clear();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async function () {
    this.timeout(60_000);
    if (!api) return;
    await api.services.connections.remove(CONNECTION).catch(() => undefined);
    await settings().update('activeConnection', previousActive, vscode.ConfigurationTarget.Global);
    api.services.connections.setClientOptions({});
    await api.services.context.secrets.delete(`cdfWorkflows.scheduleCredentials/${encodeURIComponent('scheduler-bot')}/clientSecret`);
    await sb?.close();
  });

  // Mocha runs a describe's own tests before its nested ones: every test sits in a describe, in order.
  describe('both routes', () => {
    it('deploys the function route from the palette, and the schedule runs the workflow with the file as input on the advanced clock', async () => {
      ui.script(...functionRun({ name: 'Nightly wf-sched', input: 'file' }));
      const outcome = await schedule();
      assert.deepEqual(errors(), []);
      ui.assertAllUsed();
      assert.equal(outcome?.kind, 'function');
      assert.match(infos().join('\n'), /Scheduled wf-sched@1: "Nightly wf-sched" at 30 2 \* \* \* \(UTC\), trigger function "workflow-trigger" created\. Next run /);

      // One step counter over the prompts, the same total from the first step to the last; the cron box
      // and the five fire times after it are one step (When).
      const [wf, version, method, cron, nextRuns, input, credentials, name, review] = ui.prompts;
      assert.deepEqual([wf, version, method, cron, nextRuns, input, credentials, name, review].map(p => p.step), [1, 2, 3, 4, 4, 5, 6, 7, 8]);
      assert.deepEqual([...new Set(ui.prompts.map(p => p.totalSteps))], [8], 'the total never changes');
      assert.deepEqual(version.labels, ['v2 · 1 task', 'v1 · 1 task'], 'newest version first');
      // The box says what the expression means and when it runs next; the step after lists five runs.
      assert.match(cron.validation ?? '', /^At 02:30 AM \(UTC\) · next run \w{3}, \w{3} \d+, 2:30\sAM UTC/);
      const rows = (nextRuns.labels ?? []).filter(l => l.startsWith('$(calendar)'));
      assert.equal(rows.length, 5);
      for (const row of rows) assert.match(row, /^\$\(calendar\) \w{3}, \w{3} \d+, 2:30\sAM UTC/);
      for (const row of rows) assert.equal(row.split('UTC').length - 1, 1, `UTC once: ${row}`);
      assert.ok(review.labels?.some(l => /Create trigger function "workflow-trigger"/.test(l)), review.labels?.join(' | '));
      assert.ok(review.labels?.some(l => /Create schedule "Nightly wf-sched"/.test(l)));

      const inv = await inventory();
      assert.equal(inv.functions.length, 1);
      const created = inv.schedules.find(s => s.name === 'Nightly wf-sched');
      assert.ok(created);
      assert.deepEqual(created.data, {
        workflowExternalId: WORKFLOW,
        version: '1',
        input: { assetExternalId: 'pump-station-01', window: { start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' }, dryRun: true },
        // The schedule names itself in the runs it starts, so the tree can say what started them.
        metadata: { 'cdf-workflows:schedule': 'Nightly wf-sched' },
      });

      // 02:30 UTC on Monday: the schedule calls the trigger function, whose handler.py runs the workflow.
      await clock.advanceTo(Date.UTC(2026, 0, 5, 2, 30, 1));
      await sb.settle();
      const c = await client();
      const [execution] = (await c.executions.list({ filter: { workflowFilters: [{ externalId: WORKFLOW, version: '1' }] }, limit: 10 })).items;
      assert.ok(execution, 'the schedule started an execution');
      const detailed = await c.executions.retrieve(execution.id);
      assert.deepEqual(detailed.input, created.data?.['input']);
      assert.equal(detailed.metadata['cdf-workflows:schedule'], 'Nightly wf-sched');
      api.tree.refresh();
      const versionNode = await node(WORKFLOW, 'v1');
      const executions = await children(versionNode);
      const scheduled = executions.find(n => (n as unknown as { execution?: { id: string } }).execution?.id === execution.id);
      assert.ok(scheduled, 'the execution shows under its version');
      assert.match(String(scheduled.getTreeItem().description), / · schedule Nightly wf-sched$/, 'the row says which schedule started it');
      // The schedule in the tree: cron and version, the next run, and the call it made.
      const scheduleNode = (await children(await node(WORKFLOW, 'Schedules'))).find(n => labelOf(n) === 'Nightly wf-sched');
      assert.ok(scheduleNode);
      assert.match(String(scheduleNode.getTreeItem().description), /^30 2 \* \* \* · v1/);
      assert.ok(hasToken(scheduleNode, 'runnableSchedule') && hasToken(scheduleNode, 'editableSchedule') && hasToken(scheduleNode, 'deletableSchedule'));
      const [next, lastRun] = await children(scheduleNode);
      // Next runs count from the real time (the extension does not know the sandbox clock).
      assert.match(labelOf(next), /^Next run \w{3}, \w{3} \d+, 2:30\sAM UTC/);
      assert.match(String(lastRun.getTreeItem().description), /^Completed/);
      await assertNoOrphans();
    });

    it('deploys a native trigger from a version node with new credentials stored in SecretStorage, firing in its time zone', async () => {
      const versionNode = await node(WORKFLOW, 'v2');
      ui.script(
        { pick: 'Native schedule trigger' },
        { pick: 'Asia/Tokyo' },
        { input: '0 8 * * 1-5' },
        { pick: /Change the cron expression/ }, // back to the box
        { input: '0 9 * * 1-5' },
        USE_CRON,
        { pick: 'No input' },
        { pick: 'Enter a client id and secret...' },
        { input: 'scheduler-bot' },
        BACK, // back to the client id: it is kept
        { input: 'scheduler-bot' },
        { input: BOT_SECRET },
        { input: 'wf-sched-2-schedule' },
        { pick: /Deploy/ },
      );
      const outcome = await schedule(versionNode);
      assert.deepEqual(errors(), []);
      ui.assertAllUsed();
      assert.equal(outcome?.id, 'wf-sched-2-schedule');
      const cronBoxes = ui.prompts.filter(p => /read in Asia\/Tokyo/.test(p.prompt ?? ''));
      assert.equal(cronBoxes.length, 2, 'Change went back to the cron box');
      assert.match(cronBoxes[1].validation ?? '', /^At 09:00 AM, Monday through Friday \(Asia\/Tokyo\) · next run \w{3}, \w{3} \d+, 9:00\sAM GMT\+9 \(Asia\/Tokyo\) · 12:00\sAM UTC/);
      const nextRuns = ui.prompts.filter(p => p.labels?.some(l => l.startsWith('$(calendar)'))).pop();
      assert.ok(nextRuns?.labels?.includes('Next runs'));
      for (const row of (nextRuns?.labels ?? []).filter(l => l.startsWith('$(calendar)'))) assert.match(row, /9:00\sAM GMT\+9 \(Asia\/Tokyo\) · 12:00\sAM UTC/);
      const secretBox = ui.prompts.find(p => /Client secret of scheduler-bot/.test(p.prompt ?? ''));
      assert.ok(secretBox);
      // The native route: zone and cron one step, the credentials pick, id and secret one step; same total throughout.
      assert.deepEqual([...new Set(ui.prompts.map(p => p.totalSteps))], [6], 'started from a version node: method, when, input, credentials, name, review');

      // The pair is stored: the secret in SecretStorage, only the id in globalState.
      assert.equal(await api.services.context.secrets.get(`cdfWorkflows.scheduleCredentials/${encodeURIComponent('scheduler-bot')}/clientSecret`), BOT_SECRET);
      assert.match(JSON.stringify(api.services.context.globalState.get('cdfWorkflows.schedule.credentials')), /scheduler-bot/);

      const [t] = (await (await client()).triggers.list()).items;
      assert.deepEqual(t.triggerRule, { triggerType: 'schedule', cronExpression: '0 9 * * 1-5', timezone: 'Asia/Tokyo' });
      // The trigger names itself in its metadata, which CDF copies to every execution it starts.
      assert.deepEqual(t.metadata, { 'cdf-workflows:trigger': 'wf-sched-2-schedule' });
      // Announced in the trigger's own zone with UTC beside it, never in UTC alone.
      assert.match(infos().join('\n'), /Next run \w{3}, \w{3} \d+, 9:00\sAM GMT\+9 \(Asia\/Tokyo\) · 12:00\sAM UTC/);
      // 09:00 in Tokyo on Tuesday 6 January is 00:00 UTC.
      await clock.advanceTo(Date.UTC(2026, 0, 6, 0, 0, 1));
      await sb.settle();
      const [run] = (await (await client()).triggers.history(t.externalId)).items;
      assert.equal(run?.status, 'success');
      const execution = await (await client()).executions.retrieve(run.workflowExecutionId!);
      assert.equal(execution.version, '2');
      api.tree.refresh();
      const triggers = await children(await node(WORKFLOW, 'Triggers'));
      assert.deepEqual(triggers.map(labelOf), ['wf-sched-2-schedule']);
      const [nextFire, fired] = await children(triggers[0]);
      assert.match(labelOf(nextFire), /^Next run (Mon|Tue|Wed|Thu|Fri), \w{3} \d+, 9:00\sAM GMT\+9 \(Asia\/Tokyo\) · 12:00\sAM UTC/);
      assert.equal(fired.getTreeItem().description, `started ${execution.id}`);
      const executions = await children(await node(WORKFLOW, 'v2'));
      assert.ok(executions.some(n => (n as unknown as { execution?: { id: string } }).execution?.id === execution.id));
    });

    it('takes the JSON file it was started on as the input and does not ask for one', async () => {
      ui.script({ pick: 'wf-other' }, { pick: /^v1 · / }, { pick: 'Cognite Function + schedule' }, { input: '0 4 * * *' }, USE_CRON, { pick: /^scheduler-bot/ }, { input: 'From file' }, { pick: /Deploy/ });
      await schedule(vscode.Uri.file(inputFile()));
      assert.deepEqual(errors(), []);
      ui.assertAllUsed();
      const inv = await inventory();
      // The stored pair differs from the connection's: the function was rebuilt and the other schedule moved.
      assert.equal(inv.functions.length, 1);
      assert.deepEqual(inv.schedules.map(s => s.name).sort(), ['From file', 'Nightly wf-sched']);
      assert.equal((inv.schedules.find(s => s.name === 'From file')?.data?.['input'] as { assetExternalId?: string } | undefined)?.assetExternalId, 'pump-station-01');
      assert.ok(ui.prompts.some(p => p.labels?.some(l => /Replace trigger function "workflow-trigger" \(the client credentials or settings changed\)/.test(l))));
      await assertNoOrphans();
    });

    it('refuses bad cron expressions live with the field and its allowed values, and shows the preview for good ones', async () => {
      ui.probe('0 2 * *', '0 2 * * * *', '61 * * * *', '0 24 * * *', '0 0 * * FUNDAY', '0 0 * JANUARY *', '*/15 9-17 * * MON-FRI');
      ui.script({ pick: /^v1 · / }, { pick: 'Cognite Function + schedule' }, { input: '0 2 * * *' }, CANCEL);
      // Started from the workflow node: the workflow is not asked, the version is the first step.
      await schedule(await node(WORKFLOW));
      assert.deepEqual(errors(), [], 'cancelling is silent');
      ui.assertAllUsed();
      assert.match(ui.prompts[0].placeholder ?? '', /^Version of wf-sched/);
      assert.equal(ui.prompts[0].step, 1);
      const byValue = Object.fromEntries(ui.probed.map(p => [p.value, p]));
      assert.match(byValue['0 2 * *'].message, /has 4 fields; CDF wants 5: minute hour day-of-month month day-of-week/);
      assert.match(byValue['0 2 * * * *'].message, /has 6 fields.*seconds field/);
      assert.match(byValue['61 * * * *'].message, /61 in the minute field of "61 \* \* \* \*" is out of range; the minute field takes 0-59/);
      assert.match(byValue['0 24 * * *'].message, /24 in the hour field .* takes 0-23/);
      assert.match(byValue['0 0 * * FUNDAY'].message, /"FUNDAY" in the day-of-week field .* is not a known name; the day-of-week field takes 0-7 \(0 and 7 are Sunday\) or the names SUN-SAT/);
      assert.match(byValue['0 0 * JANUARY *'].message, /"JANUARY" in the month field .* names JAN-DEC/);
      for (const bad of ['0 2 * *', '0 2 * * * *', '61 * * * *', '0 24 * * *', '0 0 * * FUNDAY', '0 0 * JANUARY *']) assert.ok(byValue[bad].blocking, bad);
      assert.equal(byValue['*/15 9-17 * * MON-FRI'].blocking, false);
      assert.match(byValue['*/15 9-17 * * MON-FRI'].message, /^Every 15 minutes, between 09:00 AM and 05:59 PM, Monday through Friday \(UTC\) · next run (Mon|Tue|Wed|Thu|Fri), \w{3} \d+, \d+:\d[05]\s[AP]M UTC/);
    });
  });

  describe('a failure at each deploy step', () => {
    // Upload and create need a build: they pick the other pair than the function runs as. Session and
    // schedule reuse the function: the same pair.
    const cases: { step: string; build: boolean; fault: Parameters<Sandbox['faults']['add']>[0] }[] = [
      { step: 'Upload the function code', build: true, fault: { method: 'PUT', path: /gcs_proxy/, count: 10, kind: 503 } },
      { step: 'Create the trigger function', build: true, fault: { method: 'POST', path: /\/functions$/, count: 1, kind: 503 } },
      { step: 'Create a session', build: false, fault: { method: 'POST', path: /\/sessions$/, count: 10, kind: 503 } },
      { step: 'Create the schedule', build: false, fault: { method: 'POST', path: /\/functions\/schedules$/, count: 1, kind: 503 } },
    ];
    for (const c of cases) {
      it(`"${c.step}" fails: the message names the step, nothing is orphaned, and a second run completes`, async () => {
        const name = `Failing at ${c.step}`;
        const { same, other } = await pairs();
        const answers = functionRun({ name, credentials: c.build ? other : same });
        sb.faults.add(c.fault);
        ui.script(...answers);
        await schedule();
        const [message] = errors();
        assert.ok(message?.startsWith(`${c.step} failed:`), message);
        if (c.step === 'Create the trigger function') {
          // The outdated function and its schedules were removed before the failure: the user is told they wait.
          assert.ok(ui.messages.some(m => m.kind === 'warning' && /schedules are saved and will be restored on "workflow-trigger" when the wizard runs again/.test(m.message)));
        }
        sb.faults.clear();
        await assertNoOrphans();
        assert.equal((await inventory()).schedules.filter(s => s.name === name).length, 0);

        ui.reset();
        ui.script(...answers);
        await schedule();
        assert.deepEqual(errors(), []);
        const inv = await inventory();
        assert.equal(inv.schedules.filter(s => s.name === name).length, 1);
        assert.ok(inv.schedules.some(s => s.name === 'Nightly wf-sched'), 'the earlier schedule is still there');
        await assertNoOrphans();
      });
    }

    it('"Wait for the trigger function to be Ready" fails with the build error: the function and its zip are removed, and a second run completes', async () => {
      const name = 'Failing build';
      // The other pair than the deployed function's: this run builds a new one.
      const run = functionRun({ name, credentials: (await pairs()).other });
      ui.script(...run);
      const creates = sb.requests.count({ method: 'POST', path: /\/functions$/ });
      // No clock: the build waits until the zip is replaced by one without handle().
      const pending = vscode.commands.executeCommand('cdfWorkflows.scheduleWorkflow');
      await until(() => sb.requests.count({ method: 'POST', path: /\/functions$/ }) > creates, 'the function create');
      const fn = (await (await client()).functions.list()).find(f => f.externalId === 'workflow-trigger' && f.status !== 'Ready');
      assert.ok(fn, 'a building function');
      const token = sb.accessToken('schedule-tests');
      const file = (await (await client()).files.retrieve(fn.fileId));
      const recreated = (await (
        await fetch(`${sb.baseUrl}/api/v1/projects/${sb.project}/files?overwrite=true`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: file.name, externalId: file.externalId }),
        })
      ).json()) as { uploadUrl: string };
      await fetch(recreated.uploadUrl, { method: 'PUT', body: zipSync({ 'handler.py': strToU8('def not_handle(data):\n    return {}\n') }) });
      await withClock(pending);
      const [message] = errors();
      assert.match(message ?? '', /^Wait for the trigger function to be Ready failed: The trigger function "workflow-trigger" failed to build: handler\.py must define a top-level function named handle\. It was removed with its code file/);
      assert.ok(!(await (await client()).functions.list()).some(f => f.id === fn.id));
      await assertNoOrphans();

      ui.reset();
      ui.script(...run);
      await schedule();
      assert.deepEqual(errors(), []);
      assert.equal((await inventory()).schedules.filter(s => s.name === name).length, 1);
      await assertNoOrphans();
    });
  });

  describe('a changed handler', () => {
    it('replaces a trigger function with another handler and keeps every schedule it had', async () => {
      const c = await client();
      // Clean slate: an older trigger function (other handler hash) with two schedules.
      for (const s of await c.functionSchedules.list({ limit: 1000 })) await c.functionSchedules.delete([s.id]);
      for (const f of (await c.functions.list()).filter(f => f.externalId === 'workflow-trigger')) {
        await c.functions.delete([{ id: f.id }]);
        await c.files.delete([{ id: f.fileId }]);
      }
      const created = await c.files.create({ name: 'old.zip', externalId: 'old-trigger.zip', mimeType: 'application/zip' });
      await c.files.upload(created.uploadUrl, buildTriggerFunction().zip, { mimeType: 'application/zip' });
      const old = await c.functions.create({
        name: 'workflow-trigger',
        externalId: 'workflow-trigger',
        fileId: created.id,
        secrets: { 'client-id': 'schedule-tests', 'client-secret': SECRET },
        envVars: { IDP_TOKEN_URL: sb.tokenUrl, CDF_PROJECT: sb.project, CDF_URL: sb.baseUrl },
        metadata: { 'cdf-workflows-owner': 'cdf-workflows-vscode', 'cdf-workflows-handler-hash': 'an-older-handler' },
      });
      await withClock(c.functions.waitUntilDeployed(old.id, { pollIntervalMs: 20 }));
      const kept = [
        { name: 'Kept A', cronExpression: '0 1 * * *', data: { workflowExternalId: WORKFLOW, version: '1', input: { a: 1 } } },
        { name: 'Kept B', cronExpression: '0 13 * * 1', data: { workflowExternalId: 'wf-other', version: '1' } },
      ];
      for (const k of kept) await c.functionSchedules.create({ ...k, functionId: old.id });

      ui.script(...functionRun({ name: 'After replace', cron: '0 5 * * *' }));
      await schedule();
      assert.deepEqual(errors(), []);
      const review = ui.prompts[ui.prompts.length - 1];
      assert.ok(review.labels?.some(l => /Replace trigger function "workflow-trigger" \(the handler changed\)/.test(l)), review.labels?.join(' | '));
      assert.ok(review.labels?.some(l => /Move 2 schedules to the new function/.test(l)));
      // Every deletion on a line of its own, by name.
      for (const line of [/Delete schedule "Kept A" \(id \d+\)/, /Delete schedule "Kept B" \(id \d+\)/, new RegExp(`Delete trigger function "workflow-trigger" \\(id ${old.id}\\)`), new RegExp(`Delete the code of "workflow-trigger" \\(file id ${created.id}\\)`)]) {
        assert.ok(review.labels?.some(l => line.test(l)), `${String(line)} in: ${review.labels?.join(' | ')}`);
      }
      const inv = await inventory();
      assert.equal(inv.functions.length, 1);
      assert.notEqual(inv.functions[0].id, old.id);
      for (const k of kept) {
        const s = inv.schedules.find(x => x.name === k.name);
        assert.ok(s, `${k.name} was kept`);
        assert.equal(s.functionId, inv.functions[0].id);
        assert.equal(s.cronExpression, k.cronExpression);
        assert.deepEqual(s.data, k.data);
      }
      assert.deepEqual(inv.schedules.map(s => s.name).sort(), ['After replace', 'Kept A', 'Kept B']);
      assert.ok(!inv.files.some(f => f.externalId === 'old-trigger.zip'), "the old function's zip was removed");
      await assertNoOrphans();
    });
  });

  describe('a function it did not make', () => {
    const FOREIGN = 'prod-ingest';
    const setExternalId = (value: string | undefined) => settings().update('schedule.functionExternalId', value, vscode.ConfigurationTarget.Global);
    afterEach(() => setExternalId(undefined));

    it('stops before any change when another function has the configured external id, naming it; nothing is deleted', async () => {
      const c = await client();
      const created = await c.files.create({ name: 'prod.zip', externalId: 'prod-ingest.zip', mimeType: 'application/zip' });
      await c.files.upload(created.uploadUrl, zipSync({ 'handler.py': strToU8('def handle(data):\n    return {"rows": 1}\n') }), { mimeType: 'application/zip' });
      const theirs = await c.functions.create({ name: 'Production ingest', externalId: FOREIGN, fileId: created.id, owner: 'data-platform-team', metadata: { team: 'data-platform' } });
      await withClock(c.functions.waitUntilDeployed(theirs.id, { pollIntervalMs: 20 }));
      const theirSchedule = await c.functionSchedules.create({ name: 'Hourly ingest', cronExpression: '0 * * * *', functionId: theirs.id, data: { source: 'sap' } });
      const before = await inventory();
      const allFunctions = async () => (await c.functions.list()).map(f => f.id).sort();
      const functionsBefore = await allFunctions();
      await setExternalId(FOREIGN);

      ui.script(...functionRun({ name: 'Into production?' }).slice(0, -1));
      await schedule();
      const [error] = errors();
      assert.ok(error, `an error is shown: ${JSON.stringify(ui.messages)}`);
      assert.match(error, new RegExp(`Function "${FOREIGN}" \\(id ${theirs.id}, name "Production ingest", owner "data-platform-team"\\)`));
      assert.match(error, /was not made by the schedule wizard/);
      assert.match(error, /Pick another external id for the trigger function \(the user setting cdfWorkflows\.schedule\.functionExternalId\)/);

      assert.deepEqual(await allFunctions(), functionsBefore, 'no function made or deleted');
      assert.equal((await c.functions.retrieve(theirs.id)).status, 'Ready');
      const after = await inventory();
      assert.deepEqual(after.schedules.map(s => s.id).sort(), before.schedules.map(s => s.id).sort(), 'no schedule made or deleted');
      assert.ok(after.schedules.some(s => s.id === theirSchedule.id));
      assert.deepEqual(after.files.map(f => f.id).sort(), before.files.map(f => f.id).sort(), 'no file uploaded or removed');
      assert.deepEqual(after.sessions.filter(s => s.status === 'READY'), [], 'no session left');

      await c.functionSchedules.delete([theirSchedule.id]);
      await c.functions.delete([{ id: theirs.id }]);
      await c.files.delete([{ id: created.id }]);
    });

    it('reads the external id from user settings only: a workspace value is ignored', async () => {
      const folder = vscode.workspace.workspaceFolders![0].uri;
      const file = vscode.Uri.joinPath(folder, '.vscode', 'settings.json');
      // pageSize shows when VS Code has read the file; the external id must not follow it.
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JSON.stringify({ 'cdfWorkflows.schedule.functionExternalId': FOREIGN, 'cdfWorkflows.executions.pageSize': 7 })));
      try {
        await until(() => settings().get('executions.pageSize') === 7, 'the workspace settings to be read');
        ui.script(...functionRun({ name: 'Workspace says otherwise' }).slice(0, -1), { pick: /Cancel/ });
        await schedule();
        const review = ui.prompts[ui.prompts.length - 1];
        assert.ok(review.labels?.some(l => /trigger function "workflow-trigger"/.test(l)), review.labels?.join(' | '));
        assert.ok(!review.labels?.some(l => l.includes(FOREIGN)), 'the workspace value is not used');
      } finally {
        await vscode.workspace.fs.delete(file);
        await until(() => settings().get('executions.pageSize') === 25, 'the workspace settings to be gone');
      }
    });
  });

  describe('actions on schedules and triggers', () => {
    const scheduleNode = async (name: string, workflow = WORKFLOW) => {
      api.tree.refresh();
      const group = await node(workflow, 'Schedules');
      const found = (await children(group)).find(n => labelOf(n) === name);
      assert.ok(found, `schedule "${name}" in the tree`);
      return found;
    };

    it('edits a function schedule from its node: the wizard is prefilled and the schedule replaced, not duplicated', async () => {
      const target = await scheduleNode('After replace');
      assert.ok(hasToken(target, 'editableSchedule'));
      ui.script({ pick: /^v2 · / }, { input: '45 6 * * *' }, USE_CRON, { pick: 'Keep the current input' }, { pick: /^Client credentials of connection/ }, { pick: /Deploy/ });
      await withClock(vscode.commands.executeCommand('cdfWorkflows.editSchedule', target));
      assert.deepEqual(errors(), []);
      ui.assertAllUsed();
      const cronBox = ui.prompts.find(p => p.type === 'input');
      assert.match(cronBox?.title ?? '', /^Edit Schedule "After replace"/);
      const same = (await inventory()).schedules.filter(s => s.name === 'After replace');
      assert.equal(same.length, 1);
      assert.equal(same[0].cronExpression, '45 6 * * *');
      assert.equal(same[0].data?.['version'], '2');
    });

    it('runs a function schedule now: the trigger function starts the workflow and the execution is followed', async () => {
      const target = await scheduleNode('After replace');
      assert.ok(hasToken(target, 'runnableSchedule'));
      const c = await client();
      const before = (await c.executions.list({ filter: { workflowFilters: [{ externalId: WORKFLOW, version: '2' }] }, limit: 100 })).items.length;
      const id = await withClock(vscode.commands.executeCommand<string>('cdfWorkflows.runScheduleNow', target));
      assert.deepEqual(errors(), []);
      assert.ok(id);
      const after = (await c.executions.list({ filter: { workflowFilters: [{ externalId: WORKFLOW, version: '2' }] }, limit: 100 })).items;
      assert.equal(after.length, before + 1);
      assert.ok(after.some(e => e.id === id));
    });

    it('pauses, resumes, runs now and deletes a trigger from its node, asking before deleting', async () => {
      api.tree.refresh();
      const triggerNode = async () => (await children(await node(WORKFLOW, 'Triggers')))[0];
      let t = await triggerNode();
      assert.ok(hasToken(t, 'pausable') && !hasToken(t, 'resumable'));
      await vscode.commands.executeCommand('cdfWorkflows.pauseTrigger', t);
      assert.equal((await (await client()).triggers.list()).items[0].isPaused, true);
      api.tree.refresh();
      t = await triggerNode();
      assert.ok(hasToken(t, 'resumable') && !hasToken(t, 'pausable'));
      await vscode.commands.executeCommand('cdfWorkflows.resumeTrigger', t);
      assert.equal((await (await client()).triggers.list()).items[0].isPaused, false);

      // Edit: the wizard keeps the external id and asks version, zone, cron, input and credentials again.
      assert.ok(hasToken(t, 'editableSchedule'));
      ui.script({ pick: /^v2 · / }, { pick: 'Asia/Tokyo' }, { input: '30 8 * * 1-5' }, USE_CRON, { pick: 'Keep the current input' }, { pick: BOT_PAIR }, { pick: /Deploy/ });
      await withClock(vscode.commands.executeCommand('cdfWorkflows.editSchedule', t));
      assert.deepEqual(errors(), []);
      ui.assertAllUsed();
      assert.ok(ui.prompts.some(p => p.labels?.some(l => /Update schedule trigger "wf-sched-2-schedule"/.test(l))));
      const edited = (await (await client()).triggers.list()).items;
      assert.equal(edited.length, 1);
      assert.deepEqual(edited[0].triggerRule, { triggerType: 'schedule', cronExpression: '30 8 * * 1-5', timezone: 'Asia/Tokyo' });
      api.tree.refresh();
      t = await triggerNode();
      ui.reset();

      const id = await withClock(vscode.commands.executeCommand<string>('cdfWorkflows.runScheduleNow', t));
      assert.equal((await (await client()).executions.retrieve(id)).version, '2');

      // Dismissing the question deletes nothing.
      ui.script({ ask: undefined, match: /^Delete trigger "wf-sched-2-schedule"\?/ });
      assert.equal(await vscode.commands.executeCommand('cdfWorkflows.deleteSchedule', t), false);
      ui.assertAllUsed();
      assert.equal((await (await client()).triggers.list()).items.length, 1);
      ui.reset();
      ui.script({ ask: 'Delete', match: /^Delete trigger "wf-sched-2-schedule"\?/ });
      await vscode.commands.executeCommand('cdfWorkflows.deleteSchedule', t);
      ui.assertAllUsed();
      assert.deepEqual((await (await client()).triggers.list()).items, []);
    });

    it('deletes a function schedule after confirmation and revokes its session', async () => {
      const target = await scheduleNode('Kept B', 'wf-other');
      assert.ok(hasToken(target, 'deletableSchedule'));
      const s = (await inventory()).schedules.find(x => x.name === 'Kept B')!;
      ui.script({ ask: 'Delete', match: /^Delete schedule "Kept B"\?/ });
      assert.equal(await vscode.commands.executeCommand('cdfWorkflows.deleteSchedule', target), true);
      const inv = await inventory();
      assert.ok(!inv.schedules.some(x => x.name === 'Kept B'));
      assert.equal(inv.sessions.find(x => x.id === Number(s.sessionId))?.status, 'REVOKED');
    });
  });

  describe('secrets', () => {
    it('leaves no client secret in the log, settings, state, the zip or the schedule data', async () => {
      const inv = await inventory();
      const c = await client();
      for (const f of inv.functions) {
        const file = await c.files.retrieve(f.fileId);
        const link = (await (
          await fetch(`${sb.baseUrl}/api/v1/projects/${sb.project}/files/downloadlink`, {
            method: 'POST',
            headers: { authorization: `Bearer ${sb.accessToken('schedule-tests')}`, 'content-type': 'application/json' },
            body: JSON.stringify({ items: [{ id: file.id }] }),
          })
        ).json()) as { items: { downloadUrl: string }[] };
        const zip = new Uint8Array(await (await fetch(link.items[0].downloadUrl)).arrayBuffer());
        const handler = strFromU8(unzipSync(zip)['handler.py']);
        assert.match(handler, /def handle\(data, secrets\)/);
        for (const secret of [SECRET, BOT_SECRET]) {
          assert.ok(!handler.includes(secret), 'a secret is in the zip');
          assert.ok(!JSON.stringify(f).includes(secret), 'a secret is in the function');
        }
      }
      for (const s of inv.schedules) for (const secret of [SECRET, BOT_SECRET]) assert.ok(!JSON.stringify(s.data).includes(secret), 'a secret is in the schedule data');
      // The key of the configuration hash is a secret of this installation too: SecretStorage only.
      const hashKey = await api.services.context.secrets.get('cdfWorkflows.schedule/configHashKey');
      assert.ok(hashKey && hashKey.length >= 32, 'the configuration hash key is in SecretStorage');
      for (const f of inv.functions) assert.ok(!JSON.stringify(f).includes(hashKey), 'the key is not in the function');
      await until(() => true, 'log flush');
      assertNoSecrets(api, [SECRET, BOT_SECRET, hashKey]);
    });
  });
});
