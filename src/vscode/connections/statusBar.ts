// The status bar shows the active connection; a click switches (or adds one when there is none).
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
}
