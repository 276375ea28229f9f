// Commands that add, edit, remove, switch and test connections. Prompts go through the injectable ui.
import * as vscode from 'vscode';
import { checkCapabilities, formatCapability } from '../../core/access/requiredCapabilities';
import { COGNITE_PUBLIC_CLIENT_ID, readToolkitEnv } from '../../core/auth/toolkitEnv';
import { defaultClientCredentialsScopes } from '../../core/auth/entra';
import { CancelledError, CdfApiError, InputError } from '../../core/errors';
import { clusterBaseUrl, parseServiceUrl } from '../../core/http/urls';
import { type CommandHandler } from '../boundary';
import { type ConnectionAuthSettings, type ConnectionSettings } from '../config';
import { type Services } from '../services';

import { runPrompts, type PromptStep } from '../wizard';
import { baseUrlOf, connectionSummary, isEmbeddedSandbox, SANDBOX_CONNECTION_NAME, settingsFromDescription } from './model';

/** Tree nodes of connections pass themselves; anything with a connection name works. */
export function connectionNameOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'connection' in arg) {
    const c = (arg).connection;
    if (typeof c === 'string') return c;
    if (c && typeof c === 'object' && 'name' in c && typeof (c).name === 'string') return (c as { name: string }).name;
  }
  return undefined;
}

interface ConnectionDraft {
  previous?: ConnectionSettings;
  name?: string;
  where?: 'cluster' | 'baseUrl';
  cluster?: string;
  baseUrl?: string;
  project?: string;
  authType?: ConnectionAuthSettings['type'];
  endpoint?: 'tenant' | 'url';
  tenantId?: string;
  tokenUrl?: string;
  deviceAuthorizationUrl?: string;
  clientId?: string;
  clientSecret?: string;
  scopes?: string[];
}

