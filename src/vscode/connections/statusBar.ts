// The status bar shows the active connection from start-up on (activation after start-up is cheap: no
// client, request or sandbox until something needs one); a click switches. Nothing shows without a connection.
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
    if (!any) {
      this.item.hide();
      return;
    }
    if (active) {
      this.item.text = `$(cloud) ${active.name}`;
      this.item.tooltip = new vscode.MarkdownString(`**CDF connection:** ${active.name}\n\n${connectionSummary(active)}\n\nClick to switch connection.`);
    } else {
      this.item.text = '$(cloud) CDF: pick a connection';
      this.item.tooltip = 'Pick the connection that commands use';
    }
    this.item.command = 'cdfWorkflows.switchConnection';
    this.item.show();
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }
}
