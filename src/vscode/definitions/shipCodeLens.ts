// CodeLenses above each workflow version of a definition file: Deploy, Compare with Deployed, Run in Local
// Sandbox, Run.... One provider of its own, so other features (the graph) add theirs beside it.
import * as vscode from 'vscode';
import { resourceIdentity } from '../../core/definition/document';
import { DisposableBase } from '../lifecycle';
import { type Services } from '../services';
import { resourceKey } from './shipTarget';

export const SHIP_CODELENS_SELECTOR: vscode.DocumentSelector = [{ language: 'yaml' }, { language: 'json' }, { language: 'jsonc' }];

export class ShipCodeLensProvider extends DisposableBase implements vscode.CodeLensProvider {
  private readonly emitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.emitter.event;

  constructor(private readonly services: Pick<Services, 'definitions' | 'connections'>) {
    super();
    this.registerAll(
      services.definitions.documents.onDidChange(() => this.emitter.fire()),
      // The lens names the active connection.
      services.connections.onDidChange(() => this.emitter.fire()),
    );
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const { documents } = this.services.definitions;
    if (!documents.isCandidate(document)) return [];
    const parsed = await documents.get(document);
    if (!parsed) return [];
    const connection = this.services.connections.active()?.name;
    const lenses: vscode.CodeLens[] = [];
    for (const resource of parsed.definition.resources) {
      const id = resourceIdentity(resource);
      if (id?.kind !== 'version') continue;
      const at = parsed.definition.lines.positionAt(resource.node.start);
      const range = new vscode.Range(at.line, 0, at.line, 0);
      const args = [document.uri, resourceKey(resource)];
      const label = `${id.workflowExternalId}@${id.version}`;
      lenses.push(
        new vscode.CodeLens(range, {
          title: connection ? `$(cloud-upload) Deploy to ${connection}` : '$(cloud-upload) Deploy',
          tooltip: `Upsert workflow ${id.workflowExternalId} and version ${id.version} to ${connection ? `"${connection}"` : 'the active connection'}`,
          command: 'cdfWorkflows.deployDefinition',
          arguments: args,
        }),
        new vscode.CodeLens(range, { title: '$(diff) Compare with Deployed', tooltip: `Diff ${label} as deployed against this file`, command: 'cdfWorkflows.compareWithDeployed', arguments: args }),
        new vscode.CodeLens(range, {
          title: '$(beaker) Run in Local Sandbox',
          tooltip: `Upsert ${label} and the functions it calls into the local sandbox and run it`,
          command: 'cdfWorkflows.runInLocalSandbox',
          arguments: args,
        }),
        new vscode.CodeLens(range, { title: '$(play) Run...', tooltip: `Run the deployed ${label} with an input file`, command: 'cdfWorkflows.runDeployedVersion', arguments: args }),
      );
    }
    return lenses;
  }
}
