// Run in Local Sandbox: the file's version upserted into the embedded sandbox, the Toolkit function folders
// its tasks call deployed from the workspace (real handler code; an echo stand-in, with a warning, for a
// function whose code is not there), then run with an input file and followed under the sandbox
// connection. No CDF project is needed to try a change.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type CdfClient } from '../../core/client';
import { executeDeploy, planDeploy } from '../../core/definition/deploy';
import {
  calledFunctions,
  deployFunctionCode,
  echoPackage,
  type FunctionConfig,
  type FunctionDeployAction,
  isFunctionConfigFile,
  packFunctionFolder,
  readFunctionConfigs,
} from '../../core/definition/localRun';
import { type TaskDefinitionLike, isPlainObject } from '../../core/definition/types';
import { CancelledError, InputError } from '../../core/errors';
import { parseRunInput } from '../../core/run';
import { type Execution } from '../../core/schemas/executions';
import { type ConnectionSettings } from '../config';
import { type Services } from '../services';
import { type PickItem } from '../ui';
import { type VersionTarget, displayName } from './shipTarget';

const INPUT_MEMORY_KEY = 'cdfWorkflows.localRun.inputs';

export type FunctionSource = 'workspace' | 'stand-in' | 'sandbox';

export interface LocalRunFunction {
  readonly externalId: string;
  readonly source: FunctionSource;
  readonly action: FunctionDeployAction;
  /** The code folder (workspace) or why there is none. */
  readonly from: string;
}

export interface LocalRunOutcome {
  readonly connection: string;
  readonly execution: Execution;
  readonly functions: readonly LocalRunFunction[];
}

/** The sandbox connection, made with Try the Local Sandbox when there is none yet. */
async function sandboxConnection(services: Services): Promise<ConnectionSettings> {
  // The active connection when it is a sandbox, else the first sandbox connection.
  const find = (): ConnectionSettings | undefined => {
    const active = services.connections.active();
    return active?.sandbox ? active : services.connections.list().find((c) => c.sandbox);
  };
  const existing = find();
  if (existing) return existing;
  await vscode.commands.executeCommand('cdfWorkflows.trySandbox');
  const made = find();
  if (!made) throw new InputError('The local sandbox could not be set up: run CDF Workflows: Try the Local Sandbox and look at the log.');
  return made;
}

interface InputChoice {
  readonly kind: 'none' | 'file';
  readonly uri?: vscode.Uri;
}

async function chooseInput(services: Services, target: VersionTarget): Promise<{ input: Record<string, unknown>; name: string; uri?: vscode.Uri }> {
  const memory = services.context.workspaceState.get<Record<string, string>>(INPUT_MEMORY_KEY) ?? {};
  const remembered = memory[target.uri.toString()];
  const items: PickItem<InputChoice>[] = [];
  if (remembered) {
    const uri = vscode.Uri.parse(remembered);
    items.push({ label: displayName(uri), description: 'used last time', iconPath: new vscode.ThemeIcon('history'), value: { kind: 'file', uri } });
  }
  for (const editor of vscode.window.visibleTextEditors) {
    const doc = editor.document;
    if ((doc.languageId === 'json' || doc.languageId === 'jsonc') && doc.uri.toString() !== remembered && doc.uri.toString() !== target.uri.toString()) {
      items.push({ label: displayName(doc.uri), description: 'open in an editor', iconPath: new vscode.ThemeIcon('file-code'), value: { kind: 'file', uri: doc.uri } });
    }
  }
  items.push({ label: 'No input', description: 'the run gets {}', iconPath: new vscode.ThemeIcon('circle-slash'), value: { kind: 'none' } });
  items.push({ label: 'Choose a file...', iconPath: new vscode.ThemeIcon('folder-opened'), value: { kind: 'file' } });
  const choice = await services.ui().pick({ title: `Run ${target.label} in the local sandbox`, placeholder: `Input of the run (${target.label} reads workflow.input)`, items });
  if (choice.kind === 'none') return { input: {}, name: 'no input' };
  const uri =
    choice.uri ??
    (await services.ui().openFile({ title: `Input of ${target.label}`, filters: { JSON: ['json'] }, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri }));
  const doc = await vscode.workspace.openTextDocument(uri);
  const { input } = parseRunInput(doc.getText());
  await services.context.workspaceState.update(INPUT_MEMORY_KEY, { ...memory, [target.uri.toString()]: uri.toString() });
  return { input, name: displayName(uri), uri };
}

interface CodeFolder {
  readonly folder: string;
  readonly config: FunctionConfig;
}

/** Toolkit function folders in the workspace: `<functions folder>/<externalId>/` named by a `*.Function.yaml`. */
async function findCodeFolders(services: Services, ids: readonly string[]): Promise<Map<string, CodeFolder>> {
  const found = new Map<string, CodeFolder>();
  if (ids.length === 0) return found;
  const wanted = new Set(ids);
  const configs = (await vscode.workspace.findFiles('**/functions/*.{yaml,yml}', '**/{node_modules,.git,build}/**', 1000)).filter((u) => isFunctionConfigFile(u.path));
  for (const uri of configs.sort((a, b) => a.path.localeCompare(b.path))) {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const variables = await services.definitions.environments.variablesFor(uri).catch(() => undefined);
    for (const config of readFunctionConfigs(text, variables?.values)) {
      if (!wanted.has(config.externalId) || found.has(config.externalId)) continue;
      found.set(config.externalId, { folder: path.join(path.dirname(uri.fsPath), config.externalId), config });
    }
  }
  // A code folder without its .Function.yaml still counts, with the default entry file.
  for (const id of ids) {
    if (found.has(id) || /[*?{}[\]]/.test(id)) continue;
    const [handler] = await vscode.workspace.findFiles(`**/functions/${id}/handler.py`, '**/{node_modules,.git,build}/**', 1);
    if (handler) found.set(id, { folder: path.dirname(handler.fsPath), config: { externalId: id, functionPath: 'handler.py' } });
  }
  return found;
}

