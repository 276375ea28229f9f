// The status bar shows the active connection from start-up on (activation after start-up is cheap: no
// client, request or sandbox until something needs one); a click switches. Nothing shows without a connection.
import * as vscode from 'vscode';
import { DisposableBase } from '../lifecycle';
import { type ConnectionManager } from './manager';
import { connectionSummary } from './model';

export class ConnectionStatusBar extends DisposableBase {
  private readonly item = this.register(vscode.window.createStatusBarItem('cdfWorkflows.connection', vscode.StatusBarAlignment.Left, 50));

  constructor(private readonly connections: ConnectionManager) {
    super();
    this.item.name = 'CDF Connection';
    this.register(connections.onDidChange(() => this.update()));
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
}
