// The "Schedules" and "Triggers" groups under a workflow: what starts it on a clock. Both load only when
// expanded. Triggers are the workflow's native triggers; schedules are function schedules whose data
// names this workflow (the trigger function the schedule wizard deploys reads workflowExternalId and
// version from it). The schedule and trigger actions (src/vscode/schedule/actions.ts) act on these nodes.
import * as vscode from 'vscode';
import { describeCron, nextFireTimes } from '../../../core/schedule/cron';
import { type FunctionSchedule } from '../../../core/schemas/functionSchedules';
import { type FunctionCall } from '../../../core/schemas/functions';
import { isTriggerRuleOfType, type Trigger, type TriggerRun } from '../../../core/schemas/triggers';
import { inlineCode, jsonBlock } from '../../details/markdown';
import { formatFireTime, formatTimestamp, statusIcon, versionLabel } from '../../executions/format';
import { type TreeContext } from '../context';
import { escapeMarkdown, LoadingNode, MessageNode, TreeNode } from '../node';
import { type WorkflowNode } from './workflowNode';

/** How many input_data reads run at once when a Schedules group loads. */
const INPUT_DATA_CONCURRENCY = 4;

function cronText(cron: string): string | undefined {
  try {
    return describeCron(cron);
  } catch {
    return undefined;
  }
}

function hasInput(input: unknown): boolean {
  return input !== undefined && input !== null && !(typeof input === 'object' && Object.keys(input).length === 0);
}

export class TriggersGroupNode extends LoadingNode {
  constructor(override readonly parent: WorkflowNode) {
    super(parent, parent.ctx.changes);
  }

  get id(): string {
    return `${this.parent.id}/~triggers`;
  }

  get ctx(): TreeContext {
    return this.parent.ctx;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Triggers', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('zap');
    item.tooltip = new vscode.MarkdownString(`Native workflow triggers that start **${escapeMarkdown(this.parent.workflow.externalId)}**: schedules (cron), data modeling and record stream triggers.`);
    item.contextValue = 'triggers refreshable';
    return item;
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    const { client } = await this.ctx.services.connections.client(this.parent.connection);
    const triggers: Trigger[] = [];
    for await (const t of client.triggers.iterate({ limit: 1000 })) if (t.workflowExternalId === this.parent.workflow.externalId) triggers.push(t);
    triggers.sort((a, b) => a.externalId.localeCompare(b.externalId));
    if (triggers.length === 0) return [new MessageNode(this, 'empty', 'No triggers for this workflow')];
    return triggers.map(t => new TriggerNode(this, t));
  }
}

export class TriggerNode extends LoadingNode {
  constructor(override readonly parent: TriggersGroupNode, readonly trigger: Trigger) {
    super(parent, parent.ctx.changes);
  }

  get id(): string {
    return `${this.parent.id}/${this.trigger.externalId}`;
  }

  get connection(): string {
    return this.parent.parent.connection;
  }

