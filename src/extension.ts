// activate(): the one place that builds the extension's services and wires them together. It stays
// cheap: no request, no sandbox and no client is created until a view or command needs it.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { registerCommands, type CommandHandler } from './vscode/boundary';
import { connectionCommands } from './vscode/connections/commands';
import { ConnectionManager } from './vscode/connections/manager';
import { SandboxHost } from './vscode/connections/sandboxHost';
import { ConnectionSecrets } from './vscode/connections/secrets';
import { ConnectionStatusBar } from './vscode/connections/statusBar';
import { executionCommands } from './vscode/executions/commands';
import { ExecutionTracker } from './vscode/executions/tracker';
import { createDefinitionServices, definitionCommands } from './vscode/definitions';
import { shipCommands } from './vscode/definitions/ship';
import { type Services } from './vscode/services';
import { scheduleCommands } from './vscode/schedule/commands';
import { treeCommands } from './vscode/tree/commands';
import { runCommands } from './vscode/run/commands';
import { WorkflowsTree } from './vscode/tree/workflowsTree';
import { CancelledError } from './core/errors';
import { GoBackError, type UserInput, VsCodeUserInput } from './vscode/ui';

/** Returned from activate(): what the extension-host tests drive. Not a public API. */
export interface CdfWorkflowsApi {
  readonly services: Services;
  readonly tree: WorkflowsTree;
  /** Replaces the prompts (a scripted UserInput in tests); returns the previous one. */
  setUserInput(ui: UserInput): UserInput;
  /** How long activate() took, in ms (measured inside it, for the benchmark). */
  readonly activationMs: number;
  /** The bundle's own classes: tests load src/ separately, so instanceof needs these. */
  readonly classes: { readonly GoBackError: typeof GoBackError; readonly CancelledError: typeof CancelledError };
}

export function activate(context: vscode.ExtensionContext): CdfWorkflowsApi {
  const activationStart = performance.now();
  const log = vscode.window.createOutputChannel('CDF Workflows', { log: true });
  const version = (context.extension.packageJSON as { version: string }).version;
  let ui: UserInput = new VsCodeUserInput();
  const currentUi = () => ui;

  const storage = context.globalStorageUri.scheme === 'file' ? context.globalStorageUri.fsPath : path.join(os.tmpdir(), 'cdf-workflows');
  const sandbox = new SandboxHost(context.extensionPath, path.join(storage, 'sandbox'), log);
  const connections = new ConnectionManager({ secrets: new ConnectionSecrets(context.secrets), log, appVersion: version, ui: currentUi, sandbox });
  const tracker = new ExecutionTracker(connections, currentUi, log);
  const definitions = createDefinitionServices(context, currentUi);
  const services: Services = { context, version, log, ui: currentUi, connections, sandbox, tracker, definitions, tree: undefined as never };
  const tree = new WorkflowsTree(services);
  services.tree = tree;

  const basics: Record<string, CommandHandler> = {
    'cdfWorkflows.showLog': () => log.show(true),
    'cdfWorkflows.about': async () => {
      const choice = await ui.ask('info', `CDF Data Workflows ${version} is active (VS Code ${vscode.version}).`, {}, 'Show Log');
      if (choice === 'Show Log') log.show(true);
    },
  };

  context.subscriptions.push(
    log,
    sandbox,
    connections,
    tracker,
    tree,
    definitions,
    new ConnectionStatusBar(connections),
    ...registerCommands(
      {
        ...basics,
        ...connectionCommands(services),
        ...treeCommands(services, tree),
        ...executionCommands(services),
        ...runCommands(services),
        ...scheduleCommands(services),
        ...definitionCommands(definitions),
        ...shipCommands(services),
      },
      { log, ui: currentUi },
    ),
  );
  log.info(`CDF Data Workflows ${version} activated`);
  const activationMs = performance.now() - activationStart;
  return {
    services,
    tree,
    activationMs,
    classes: { GoBackError, CancelledError },
    setUserInput(next) {
      const previous = ui;
      ui = next;
      return previous;
    },
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
