// Commands that add, edit, remove, switch and test connections. Prompts go through the injectable ui.
import * as vscode from 'vscode';
import { checkCapabilities, formatCapability } from '../../core/access/requiredCapabilities';
import { COGNITE_PUBLIC_CLIENT_ID, readToolkitEnv } from '../../core/auth/toolkitEnv';
import { defaultClientCredentialsScopes } from '../../core/auth/entra';
import { AuthError, CancelledError, CdfApiError, InputError, NetworkError, TimeoutError } from '../../core/errors';
import { clusterBaseUrl, parseCdfBaseUrl, parseServiceUrl } from '../../core/http/urls';
import { describeError, type CommandHandler } from '../boundary';
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
  /** The identity provider refused the secret on Finish: it must be typed again. */
  secretRefused?: boolean;
}

const baseUrlCheck = (v: string): string | undefined => {
  if (!v.trim()) return 'Enter the base URL.';
  try {
    parseCdfBaseUrl(v, 'Base URL');
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
};

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

/** The prompts a sign-in failure can send the user back to, by what it says is wrong. */
type StepId = 'name' | 'where' | 'cluster' | 'baseUrl' | 'project' | 'auth' | 'endpoint' | 'tenant' | 'tokenUrl' | 'deviceUrl' | 'clientId' | 'secret' | 'scopes';

type ConnectionStep = PromptStep<ConnectionDraft> & { readonly id: StepId };

function connectionSteps(s: Services): ConnectionStep[] {
  const names = () => new Set(s.connections.list().map(c => c.name));
  return [
    {
      id: 'name',
      prompt: async (d, ui, step) => {
        d.name = (await ui.input({ ...step, prompt: 'Name of the connection (shown in the tree and the status bar)', value: d.name ?? d.previous?.name ?? '', placeholder: 'e.g. Production (westeurope-1)',
          validate: v => (!v.trim() ? 'Enter a name.' : v.trim() !== d.previous?.name && names().has(v.trim()) ? `A connection named "${v.trim()}" exists already.` : v.length > 64 ? 'At most 64 characters.' : undefined) })).trim();
      },
    },
    {
      id: 'where',
      prompt: async (d, ui, step) => {
        d.where = await ui.pick<'cluster' | 'baseUrl'>({ ...step, placeholder: 'Where does the CDF project live?', items: [
          { label: 'A CDF cluster', description: 'https://<cluster>.cognitedata.com', value: 'cluster' },
          { label: 'Another base URL', description: 'private link, proxy, or the local sandbox', value: 'baseUrl' },
        ], active: i => i.value === (d.where ?? (d.previous?.baseUrl ? 'baseUrl' : 'cluster')) });
      },
    },
    {
      id: 'cluster',
      shouldPrompt: d => d.where === 'cluster',
      prompt: async (d, ui, step) => {
        d.cluster = (await ui.input({ ...step, prompt: 'CDF cluster: the part before .cognitedata.com', placeholder: 'e.g. westeurope-1, api, az-eastus-1', value: d.cluster ?? d.previous?.cluster ?? '',
          validate: v => { try { clusterBaseUrl(v); return undefined; } catch (e) { return (e as Error).message; } } })).trim();
        d.baseUrl = undefined;
      },
    },
    {
      id: 'baseUrl',
      shouldPrompt: d => d.where === 'baseUrl',
      prompt: async (d, ui, step) => {
        const value = (await ui.input({ ...step, prompt: 'API base URL (https; http only for localhost). A URL ending in /api/v1/projects/<project> gives the project too.', placeholder: 'https://my-cluster.cognitedata.com', value: d.baseUrl ?? d.previous?.baseUrl ?? '', validate: baseUrlCheck })).trim();
        // Pasted with CDF's API path: keep the server, and take the project from the path.
        const parsed = parseCdfBaseUrl(value, 'Base URL');
        d.baseUrl = parsed.baseUrl;
        if (parsed.project) d.project = parsed.project;
        d.cluster = undefined;
      },
    },
    {
      id: 'project',
      prompt: async (d, ui, step) => {
        d.project = (await ui.input({ ...step, prompt: 'CDF project name', value: d.project ?? d.previous?.project ?? '', validate: required('project name') })).trim();
      },
    },
    {
      id: 'auth',
      prompt: async (d, ui, step) => {
        d.authType = await ui.pick<ConnectionAuthSettings['type']>({ ...step, placeholder: 'How to sign in', items: [
          { label: 'Client credentials', description: 'a service principal: client id and secret', value: 'clientCredentials' },
          { label: 'Device code sign-in', description: 'your own user, in a browser', value: 'deviceCode' },
        ], active: i => i.value === (d.authType ?? d.previous?.auth.type ?? 'clientCredentials') });
      },
    },
    {
      id: 'endpoint',
      prompt: async (d, ui, step) => {
        d.endpoint = await ui.pick<'tenant' | 'url'>({ ...step, placeholder: 'Identity provider', items: [
          { label: 'Entra ID (Azure AD) tenant', description: 'give the tenant id', value: 'tenant' },
          { label: 'Token URL', description: 'any OAuth2 provider', value: 'url' },
        ], active: i => i.value === (d.endpoint ?? (d.previous?.auth.tenantId ? 'tenant' : d.previous?.auth.tokenUrl ? 'url' : 'tenant')) });
      },
    },
    {
      id: 'tenant',
      shouldPrompt: d => d.endpoint === 'tenant',
      prompt: async (d, ui, step) => {
        d.tenantId = (await ui.input({ ...step, prompt: 'Entra ID tenant id (a GUID or a domain)', value: d.tenantId ?? d.previous?.auth.tenantId ?? '', validate: required('tenant id') })).trim();
        d.tokenUrl = undefined;
        d.deviceAuthorizationUrl = undefined;
      },
    },
    {
      id: 'tokenUrl',
      shouldPrompt: d => d.endpoint === 'url',
      prompt: async (d, ui, step) => {
        d.tokenUrl = (await ui.input({ ...step, prompt: 'OAuth2 token URL', placeholder: 'https://login.example.com/oauth2/token', value: d.tokenUrl ?? d.previous?.auth.tokenUrl ?? '', validate: urlCheck('token URL') })).trim();
        d.tenantId = undefined;
      },
    },
    {
      id: 'deviceUrl',
      shouldPrompt: d => d.endpoint === 'url' && d.authType === 'deviceCode',
      prompt: async (d, ui, step) => {
        d.deviceAuthorizationUrl = (await ui.input({ ...step, prompt: 'Device authorization URL of the identity provider', value: d.deviceAuthorizationUrl ?? d.previous?.auth.deviceAuthorizationUrl ?? '', validate: urlCheck('device authorization URL') })).trim();
      },
    },
    {
      id: 'clientId',
      prompt: async (d, ui, step) => {
        const fallback = d.authType === 'deviceCode' && d.endpoint === 'tenant' ? COGNITE_PUBLIC_CLIENT_ID : '';
        d.clientId = (await ui.input({ ...step, prompt: d.authType === 'deviceCode' ? "Client id of the app registration (Cognite's public client works on Entra ID)" : 'Client id', value: d.clientId ?? d.previous?.auth.clientId ?? fallback, validate: required('client id') })).trim();
      },
    },
    {
      id: 'secret',
      shouldPrompt: d => d.authType === 'clientCredentials',
      prompt: async (d, ui, step) => {
        // After a failed sign-in the stored secret is not kept by default: the user is here to change it.
        const keep = d.previous !== undefined && d.previous.auth.type === 'clientCredentials' && !d.secretRefused;
        const v = await ui.input({ ...step, password: true, prompt: keep ? 'Client secret (leave empty to keep the stored one). Kept in SecretStorage only.' : 'Client secret. Kept in VS Code SecretStorage only.',
          validate: x => (keep || x ? undefined : 'Enter the client secret.') });
        d.clientSecret = v === '' ? undefined : v;
      },
    },
    {
      id: 'scopes',
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

type FinishOutcome = 'signedIn' | 'notTested' | 'saveAnyway';

const SAVE_ANYWAY = 'Save Anyway';

/** Where a failed sign-in sends the user: the prompt that most likely holds the mistake, and its button. */
function fixStepOf(error: unknown, d: ConnectionDraft): { id: StepId; action: string } | undefined {
  if (error instanceof AuthError) {
    if (error.reason === 'token-endpoint') return d.endpoint === 'tenant' ? { id: 'tenant', action: 'Fix Tenant Id' } : { id: 'tokenUrl', action: 'Fix Token URL' };
    if (error.reason === 'invalid-scope') return { id: 'scopes', action: 'Fix Scopes' };
    if (d.authType === 'clientCredentials') return { id: 'secret', action: 'Fix Secret' };
    return { id: 'clientId', action: 'Fix Client Id' };
  }
  if (error instanceof CdfApiError) {
    // The identity provider gave a token that CDF refuses: it was asked for the wrong audience.
    if (error.reason === 'unauthorized') return { id: 'scopes', action: 'Fix Scopes' };
    if (error.reason === 'forbidden' || error.reason === 'not-found') return { id: 'project', action: 'Fix Project' };
    return undefined;
  }
  if (error instanceof NetworkError || error instanceof TimeoutError) return d.where === 'cluster' ? { id: 'cluster', action: 'Fix Cluster' } : { id: 'baseUrl', action: 'Fix Base URL' };
  if (error instanceof InputError) return { id: 'name', action: 'Edit Answers' };
  return undefined;
}

/**
 * The sign-in test on Finish: client credentials (and a stored or typed access token) sign in and read
 * the project once before anything is saved. On failure the user chooses: fix the answer that is wrong
 * (the wizard reopens at that prompt with every other answer kept, then tests again), save anyway (not
 * made active), or cancel (nothing saved). Device code sign-in needs the user in a browser: not tested.
 */
async function signInOnFinish(s: Services, d: ConnectionDraft, wizard: { title: string; steps: ConnectionStep[] }): Promise<FinishOutcome> {
  for (;;) {
    if (d.authType === 'deviceCode') return 'notTested';
    const settings = { ...draftToSettings(d), ...(d.previous?.sandbox ? { sandbox: true } : {}) };
    // Editing without a new secret tests the stored one, under the connection's stored name.
    const probe = d.previous && d.clientSecret === undefined ? { ...settings, name: d.previous.name } : settings;
    let failure: unknown;
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Signing in to "${settings.name}"...`, cancellable: true }, async (_p, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          await s.connections.testSignIn(probe, d.clientSecret !== undefined ? { clientSecret: d.clientSecret } : {}, abort.signal);
        } finally {
          sub.dispose();
        }
      });
      return 'signedIn';
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      failure = e;
    }
    const message = describeError(failure).message;
    s.log.warn(`${wizard.title}: the sign-in test failed: ${message}`);
    const fix = fixStepOf(failure, d);
    const choice = await s.ui().ask(
      'error',
      `"${settings.name}" cannot sign in: ${message}`,
      { modal: true, detail: `${fix ? `${fix.action} reopens the wizard there, with your other answers kept. ` : ''}${SAVE_ANYWAY} keeps the connection without making it active.`, cancel: 'Cancel' },
      ...(fix ? [fix.action] : []),
      SAVE_ANYWAY,
    );
    if (choice === SAVE_ANYWAY) return 'saveAnyway';
    if (!fix || choice !== fix.action) throw new CancelledError(`${wizard.title}: cancelled after the sign-in test failed; nothing was saved.`);
    if (fix.id === 'secret') {
      d.secretRefused = true;
      d.clientSecret = undefined;
    }
    const startAt = Math.max(0, wizard.steps.findIndex(step => step.id === fix.id));
    await runPrompts(s.ui(), d, { title: wizard.title, prompts: wizard.steps, startAt });
  }
}

export function connectionCommands(s: Services): Record<string, CommandHandler> {
  return {
    'cdfWorkflows.addConnection': async () => {
      const d: ConnectionDraft = {};
      const title = 'Add CDF Connection';
      const steps = connectionSteps(s);
      await runPrompts(s.ui(), d, { title, prompts: steps });
      const outcome = await signInOnFinish(s, d, { title, steps });
      const c = draftToSettings(d);
      await s.connections.save(c, { clientSecret: d.clientSecret }, undefined, { activate: outcome === 'signedIn' });
      if (outcome === 'saveAnyway') {
        s.log.warn(`Added connection "${c.name}" (${connectionSummary(c)}) without a working sign-in; it was not made active.`);
        void s.ui().ask('warning', `Connection "${c.name}" saved, not made active: it cannot sign in yet. Use Change Secret... or Edit Connection... on it to fix it.`, {});
        return;
      }
      await s.connections.setActive(c.name);
      s.log.info(`Added connection "${c.name}" (${connectionSummary(c)})`);
      const signedIn = outcome === 'signedIn' ? ` Signed in to project "${c.project}".` : '';
      const choice = await s.ui().ask('info', `Connection "${c.name}" added and made active.${signedIn}`, {}, 'Test Connection');
      if (choice === 'Test Connection') await testConnection(s, c.name);
    },

    'cdfWorkflows.editConnection': async (arg?: unknown) => {
      const previous = await pickConnection(s, 'Connection to edit', arg);
      const d: ConnectionDraft = { previous };
      const title = `Edit Connection "${previous.name}"`;
      const steps = connectionSteps(s);
      await runPrompts(s.ui(), d, { title, prompts: steps });
      const outcome = await signInOnFinish(s, d, { title, steps });
      const c = { ...draftToSettings(d), ...(previous.sandbox ? { sandbox: true } : {}) };
      await s.connections.save(c, { clientSecret: d.clientSecret }, previous.name);
      if (outcome === 'saveAnyway') {
        s.log.warn(`Updated connection "${c.name}" without a working sign-in.`);
        void s.ui().ask('warning', `Connection "${c.name}" saved; it cannot sign in yet.`, {});
        return;
      }
      s.log.info(`Updated connection "${c.name}"`);
    },

    'cdfWorkflows.changeSecret': async (arg?: unknown) => {
      const c = await pickConnection(s, 'Connection whose secret to change', arg);
      if (c.auth.type === 'deviceCode') throw new InputError(`"${c.name}" signs in with a device code: there is no secret to change. Use Sign In with Device Code... instead.`);
      const kind = c.auth.type === 'token' ? 'token' : 'clientSecret';
      const what = kind === 'token' ? 'access token' : `client secret of ${c.auth.clientId ?? 'the client'}`;
      const secret = await s.ui().input({
        title: `Change Secret of "${c.name}"`,
        prompt: `New ${what}. It is tested by signing in before it is stored, in SecretStorage only.`,
        password: true,
        validate: v => (v ? undefined : `Enter the ${what}.`),
        // Checked when Enter is pressed: a refused secret keeps the box open with the reason.
        check: async v => {
          try {
            await s.connections.testSignIn(c, kind === 'token' ? { token: v } : { clientSecret: v });
            return undefined;
          } catch (e) {
            if (e instanceof CancelledError) throw e;
            return `Not stored: ${describeError(e).message}`;
          }
        },
      });
      await s.connections.save(c, kind === 'token' ? { token: secret } : { clientSecret: secret }, c.name);
      s.log.info(`Changed the ${kind === 'token' ? 'access token' : 'client secret'} of "${c.name}" (signed in with it first).`);
      s.tree.refresh({ connection: c.name });
      void s.ui().ask('info', `The ${what} of "${c.name}" is changed: signed in to project "${c.project}".`, {});
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


