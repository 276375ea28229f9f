// Files a tool call names (an input file, a definition file): only files inside the open workspace folders
// can be read, so a model cannot be talked into sending ~/.ssh or another project's secrets anywhere.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { InputError } from '../../core/errors';

/** Files larger than this are refused before reading (a run input may be 100 KB; a definition is smaller). */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

function inside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

async function exists(uri: vscode.Uri): Promise<vscode.FileStat | undefined> {
  try {
    return await vscode.workspace.fs.stat(uri);
  } catch {
    return undefined;
  }
}

/** On disk, a symbolic link must not lead out of the folder either. */
async function realInside(uri: vscode.Uri, folder: vscode.WorkspaceFolder): Promise<boolean> {
  if (uri.scheme !== 'file' || folder.uri.scheme !== 'file') return true;
  try {
    return inside(await fs.realpath(uri.fsPath), await fs.realpath(folder.uri.fsPath));
  } catch {
    return true; // not on disk (yet): the read below reports it
  }
}

/**
 * A workspace file by a path relative to a workspace folder (`inputs/run.json`, or `<folder name>/inputs/run.json`
 * with several folders) or absolute inside one. An open document counts even when unsaved.
 */
export async function resolveWorkspaceFile(p: string): Promise<vscode.Uri> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    throw new InputError(`No folder is open in VS Code, so "${p}" cannot be read. Pass the JSON inline instead.`);
  }
  const names = folders.map((f) => f.name).join(', ');
  const candidates: { uri: vscode.Uri; folder: vscode.WorkspaceFolder }[] = [];
  if (path.isAbsolute(p)) {
    const folder = folders.find((f) => inside(path.normalize(p), f.uri.fsPath));
    if (!folder) throw new InputError(`"${p}" is outside the workspace folders (${names}); tools read workspace files only. Pass a path inside the workspace, or the JSON inline.`);
    candidates.push({ uri: vscode.Uri.file(path.normalize(p)), folder });
  } else {
    const rel = path.normalize(p.replace(/\\/g, '/'));
    if (rel.startsWith('..')) throw new InputError(`"${p}" leads out of the workspace; tools read workspace files only.`);
    for (const folder of folders) {
      candidates.push({ uri: vscode.Uri.joinPath(folder.uri, rel), folder });
      const [first, ...rest] = rel.split(/[\\/]/);
      if (folders.length > 1 && first === folder.name && rest.length) candidates.push({ uri: vscode.Uri.joinPath(folder.uri, ...rest), folder });
    }
  }
  for (const c of candidates) {
    const open = vscode.workspace.textDocuments.some((d) => d.uri.toString() === c.uri.toString());
    const stat = open ? undefined : await exists(c.uri);
    if (!open && !(stat && stat.type & vscode.FileType.File)) continue;
    if (!(await realInside(c.uri, c.folder))) throw new InputError(`"${p}" is a link that leads out of the workspace; tools read workspace files only.`);
    if (stat && stat.size > MAX_FILE_BYTES) throw new InputError(`"${p}" is ${stat.size.toLocaleString('en-US')} bytes: too large for a workflow input or definition.`);
    return c.uri;
  }
  throw new InputError(`There is no file "${p}" in the workspace (folders: ${names}). Paths are relative to a workspace folder, e.g. inputs/run.json.`);
}

/** A file's text: the open document's (with unsaved edits) or what is on disk. */
export async function readText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
}

export function workspaceName(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}
