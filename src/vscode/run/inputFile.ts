// The JSON file a run takes as its input: which file (command argument, active editor or a file
// dialog), its text (unsaved edits count) and the checks made before anything is sent. A problem the
// parser can place becomes a diagnostic in the "CDF Workflows" collection, cleared when the document
// changes or a later run of it passes the checks.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { InputError } from '../../core/errors';
import { parseRunInput, type RunInput } from '../../core/run';
import { DisposableBase } from '../lifecycle';
import { type UserInput } from '../ui';

export const DIAGNOSTIC_SOURCE = 'CDF Workflows';

const JSON_LANGUAGES = new Set(['json', 'jsonc']);

/** A run input that passed the checks, with the file it came from. */
export interface CheckedInput extends RunInput {
  readonly uri: vscode.Uri;
  /** The file name shown in messages and the log (workspace-relative when possible). */
  readonly name: string;
}

export function isJsonDocument(doc: vscode.TextDocument): boolean {
  return JSON_LANGUAGES.has(doc.languageId);
}

/** The active editor's document when it is JSON. */
export function activeJsonDocument(): vscode.TextDocument | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc && isJsonDocument(doc) ? doc : undefined;
}

/** Short name of an input file for prompts, messages and the log. */
export function displayName(uri: vscode.Uri): string {
  if (uri.scheme === 'untitled') return uri.path;
  return vscode.workspace.asRelativePath(uri, false);
}

/** Asks for a JSON file with the dialog (cancelling it cancels the command). */
export function chooseInputFile(ui: UserInput): Promise<vscode.Uri> {
  return ui.openFile({
    title: 'Choose the JSON file to run the workflow with',
    filters: { JSON: ['json'] },
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
}

export class RunInputChecker extends DisposableBase {
  readonly diagnostics = this.register(vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE));

  constructor() {
    super();
    this.register(
      vscode.workspace.onDidChangeTextDocument(e => {
        if (e.contentChanges.length > 0 && this.diagnostics.has(e.document.uri)) this.diagnostics.delete(e.document.uri);
      }),
    );
  }

  /**
   * Reads the file (the open document's text when there is one, with its unsaved edits) and checks it:
   * strict JSON, a top-level object, at most 100 KB as sent. Throws InputError naming the file, after
   * putting a diagnostic where the problem is.
   */
  async check(uri: vscode.Uri): Promise<CheckedInput> {
    const name = displayName(uri);
    const text = await readText(uri, name);
    let parsed: RunInput;
    try {
      parsed = parseRunInput(text);
    } catch (e) {
      if (e instanceof InputError && e.location) {
        this.diagnostics.set(uri, [diagnosticAt(text, e.location, e.message)]);
        throw new InputError(`${path.basename(uri.path)}: ${e.message}`, e.location);
      }
      throw e;
    }
    this.diagnostics.delete(uri);
    return { ...parsed, uri, name };
  }
}

async function readText(uri: vscode.Uri, name: string): Promise<string> {
  const open = vscode.workspace.textDocuments.find(d => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    // TextDecoder drops a leading byte-order mark, as the editor does.
    return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
  } catch (e) {
    const why = e instanceof vscode.FileSystemError ? e.code : e instanceof Error ? e.message : String(e);
    throw new InputError(`Cannot read the run input ${name} (${why}). Check that the file exists and can be read.`);
  }
}

/** A diagnostic on the character (or word, such as NaN) at a 1-based line and column. */
function diagnosticAt(text: string, at: { line: number; column: number }, message: string): vscode.Diagnostic {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = source.split(/\r\n|\r|\n/);
  const line = Math.min(Math.max(at.line - 1, 0), lines.length - 1);
  const lineText = lines[line] ?? '';
  const start = Math.min(Math.max(at.column - 1, 0), lineText.length);
  const word = /^[A-Za-z0-9_$+\-.]+/.exec(lineText.slice(start))?.[0];
  const end = Math.min(lineText.length, start + Math.max(1, word?.length ?? 1));
  const diagnostic = new vscode.Diagnostic(new vscode.Range(line, start, line, end), message, vscode.DiagnosticSeverity.Error);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  return diagnostic;
}
