// Which version a ship command works on: a CodeLens passes the file and the resource's place in it, the
// editor title and palette use the active editor (the version under the cursor when a file holds several),
// the explorer passes a file. The version must parse and have its templates resolved before anything is sent.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type DefinitionResource, resourceIdentity } from '../../core/definition/document';
import { InputError } from '../../core/errors';
import { type Services } from '../services';
import { type ParsedDefinition } from './documents';

export interface VersionTarget {
  readonly uri: vscode.Uri;
  readonly parsed: ParsedDefinition;
  readonly resource: DefinitionResource;
  readonly workflowExternalId: string;
  readonly version: string;
  /** `wf@2`. */
  readonly label: string;
  /** The file as shown in messages (workspace-relative). */
  readonly fileName: string;
}

/** Where a resource sits in its file, as a CodeLens passes it: its path joined, e.g. `` or `items/0`. */
export function resourceKey(resource: DefinitionResource): string {
  return resource.path.join('/');
}

export function displayName(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? vscode.workspace.asRelativePath(uri, false) : path.posix.basename(uri.path);
}

/** The version a command is about; asks when a file holds several and none is under the cursor. */
export async function resolveVersionTarget(services: Services, fileArg?: unknown, keyArg?: unknown): Promise<VersionTarget> {
  const editor = vscode.window.activeTextEditor;
  const uri = fileArg instanceof vscode.Uri ? fileArg : editor?.document.uri;
  if (!uri) throw new InputError('Open a workflow version file first: a Toolkit *.WorkflowVersion.yaml or an API JSON version.');
  const fileName = displayName(uri);
  const parsed = await services.definitions.documents.getFile(uri);
  if (!parsed) throw new InputError(`${fileName} is not a workflow definition: open a Toolkit *.WorkflowVersion.yaml or an API JSON version.`);
  const versions = parsed.definition.resources.filter((r) => r.kind === 'version');
  if (versions.length === 0) throw new InputError(`${fileName} holds no workflow version: deploy, compare and run work on version files.`);
  let resource: DefinitionResource | undefined;
  if (typeof keyArg === 'string') resource = versions.find((r) => resourceKey(r) === keyArg);
  if (!resource && versions.length === 1) resource = versions[0];
  if (!resource && editor && editor.document.uri.toString() === uri.toString()) {
    const offset = editor.document.offsetAt(editor.selection.active);
    resource = versions.find((r) => offset >= r.node.start && offset <= r.node.end);
  }
  resource ??= await services.ui().pick({
    placeholder: `${fileName} holds ${versions.length} versions: which one?`,
    items: versions.map((r) => ({ label: describe(r), value: r })),
  });
  return checkTarget(uri, fileName, parsed, resource);
}

function describe(resource: DefinitionResource): string {
  const id = resourceIdentity(resource);
  return id?.kind === 'version' ? `${id.workflowExternalId}@${id.version}` : `entry ${resourceKey(resource) || 1}`;
}

function checkTarget(uri: vscode.Uri, fileName: string, parsed: ParsedDefinition, resource: DefinitionResource): VersionTarget {
  const { definition } = parsed;
  const syntax = definition.syntaxProblems.find((p) => p.severity === 'error');
  if (syntax) {
    const at = definition.lines.positionAt(syntax.start);
    throw new InputError(`${fileName} has a syntax error at line ${at.line + 1}: ${syntax.message} Fix it first.`);
  }
  const unresolved = definition.templates.filter((t) => !t.resolved && t.start >= resource.node.start && t.end <= resource.node.end);
  if (unresolved.length > 0) {
    const names = [...new Set(unresolved.map((t) => `{{ ${t.name} }}`))].join(', ');
    const where = parsed.variables ? `environment "${parsed.variables.environment.name}" (${path.basename(parsed.variables.environment.configFile)})` : 'any config.<env>.yaml of a Toolkit project above the file';
    throw new InputError(`${fileName} uses ${names}, which ${unresolved.length === 1 ? 'has' : 'have'} no value in ${where}. Set ${unresolved.length === 1 ? 'it' : 'them'} there, or pick another Toolkit environment in the status bar.`);
  }
  const id = resourceIdentity(resource);
  if (id?.kind !== 'version') throw new InputError(`The version in ${fileName} needs workflowExternalId and version.`);
  return { uri, parsed, resource, workflowExternalId: id.workflowExternalId, version: id.version, label: `${id.workflowExternalId}@${id.version}`, fileName };
}
