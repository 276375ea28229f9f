// Definitions as code in the editor: the Toolkit environment, the parsed definition documents, what the
// workspace and the connected project declare (catalog), the language features, and their commands.
// activate() builds DefinitionServices once and passes them on.
import type * as vscode from 'vscode';
import { type CommandHandler } from '../boundary';
import { type ConnectionManager } from '../connections/manager';
import { DisposableStore } from '../lifecycle';
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

/** Builds the definition services in their own store (disposed newest first with the returned object). */
export function createDefinitionServices(
  context: vscode.ExtensionContext,
  deps: { readonly ui: () => UserInput; readonly connections: ConnectionManager; readonly log: vscode.LogOutputChannel },
): DefinitionServices & vscode.Disposable {
  const store = new DisposableStore();
  const environments = store.add(new ToolkitEnvironments(context.workspaceState, deps.ui));
  const documents = store.add(new DefinitionDocuments(environments));
  const catalog = store.add(new DefinitionCatalog({ connections: deps.connections, documents, environments, log: deps.log }));
  const language = store.add(new DefinitionLanguage({ documents, catalog, schemasDir: context.asAbsolutePath('dist/schemas'), log: deps.log }));
  store.add(new ToolkitEnvironmentStatusBar(environments, (d) => documents.isCandidate(d)));
  return Object.freeze({ environments, documents, catalog, language, dispose: () => store.dispose() });
}

export function definitionCommands(definitions: DefinitionServices): Record<string, CommandHandler> {
  return {
    'cdfWorkflows.selectToolkitEnvironment': (uri?: unknown) => definitions.environments.pick(isUri(uri) ? uri : undefined),
  };
}

function isUri(value: unknown): value is vscode.Uri {
  return typeof value === 'object' && value !== null && 'scheme' in value && 'fsPath' in value;
}
