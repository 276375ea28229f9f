// The input a schedule passes to every run: none, or a JSON file checked as a run's input is (strict JSON,
// a top-level object, at most 100 KB), plus the `${workflow.input.*}` references the version would miss.
import * as vscode from 'vscode';
import { InputError } from '../../core/errors';
import { missingInputReferences, type MissingInputReference, parseRunInput } from '../../core/run';
import { type WorkflowVersion } from '../../core/schemas/workflows';
import { type ScheduleInput } from './context';

export function isJsonDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'json' || doc.languageId === 'jsonc';
}

export function displayName(uri: vscode.Uri): string {
  return uri.scheme === 'untitled' ? uri.path : vscode.workspace.asRelativePath(uri, false);
}

/** Reads a JSON file (an open document's unsaved text counts) and checks it as a run input. */
export async function readScheduleInput(uri: vscode.Uri): Promise<Extract<ScheduleInput, { kind: 'file' }>> {
  const name = displayName(uri);
  let text: string;
  try {
    text = (await vscode.workspace.openTextDocument(uri)).getText();
  } catch (e) {
    throw new InputError(`Could not read ${name}: ${e instanceof Error ? e.message : String(e)}. Choose another file.`);
  }
  try {
    const parsed = parseRunInput(text);
    return { kind: 'file', name, value: parsed.input, bytes: parsed.bytes, uri };
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${name}: ${e.message}`, e.location);
    throw e;
  }
}

export function inputValue(input: ScheduleInput | undefined): Record<string, unknown> | undefined {
  if (!input || input.kind === 'none') return undefined;
  return input.value;
}

/** `${workflow.input.x}` references of the version the input leaves unanswered. */
export function missingOf(version: WorkflowVersion | undefined, input: ScheduleInput | undefined): MissingInputReference[] {
  if (!version) return [];
  return missingInputReferences(version.workflowDefinition, inputValue(input) ?? {});
}

/** The same, as the review page lists them: "reportDate (task build-report)". */
export function missingReferences(version: WorkflowVersion | undefined, input: ScheduleInput | undefined): string[] {
  return missingOf(version, input).map((m) => `${m.path} (task ${m.taskExternalId})`);
}
