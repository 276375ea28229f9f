// activate(): the one place that builds the extension's services and wires them together.
import * as vscode from 'vscode';

export interface CdfWorkflowsApi {
  readonly log: vscode.LogOutputChannel;
}

export function activate(context: vscode.ExtensionContext): CdfWorkflowsApi {
  const log = vscode.window.createOutputChannel('CDF Workflows', { log: true });
  const version = (context.extension.packageJSON as { version: string }).version;
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('cdfWorkflows.showLog', () => log.show(true)),
    vscode.commands.registerCommand('cdfWorkflows.about', async () => {
      const choice = await vscode.window.showInformationMessage(
        `CDF Data Workflows ${version} is active (VS Code ${vscode.version}).`,
        'Show Log',
      );
      if (choice === 'Show Log') log.show(true);
    }),
  );
  log.info(`CDF Data Workflows ${version} activated`);
  return { log };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
