// "Add Missing Keys": puts the `${workflow.input.<key>}` keys a version reads into the input file with
// the value null, selects the first one and leaves the file for the user to fill (nothing is saved or run).
import * as vscode from 'vscode';
import { addMissingKeys, type AddedKeys, type MissingInputReference } from '../../core/run';

export const ADD_MISSING_KEYS = 'Add Missing Keys';

/** Edits the open (or opened) document in one undoable step and shows it with the first new value selected. */
export async function insertMissingKeys(uri: vscode.Uri, missing: readonly MissingInputReference[]): Promise<AddedKeys> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const editorOptions = vscode.window.visibleTextEditors.find(e => e.document === doc)?.options;
  const result = addMissingKeys(doc.getText(), missing, {
    eol: doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n',
    tabSize: typeof editorOptions?.tabSize === 'number' ? editorOptions.tabSize : 2,
    insertSpaces: typeof editorOptions?.insertSpaces === 'boolean' ? editorOptions.insertSpaces : true,
  });
  if (result.added.length > 0) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), result.text);
    await vscode.workspace.applyEdit(edit);
  }
  const selection = result.first ? new vscode.Range(doc.positionAt(result.first.offset), doc.positionAt(result.first.offset + result.first.length)) : undefined;
  await vscode.window.showTextDocument(doc, { preview: false, ...(selection ? { selection } : {}) });
  return result;
}

/** What the notification after the edit says. */
export function describeAddedKeys(result: AddedKeys, file: string): string {
  const added = result.added.length ? `Added ${result.added.join(', ')} to ${file} with the value null: fill ${result.added.length === 1 ? 'it' : 'them'} in` : `Nothing was added to ${file}`;
  const skipped = result.skipped.length ? ` (${result.skipped.join(', ')} must be added by hand: ${result.skipped.length === 1 ? 'its' : 'their'} path goes through a list or a value)` : '';
  return `${added}${skipped}.`;
}
