// The language-model tools in a real extension host, against a sandbox on a manual clock: every tool
// through vscode.lm.invokeTool (the path a chat agent takes: VS Code calls prepareInvocation, asks for a
// confirmation, then invoke), the confirmations from prepareInvocation called directly, the requests each
// call sends (read-only tools send no write; refused input sends nothing at all), bounded answers for a
// 506-task execution and 1 MB of function logs, and no secret or token in any answer.
//
// In this host VS Code does not show the confirmation dialog: while extension tests run, its dialog
// service answers every confirmation with "yes" (DialogService.skipDialogs in VS Code 1.100). So a call
// the user declines cannot happen here; what a confirmation says is checked through prepareInvocation,
// and that invokeTool asks it first through a spy on the registered tool.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { estimateTokens } from '../../src/core/lm/budget';
import { ManualClock } from '../../src/sandbox/index';
import { repoRoot, testWorkspace } from './index';
import { addApprovalWorkflow, addFanOutWorkflow, addFlakyWorkflow, addQualityWorkflow } from './support/workflows';
import { executionHelpers, until, useTreeHarness } from './tree-fixtures';

interface ToolContribution {
  name: string;
  displayName: string;
  modelDescription: string;
  userDescription?: string;
  toolReferenceName?: string;
  canBeReferencedInPrompt?: boolean;
  tags?: string[];
  icon?: string;
  inputSchema?: { type: string };
}

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { contributes: { languageModelTools: ToolContribution[] } };
const TOOL_NAMES = manifest.contributes.languageModelTools.map(t => t.name);
const WRITE_TOOLS = ['cdfWorkflows_runWorkflow', 'cdfWorkflows_cancelExecution', 'cdfWorkflows_retryExecution', 'cdfWorkflows_completeAsyncTask'];
/** The answer budget: 4,000 tokens as the tools estimate them (the benchmark checks real tokenizers' counts). */
const BUDGET = 4000;
const within = (text: string) => estimateTokens(text) <= BUDGET;
const size = (text: string) => `${text.length} characters, about ${estimateTokens(text)} tokens (budget ${BUDGET})`;
const JWT = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}/;

function lmFile(name: string): string {
  return path.join(testWorkspace(), 'lm', name);
}

