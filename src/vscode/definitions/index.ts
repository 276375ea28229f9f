// Definitions as code in the editor: the Toolkit environment, the parsed definition documents, and the
// commands that belong to them. activate() builds DefinitionServices once and passes them on.
import type * as vscode from 'vscode';
import { type CommandHandler } from '../boundary';
import { type UserInput } from '../ui';
import { DefinitionDocuments } from './documents';
import { ToolkitEnvironmentStatusBar, ToolkitEnvironments } from './environment';

export interface DefinitionServices {
  readonly environments: ToolkitEnvironments;
  readonly documents: DefinitionDocuments;
}

export function createDefinitionServices(context: vscode.ExtensionContext, ui: () => UserInput): DefinitionServices & vscode.Disposable {
  const environments = new ToolkitEnvironments(context.workspaceState, ui);
  const documents = new DefinitionDocuments(environments);
  const statusBar = new ToolkitEnvironmentStatusBar(environments, (d) => documents.isCandidate(d));
  return {
    environments,
    documents,
    dispose() {
      statusBar.dispose();
      documents.dispose();
      environments.dispose();
    },
  };
}

export function definitionCommands(definitions: DefinitionServices): Record<string, CommandHandler> {
  return {
    'cdfWorkflows.selectToolkitEnvironment': (uri?: unknown) => definitions.environments.pick(isUri(uri) ? uri : undefined),
  };
}

function isUri(value: unknown): value is vscode.Uri {
  return typeof value === 'object' && value !== null && 'scheme' in value && 'fsPath' in value;
}
