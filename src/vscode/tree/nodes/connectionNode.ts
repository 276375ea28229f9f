// Root nodes: one per connection; the active one is marked and expanded. Children: the workflows.
import * as vscode from 'vscode';
import { type ConnectionSettings } from '../../config';
import { connectionSummary, isEmbeddedSandbox } from '../../connections/model';
import { inlineCode } from '../../details/markdown';
import { type TreeContext, type TreeServices } from '../context';
import { escapeMarkdown, LoadingNode, MessageNode, type TreeNode } from '../node';
import { WorkflowNode } from './workflowNode';

export class ConnectionNode extends LoadingNode {
  constructor(
    readonly connection: ConnectionSettings,
    private readonly active: boolean,
    readonly ctx: TreeContext,
  ) {
    super(undefined, ctx.changes);
  }

  get services(): TreeServices {
    return this.ctx.services;
  }

  get id(): string {
    return `conn/${this.connection.name}`;
  }

  getTreeItem(): vscode.TreeItem {
    const c = this.connection;
    const item = new vscode.TreeItem(c.name, this.active ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = `${connectionSummary(c)}${this.active ? ' · active' : ''}`;
    item.iconPath = new vscode.ThemeIcon(c.sandbox ? 'beaker' : 'cloud', this.active ? new vscode.ThemeColor('charts.green') : undefined);
    item.tooltip = new vscode.MarkdownString(
      `**${escapeMarkdown(c.name)}**${this.active ? ' (active)' : ''}\n\n` +
        `Project: ${inlineCode(c.project)}\n\nAPI: ${isEmbeddedSandbox(c) ? 'run by the extension on 127.0.0.1, on a port picked when it starts' : escapeMarkdown(c.baseUrl ?? `https://${c.cluster ?? '?'}.cognitedata.com`)}\n\n` +
        `Sign-in: ${c.auth.type === 'clientCredentials' ? `client credentials (client id ${inlineCode(c.auth.clientId ?? '?')})` : c.auth.type === 'deviceCode' ? 'device code (your user)' : 'access token'}` +
        (c.sandbox ? '\n\nThe local CDF sandbox on this machine.' : ''),
    );
    item.contextValue = ['connection', 'refreshable', c.auth.type === 'deviceCode' ? 'deviceCode' : 'secret', this.active ? 'active' : ''].filter(Boolean).join(' ');
    return item;
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    const { client } = await this.services.connections.client(this.connection.name);
    const workflows = [];
    for await (const w of client.workflows.iterate({ limit: 1000 })) workflows.push(w);
    workflows.sort((a, b) => a.externalId.localeCompare(b.externalId));
    if (workflows.length === 0) return [new MessageNode(this, 'empty', 'No workflows in this project yet')];
    return workflows.map(w => new WorkflowNode(this, w));
  }
}
