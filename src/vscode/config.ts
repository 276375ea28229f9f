// One typed settings module; values are read live, so a change applies without a reload.
import * as vscode from 'vscode';

export const SECTION = 'cdfWorkflows';

export interface ConnectionAuthSettings {
  type: 'clientCredentials' | 'deviceCode' | 'token';
  tokenUrl?: string;
  tenantId?: string;
  clientId?: string;
  scopes?: string[];
  audience?: string;
  deviceAuthorizationUrl?: string;
}

/** A connection as stored in settings: everything but the secret. */
export interface ConnectionSettings {
  name: string;
  cluster?: string;
  baseUrl?: string;
  project: string;
  auth: ConnectionAuthSettings;
  /** The embedded local sandbox: its default client secret is known to the extension, never stored. */
  sandbox?: boolean;
}

function cfg(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Number.isFinite(n) ? n : min));
}

export const config = {
  connections: (): ConnectionSettings[] => cfg().get<ConnectionSettings[]>('connections', []),
  activeConnection: (): string | undefined => cfg().get<string>('activeConnection') || undefined,
  executionsPageSize: (): number => clamp(cfg().get<number>('executions.pageSize', 25), 1, 1000),
  followMinIntervalMs: (): number => clamp(cfg().get<number>('follow.minIntervalSeconds', 2), 1, 60) * 1000,
  followMaxIntervalMs: (): number => Math.max(config.followMinIntervalMs(), clamp(cfg().get<number>('follow.maxIntervalSeconds', 30), 1, 600) * 1000),
  followNotify: (): 'always' | 'failures' | 'never' => cfg().get<'always' | 'failures' | 'never'>('follow.notify', 'always'),
  requestTimeoutMs: (): number => clamp(cfg().get<number>('requestTimeoutSeconds', 60), 5, 600) * 1000,
  /** User settings only (application scope): a workspace must not aim the wizard at a function it did not make. */
  triggerFunctionExternalId: (): string => {
    const value = cfg().inspect<string>('schedule.functionExternalId');
    return value?.globalValue || value?.defaultValue || 'workflow-trigger';
  },
  /** What clicking an execution opens: the workflow view's graph, or the details as text. */
  executionsOpenIn: (): 'graph' | 'text' => (cfg().get<string>('executions.openIn', 'graph') === 'text' ? 'text' : 'graph'),
  functionDeployTimeoutMs: (): number => clamp(cfg().get<number>('schedule.deployTimeoutMinutes', 15), 1, 60) * 60_000,
  definitionsUseConnection: (): boolean => cfg().get<boolean>('definitions.useConnection', true),
  definitionsShowInputReads: (): boolean => cfg().get<boolean>('definitions.showWorkflowInputReads', true),
  definitionsDiagnosticsDelayMs: (): number => clamp(cfg().get<number>('definitions.diagnosticsDelayMs', 150), 0, 2000),

  async setConnections(list: ConnectionSettings[]): Promise<void> {
    await cfg().update('connections', list, vscode.ConfigurationTarget.Global);
  },
  async setActiveConnection(name: string | undefined): Promise<void> {
    await cfg().update('activeConnection', name, vscode.ConfigurationTarget.Global);
  },
  /** Fires for changes of this extension's settings only. */
  onDidChange(listener: (e: vscode.ConfigurationChangeEvent) => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration(e => {
      if (e.affectsConfiguration(SECTION)) listener(e);
    });
  },
};