  getTreeItem(): vscode.TreeItem {
    const t = this.trigger;
    const rule = t.triggerRule;
    const item = new vscode.TreeItem(t.externalId, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const state = t.isPaused ? 'paused' : 'active';
    const what = isTriggerRuleOfType(rule, 'schedule') ? `${rule.cronExpression} ${rule.timezone ?? 'UTC'}` : rule.triggerType;
    item.description = [what, versionLabel(t.workflowVersion), state].join(' · ');
    item.iconPath = new vscode.ThemeIcon(t.isPaused ? 'debug-pause' : isTriggerRuleOfType(rule, 'schedule') ? 'calendar' : 'zap');
    const lines = [
      `**${escapeMarkdown(t.externalId)}** (${t.isPaused ? 'paused' : 'active'})`,
      `Starts ${inlineCode(t.workflowExternalId)} version ${inlineCode(t.workflowVersion)}`,
    ];
    if (isTriggerRuleOfType(rule, 'schedule')) {
      const said = cronText(rule.cronExpression);
      lines.push(`Schedule: ${inlineCode(rule.cronExpression)} in ${escapeMarkdown(rule.timezone ?? 'UTC')}${said ? ` (${escapeMarkdown(said)})` : ''}`);
      if (!t.isPaused) lines.push(nextRunsMarkdown(rule.cronExpression, rule.timezone ?? 'UTC'));
    } else if (isTriggerRuleOfType(rule, 'dataModeling') || isTriggerRuleOfType(rule, 'recordStream')) {
      lines.push(`${escapeMarkdown(rule.triggerType)} trigger: batches of ${rule.batchSize}, at most ${rule.batchTimeout} s apart`);
    } else {
      lines.push(`${escapeMarkdown(rule.triggerType)} trigger`);
    }
    if (hasInput(t.input)) lines.push(`Input:\n\n${jsonBlock(t.input, 2000)}`);
    const metadata = Object.entries(t.metadata ?? {});
    if (metadata.length) lines.push(`Metadata: ${metadata.map(([k, v]) => `${inlineCode(k)}=${inlineCode(v)}`).join(', ')}`);
    lines.push(`Created ${escapeMarkdown(formatTimestamp(t.createdTime))}  \nLast updated ${escapeMarkdown(formatTimestamp(t.lastUpdatedTime))}`);
    item.tooltip = new vscode.MarkdownString(lines.join('\n\n'));
    // Run Now and Edit only for schedule triggers (the wizard edits those); Delete, Pause/Resume for all.
    const actions = [...(isTriggerRuleOfType(rule, 'schedule') ? ['runnableSchedule', 'editableSchedule'] : []), 'deletableSchedule', t.isPaused ? 'resumable' : 'pausable'];
    item.contextValue = ['trigger', isTriggerRuleOfType(rule, 'schedule') ? 'scheduleTrigger' : '', t.isPaused ? 'paused' : 'active', ...actions].filter(Boolean).join(' ');
    return item;
  }

  /** The next run, then the last runs from the trigger's history (newest first). */
  protected async loadChildren(): Promise<TreeNode[]> {
    const t = this.trigger;
    const rule = t.triggerRule;
    const nodes: TreeNode[] = [];
    if (isTriggerRuleOfType(rule, 'schedule')) nodes.push(nextRunNode(this, rule.cronExpression, rule.timezone ?? 'UTC', t.isPaused === true));
    const { client } = await this.parent.ctx.services.connections.client(this.connection);
    const history = await client.triggers.history(t.externalId, { limit: LAST_RUNS });
    nodes.push(...history.items.map(run => new ScheduleRunNode(this, { kind: 'trigger', run, connection: this.connection })));
    if (history.items.length === 0) nodes.push(new MessageNode(this, 'no-runs', 'No runs yet'));
    return nodes;
  }
}

export class SchedulesGroupNode extends LoadingNode {
  constructor(override readonly parent: WorkflowNode) {
    super(parent, parent.ctx.changes);
  }

  get id(): string {
    return `${this.parent.id}/~schedules`;
  }