async function deployFunctions(services: Services, client: CdfClient, tasks: readonly TaskDefinitionLike[], signal: AbortSignal, report: (m: string) => void): Promise<LocalRunFunction[]> {
  const ids = calledFunctions(tasks);
  const folders = await findCodeFolders(services, ids);
  const out: LocalRunFunction[] = [];
  for (const id of ids) {
    const code = folders.get(id);
    let pkg;
    let from: string;
    if (code) {
      try {
        pkg = await packFunctionFolder(code.folder, code.config.functionPath);
        from = displayName(vscode.Uri.file(code.folder));
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        services.log.warn(`Run in Local Sandbox: ${error.message} Using an echo stand-in for ${id}.`);
        pkg = undefined;
        from = error.message;
      }
    } else {
      from = 'no code folder in the workspace';
    }
    const source: FunctionSource = pkg ? 'workspace' : 'stand-in';
    const result = await deployFunctionCode(
      client,
      { externalId: id, ...(code?.config.name ? { name: code.config.name } : {}), functionPath: pkg ? code!.config.functionPath : 'handler.py', package: pkg ?? echoPackage(), source: pkg ? from : 'an echo stand-in' },
      { signal, progress: report },
    );
    const entry: LocalRunFunction = { externalId: id, source: result.action === 'foreign' ? 'sandbox' : source, action: result.action, from: result.action === 'foreign' ? 'deployed in the sandbox by someone else' : from };
    services.log.info(`Run in Local Sandbox: function ${id}: ${entry.source === 'workspace' ? `code from ${from}` : entry.source === 'stand-in' ? `echo stand-in (${from})` : 'the sandbox’s own'}, ${result.action}.`);
    out.push(entry);
  }
  return out;
}

function localWorkflow(resource: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!resource) return undefined;
  // The sandbox has only its demo data sets: the workflow runs there without one.
  const { dataSetExternalId: _x, dataSetId: _y, ...rest } = resource;
  return rest;
}

export async function runInLocalSandbox(services: Services, target: VersionTarget, workflow?: Record<string, unknown>): Promise<LocalRunOutcome> {
  const { input, name } = await chooseInput(services, target);
  const connection = await sandboxConnection(services);
  const definition = target.resource.value['workflowDefinition'];
  const tasks = isPlainObject(definition) && Array.isArray(definition['tasks']) ? (definition['tasks'] as TaskDefinitionLike[]) : [];
  const { execution, functions } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Running ${target.label} in the local sandbox`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      const report = (message: string): void => progress.report({ message });
      try {
        report('starting the sandbox');
        const { client } = await services.connections.client(connection.name);
        const deployed = await deployFunctions(services, client, tasks, abort.signal, report);
        report(`upserting ${target.label}`);
        const localWf = localWorkflow(workflow);
        const plan = await planDeploy(client, { version: target.resource.value, ...(localWf ? { workflow: localWf } : {}) }, { signal: abort.signal });
        await executeDeploy(client, plan, { signal: abort.signal });
        report(`starting the run with ${name}`);
        const started = await client.executions.run(target.workflowExternalId, target.version, { input, signal: abort.signal });
        return { execution: started, functions: deployed };
      } catch (error) {
        if (abort.signal.aborted) throw new CancelledError();
        throw error;
      } finally {
        sub.dispose();
      }
    },
  );
  const ref = { connection: connection.name, executionId: execution.id };
  services.log.info(`Run in Local Sandbox: started execution ${execution.id} of ${target.label} from ${target.fileName} with ${name}.`);
  services.tracker.follow(ref).catch((e: unknown) => services.log.warn(`Following execution ${execution.id}: ${e instanceof Error ? e.message : String(e)}`));
  services.tree.refresh({ connection: connection.name, workflowExternalId: target.workflowExternalId });
  try {
    await services.tree.revealExecution(ref, execution);
  } catch (e) {
    services.log.warn(`Showing execution ${execution.id} in the tree: ${e instanceof Error ? e.message : String(e)}`);
  }
  const standIns = functions.filter((f) => f.source === 'stand-in');
  if (standIns.length > 0) {
    void services.ui().ask(
      'warning',
      `${standIns.map((f) => f.externalId).join(', ')} ${standIns.length === 1 ? 'has' : 'have'} no code in this workspace (a Toolkit functions/<externalId>/ folder): the sandbox runs ${standIns.length === 1 ? 'an echo stand-in' : 'echo stand-ins'} that return the data ${standIns.length === 1 ? 'it is' : 'they are'} called with.`,
      {},
    );
  }
  return { connection: connection.name, execution, functions };
}
