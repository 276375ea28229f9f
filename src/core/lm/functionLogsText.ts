// A function call's logs for a language model: the call's status, error and response on top, then the end
// of the logs (where failures are), as many lines as the budget holds, with a note on what was cut.
import { elapsed, formatDuration, formatTimestamp } from '../executions/format';
import { type FunctionCall, type FunctionCallLogEntry } from '../schemas/functions';
import { BoundedText, clip, compactJson, oneLine, plural } from './budget';
import { NOTE_RESERVE } from './executionText';
import { TOOL } from './inputs';

export interface FunctionLogsView {
  /** Only lines containing this text (case-insensitive). */
  readonly contains?: string;
  /** At most this many lines, from the end. */
  readonly tailLines?: number;
}

export interface FunctionCallContext {
  /** `for task quality-check of execution <id> (daily@2)` and the like. */
  readonly about?: string;
  readonly functionExternalId?: string;
  readonly where: string;
  readonly now: number;
}

/** A log line as shown: the time of day (the date is in the header) and the message on one line. */
export function logLine(entry: FunctionCallLogEntry, maxChars: number): string {
  const time = entry.timestamp ? `${formatTimestamp(entry.timestamp).slice(11, 19)} ` : '';
  return `${time}${clip(entry.message.replace(/\r?\n$/, '').replace(/\r?\n/g, ' ⏎ '), maxChars)}`;
}

/** The header lines of a call: status, times, error (with the end of its trace) and response. */
export function functionCallLines(call: FunctionCall, response: unknown, c: FunctionCallContext, chars = { trace: 1500, response: 600 }): string[] {
  const name = c.functionExternalId ? `function ${call.functionId} (${c.functionExternalId})` : `function ${call.functionId}`;
  const lines = [`Function call ${call.id} of ${name}${c.about ? ` ${c.about}` : ''} on ${c.where}: ${call.status}.`];
  const times = [`started ${formatTimestamp(call.startTime)}`];
  if (call.endTime) times.push(`ended ${formatTimestamp(call.endTime)}`);
  const took = elapsed(call.startTime, call.endTime, c.now);
  if (took !== undefined) times.push(`${call.endTime ? 'took' : 'running for'} ${formatDuration(took)}`);
  if (call.scheduleId) times.push(`schedule ${call.scheduleId}`);
  lines.push(`${times.join(', ')}.`);
  if (call.error?.message) lines.push(`error: ${oneLine(call.error.message, 1000)}`);
  if (call.error?.trace) lines.push(`error trace (end): ${clip(call.error.trace.trim(), chars.trace, 'tail')}`);
  if (response !== undefined) lines.push(`response: ${compactJson(response, chars.response)}`);
  return lines;
}

/** The last lines of a log that fit in `maxChars` (each with `indent` before it and a line break), oldest first. */
export function logTail(logs: readonly FunctionCallLogEntry[], maxChars: number, lineChars = 1000, indent = ''): string[] {
  // The end of the logs is where a failure shows: fill the room from the last line backwards.
  const picked: string[] = [];
  let room = maxChars;
  for (let i = logs.length - 1; i >= 0; i--) {
    // The last line shows even when long: cut to the room there is.
    const line = `${indent}${logLine(logs[i], picked.length === 0 ? Math.min(lineChars, room - indent.length - 20) : lineChars)}`;
    if (line.length + 1 > room) break;
    picked.push(line);
    room -= line.length + 1;
  }
  return picked.reverse();
}

export function formatFunctionLogs(
  call: FunctionCall,
  logs: readonly FunctionCallLogEntry[],
  response: unknown,
  c: FunctionCallContext,
  view: FunctionLogsView,
  maxChars: number,
): string {
  const out = new BoundedText(maxChars);
  for (const line of functionCallLines(call, response, c)) out.addClipped(line, NOTE_RESERVE);
  const totalChars = logs.reduce((n, l) => n + l.message.length, 0);
  const needle = view.contains?.toLowerCase();
  const selected = needle ? logs.filter((l) => l.message.toLowerCase().includes(needle)) : logs;
  const limit = Math.min(selected.length, view.tailLines ?? selected.length);
  out.addClipped(
    `logs: ${plural(logs.length, 'line')}, ${plural(totalChars, 'character')}` +
      `${needle ? `; ${plural(selected.length, 'line')} contain "${view.contains}"` : ''}${call.status === 'Running' ? '; the call is still running, later lines may follow' : ''}.`,
    NOTE_RESERVE,
  );
  if (logs.length === 0) {
    out.note('The call printed nothing.');
    return out.toString();
  }
  const picked = logTail(selected.slice(selected.length - limit), out.remaining(NOTE_RESERVE) - 40);
  const left = selected.length - picked.length;
  if (picked.length) out.add(left > 0 ? `the last ${plural(picked.length, 'line')}:` : 'all lines:', NOTE_RESERVE);
  for (const line of picked) out.add(line, NOTE_RESERVE);
  if (left > 0) {
    const cutChars = selected.slice(0, left).reduce((n, l) => n + l.message.length, 0);
    out.note(
      `[truncated: the first ${plural(left, 'line')} (${plural(cutChars, 'character')}) ${needle ? 'that match ' : ''}are not shown. ` +
        `Search all lines with contains (e.g. {"contains": "Traceback"}) or read fewer with tailLines; call ${TOOL.getFunctionLogs} again.]`,
    );
  }
  return out.toString();
}