  get ctx(): TreeContext {
    return this.parent.ctx;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Schedules', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('calendar');
    item.tooltip = new vscode.MarkdownString(
      `Function schedules that start **${escapeMarkdown(this.parent.workflow.externalId)}**: their data names the workflow, and the function they call runs it.`,
    );
    item.contextValue = 'schedules refreshable';
    return item;
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    const connection = this.parent.connection;
    const { client } = await this.ctx.services.connections.client(connection);
    const schedules = await client.functionSchedules.list({ limit: 1000 });
    const cache = this.ctx.scheduleData;
    const missing = schedules.filter(s => !cache.has(connection, s.id));
    // Each schedule's data is one request; they cannot change, so each is read once per session.
    for (let i = 0; i < missing.length; i += INPUT_DATA_CONCURRENCY) {
      const batch = missing.slice(i, i + INPUT_DATA_CONCURRENCY);
      const data = await Promise.all(batch.map(s => client.functionSchedules.inputData(s.id)));
      batch.forEach((s, j) => cache.set(connection, s.id, data[j]));
    }
    const mine = schedules
      .map(s => ({ schedule: s, data: cache.get(connection, s.id) }))
      .filter(s => s.data?.['workflowExternalId'] === this.parent.workflow.externalId)
      .sort((a, b) => a.schedule.name.localeCompare(b.schedule.name));
    if (mine.length === 0) return [new MessageNode(this, 'empty', 'No schedules for this workflow')];
    return mine.map(s => new ScheduleNode(this, s.schedule, s.data ?? {}));
  }
}

export class ScheduleNode extends LoadingNode {
  constructor(
    override readonly parent: SchedulesGroupNode,
    readonly schedule: FunctionSchedule,
    /** The schedule's input data: workflowExternalId, version, input. */
    readonly data: Record<string, unknown>,
  ) {
    super(parent, parent.ctx.changes);
  }

  get id(): string {
    return `${this.parent.id}/${this.schedule.id}`;
  }

  get connection(): string {
    return this.parent.parent.connection;
  }

  /** The version the schedule runs. */
  get version(): string | undefined {
    const v = this.data['version'];
    return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  }

  getTreeItem(): vscode.TreeItem {
    const s = this.schedule;
    const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const when = s.when ?? cronText(s.cronExpression);
    item.description = [s.cronExpression, this.version ? versionLabel(this.version) : undefined, when].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon('clock');
    const lines = [
      `**${escapeMarkdown(s.name)}**`,
      s.description ? escapeMarkdown(s.description) : undefined,
      `Schedule: ${inlineCode(s.cronExpression)} (UTC)${when ? `: ${escapeMarkdown(when)}` : ''}`,
      nextRunsMarkdown(s.cronExpression, 'UTC'),
      `Runs ${inlineCode(String(this.data['workflowExternalId']))}${this.version ? ` version ${inlineCode(this.version)}` : ''}`,
      `Calls function ${inlineCode(s.functionExternalId ?? String(s.functionId ?? '?'))}`,
      hasInput(this.data['input']) ? `Input:\n\n${jsonBlock(this.data['input'], 2000)}` : undefined,
      `Created ${escapeMarkdown(formatTimestamp(s.createdTime))}`,
      `Schedule id ${inlineCode(String(s.id))}`,
    ];
    item.tooltip = new vscode.MarkdownString(lines.filter(Boolean).join('\n\n'));
    // package.json's menus match these tokens.
    item.contextValue = 'schedule functionSchedule runnableSchedule editableSchedule deletableSchedule';
    return item;
  }