const required = (what: string) => (v: string) => (v.trim() ? undefined : `Enter the ${what}.`);
const urlCheck = (what: string) => (v: string) => {
  if (!v.trim()) return `Enter the ${what}.`;
  try {
    parseServiceUrl(v, what);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
};

function connectionSteps(s: Services): PromptStep<ConnectionDraft>[] {
  const names = () => new Set(s.connections.list().map(c => c.name));
  return [
    {
      prompt: async (d, ui, step) => {
        d.name = (await ui.input({ ...step, prompt: 'Name of the connection (shown in the tree and the status bar)', value: d.name ?? d.previous?.name ?? '', placeholder: 'e.g. Production (westeurope-1)',
          validate: v => (!v.trim() ? 'Enter a name.' : v.trim() !== d.previous?.name && names().has(v.trim()) ? `A connection named "${v.trim()}" exists already.` : v.length > 64 ? 'At most 64 characters.' : undefined) })).trim();
      },
    },
    {
      prompt: async (d, ui, step) => {
        d.where = await ui.pick<'cluster' | 'baseUrl'>({ ...step, placeholder: 'Where does the CDF project live?', items: [
          { label: 'A CDF cluster', description: 'https://<cluster>.cognitedata.com', value: 'cluster' },
          { label: 'Another base URL', description: 'private link, proxy, or the local sandbox', value: 'baseUrl' },
        ], active: i => i.value === (d.where ?? (d.previous?.baseUrl ? 'baseUrl' : 'cluster')) });
      },
    },
    {
      shouldPrompt: d => d.where === 'cluster',
      prompt: async (d, ui, step) => {
        d.cluster = (await ui.input({ ...step, prompt: 'CDF cluster: the part before .cognitedata.com', placeholder: 'e.g. westeurope-1, api, az-eastus-1', value: d.cluster ?? d.previous?.cluster ?? '',
          validate: v => { try { clusterBaseUrl(v); return undefined; } catch (e) { return (e as Error).message; } } })).trim();
        d.baseUrl = undefined;
      },
    },
    {
      shouldPrompt: d => d.where === 'baseUrl',
      prompt: async (d, ui, step) => {
        d.baseUrl = (await ui.input({ ...step, prompt: 'API base URL (https; http only for localhost)', placeholder: 'https://my-cluster.cognitedata.com', value: d.baseUrl ?? d.previous?.baseUrl ?? '', validate: urlCheck('base URL') })).trim();
        d.cluster = undefined;
      },
    },
    {
      prompt: async (d, ui, step) => {
        d.project = (await ui.input({ ...step, prompt: 'CDF project name', value: d.project ?? d.previous?.project ?? '', validate: required('project name') })).trim();
      },
    },
    {
      prompt: async (d, ui, step) => {
        d.authType = await ui.pick<ConnectionAuthSettings['type']>({ ...step, placeholder: 'How to sign in', items: [
          { label: 'Client credentials', description: 'a service principal: client id and secret', value: 'clientCredentials' },
          { label: 'Device code sign-in', description: 'your own user, in a browser', value: 'deviceCode' },
        ], active: i => i.value === (d.authType ?? d.previous?.auth.type ?? 'clientCredentials') });
      },
    },
    {
      prompt: async (d, ui, step) => {
        d.endpoint = await ui.pick<'tenant' | 'url'>({ ...step, placeholder: 'Identity provider', items: [
          { label: 'Entra ID (Azure AD) tenant', description: 'give the tenant id', value: 'tenant' },
          { label: 'Token URL', description: 'any OAuth2 provider', value: 'url' },
        ], active: i => i.value === (d.endpoint ?? (d.previous?.auth.tenantId ? 'tenant' : d.previous?.auth.tokenUrl ? 'url' : 'tenant')) });
      },
    },
    {
      shouldPrompt: d => d.endpoint === 'tenant',
      prompt: async (d, ui, step) => {
        d.tenantId = (await ui.input({ ...step, prompt: 'Entra ID tenant id (a GUID or a domain)', value: d.tenantId ?? d.previous?.auth.tenantId ?? '', validate: required('tenant id') })).trim();
        d.tokenUrl = undefined;
        d.deviceAuthorizationUrl = undefined;
      },
    },
    {
      shouldPrompt: d => d.endpoint === 'url',
      prompt: async (d, ui, step) => {
        d.tokenUrl = (await ui.input({ ...step, prompt: 'OAuth2 token URL', placeholder: 'https://login.example.com/oauth2/token', value: d.tokenUrl ?? d.previous?.auth.tokenUrl ?? '', validate: urlCheck('token URL') })).trim();
        d.tenantId = undefined;
      },
    },
    {
      shouldPrompt: d => d.endpoint === 'url' && d.authType === 'deviceCode',
      prompt: async (d, ui, step) => {
        d.deviceAuthorizationUrl = (await ui.input({ ...step, prompt: 'Device authorization URL of the identity provider', value: d.deviceAuthorizationUrl ?? d.previous?.auth.deviceAuthorizationUrl ?? '', validate: urlCheck('device authorization URL') })).trim();
      },
    },
    {
      prompt: async (d, ui, step) => {
        const fallback = d.authType === 'deviceCode' && d.endpoint === 'tenant' ? COGNITE_PUBLIC_CLIENT_ID : '';
        d.clientId = (await ui.input({ ...step, prompt: d.authType === 'deviceCode' ? "Client id of the app registration (Cognite's public client works on Entra ID)" : 'Client id', value: d.clientId ?? d.previous?.auth.clientId ?? fallback, validate: required('client id') })).trim();
      },
    },
    {
      shouldPrompt: d => d.authType === 'clientCredentials',
      prompt: async (d, ui, step) => {
        const keep = d.previous !== undefined && d.previous.auth.type === 'clientCredentials';
        const v = await ui.input({ ...step, password: true, prompt: keep ? 'Client secret (leave empty to keep the stored one). Kept in SecretStorage only.' : 'Client secret. Kept in VS Code SecretStorage only.',
          validate: x => (keep || x ? undefined : 'Enter the client secret.') });
        d.clientSecret = v === '' ? undefined : v;
      },
    },
    {
      prompt: async (d, ui, step) => {
        let fallback = '';
        try { fallback = d.authType === 'clientCredentials' ? defaultClientCredentialsScopes(d.cluster, baseUrlOf(d)).join(', ') : ''; } catch { /* shown as empty */ }
        const v = await ui.input({ ...step, prompt: `Scopes, comma separated (leave empty for the default${fallback ? `: ${fallback}` : ''})`, value: (d.scopes ?? d.previous?.auth.scopes ?? []).join(', ') });
        d.scopes = v.split(',').map(x => x.trim()).filter(Boolean);
      },
    },
  ];
}

function draftToSettings(d: ConnectionDraft): ConnectionSettings {
  const auth: ConnectionAuthSettings = { type: d.authType ?? 'clientCredentials', clientId: d.clientId };
  if (d.tenantId) auth.tenantId = d.tenantId;
  if (d.tokenUrl) auth.tokenUrl = d.tokenUrl;
  if (d.deviceAuthorizationUrl) auth.deviceAuthorizationUrl = d.deviceAuthorizationUrl;
  if (d.scopes?.length) auth.scopes = d.scopes;
  const c: ConnectionSettings = { name: d.name!, project: d.project!, auth };
  if (d.cluster) c.cluster = d.cluster;
  if (d.baseUrl) c.baseUrl = d.baseUrl;
  return c;
}

async function pickConnection(s: Services, placeholder: string, arg: unknown): Promise<ConnectionSettings> {
  const name = connectionNameOf(arg);
  if (name !== undefined) return s.connections.resolve(name);
  const all = s.connections.list();
  if (all.length === 0) throw new InputError('No CDF connection yet. Add one with CDF Workflows: Add Connection, or try the local sandbox.');
  const active = s.connections.active()?.name;
  return s.ui().pick<ConnectionSettings>({ placeholder, items: all.map(c => ({ label: c.name, description: `${connectionSummary(c)}${c.name === active ? '  (active)' : ''}`, value: c })), active: i => i.value.name === active });
}

async function testConnection(s: Services, name: string): Promise<void> {
  const { connection, client } = await s.connections.client(name);
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Testing "${name}"...`, cancellable: true }, async (_p, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    try {
      return { inspection: await client.tokenInspect({ signal: abort.signal }) };
    } catch (e) {
      if (!(e instanceof CdfApiError) || e.status !== 403) throw e;
      // token/inspect needs projectsAcl:LIST and groupsAcl:LIST; reading one workflow still proves access.
      await client.workflows.list({ limit: 1, signal: abort.signal });
      return { inspection: undefined };
    }
  });
  if (!result.inspection) {
    await s.ui().ask('info', `Connected to project "${connection.project}". The capabilities could not be read: GET /token/inspect needs projectsAcl:LIST and groupsAcl:LIST.`, {});
    return;
  }
  const report = checkCapabilities(result.inspection, connection.project);
  if (!report.projectAccess) {
    await s.ui().ask('error', `Signed in as ${result.inspection.subject}, but the token has no access to project "${connection.project}" (it has: ${result.inspection.projects.map(p => p.projectUrlName).join(', ') || 'none'}). Check the project name and the scopes.`, {}, 'Edit Connection');
    return;
  }
  if (report.missing.length === 0 && report.limited.length === 0) {
    await s.ui().ask('info', `Connected to project "${connection.project}" as ${result.inspection.subject}. Every capability the extension uses is granted.`, {});
    return;
  }
  const lines = [
    ...report.missing.map(m => `Missing ${formatCapability(m)}`),
    ...report.limited.map(m => `Only for some data sets: ${formatCapability(m)}`),
  ];
  s.log.warn(`Test Connection "${name}":\n  ${lines.join('\n  ')}`);
  await s.ui().ask('warning', `Connected to project "${connection.project}", but ${report.missing.length} capabilit${report.missing.length === 1 ? 'y is' : 'ies are'} missing: ${report.missing.map(m => `${m.acl}:${m.action}`).join(', ') || 'none'}.`, { detail: lines.join('\n') });
}

export function connectionCommands(s: Services): Record<string, CommandHandler> {
  return {
    'cdfWorkflows.addConnection': async () => {
      const d: ConnectionDraft = {};
      await runPrompts(s.ui(), d, { title: 'Add CDF Connection', prompts: connectionSteps(s) });
      const c = draftToSettings(d);
      await s.connections.save(c, { clientSecret: d.clientSecret });
      await s.connections.setActive(c.name);
      s.log.info(`Added connection "${c.name}" (${connectionSummary(c)})`);
      const choice = await s.ui().ask('info', `Connection "${c.name}" added and made active.`, {}, 'Test Connection');
      if (choice === 'Test Connection') await testConnection(s, c.name);
    },

    'cdfWorkflows.editConnection': async (arg?: unknown) => {
      const previous = await pickConnection(s, 'Connection to edit', arg);
      const d: ConnectionDraft = { previous };
      await runPrompts(s.ui(), d, { title: `Edit Connection "${previous.name}"`, prompts: connectionSteps(s) });
      const c = { ...draftToSettings(d), ...(previous.sandbox ? { sandbox: true } : {}) };
      await s.connections.save(c, { clientSecret: d.clientSecret }, previous.name);
      s.log.info(`Updated connection "${c.name}"`);
    },

    'cdfWorkflows.removeConnection': async (arg?: unknown) => {
      const c = await pickConnection(s, 'Connection to remove', arg);
      const ok = await s.ui().ask('warning', `Remove connection "${c.name}" and the secrets stored for it?`, { modal: true, detail: 'Nothing in CDF is changed.' }, 'Remove');
      if (ok !== 'Remove') throw new CancelledError();
      await s.connections.remove(c.name);
      s.log.info(`Removed connection "${c.name}" and its secrets`);
    },

    'cdfWorkflows.switchConnection': async (arg?: unknown) => {
      const c = await pickConnection(s, 'Connection to use', arg);
      await s.connections.setActive(c.name);
    },

    'cdfWorkflows.importToolkitEnv': async (arg?: unknown) => {
      const uri = arg instanceof vscode.Uri ? arg : await s.ui().openFile({ title: 'Cognite Toolkit .env file', filters: { 'Environment files': ['env'], 'All files': ['*'] } });
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      const env = readToolkitEnv(text, process.env);
      const base = `${env.connection.project} (.env)`;
      const taken = new Set(s.connections.list().map(c => c.name));
      const name = (await s.ui().input({ title: 'Import from Toolkit .env', prompt: 'Name of the new connection', value: base,
        validate: v => (!v.trim() ? 'Enter a name.' : taken.has(v.trim()) ? `A connection named "${v.trim()}" exists already.` : undefined) })).trim();
      const c = settingsFromDescription(name, env.connection);
      await s.connections.save(c, env.connection.loginFlow === 'token' ? { token: env.secret } : { clientSecret: env.secret });
      await s.connections.setActive(name);
      for (const w of env.warnings) s.log.warn(`Import ${uri.fsPath}: ${w}`);
      s.log.info(`Imported connection "${name}" (${connectionSummary(c)}) from ${uri.fsPath}; its secret went to SecretStorage.`);
      await s.ui().ask('info', `Imported "${name}" from ${vscode.workspace.asRelativePath(uri)}.${env.secret ? ' The secret is now in SecretStorage; you may delete it from the file.' : ''}${env.warnings.length ? ` ${env.warnings.length} warning(s) in the log.` : ''}`, {});
    },

    'cdfWorkflows.trySandbox': async () => {
      const running = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Starting the local CDF sandbox...' }, () => s.sandbox.start());
      // An earlier sandbox connection (one with a fixed URL, as earlier versions made) becomes this one.
      const all = s.connections.list();
      const existing = all.find(c => isEmbeddedSandbox(c)) ?? all.find(c => c.sandbox);
      // No URL and no secret in settings: the port is picked when the sandbox starts, the secret is per install.
      const c: ConnectionSettings = { name: existing?.name ?? SANDBOX_CONNECTION_NAME, project: running.project, auth: { type: 'clientCredentials', clientId: running.clientId }, sandbox: true };
      await s.connections.save(c, {}, existing?.name);
      await s.connections.setActive(c.name);
      await vscode.commands.executeCommand('cdfWorkflows.explorer.focus');
      await s.ui().ask('info', `The local sandbox runs at ${running.baseUrl} with demo workflows. Expand "${c.name}" in the CDF Workflows view.`, {});
    },

    'cdfWorkflows.testConnection': async (arg?: unknown) => {
      const c = await pickConnection(s, 'Connection to test', arg);
      await testConnection(s, c.name);
    },

    'cdfWorkflows.signIn': async (arg?: unknown) => {
      const c = await pickConnection(s, 'Connection to sign in to', arg);
      if (c.auth.type !== 'deviceCode') throw new InputError(`"${c.name}" uses ${c.auth.type === 'clientCredentials' ? 'client credentials' : 'a token'}: there is nothing to sign in to.`);
      await s.connections.signOut(c.name);
      await testConnection(s, c.name);
    },

    'cdfWorkflows.signOut': async (arg?: unknown) => {
      const c = await pickConnection(s, 'Connection to sign out of', arg);
      await s.connections.signOut(c.name);
      await s.ui().ask('info', `Signed out of "${c.name}".`, {});
    },
  };
}


