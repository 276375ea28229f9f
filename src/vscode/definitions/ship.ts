// Shipping definition files: Deploy Definition, Compare with Deployed, Run in Local Sandbox and Run... on
// a version file (CodeLens, editor title, palette), and Pull to File... on a version in the tree. Each
// command resolves with what it did, so tests and other features can call it.
import * as vscode from 'vscode';
import { mayBeDefinitionJson, toolkitKindOf } from '../../core/definition/document';
import { InputError } from '../../core/errors';
import { type CommandHandler } from '../boundary';
import { DisposableBase } from '../lifecycle';
import { type Services } from '../services';
import { compareWithDeployed, DEPLOYED_SCHEME, DeployedContentProvider } from './compare';
import { deployDefinition, findWorkflowResource } from './deploy';
import { runInLocalSandbox } from './dryRun';
import { pullTargetOf, pullToFile } from './pull';
import { runDeployedVersion } from './runDeployed';
import { ShipCodeLensProvider, SHIP_CODELENS_SELECTOR } from './shipCodeLens';
import { resolveVersionTarget } from './shipTarget';

/** Context key: the active editor holds a workflow version (editor title actions). */
const VERSION_EDITOR_KEY = 'cdfWorkflows.editorHasVersion';

function holdsVersion(document: vscode.TextDocument | undefined): boolean {
  if (!document) return false;
  if (document.languageId === 'yaml') return toolkitKindOf(document.uri.path) === 'version';
  if (document.languageId === 'json' || document.languageId === 'jsonc') {
    const text = document.getText();
    return mayBeDefinitionJson(text) && /"workflowDefinition"\s*:/.test(text);
  }
  return false;
}

/** The content provider of deployed versions, the CodeLenses and the editor context key; and the commands. */
export class DefinitionShip extends DisposableBase {
  private readonly provider: DeployedContentProvider;
  private shown: boolean | undefined;

  constructor(private readonly services: Services) {
    super();
    this.provider = this.register(new DeployedContentProvider());
    const lenses = this.register(new ShipCodeLensProvider(services));
    this.registerAll(
      vscode.workspace.registerTextDocumentContentProvider(DEPLOYED_SCHEME, this.provider),
      vscode.languages.registerCodeLensProvider(SHIP_CODELENS_SELECTOR, lenses),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateContext()),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (d === vscode.window.activeTextEditor?.document) this.updateContext();
      }),
    );
    this.updateContext();
  }

  private updateContext(): void {
    const now = holdsVersion(vscode.window.activeTextEditor?.document);
    if (now !== this.shown) void vscode.commands.executeCommand('setContext', VERSION_EDITOR_KEY, (this.shown = now));
  }

  commands(): Record<string, CommandHandler> {
    const { services, provider } = this;
    return {
      'cdfWorkflows.deployDefinition': async (file?: unknown, key?: unknown) => deployDefinition(services, provider, await resolveVersionTarget(services, file, key)),
      'cdfWorkflows.compareWithDeployed': async (file?: unknown, key?: unknown) => compareWithDeployed(services, provider, await resolveVersionTarget(services, file, key)),
      'cdfWorkflows.runInLocalSandbox': async (file?: unknown, key?: unknown) => {
        const target = await resolveVersionTarget(services, file, key);
        const workflow = await findWorkflowResource(services, target);
        return runInLocalSandbox(services, target, workflow?.value);
      },
      'cdfWorkflows.runDeployedVersion': async (file?: unknown, key?: unknown) => runDeployedVersion(services, provider, await resolveVersionTarget(services, file, key)),
      'cdfWorkflows.pullToFile': (node?: unknown) => {
        const target = pullTargetOf(node);
        if (!target) throw new InputError('Pull to File works on a version in the CDF Workflows view: right-click a version there.');
        return pullToFile(services, target);
      },
    };
  }
}
