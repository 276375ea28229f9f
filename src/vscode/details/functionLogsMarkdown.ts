// A function call's logs as Markdown: the call's status and a summary of its response on top, then the
// lines it printed.
import { type FunctionCall, type FunctionCallLogEntry } from '../../core/schemas/functions';
import { elapsed, formatDuration, formatTimestamp } from '../executions/format';
import { escapeMarkdown, fencedBlock, inlineCode, jsonBlock, tableCell } from './markdown';

export interface FunctionLogsContext {
  readonly connection: string;
  /** The function's external id when known (from the task's input). */
  readonly functionExternalId?: string;
  /** The task that made the call, e.g. "daily-report@1 › build-report". */
  readonly task?: string;
  readonly readAt: number;
}

export function functionLogsMarkdown(call: FunctionCall, logs: readonly FunctionCallLogEntry[], response: unknown, c: FunctionLogsContext): string {
  const out: string[] = [];
  const name = c.functionExternalId ?? `function ${call.functionId}`;
  out.push(`# Logs of call ${call.id} of ${escapeMarkdown(name)}: ${escapeMarkdown(call.status)}`);
  out.push(`*Read at ${formatTimestamp(c.readAt)}.${call.status === 'Running' ? ' The call is still running: show the logs again for newer lines.' : ''}*`);
  const took = elapsed(call.startTime, call.endTime, c.readAt);
  const rows: [string, string][] = [
    ['Status', escapeMarkdown(call.status)],
    ['Function', `${c.functionExternalId ? `${inlineCode(c.functionExternalId)} ` : ''}(id ${inlineCode(String(call.functionId))})`],
    ['Call id', inlineCode(String(call.id))],
    ['Task', c.task ? tableCell(c.task) : ''],
    ['Started', formatTimestamp(call.startTime)],
    ['Ended', call.endTime ? formatTimestamp(call.endTime) : ''],
    ['Duration', took !== undefined ? formatDuration(took) : ''],
    ['Schedule', call.scheduleId ? inlineCode(String(call.scheduleId)) : ''],
    ['Error', call.error?.message ? tableCell(call.error.message) : ''],
    ['Connection', tableCell(c.connection)],
  ];
  out.push(['| | |', '|---|---|', ...rows.filter(([, v]) => v !== '').map(([k, v]) => `| ${k} | ${v} |`)].join('\n'));
  if (call.error?.trace) out.push(`## Error trace\n\n${fencedBlock(call.error.trace)}`);
  if (response !== undefined) out.push(`## Response\n\n${jsonBlock(response, 4000)}`);
  out.push(`## Logs (${logs.length} ${logs.length === 1 ? 'line' : 'lines'})`);
  if (logs.length === 0) {
    out.push('*The call printed nothing.*');
  } else {
    const text = logs.map(l => `${l.timestamp ? `${formatTimestamp(l.timestamp)}  ` : ''}${l.message.replace(/\r?\n$/, '')}`).join('\n');
    out.push(fencedBlock(text, 'log'));
  }
  return `${out.join('\n\n')}\n`;
}
