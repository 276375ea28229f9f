// "▶ Run <workflow>@<version>" and "Run with another workflow..." at the top of a JSON file that was run
// before; refreshed whenever the run memory changes.
import * as vscode from 'vscode';
import { DisposableBase } from '../lifecycle';
import { type RunMemory, type RunTarget } from './memory';

export const RUN_CODELENS_SELECTOR: vscode.DocumentSelector = [{ language: 'json' }, { language: 'jsonc' }];

export class RunCodeLensProvider extends DisposableBase implements vscode.CodeLensProvider {
  private readonly emitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.emitter.event;

  constructor(
    private readonly memory: RunMemory,
    /** The active connection's name, to say so when the remembered one is another. */
    private readonly activeConnection: () => string | undefined,
  ) {
    super();
    this.register(memory.onDidChange(() => this.emitter.fire()));
  }

  /** The connections or the active one changed: the "(on ...)" suffix may change. */
  refresh(): void {
    this.emitter.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const last = this.memory.get(document.uri);
    if (!last) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const target: RunTarget = { connection: last.connection, workflowExternalId: last.workflowExternalId, version: last.version };
    const name = `${last.workflowExternalId}@${last.version}`;
    const elsewhere = last.connection !== this.activeConnection();
    return [
      new vscode.CodeLens(top, {
        title: `▶ Run ${name}${elsewhere ? ` (on ${last.connection})` : ''}`,
        tooltip: `Run ${last.workflowExternalId} version ${last.version} on "${last.connection}" with this file as input${last.metadata ? ` and metadata ${last.metadata}` : ''}`,
        command: 'cdfWorkflows.runWith',
        arguments: [document.uri, target],
      }),
      new vscode.CodeLens(top, {
        title: 'Run with another workflow...',
        tooltip: 'Pick the workflow and version to run with this file as input',
        command: 'cdfWorkflows.runWorkflow',
        arguments: [document.uri],
      }),
    ];
  }
}
