// activate(): the one place that builds the extension's services and wires them together. It runs once
// start-up has finished (for the connection in the status bar) and stays cheap: no request, no sandbox
// and no client is created until a view or command needs it.
//
// Adding a long-lived service (a view, a provider, a watcher, a cache, a status bar item):
//   1. Write it as a class that extends DisposableBase (src/vscode/lifecycle.ts) and registers its own
//      emitters and subscriptions with this.register(...). Its constructor takes what it uses (single
//      services, or a Pick<Services, ...>), never the whole Services.
//   2. Build it in activate() below, after what it depends on: `const thing = store.add(new Thing(...))`.
//      `store` owns every long-lived object and disposes them, newest first, when the extension stops.
//   3. When commands or other services use it, add a readonly field to Services (src/vscode/services.ts)
//      and put it in the `services` object below. Services never changes after activate().
//   4. Its commands come from a factory in its folder, `thingCommands(services): Record<string,
//      CommandHandler>`, spread into `commands` below. A factory only closes over services: anything that
//      outlives one command call is built here, not in the factory. Declare each command in package.json
//      (category "CDF Workflows", an icon; tree-only commands hidden from the palette).
//   5. Keep activation cheap (budget 25 ms, npm run bench:extension): no request, no file read, and heavy
//      modules required on first use.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type CommandHandler, registerCommands } from './vscode/boundary';
import { connectionCommands } from './vscode/connections/commands';
import { ConnectionManager } from './vscode/connections/manager';
import { SandboxHost } from './vscode/connections/sandboxHost';
import { ConnectionSecrets } from './vscode/connections/secrets';
import { ConnectionStatusBar } from './vscode/connections/statusBar';
import { createDefinitionServices, definitionCommands } from './vscode/definitions';
import { DefinitionShip } from './vscode/definitions/ship';
import { DetailsDocuments } from './vscode/details/documents';
import { executionCommands } from './vscode/executions/commands';
import { FollowedRunsStatusBar } from './vscode/executions/followedStatusBar';
import { ExecutionTracker } from './vscode/executions/tracker';
import { DisposableStore } from './vscode/lifecycle';
import { LanguageModelTools } from './vscode/lm/tools';
import { RUN_CODELENS_SELECTOR, RunCodeLensProvider } from './vscode/run/codeLens';
import { runCommands } from './vscode/run/commands';
import { WorkflowRunner } from './vscode/run/runner';
import { scheduleCommands } from './vscode/schedule/commands';
import { type Services } from './vscode/services';
import { treeCommands } from './vscode/tree/commands';
import { WorkflowsTree } from './vscode/tree/workflowsTree';
import { workflowViewCommands } from './vscode/workflowView/commands';
import { DefinitionFiles, SHOW_GRAPH_SELECTOR, ShowGraphCodeLens, trackDefinitionEditor } from './vscode/workflowView/definitionFile';
import { WorkflowViews } from './vscode/workflowView/views';
import { CancelledError } from './core/errors';
import { GoBackError, type UserInput, VsCodeUserInput } from './vscode/ui';

/** Returned from activate(): what the extension-host tests drive. Not a public API. */
export interface CdfWorkflowsApi {
  readonly services: Services;
  readonly tree: WorkflowsTree;
  /** The status bar item of the runs being followed. */
  readonly followedRuns: FollowedRunsStatusBar;
  readonly workflowViews: WorkflowViews;
  /** The language-model tools as registered (tests call prepareInvocation on them directly). */
  readonly lmTools: LanguageModelTools['tools'];
  /** Replaces the prompts (a scripted UserInput in tests); returns the previous one. */
  setUserInput(ui: UserInput): UserInput;
  /** How long activate() took, in ms (measured inside it, for the benchmark). */
  readonly activationMs: number;
  /** The bundle's own classes: tests load src/ separately, so instanceof needs these. */
  readonly classes: { readonly GoBackError: typeof GoBackError; readonly CancelledError: typeof CancelledError };
}

export function activate(context: vscode.ExtensionContext): CdfWorkflowsApi {
  const activationStart = performance.now();
  const store = new DisposableStore();
  context.subscriptions.push(store);

  const log = store.add(vscode.window.createOutputChannel('CDF Workflows', { log: true }));
  const version = (context.extension.packageJSON as { version: string }).version;
  let currentUi: UserInput = new VsCodeUserInput();
  const ui = () => currentUi;

  const storage = context.globalStorageUri.scheme === 'file' ? context.globalStorageUri.fsPath : path.join(os.tmpdir(), 'cdf-workflows');
  const sandbox = store.add(new SandboxHost({ extensionPath: context.extensionPath, dataDir: path.join(storage, 'sandbox'), log, secrets: context.secrets }));
  const connections = store.add(new ConnectionManager({ secrets: new ConnectionSecrets(context.secrets), log, appVersion: version, ui, sandbox }));
  const tracker = store.add(new ExecutionTracker(connections, ui, log));
  const tree = store.add(new WorkflowsTree({ context, log, connections, tracker }));
  const details = store.add(new DetailsDocuments({ connections, tracker, log }));
  const definitions = store.add(createDefinitionServices(context, { ui, connections, log }));
  const workflowViews = store.add(new WorkflowViews({ extensionUri: context.extensionUri, connections, tracker, log, files: new DefinitionFiles(definitions.documents) }));
  store.add(vscode.languages.registerCodeLensProvider(SHOW_GRAPH_SELECTOR, store.add(new ShowGraphCodeLens(definitions.documents))));
  store.add(trackDefinitionEditor());
  const runs = store.add(new WorkflowRunner({ context, log, ui, connections, tracker, tree }));
  store.add(new ConnectionStatusBar(connections));
  const followedRuns = store.add(new FollowedRunsStatusBar(tracker));
  const lenses = store.add(new RunCodeLensProvider(runs.memory, () => connections.active()?.name));
  store.add(vscode.languages.registerCodeLensProvider(RUN_CODELENS_SELECTOR, lenses));
  store.add(connections.onDidChange(() => lenses.refresh()));

  const services: Services = Object.freeze({ context, version, log, ui, connections, sandbox, tracker, tree, details, runs, workflowViews, definitions });
  const ship = store.add(new DefinitionShip(services));

  const commands: Record<string, CommandHandler> = {
    'cdfWorkflows.showLog': () => log.show(true),
    'cdfWorkflows.about': async () => {
      const choice = await ui().ask('info', `CDF Data Workflows ${version} is active (VS Code ${vscode.version}).`, {}, 'Show Log');
      if (choice === 'Show Log') log.show(true);
    },
    ...connectionCommands(services),
    ...treeCommands(services),
    ...executionCommands(services),
    ...runCommands(services),
    ...scheduleCommands(services),
    ...workflowViewCommands(services),
    ...definitionCommands(definitions),
    ...ship.commands(),
  };
  for (const registration of registerCommands(commands, { log, ui })) store.add(registration);

  // Chat agents' tools; VS Code activates the extension for a tool call on its own (onLanguageModelTool:<name>).
  const lm = store.add(new LanguageModelTools(services));
  log.info(`CDF Data Workflows ${version} activated`);
  const activationMs = performance.now() - activationStart;
  return {
    services,
    tree,
    followedRuns,
    workflowViews,
    lmTools: lm.tools,
    activationMs,
    classes: { GoBackError, CancelledError },
    setUserInput(next) {
      const previous = currentUi;
      currentUi = next;
      return previous;
    },
  };
}

export function deactivate(): void {
  // Everything is disposed through the store in context.subscriptions.
}
