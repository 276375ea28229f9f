// activate(): the one place that builds the extension's services and wires them together.
import * as vscode from 'vscode';

export interface CdfWorkflowsApi {
  readonly log: vscode.LogOutputChannel;
}

export function activate(context: vscode.ExtensionContext): CdfWorkflowsApi {
  const log = vscode.window.createOutputChannel('CDF Workflows', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('cdfWorkflows.showLog', () => log.show(true)),
  );
  log.info('CDF Data Workflows activated');
  return { log };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
