// Definitions as code in the editor: the Toolkit environment, the parsed definition documents, what the
// workspace and the connected project declare (catalog), the language features, and their commands.
// activate() builds DefinitionServices once and passes them on.
import type * as vscode from 'vscode';
import { type CommandHandler } from '../boundary';
import { type ConnectionManager } from '../connections/manager';
import { type UserInput } from '../ui';
import { DefinitionCatalog } from './catalog';
import { DefinitionDocuments } from './documents';
import { ToolkitEnvironmentStatusBar, ToolkitEnvironments } from './environment';
import { DefinitionLanguage } from './language';

export interface DefinitionServices {
  readonly environments: ToolkitEnvironments;
  readonly documents: DefinitionDocuments;
  readonly catalog: DefinitionCatalog;
  readonly language: DefinitionLanguage;
}

export function createDefinitionServices(
  context: vscode.ExtensionContext,
  deps: { readonly ui: () => UserInput; readonly connections: ConnectionManager; readonly log: vscode.LogOutputChannel },
): DefinitionServices & vscode.Disposable {
  const environments = new ToolkitEnvironments(context.workspaceState, deps.ui);
  const documents = new DefinitionDocuments(environments);
  const catalog = new DefinitionCatalog({ connections: deps.connections, documents, environments, log: deps.log });
  const language = new DefinitionLanguage({ documents, catalog, schemasDir: context.asAbsolutePath('dist/schemas'), log: deps.log });
  const statusBar = new ToolkitEnvironmentStatusBar(environments, (d) => documents.isCandidate(d));
  return {
    environments,
    documents,
    catalog,
    language,
    dispose() {
      statusBar.dispose();
      language.dispose();
      catalog.dispose();
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
