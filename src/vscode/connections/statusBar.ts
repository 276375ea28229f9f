// The status bar shows the active connection; a click switches (or adds one when there is none).
import * as vscode from 'vscode';
import { type ConnectionManager } from './manager';
import { connectionSummary } from './model';

export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('cdfWorkflows.connection', vscode.StatusBarAlignment.Left, 50);
  private readonly sub: vscode.Disposable;

  constructor(private readonly connections: ConnectionManager) {
    this.item.name = 'CDF Connection';
    this.sub = connections.onDidChange(() => this.update());
    this.update();
  }

  update(): void {
    const active = this.connections.active();
    const any = this.connections.list().length > 0;
    void vscode.commands.executeCommand('setContext', 'cdfWorkflows.hasConnection', any);
    if (active) {
      this.item.text = `$(cloud) ${active.name}`;
      this.item.tooltip = new vscode.MarkdownString(`**CDF connection:** ${active.name}\n\n${connectionSummary(active)}\n\nClick to switch connection.`);
      this.item.command = 'cdfWorkflows.switchConnection';
    } else {
      this.item.text = any ? '$(cloud) CDF: pick a connection' : '$(cloud) CDF: not connected';
      this.item.tooltip = any ? 'Pick the connection that commands use' : 'Add a CDF connection, or try the local sandbox';
      this.item.command = any ? 'cdfWorkflows.switchConnection' : 'cdfWorkflows.addConnection';
    }
    this.item.show();
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }
}
