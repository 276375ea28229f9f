// The read-only documents' own URI scheme:
//   cdf-workflows:/<connection>/executions/<executionId>/<title>.md             an execution's details
//   cdf-workflows:/<connection>/functions/<functionId>/calls/<callId>/<title>.md  a function call's logs
// The last segment only names the editor tab ("daily-sync v2 · Nov 26, 6:48 PM.md", "extract logs ·
// daily-sync v2 · Nov 26, 6:48 PM.md"); the ids before it decide what the document shows.
import * as vscode from 'vscode';
import { type ExecutionRef } from '../executions/tracker';

export const DETAILS_SCHEME = 'cdf-workflows';

export type DetailsTarget =
  | { readonly kind: 'execution'; readonly ref: ExecutionRef }
  | { readonly kind: 'functionCall'; readonly connection: string; readonly functionId: number; readonly callId: number };

/** Connection names may hold '/' (and '%'); everything else stays readable in the tab's breadcrumbs. */
function encodeSegment(text: string): string {
  return text.replace(/%/g, '%25').replace(/\//g, '%2F');
}

function decodeSegment(text: string): string {
  return text.replace(/%2F/gi, '/').replace(/%25/g, '%');
}

/** A file name for the tab: what a path cannot hold ('/', '\\') or a tab would trip over becomes ' '. */
function tabName(text: string, fallback: string): string {
  return text.replace(/[\\/%*?"<>|]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 100) || fallback;
}

/** `title` names the execution for people: "daily-sync v2 · Nov 26, 6:48 PM". */
export function executionUri(ref: ExecutionRef, title: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DETAILS_SCHEME, path: `/${encodeSegment(ref.connection)}/executions/${encodeSegment(ref.executionId)}/${tabName(title, 'execution')}.md` });
}

/** `title` names the task and execution when known: "extract logs · daily-sync v2 · Nov 26, 6:48 PM". */
export function functionCallUri(connection: string, functionId: number, callId: number, title = `call ${callId} logs`): vscode.Uri {
  return vscode.Uri.from({ scheme: DETAILS_SCHEME, path: `/${encodeSegment(connection)}/functions/${functionId}/calls/${callId}/${tabName(title, 'logs')}.md` });
}

export function parseDetailsUri(uri: vscode.Uri): DetailsTarget | undefined {
  if (uri.scheme !== DETAILS_SCHEME) return undefined;
  const parts = uri.path.split('/').slice(1);
  if (parts.length === 4 && parts[1] === 'executions') {
    return { kind: 'execution', ref: { connection: decodeSegment(parts[0]), executionId: decodeSegment(parts[2]) } };
  }
  if (parts.length === 6 && parts[1] === 'functions' && parts[3] === 'calls' && /^\d+$/.test(parts[2]) && /^\d+$/.test(parts[4])) {
    return { kind: 'functionCall', connection: decodeSegment(parts[0]), functionId: Number(parts[2]), callId: Number(parts[4]) };
  }
  return undefined;
}

/** Documents are keyed by what they show, whatever their tab name. */
export function targetKey(target: DetailsTarget): string {
  return target.kind === 'execution'
    ? `execution\u0000${target.ref.connection}\u0000${target.ref.executionId}`
    : `call\u0000${target.connection}\u0000${target.functionId}\u0000${target.callId}`;
}