  /** The next run, then the last calls this schedule made (the trigger function's calls with its schedule id). */
  protected async loadChildren(): Promise<TreeNode[]> {
    const s = this.schedule;
    const nodes: TreeNode[] = [nextRunNode(this, s.cronExpression, 'UTC', false)];
    const calls: FunctionCall[] = [];
    if (typeof s.functionId === 'number') {
      const { client } = await this.parent.ctx.services.connections.client(this.connection);
      // One trigger function serves every schedule: read a few pages of its calls, keep this schedule's.
      let scanned = 0;
      for await (const call of client.functions.iterateCalls(s.functionId, { limit: 100 })) {
        if (call.scheduleId === s.id) calls.push(call);
        if (calls.length >= LAST_RUNS || ++scanned >= CALL_SCAN_LIMIT) break;
      }
    }
    calls.sort((a, b) => (b.scheduledTime ?? b.startTime) - (a.scheduledTime ?? a.startTime));
    nodes.push(...calls.slice(0, LAST_RUNS).map(call => new ScheduleRunNode(this, { kind: 'call', call, connection: this.connection })));
    if (calls.length === 0) nodes.push(new MessageNode(this, 'no-runs', 'No runs yet'));
    return nodes;
  }
}

/** How many last runs a schedule or trigger shows, and how many calls are scanned to find them. */
const LAST_RUNS = 5;
const CALL_SCAN_LIMIT = 300;

function nextRunsMarkdown(cron: string, timezone: string): string {
  try {
    const next = nextFireTimes(cron, { timezone, count: 3 });
    return `Next runs:\n\n${next.map(n => `- ${escapeMarkdown(formatFireTime(n, timezone))}`).join('\n')}`;
  } catch {
    return '';
  }
}

/** The next run in the cron's zone with UTC and local time beside it (each once). */
function nextRunNode(parent: TreeNode, cron: string, timezone: string, paused: boolean): TreeNode {
  if (paused) return new MessageNode(parent, 'next', 'Paused: no next run', 'debug-pause');
  try {
    const [next] = nextFireTimes(cron, { timezone, count: 1 });
    return new MessageNode(parent, 'next', `Next run ${formatFireTime(next, timezone)}`, 'calendar');
  } catch {
    return new MessageNode(parent, 'next', 'No next run: the cron expression is not standard 5-field cron', 'warning');
  }
}

type Run = { kind: 'call'; call: FunctionCall; connection: string } | { kind: 'trigger'; run: TriggerRun; connection: string };

const CALL_STATUS: Record<string, string> = { Running: 'RUNNING', Completed: 'COMPLETED', Failed: 'FAILED', Timeout: 'TIMED_OUT' };

/** One run of a schedule (a function call) or of a trigger (a history entry, which names its execution). */
export class ScheduleRunNode extends TreeNode {
  constructor(
    parent: TreeNode,
    readonly run: Run,
  ) {
    super(parent);
  }

  get id(): string {
    return `${this.parent?.id ?? ''}/${this.run.kind === 'call' ? `call-${this.run.call.id}` : `fire-${this.run.run.fireTime}`}`;
  }

  getTreeItem(): vscode.TreeItem {
    const r = this.run;
    if (r.kind === 'call') {
      const c = r.call;
      const item = new vscode.TreeItem(formatTimestamp(c.scheduledTime ?? c.startTime), vscode.TreeItemCollapsibleState.None);
      item.id = this.id;
      item.description = `${c.status}${c.error?.message ? `: ${c.error.message}` : ''}`;
      item.iconPath = statusIcon(CALL_STATUS[c.status] ?? c.status);
      item.tooltip = new vscode.MarkdownString(
        `Call ${inlineCode(String(c.id))} of function ${inlineCode(String(c.functionId))}: **${escapeMarkdown(c.status)}**` +
          `${c.error?.message ? `\n\n${escapeMarkdown(c.error.message)}` : ''}\n\nStarted ${escapeMarkdown(formatTimestamp(c.startTime))}`,
      );
      item.contextValue = 'scheduleRun';
      return item;
    }
    const h = r.run;
    const item = new vscode.TreeItem(formatTimestamp(h.fireTime), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = h.status === 'success' ? `started ${h.workflowExecutionId ?? 'an execution'}` : `failed${h.reasonForFailure ? `: ${h.reasonForFailure}` : ''}`;
    item.iconPath = statusIcon(h.status === 'success' ? 'COMPLETED' : 'FAILED');
    item.tooltip = new vscode.MarkdownString(
      `Fired ${escapeMarkdown(formatTimestamp(h.fireTime))}: **${escapeMarkdown(h.status)}**, version ${inlineCode(h.workflowVersion)}` +
        `${h.workflowExecutionId ? `\n\nExecution ${inlineCode(h.workflowExecutionId)}` : ''}${h.reasonForFailure ? `\n\n${escapeMarkdown(h.reasonForFailure)}` : ''}`,
    );
    if (h.workflowExecutionId) {
      item.command = { command: 'cdfWorkflows.showExecutionDetails', title: 'Show Execution Details', arguments: [{ connection: r.connection, executionId: h.workflowExecutionId }] };
    }
    item.contextValue = 'scheduleRun';
    return item;
  }
}
