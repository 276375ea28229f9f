// Pull to File... on a version in the tree: the version as CDF holds it, written as Toolkit YAML (the
// Toolkit's key order and file name; with the workflow's own file beside it when there is none, its data
// set named by external id) or as the API's JSON body. Deploying the pulled file changes nothing.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type CdfClient } from '../../core/client';
import { toolkitKindOf } from '../../core/definition/document';
import { asUpsertBody, definitionFileName, type DefinitionFileFormat, renderResource } from '../../core/definition/render';
import { InputError } from '../../core/errors';
import { versionTargetOf } from '../run/commands';
import { type RunTarget } from '../run/memory';
import { type Services } from '../services';
import { exists } from './catalog';
import { displayName } from './shipTarget';

/** A version in the tree: the version a run targets. */
export type PullTarget = RunTarget;

/** A version node of the tree (`.version` with the ids, its connection on the node or its parent). */
export const pullTargetOf = versionTargetOf;

export interface PullOutcome {
  readonly files: readonly vscode.Uri[];
}

/** Where the workflow's Toolkit files already are, else the first workspace folder. */
async function defaultFolder(services: Services, workflowExternalId: string): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles('**/*.{Workflow,WorkflowVersion,workflow,workflowversion}.{yaml,yml}', '**/{node_modules,.git,build}/**', 500);
  for (const uri of files.sort((a, b) => a.path.localeCompare(b.path))) {
    const parsed = await services.definitions.documents.getFile(uri).catch(() => undefined);
    const owns = parsed?.definition.resources.some((r) => (r.kind === 'workflow' ? r.value['externalId'] : r.value['workflowExternalId']) === workflowExternalId);
    if (owns) return vscode.Uri.file(path.dirname(uri.fsPath));
  }
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

/** The workflow as a Toolkit file: its data set by external id (kept as dataSetId when it cannot be looked up). */
async function workflowFile(client: CdfClient, services: Services, workflowExternalId: string): Promise<string> {
  const body = asUpsertBody('workflow', await client.workflows.retrieve(workflowExternalId));
  const dataSetId = body['dataSetId'];
  if (typeof dataSetId === 'number') {
    const found = await client.dataSets.retrieve([{ id: dataSetId }]).catch((e: unknown) => {
      services.log.warn(`Pull: could not look data set ${dataSetId} up (${e instanceof Error ? e.message : String(e)}); the workflow file keeps dataSetId.`);
      return [];
    });
    const externalId = found[0]?.externalId;
    if (externalId) {
      delete body['dataSetId'];
      body['dataSetExternalId'] = externalId;
    }
  }
  return renderResource('workflow', body, 'toolkit');
}

export async function pullToFile(services: Services, target: PullTarget): Promise<PullOutcome> {
  const ui = services.ui();
  const label = `${target.workflowExternalId}@${target.version}`;
  const toolkitName = definitionFileName('version', target, 'toolkit');
  const apiName = definitionFileName('version', target, 'api');
  const format = await ui.pick<DefinitionFileFormat>({
    title: `Pull ${label} to a file`,
    placeholder: 'Format of the file',
    items: [
      { label: 'Toolkit YAML', description: toolkitName, detail: 'For cdf deploy: the Toolkit’s keys and file name; the workflow file is written beside it when missing.', value: 'toolkit' },
      { label: 'API JSON', description: apiName, detail: 'The body of POST /workflows/versions.', value: 'api' },
    ],
  });
  const folder = await defaultFolder(services, target.workflowExternalId);
  const fileName = format === 'toolkit' ? toolkitName : apiName;
  const uri = await ui.saveFile({
    title: `Pull ${label} to`,
    defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
    filters: format === 'toolkit' ? { 'Toolkit YAML': ['yaml', 'yml'] } : { JSON: ['json'] },
  });
  if (format === 'toolkit' && toolkitKindOf(uri.path) !== 'version') {
    throw new InputError(`${path.basename(uri.path)} is not a Toolkit version file name: end it with .WorkflowVersion.yaml, e.g. ${toolkitName}.`);
  }
  const { client } = await services.connections.client(target.connection);
  const version = await client.versions.retrieve(target.workflowExternalId, target.version);
  const files: vscode.Uri[] = [];
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(renderResource('version', asUpsertBody('version', version), format)));
  files.push(uri);
  if (format === 'toolkit') {
    const dir = vscode.Uri.file(path.dirname(uri.fsPath));
    const entries = await vscode.workspace.fs.readDirectory(dir);
    let hasWorkflowFile = false;
    for (const [name] of entries) {
      if (toolkitKindOf(name) !== 'workflow') continue;
      const parsed = await services.definitions.documents.getFile(vscode.Uri.joinPath(dir, name)).catch(() => undefined);
      if (parsed?.definition.resources.some((r) => r.value['externalId'] === target.workflowExternalId)) hasWorkflowFile = true;
    }
    const workflowUri = vscode.Uri.joinPath(dir, definitionFileName('workflow', { externalId: target.workflowExternalId }, 'toolkit'));
    if (!hasWorkflowFile && !(await exists(workflowUri))) {
      await vscode.workspace.fs.writeFile(workflowUri, new TextEncoder().encode(await workflowFile(client, services, target.workflowExternalId)));
      files.push(workflowUri);
    }
  }
  services.log.info(`Pull: ${label} from "${target.connection}" written to ${files.map(displayName).join(' and ')}.`);
  await vscode.window.showTextDocument(uri, { preview: false });
  void ui.ask('info', `Pulled ${label} from "${target.connection}" to ${files.map(displayName).join(' and ')}.`, {});
  return { files };
}