describe('language-model tools', function () {
  this.timeout(90_000);
  const clock = new ManualClock(Date.now());
  const harness = useTreeHarness('Chat', {
    clock,
    limits: { tasksPerExecution: 1000 },
    settings: { 'follow.minIntervalSeconds': 1, 'follow.maxIntervalSeconds': 1, 'follow.notify': 'always' },
  });
  const { run, retrieve } = executionHelpers(harness);
  const invoked = new Set<string>();
  const answers: string[] = [];
  const confirmations: string[] = [];
  let failedRun = '';
  let fanOutRun = '';
  let noisyLines = 0;

  /** Invokes a tool the way a chat agent does and returns its text. */
  async function invoke(name: string, input: object, options: { tokenBudget?: number; token?: vscode.CancellationToken } = {}): Promise<string> {
    invoked.add(name);
    const result = await vscode.lm.invokeTool(
      name,
      {
        input,
        toolInvocationToken: undefined,
        ...(options.tokenBudget ? { tokenizationOptions: { tokenBudget: options.tokenBudget, countTokens: (t: string) => Promise.resolve(Math.ceil(t.length / 4)) } } : {}),
      },
      options.token,
    );
    const text = result.content.map(p => (p as { value?: unknown }).value).filter((v): v is string => typeof v === 'string').join('');
    answers.push(text);
    return text;
  }

  /** Calls a tool's prepareInvocation directly, as VS Code does before invoke. */
  async function prepare(name: string, input: object): Promise<vscode.PreparedToolInvocation> {
    const tool = harness().api.lmTools[name as never];
    const prepared = await (tool as vscode.LanguageModelTool<unknown>).prepareInvocation!({ input }, new vscode.CancellationTokenSource().token);
    assert.ok(prepared);
    const m = prepared.confirmationMessages;
    if (m) confirmations.push(`${m.title}\n${typeof m.message === 'string' ? m.message : m.message.value}`);
    return prepared;
  }

  function confirmationText(p: vscode.PreparedToolInvocation): { title: string; message: string } {
    const m = p.confirmationMessages;
    assert.ok(m, 'a confirmation');
    return { title: m.title, message: typeof m.message === 'string' ? m.message : m.message.value };
  }

  /** Records the inputs VS Code passes to a tool's prepareInvocation while `fn` runs. */
  async function spyOnPrepare<T>(name: string, fn: () => Promise<T>): Promise<{ result: T; inputs: unknown[] }> {
    const tool = harness().api.lmTools[name as never] as { prepareInvocation: (o: { input: unknown }, t: vscode.CancellationToken) => unknown };
    const original = tool.prepareInvocation;
    const inputs: unknown[] = [];
    tool.prepareInvocation = (o, t) => {
      inputs.push(o.input);
      return original.call(tool, o, t);
    };
    try {
      return { result: await fn(), inputs };
    } finally {
      tool.prepareInvocation = original;
    }
  }

  const requests = () => harness().sb.requests.list.filter(r => !r.path.includes('/oauth2/'));
  /** Requests that change something: anything but GET and the list/byids reads. */
  const writes = () => requests().filter(r => r.method !== 'GET' && !/\/(list|byids)$/.test(r.path)).map(r => `${r.method} ${r.path.replace(/^\/api\/v1\/projects\/[^/]+/, '')}`);
  const reset = () => {
    harness().sb.requests.reset();
    harness().ui.reset();
  };

  before(async function () {
    this.timeout(120_000);
    const { sb, api, connection } = harness();
    await api.services.connections.setActive(connection);
    fs.mkdirSync(lmFile(''), { recursive: true });
    fs.writeFileSync(lmFile('daily.json'), '{\n  "site": "oslo",\n  "runDate": "2026-01-01"\n}\n');
    fs.writeFileSync(lmFile('no-date.json'), '{ "site": "oslo" }\n');
    fs.writeFileSync(lmFile('bad.json'), '{\n  "site": "oslo",\n  "runDate": \'2026-01-01\'\n}\n');
    fs.writeFileSync(lmFile('big.json'), JSON.stringify({ rows: Array.from({ length: 12_000 }, (_, i) => `row-${i}`) }));
    fs.writeFileSync(
      lmFile('definition.json'),
      JSON.stringify({ workflowExternalId: 'daily', version: '9', workflowDefinition: { tasks: [{ externalId: 'a', type: 'function', parameters: { function: { externalId: 'f' } }, dependsOn: [{ externalId: 'missing' }] }] } }, null, 2),
    );
    fs.writeFileSync(
      lmFile('daily.WorkflowVersion.yaml'),
      [
        'workflowExternalId: daily',
        'version: "2"',
        'workflowDefinition:',
        '  tasks:',
        '    - externalId: a',
        '      type: function',
        '      parameters: { function: { externalId: fn-a } }',
        '    - externalId: b',
        '      type: function',
        "      parameters: { function: { externalId: fn-b, data: '${a.output.response}' } }",
        '',
      ].join('\n'),
    );

    sb.stubFunction('fn-echo', { response: { ok: true } });
    sb.upsertWorkflow({ externalId: 'daily', description: 'Daily load' }, [
      {
        version: '1',
        workflowDefinition: { tasks: [{ externalId: 'load', type: 'function', parameters: { function: { externalId: 'fn-echo', data: { day: '${workflow.input.runDate}', site: '${workflow.input.site}' } } } }] },
      },
    ]);

    // quality@1 fails after 1 MB of logs that print the client secret and a token; fanout@1 has 506 tasks.
    noisyLines = addQualityWorkflow(sb, [`debug: client secret ${harness().secret} and header Authorization: Bearer ${sb.accessToken('tree-client')}`]);
    addFanOutWorkflow(sb);
    addApprovalWorkflow(sb);
    let flakyCalls = 0;
    addFlakyWorkflow(sb, () => (++flakyCalls === 1 ? { status: 'Failed', error: 'the source system was down' } : { response: { ok: true } }));

    failedRun = (await run('quality', '1', { day: '2026-04-30' })).id;
    fanOutRun = (await run('fanout', '1')).id;
    for (let i = 0; i < 40 && ((await retrieve(failedRun)).status === 'RUNNING' || (await retrieve(fanOutRun)).status === 'RUNNING'); i++) await clock.advance(5000);
    assert.equal((await retrieve(failedRun)).status, 'FAILED');
    assert.equal((await retrieve(fanOutRun)).executedTasks.length, 506);
    api.tree.refresh({ connection });
  });

  beforeEach(reset);
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('asks no confirmation for a tool that only reads, and names what it reads while it runs', async () => {
    const reads: [string, object, string][] = [
      ['cdfWorkflows_listWorkflows', {}, 'Listing workflows on '],
      ['cdfWorkflows_listExecutions', { workflowExternalId: 'daily' }, 'Listing executions of daily on '],
      ['cdfWorkflows_getExecution', { executionId: 'x' }, 'Reading execution x on '],
      ['cdfWorkflows_getFunctionLogs', { executionId: 'x', taskExternalId: 'check' }, 'Reading function logs of check on '],
      ['cdfWorkflows_checkDefinition', { path: 'lm/definition.json' }, 'Checking lm/definition.json'],
      ['cdfWorkflows_explainFailure', { workflowExternalId: 'quality' }, 'Explaining the latest failure of quality on '],
    ];
    assert.equal(reads.length + WRITE_TOOLS.length, TOOL_NAMES.length);
    for (const [name, input, message] of reads) {
      const prepared = await prepare(name, input);
      assert.equal(prepared.confirmationMessages, undefined, name);
      const shown = typeof prepared.invocationMessage === 'string' ? prepared.invocationMessage : prepared.invocationMessage?.value ?? '';
      assert.ok(shown.startsWith(message), `${name}: ${shown}`);
    }
    assert.deepEqual(requests(), [], 'preparing a read sends nothing');
  });

  it('contributes every tool with what chat needs, and registers each one', () => {
    const registered = new Map(vscode.lm.tools.map(t => [t.name, t]));
    assert.equal(TOOL_NAMES.length, 10);
    for (const t of manifest.contributes.languageModelTools) {
      const info = registered.get(t.name);
      assert.ok(info, `${t.name} is not in vscode.lm.tools`);
      assert.equal(info.description, t.modelDescription);
      assert.deepEqual([...info.tags], t.tags);
      assert.equal((info.inputSchema as { type?: string } | undefined)?.type, 'object');
      assert.ok(t.displayName && t.userDescription && t.toolReferenceName && t.canBeReferencedInPrompt && /^\$\([a-z-]+\)$/.test(t.icon ?? ''), t.name);
      assert.ok(t.tags?.includes(WRITE_TOOLS.includes(t.name) ? 'changes-cdf' : 'read-only'), t.name);
      assert.ok(harness().api.lmTools[t.name as never], `${t.name} has no implementation`);
    }
  });

  it('lists workflows, versions and a version\'s tasks on the active or a named connection, sending only reads', async () => {
    const h = harness();
    const all = await invoke('cdfWorkflows_listWorkflows', {});
    assert.match(all, new RegExp(`^Workflows on connection "${h.connection}" \\(project sandbox\\): 5\\.`));
    assert.match(all, /^- daily; "Daily load"; versions: 1 \(1 task, updated \d{4}-\d\d-\d\d\)$/m);
    assert.match(all, /^- fanout; "Five batches of 100 sites"; versions: 1 \(6 tasks/m);
    const versions = await invoke('cdfWorkflows_listWorkflows', { connection: h.connection, workflowExternalId: 'daily' });
    assert.match(versions, /- 1 \(1 task.*input keys read: runDate \(load\), site \(load\)/);
    const tasks = await invoke('cdfWorkflows_listWorkflows', { workflowExternalId: 'quality', version: '1' });
    assert.match(tasks, /1\. prepare \[function fn-prepare\]; no dependencies; retries 3, timeout 3600 s, onFailure abortWorkflow\n2\. check \[function fn-check\]; after prepare; retries 0, .*; reads \$\{prepare\.output\.response\}\n3\. publish \[transformation tr-publish\]; after check/);
    assert.match(tasks, /check: no problems found\.$/);
    assert.ok(requests().length > 0);
    assert.deepEqual(writes(), []);
  });

  it('lists executions with filters, newest first, sending only reads', async () => {
    const failed = await invoke('cdfWorkflows_listExecutions', { status: ['FAILED'], createdAfter: '1h' });
    assert.match(failed, new RegExp(`^- ${failedRun} quality@1 FAILED, created .* UTC, took \\d+ s; reason: .*gaps longer than 6 hours`, 'm'));
    assert.doesNotMatch(failed, new RegExp(fanOutRun));
    const fan = await invoke('cdfWorkflows_listExecutions', { workflowExternalId: 'fanout', version: '1', limit: 5 });
    assert.match(fan, new RegExp(`^- ${fanOutRun} fanout@1 COMPLETED`, 'm'));
    assert.deepEqual(writes(), []);
  });

  it('keeps a 506-task execution within the budget, marks the cut and pages on with the offset it gives', async () => {
    const text = await invoke('cdfWorkflows_getExecution', { executionId: fanOutRun });
    console.log(`      getExecution, 506 tasks: ${size(text)}`);
    assert.ok(within(text), size(text));
    assert.match(text, /tasks: 506 ran of 6 defined \(COMPLETED \d+, CANCELED \d+, COMPLETED_WITH_ERRORS 2, FAILED 2\)/);
    assert.match(text, /tasks that failed \(\d\):\n\* fan-1 › site-1-7 \[transformation tr-1-7\] FAILED/);
    assert.match(text, /reason: Transformation job \d+ failed: Transformation failed: column "asset_id" does not exist \(1-7\)/);
    // The dynamic tasks that failed because of them come after, with what they started instead of their task lists.
    assert.match(text, /\* fan-1 \[dynamic\] COMPLETED_WITH_ERRORS: .*onFailure skipTask; depends on plan\n {2}reason: Task site-1-7 failed: .*\n {2}started 100 tasks: CANCELED 92, COMPLETED 7, FAILED 1\n/);
    const offset = Number(/"taskOffset":(\d+)/.exec(text)?.[1]);
    assert.ok(offset > 50, 'the cut gives the next offset');
    assert.match(text, new RegExp(`\\[truncated: tasks ${offset + 1}–506 of 506 not shown`));
    const next = await invoke('cdfWorkflows_getExecution', { executionId: fanOutRun, taskOffset: offset });
    assert.match(next, new RegExp(`all tasks, from number ${offset + 1} \\(506\\):`));
    const small = await invoke('cdfWorkflows_getExecution', { executionId: fanOutRun, taskExternalId: 'site-3-99' }, { tokenBudget: 1000 });
    assert.ok(Math.ceil(small.length / 4) <= 1000, 'a smaller token budget from the caller is kept, counted with its counter');
    assert.match(small, /\* fan-3 › site-3-99 \[transformation tr-3-99\] FAILED: task id [^;]+; took 1 s; retries allowed 0/);
    assert.deepEqual(writes(), []);
  });

  it('reads the end of 1 MB of function logs within the budget, masking the secret and the token they print', async () => {
    const h = harness();
    const text = await invoke('cdfWorkflows_getFunctionLogs', { executionId: failedRun });
    console.log(`      getFunctionLogs, ${noisyLines} lines (1 MB): ${size(text)}`);
    assert.ok(within(text), size(text));
    assert.match(text, new RegExp(`^Function call \\d+ of function \\d+ \\(fn-check\\) for task check of execution ${failedRun} \\(quality@1\\) on connection "${h.connection}" \\(project sandbox\\): Failed\\.`));
    assert.match(text, new RegExp(`logs: ${noisyLines.toLocaleString('en-US')} lines, 1,0\\d\\d,\\d{3} characters\\.`));
    assert.match(text, /\d\d:\d\d:\d\d ValueError: 3 time series have gaps longer than 6 hours$/m);
    assert.match(text, /\[truncated: the first [\d,]+ lines \([\d,]+ characters\) are not shown\. Search all lines with contains/);
    assert.match(text, /debug: client secret \*\*\* and header Authorization: Bearer \*\*\*/);
    assert.ok(!text.includes(h.secret));
    assert.doesNotMatch(text, JWT);
    const found = await invoke('cdfWorkflows_getFunctionLogs', { executionId: failedRun, taskExternalId: 'check', contains: 'series 4242 ' });
    assert.match(found, /1 line contain "series 4242 "\.\nall lines:\n\d\d:\d\d:\d\d checked series 4242 of site/);
    assert.deepEqual(writes(), []);
  });

  it('explains a failure in one call: the failed task, reason, resolved input, upstream output and the end of its logs', async () => {
    const text = await invoke('cdfWorkflows_explainFailure', { workflowExternalId: 'quality' });
    console.log(`      explainFailure with 1 MB of logs: ${size(text)}`);
    assert.ok(within(text), size(text));
    assert.match(text, new RegExp(`^Why execution ${failedRun} of quality@1 ended FAILED with 1 failed task\\.`));
    assert.match(text, /\* check \[function fn-check\] FAILED: .*retries allowed 0.*depends on prepare/);
    assert.match(text, /input: \{"function":\{"externalId":"fn-check","data":\{"batch":\{"rows":3,"file":"batch-7\.csv"\}\}/);
    assert.match(text, /upstream: prepare COMPLETED output \{"callId":\d+,"functionId":\d+,"response":\{"rows":3,"file":"batch-7\.csv"\}\}/);
    assert.match(text, /error: ValueError: 3 time series have gaps longer than 6 hours/);
    assert.match(text, /logs: [\d,]+ lines; the last \d+:\n/);
    assert.match(text, /\n {4}\d\d:\d\d:\d\d debug: client secret \*\*\* and header Authorization: Bearer \*\*\*.*\n {4}\d\d:\d\d:\d\d ValueError: 3 time series have gaps longer than 6 hours\n {2}\(earlier lines: cdfWorkflows_getFunctionLogs/, 'the last lines, whole');
    assert.match(text, /did not run \(canceled or skipped\): publish/);
    assert.match(text, new RegExp(`next: re-run the failed tasks with cdfWorkflows_retryExecution \\{"executionId": "${failedRun}"\\}`));
    assert.doesNotMatch(text, JWT);
    assert.deepEqual(writes(), []);
  });

  it('checks a workspace file (API JSON or Toolkit YAML), text and a deployed version, and refuses files outside the workspace', async () => {
    const file = await invoke('cdfWorkflows_checkDefinition', { path: 'lm/definition.json' });
    assert.match(file, /^lm\/definition\.json: 1 error, 0 warnings, 0 info\.\n- error at line \d+, column \d+ \(unknown-dependency, task a\): Task "a" depends on "missing"/);
    const yaml = await invoke('cdfWorkflows_checkDefinition', { path: 'lm/daily.WorkflowVersion.yaml' });
    assert.match(yaml, /^lm\/daily\.WorkflowVersion\.yaml: 1 error, 0 warnings, 0 info\.\n- error at line 10, column 57 \(not-upstream, task b\): Task "b" refers to "a"/);
    const text = await invoke('cdfWorkflows_checkDefinition', { text: '{"tasks": [{"externalId": "a", "type": "function", "parameters": {"function": {"externalId": "f"}}}]}' });
    assert.match(text, /^the text: no problems found\./);
    const deployed = await invoke('cdfWorkflows_checkDefinition', { workflowExternalId: 'quality', version: '1' });
    assert.match(deployed, new RegExp(`^quality version 1 as deployed on connection "${harness().connection}" \\(project sandbox\\): 3 tasks; no problems found\\.`));
    // Besides the deployed version's read, at most the project's workflows for the subworkflow check: the
    // catalog's cached list (read once a minute at most, so already there when earlier tests ran).
    const sent = requests().map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(sent.filter((r) => !/^GET \/api\/v1\/projects\/sandbox\/workflows$/.test(r)), ['GET /api/v1/projects/sandbox/workflows/quality/versions/1'], `one read for the deployed version, none for the files and the text: ${sent.join(', ')}`);
    assert.ok(sent.length <= 2, sent.join(', '));
    const outside = await invoke('cdfWorkflows_checkDefinition', { path: path.join(repoRoot(), 'package.json') });
    assert.match(outside, /^cdfWorkflows_checkDefinition failed: ".*package\.json" is outside the workspace folders \(workspace\); tools read workspace files only\./);
    const escape = await invoke('cdfWorkflows_checkDefinition', { path: '../../etc/passwd' });
    assert.match(escape, /leads out of the workspace/);
    const none = await invoke('cdfWorkflows_checkDefinition', { path: 'lm/daily.json' });
    assert.match(none, /lm\/daily\.json holds no workflow definition/);
    const both = await invoke('cdfWorkflows_checkDefinition', { path: 'lm/definition.json', text: '{}' });
    assert.match(both, /Give exactly one definition to check/);
    assert.deepEqual(writes(), []);
  });

  it('confirms a run naming the connection, project, workflow, version, input and metadata, and warns of missing input keys', async () => {
    const h = harness();
    const prepared = await prepare('cdfWorkflows_runWorkflow', { workflowExternalId: 'daily', version: '1', inputPath: 'lm/daily.json', metadata: { source: 'chat' } });
    const { title, message } = confirmationText(prepared);
    assert.equal(title, 'Run daily version 1 in sandbox?');
    assert.match(message, new RegExp(`^Start an execution of \\*\\*daily\\*\\* version \\*\\*1\\*\\* on connection \\*\\*${h.connection}\\*\\* \\(CDF project \\*\\*sandbox\\*\\* at \`${h.sb.baseUrl}\`\\)\\.`));
    assert.match(message, /\*\*Input\*\*: lm/);
    assert.match(message, /daily\.json, 38 bytes as sent:\n\n```json\n\{\n {2}"site": "oslo",\n {2}"runDate": "2026-01-01"\n\}\n```/);
    assert.match(message, /\*\*Metadata\*\*: `source` = `chat`/);
    assert.doesNotMatch(message, /Warning/);
    assert.equal(prepared.invocationMessage, `Starting daily@1 on ${h.connection}`);

    const missing = confirmationText(await prepare('cdfWorkflows_runWorkflow', { workflowExternalId: 'daily', version: '1', input: { site: 'oslo' } }));
    assert.match(missing.message, /\*\*Input\*\*: inline JSON, 15 bytes as sent:/);
    assert.match(missing.message, /\*\*Warning\*\*: the version reads input keys the input lacks: runDate \(task load\)\. Those tasks get no value and may fail\./);
    assert.deepEqual(writes(), [], 'preparing reads the version and sends nothing');
  });

  it('runs a version with a workspace file through invokeTool, after VS Code asks prepareInvocation, once', async () => {
    const h = harness();
    const input = { workflowExternalId: 'daily', version: '1', inputPath: 'lm/daily.json', metadata: { source: 'chat' } };
    const { result: text, inputs } = await spyOnPrepare('cdfWorkflows_runWorkflow', () => invoke('cdfWorkflows_runWorkflow', input));
    assert.deepEqual(inputs, [input], 'VS Code asked for the confirmation first');
    const id = /^Started execution (\S+) of daily version 1 on connection/.exec(text)?.[1];
    assert.ok(id, text);
    assert.match(text, /status RUNNING\.\ninput: lm[/\\]daily\.json, 38 bytes; metadata: source=chat\./);
    assert.match(text, new RegExp(`Its state: cdfWorkflows_getExecution \\{"executionId": "${id}"\\}`));
    assert.deepEqual(writes(), ['POST /sessions', 'POST /workflows/daily/versions/1/run']);
    const e = await retrieve(id);
    assert.deepEqual(e.input, { site: 'oslo', runDate: '2026-01-01' });
    assert.equal(e.metadata.source, 'chat');
    assert.ok(h.api.services.tracker.isFollowedByUser({ connection: h.connection, executionId: id }));
    await clock.advance(2000);
    await h.ui.waitForMessage(/^Run of daily@1 completed/);
  });

  it('runs with inline JSON and waits for the end when asked, reporting the outcome', async () => {
    const pending = invoke('cdfWorkflows_runWorkflow', { workflowExternalId: 'quality', version: '1', input: '{"day": "2026-05-01"}', waitSeconds: 60 });
    await until(() => writes().length === 2, 'the run to start');
    for (let i = 0; i < 10; i++) await clock.advance(1000);
    const text = await pending;
    assert.match(text, /^Started execution \S+ of quality version 1 .*\ninput: inline JSON, 20 bytes; metadata: none\.\nIt ended FAILED:\nExecution \S+: quality@1 FAILED/);
    assert.match(text, /tasks that failed \(1\):\n\* check \[function fn-check\] FAILED/);
    assert.ok(within(text), size(text));
  });

  it('refuses bad input with text the model can act on, sending nothing at all', async () => {
    const h = harness();
    const cases: [string, object, RegExp][] = [
      ['cdfWorkflows_runWorkflow', { connection: 'Nope', workflowExternalId: 'daily', version: '1' }, new RegExp(`There is no connection named "Nope"; the connections are: .*"${h.connection}" \\(project sandbox\\).*Pass one of these names as connection, or leave connection out to use the active one \\("${h.connection}"\\)`)],
      ['cdfWorkflows_listExecutions', { connection: 'Nope' }, /There is no connection named "Nope"; the connections are: /],
      ['cdfWorkflows_runWorkflow', { workflowExternalId: 'daily', version: '1', inputPath: 'lm/bad.json' }, /bad\.json: The run input is not valid JSON: strings must be in double quotes, not single quotes \(line 3, column 14\)\./],
      ['cdfWorkflows_runWorkflow', { workflowExternalId: 'daily', version: '1', input: '{"site": "oslo",}' }, /The run input is not valid JSON: a trailing comma before '\}' is not allowed in JSON; remove the comma \(line 1, column 17\)/],
      ['cdfWorkflows_runWorkflow', { workflowExternalId: 'daily', version: '1', input: [1, 2] }, /The input must be a JSON object such as \{"key": "value"\}, not a list/],
      ['cdfWorkflows_runWorkflow', { workflowExternalId: 'daily', version: '1', inputPath: 'lm/big.json' }, /big\.json: The run input is [\d,]+ bytes as sent \(compact JSON\); CDF accepts at most 102,400 bytes \(100 KB\)/],
      ['cdfWorkflows_runWorkflow', { workflowExternalId: 'daily', version: '1', input: { rows: 'x'.repeat(110_000) } }, /CDF accepts at most 102,400 bytes/],
      ['cdfWorkflows_runWorkflow', { workflowExternalId: 'daily', version: '1', metadata: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'v'])) }, /Run metadata has 10 entries; at most 9 are allowed: CDF allows 10 and the extension adds its run id \(cdf-workflows-run-id\)/],
      ['cdfWorkflows_runWorkflow', { workflowExternalId: 'daily', version: '1', metadata: { source: 42 } }, /Run metadata "source" is number; metadata values must be strings/],
      ['cdfWorkflows_runWorkflow', { workflowExternalId: 'daily', version: '1', metadata: { 'cdf-workflows-run-id': 'x' } }, /Run metadata key "cdf-workflows-run-id" is reserved/],
      ['cdfWorkflows_runWorkflow', { workflowExternalId: 'daily', version: '1', metadata: { ['k'.repeat(33)]: 'v' } }, /keys may have at most 32/],
      ['cdfWorkflows_runWorkflow', { workflowExternalId: 'daily', version: '1', inputPath: 'lm/daily.json', input: {} }, /Give the input once/],
      ['cdfWorkflows_runWorkflow', { workflowExternalId: 'daily', version: '1', inputPath: 'lm/none.json' }, /There is no file "lm\/none\.json" in the workspace \(folders: workspace\)/],
      ['cdfWorkflows_runWorkflow', { workflowExternalId: 'daily' }, /The input of cdfWorkflows_runWorkflow is not valid: version is missing \(expected string\)/],
      ['cdfWorkflows_completeAsyncTask', { executionId: 'x', taskExternalId: 'wait', status: 'DONE' }, /"DONE" cannot be set on a task; use COMPLETED, FAILED, FAILED_WITH_TERMINAL_ERROR/],
      ['cdfWorkflows_getExecution', { executionId: 'x', taskStatus: 'broken' }, /"BROKEN" is not a task status/],
      ['cdfWorkflows_listExecutions', { createdAfter: 'last night' }, /createdAfter "last night" is not a time/],
    ];
    for (const [name, input, expected] of cases) {
      reset();
      const text = await invoke(name, input);
      assert.match(text, new RegExp(`^${name} failed: `), text);
      assert.match(text, expected, `${name} ${JSON.stringify(input).slice(0, 120)}`);
      assert.deepEqual(h.sb.requests.list.map(r => `${r.method} ${r.path}`), [], `${name} sent something for ${JSON.stringify(input).slice(0, 120)}`);
    }
    // The file's mistake is also marked in the editor, as the run command does.
    const diagnostics = vscode.languages.getDiagnostics(vscode.Uri.file(lmFile('bad.json')));
    assert.match(diagnostics[0]?.message ?? '', /strings must be in double quotes/);
  });

  it('names the versions there are when a run names one that is not, sending no write', async () => {
    const text = await invoke('cdfWorkflows_runWorkflow', { workflowExternalId: 'daily', version: '7', input: {} });
    assert.match(text, /^cdfWorkflows_runWorkflow failed: Workflow "daily" has no version "7" on connection .*Its versions, newest first: 1\./);
    assert.deepEqual(writes(), []);
  });

  it('sends only what was confirmed: a call never prepared, or whose input file changed after the confirmation, is refused unsent', async () => {
    const tool = harness().api.lmTools['cdfWorkflows_runWorkflow' as never] as vscode.LanguageModelTool<unknown>;
    const token = new vscode.CancellationTokenSource().token;
    const input = { workflowExternalId: 'daily', version: '1', inputPath: 'lm/daily.json' };
    const text = (r: vscode.LanguageModelToolResult | null | undefined) => (r?.content ?? []).map(p => (p as { value?: string }).value ?? '').join('');

    const unprepared = text(await tool.invoke({ input, toolInvocationToken: undefined }, token));
    assert.match(unprepared, /^cdfWorkflows_runWorkflow failed: Nothing was sent: the user has not confirmed this call as it stands now .*Call cdfWorkflows_runWorkflow again so VS Code asks the user\./);
    assert.deepEqual(writes(), []);

    await tool.prepareInvocation!({ input }, token);
    fs.writeFileSync(lmFile('daily.json'), '{\n  "site": "bergen",\n  "runDate": "2026-01-01"\n}\n');
    try {
      const changed = text(await tool.invoke({ input, toolInvocationToken: undefined }, token));
      assert.match(changed, /Nothing was sent/);
      assert.deepEqual(writes(), []);
    } finally {
      fs.writeFileSync(lmFile('daily.json'), '{\n  "site": "oslo",\n  "runDate": "2026-01-01"\n}\n');
    }
    // Confirmed as it stands: sent once; the same confirmation does not cover a second call.
    await tool.prepareInvocation!({ input }, token);
    assert.match(text(await tool.invoke({ input, toolInvocationToken: undefined }, token)), /^Started execution/);
    assert.match(text(await tool.invoke({ input, toolInvocationToken: undefined }, token)), /Nothing was sent/);
    assert.equal(writes().filter(w => w.endsWith('/run')).length, 1);
  });

  it('cancels a running execution after a confirmation that names it, and refuses one that has ended', async () => {
    const h = harness();
    const e = await run('approval', '1');
    await clock.advance(2000);
    const { title, message } = confirmationText(await prepare('cdfWorkflows_cancelExecution', { executionId: e.id, reason: 'superseded' }));
    assert.equal(title, 'Cancel approval@1 in sandbox?');
    assert.match(message, new RegExp(`^Cancel the running execution \`${e.id}\`, created .*, started .* of \\*\\*approval\\*\\* version \\*\\*1\\*\\* on connection \\*\\*${h.connection}\\*\\* \\(CDF project \\*\\*sandbox\\*\\*`));
    assert.match(message, /running tasks \(wait\) are marked canceled\. Work they started elsewhere \(function calls, transformation jobs\) keeps running\./);
    assert.match(message, /\*\*Reason\*\*: superseded/);
    reset();
    const text = await invoke('cdfWorkflows_cancelExecution', { executionId: e.id, reason: 'superseded' });
    assert.match(text, new RegExp(`^Cancelled execution ${e.id} of approval@1 on connection "${h.connection}" \\(project sandbox\\); its status is now TERMINATED \\(reason: superseded\\)\\.`));
    assert.deepEqual(writes(), [`POST /workflows/executions/${e.id}/cancel`]);

    reset();
    const again = await invoke('cdfWorkflows_cancelExecution', { executionId: e.id });
    assert.match(again, new RegExp(`^cdfWorkflows_cancelExecution failed: Execution ${e.id} of approval@1 has already ended \\(TERMINATED\\); there is nothing to cancel\\.`));
    assert.deepEqual(writes(), []);
    const unknown = await invoke('cdfWorkflows_cancelExecution', { executionId: '00000000-0000-4000-8000-000000000000' });
    assert.match(unknown, /There is no execution "00000000-0000-4000-8000-000000000000" on connection .* Find execution ids with cdfWorkflows_listExecutions/);
    assert.deepEqual(writes(), []);
  });

  it('retries a failed execution after a confirmation listing what runs again, and reports the outcome it waited for', async () => {
    const h = harness();
    const e = await run('flaky', '1');
    await clock.advance(2000);
    assert.equal((await retrieve(e.id)).status, 'FAILED');
    const { title, message } = confirmationText(await prepare('cdfWorkflows_retryExecution', { executionId: e.id }));
    assert.equal(title, 'Retry flaky@1 in sandbox?');
    assert.match(message, /^Retry the failed execution `[^`]+`.* of \*\*flaky\*\* version \*\*1\*\* on connection/);
    assert.match(message, /CDF runs the failed, timed-out and canceled tasks again \(step \(FAILED\)\) and the tasks after them, with a new session/);
    assert.match(message, /\*\*It failed because\*\*: .*the source system was down/);
    reset();
    const pending = invoke('cdfWorkflows_retryExecution', { executionId: e.id, waitSeconds: 60 });
    await until(() => writes().length === 2, 'the retry to be sent');
    for (let i = 0; i < 5; i++) await clock.advance(1000);
    const text = await pending;
    assert.match(text, new RegExp(`^Retried execution ${e.id} of flaky@1 on connection "${h.connection}" \\(project sandbox\\); status RUNNING\\.\\nIt ended COMPLETED:`));
    assert.deepEqual(writes(), ['POST /sessions', `POST /workflows/executions/${e.id}/retry`]);
    reset();
    const done = await invoke('cdfWorkflows_retryExecution', { executionId: e.id });
    assert.match(done, /is COMPLETED; only a failed, timed-out or terminated execution can be retried\./);
    assert.deepEqual(writes(), []);
  });

  it('completes a waiting async task with an output after a confirmation, and refuses a task that is not waiting', async () => {
    const h = harness();
    const e = await run('approval', '1');
    await clock.advance(2000);
    const input = { executionId: e.id, taskExternalId: 'wait', status: 'completed', output: { approvedBy: 'ops' } };
    const { title, message } = confirmationText(await prepare('cdfWorkflows_completeAsyncTask', input));
    assert.equal(title, 'Set wait of approval@1 to COMPLETED in sandbox?');
    assert.match(message, new RegExp(`^Set task \\*\\*wait\\*\\* of the execution \`${e.id}\`.* of \\*\\*approval\\*\\* version \\*\\*1\\*\\* to \\*\\*COMPLETED\\*\\* on connection \\*\\*${h.connection}\\*\\*`));
    assert.match(message, /The task succeeds and the workflow continues/);
    assert.match(message, /\*\*Output\*\* merged into the task's output: 20 bytes\n\n```json\n\{\n {2}"approvedBy": "ops"\n\}\n```/);
    reset();
    const text = await invoke('cdfWorkflows_completeAsyncTask', input);
    assert.match(text, new RegExp(`^Set task wait of execution ${e.id} \\(approval@1\\) on connection "${h.connection}" to COMPLETED; the task is now COMPLETED and the execution RUNNING\\.`));
    assert.equal(writes().filter(w => /\/workflows\/tasks\/[^/]+\/update$/.test(w)).length, 1);
    const after = await retrieve(e.id);
    assert.deepEqual((after.executedTasks.find(t => t.externalId === 'wait')?.output as { approvedBy?: string }).approvedBy, 'ops');
    reset();
    const again = await invoke('cdfWorkflows_completeAsyncTask', input);
    assert.match(again, /Task "wait" is COMPLETED, not waiting for completion; there is nothing to complete\./);
    const wrong = await invoke('cdfWorkflows_completeAsyncTask', { ...input, taskExternalId: 'nope' });
    assert.match(wrong, /No task "nope" ran in execution .*No task of it waits for an async completion\./);
    assert.deepEqual(writes(), []);
  });

  it('never shows a secret or a token in any answer or confirmation', () => {
    const h = harness();
    assert.ok(answers.length > 30 && confirmations.length >= 5);
    for (const text of [...answers, ...confirmations]) {
      assert.ok(!text.includes(h.secret), 'the client secret is in an answer');
      assert.doesNotMatch(text, JWT, 'an access token is in an answer');
      assert.ok(!text.includes(h.sb.clientSecret));
    }
  });

  it('invoked every contributed tool through vscode.lm.invokeTool', () => {
    assert.deepEqual(TOOL_NAMES.filter(n => !invoked.has(n)), []);
  });
});
