// An execution's details as readable Markdown: summary, input, metadata, then every task (children of
// dynamic and subworkflow tasks under their parent) with times, retries, resolved input, output, reason.
import { describeOrigin, executionOrigin } from '../../core/run/origin';
import { type ExecutionDetailed, isRunningExecutionStatus } from '../../core/schemas/executions';
import { type TaskExecution } from '../../core/schemas/tasks';
import { elapsed, formatDuration, formatTimestamp, statusLabel } from '../executions/format';
import { childTasks, functionCallOf, isAsyncWaiting, retriesOf, taskDefinitionOf, topLevelTasks } from '../executions/taskTree';
import { escapeMarkdown, inlineCode, jsonBlock, tableCell } from './markdown';

// Text symbols (not emoji): they render in every editor font, also where no emoji font is installed.
const STATUS_MARKS: Record<string, string> = {
  RUNNING: '⟳',
  IN_PROGRESS: '⟳',
  SCHEDULED: '○',
  COMPLETED: '✔',
  COMPLETED_WITH_ERRORS: '⚠',
  FAILED: '✘',
  FAILED_WITH_TERMINAL_ERROR: '✘',
  TIMED_OUT: '✘',
  TERMINATED: '⊘',
  CANCELED: '⊘',
  SKIPPED: '↷',
};

function mark(status: string): string {
  return STATUS_MARKS[status] ?? '•';
}

export interface ExecutionMarkdownOptions {
  readonly connection: string;
  readonly project?: string;
  /** When this state was read (shown so a reader knows how fresh it is). */
  readonly readAt: number;
  /** True while the document follows the execution. */
  readonly live: boolean;
}

export function executionMarkdown(e: ExecutionDetailed, o: ExecutionMarkdownOptions): string {
  const out: string[] = [];
  const took = elapsed(e.startTime, e.endTime, o.readAt);
  out.push(`# ${mark(e.status)} ${escapeMarkdown(e.workflowExternalId)} version ${escapeMarkdown(e.version ?? '?')}: ${statusLabel(e.status)}`);
  out.push(
    isRunningExecutionStatus(e.status)
      ? `*Read at ${formatTimestamp(o.readAt)}${o.live ? '; this document refreshes while the execution runs.*' : '.*'}`
      : `*Read at ${formatTimestamp(o.readAt)}.*`,
  );
  const rows: [string, string][] = [
    ['Workflow', inlineCode(e.workflowExternalId)],
    ['Version', inlineCode(e.version ?? '?')],
    ['Status', `${mark(e.status)} ${statusLabel(e.status)}`],
    ['Created', formatTimestamp(e.createdTime)],
    ['Started', e.startTime ? formatTimestamp(e.startTime) : isRunningExecutionStatus(e.status) ? 'waiting to start' : ''],
    ['Ended', e.endTime ? formatTimestamp(e.endTime) : ''],
    ['Duration', took !== undefined ? `${formatDuration(took)}${e.endTime ? '' : ' so far'}` : ''],
    ['Reason', e.reasonForIncompletion ? tableCell(e.reasonForIncompletion) : ''],
    ['Started by', ((origin) => (origin ? tableCell(describeOrigin(origin)) : ''))(executionOrigin(e.metadata))],
    ['Execution id', inlineCode(e.id)],
    ['Engine execution id', inlineCode(e.engineExecutionId)],
    ['Definition hash', inlineCode(e.workflowDefinition.hash)],
    ['Connection', `${tableCell(o.connection)}${o.project ? ` (project ${inlineCode(o.project)})` : ''}`],
  ];
  out.push(['| | |', '|---|---|', ...rows.filter(([, v]) => v !== '').map(([k, v]) => `| ${k} | ${v} |`)].join('\n'));

  out.push('## Input');
  out.push(e.input === undefined || e.input === null ? '*No input.*' : jsonBlock(e.input));

  out.push('## Metadata');
  const metadata = Object.entries(e.metadata ?? {});
  out.push(metadata.length ? ['| Key | Value |', '|---|---|', ...metadata.map(([k, v]) => `| ${inlineCode(k)} | ${tableCell(v)} |`)].join('\n') : '*No metadata.*');

  const tasks = e.executedTasks;
  out.push(`## Tasks (${tasks.length} of ${e.workflowDefinition.tasks.length} defined${tasks.length > e.workflowDefinition.tasks.length ? ', with dynamic and subworkflow children' : ''})`);
  if (tasks.length === 0) out.push(isRunningExecutionStatus(e.status) ? '*No task has started yet.*' : '*No tasks ran.*');
  const seen = new Set<TaskExecution>();
  const visit = (t: TaskExecution, path: string[]) => {
    if (seen.has(t)) return;
    seen.add(t);
    out.push(taskMarkdown(e, t, path, o.readAt));
    for (const child of childTasks(e, t)) visit(child, [...path, t.externalId]);
  };
  for (const t of topLevelTasks(e)) visit(t, []);
  return `${out.join('\n\n')}\n`;
}

function taskMarkdown(e: ExecutionDetailed, t: TaskExecution, path: string[], now: number): string {
  const lines: string[] = [];
  const title = [...path, t.externalId].map(escapeMarkdown).join(' › ');
  lines.push(`### ${mark(t.status)} ${title}: ${statusLabel(t.status)}`);
  const definition = taskDefinitionOf(e, t) as { name?: unknown; timeout?: unknown; onFailure?: unknown } | undefined;
  const took = elapsed(t.startTime, t.endTime, now);
  const retries = retriesOf(taskDefinitionOf(e, t));
  const call = functionCallOf(t);
  const facts = [
    `- Type: ${inlineCode(t.taskType)}`,
    typeof definition?.name === 'string' && definition.name ? `- Name: ${escapeMarkdown(definition.name)}` : undefined,
    t.startTime ? `- Started: ${formatTimestamp(t.startTime)}` : undefined,
    t.endTime ? `- Ended: ${formatTimestamp(t.endTime)}` : undefined,
    took !== undefined ? `- Duration: ${formatDuration(took)}${t.endTime ? '' : ' so far'}` : undefined,
    retries !== undefined ? `- Retries allowed: ${retries} (CDF does not report the attempts made)` : undefined,
    typeof definition?.timeout === 'number' ? `- Timeout: ${definition.timeout} s` : undefined,
    typeof definition?.onFailure === 'string' ? `- On failure: ${inlineCode(definition.onFailure)}` : undefined,
    call ? `- Function call: ${inlineCode(String(call.callId))} of function ${inlineCode(String(call.functionId))}` : undefined,
    isAsyncWaiting(e, t) ? '- Waiting for an asynchronous completion (Complete Async Task... in the tree)' : undefined,
    t.reasonForIncompletion ? `- Reason: ${escapeMarkdown(t.reasonForIncompletion)}` : undefined,
    `- Task execution id: ${inlineCode(t.id)}`,
  ];
  lines.push(facts.filter(Boolean).join('\n'));
  const input = t.input as Record<string, unknown> | undefined;
  if (input && Object.keys(input).length) lines.push(`Input (resolved):\n\n${jsonBlock(input)}`);
  const output = t.output as Record<string, unknown> | undefined;
  if (output && Object.keys(output).length) lines.push(`Output:\n\n${jsonBlock(output)}`);
  return lines.join('\n\n');
}
