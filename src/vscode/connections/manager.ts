// Owns the configured connections (settings + SecretStorage) and one CdfClient per connection, rebuilt
// when the connection's settings or secret change. Nothing here shows UI except the device code prompt.
//
// A replaced client is retired, not cut off: calls in flight finish on it, and an operation that holds it
// with use() (a run, a deploy) finishes on it too; it closes once the last of them is done. A removed or
// signed-out connection's client closes at once for new calls: whatever still holds it gets a
// ClientClosedError saying why, which the user sees (a cancellation would be silent).
import * as vscode from 'vscode';
import { tokenSourceFor } from '../../core/auth/fromConnection';
import { type DeviceCodePrompt } from '../../core/auth/deviceCode';
import { createCdfClient, type CdfClient, type CdfClientOptions } from '../../core/client';
import { CdfApiError, InputError } from '../../core/errors';
import { config, type ConnectionSettings } from '../config';
import { DisposableBase } from '../lifecycle';
import { type UserInput } from '../ui';
import { atSandbox, describeConnection, isEmbeddedSandbox, SANDBOX_CLIENT } from './model';
import { SandboxHost } from './sandboxHost';
import { type ConnectionSecrets } from './secrets';

export interface ConnectionManagerDeps {
  secrets: ConnectionSecrets;
  log: vscode.LogOutputChannel;
  appVersion: string;
  ui: () => UserInput;
  sandbox: SandboxHost;
}

interface CachedClient {
  /** The connection as used (the embedded sandbox at its current URL), the timeout and the options. */
  readonly key: string;
  readonly settingsKey: string;
  readonly client: Promise<CdfClient>;
  /** Operations holding the client through use(). */
  leases: number;
  /** Set when a newer client took over: close with this reason once the last lease ends. */
  retired?: string;
}

/** The client of a connection held for one operation; see ConnectionManager.use. */
export interface ClientLease {
  readonly connection: ConnectionSettings;
  readonly client: CdfClient;
}

export class ConnectionManager extends DisposableBase {
  private readonly clients = new Map<string, CachedClient>();
  private readonly emitter = this.register(new vscode.EventEmitter<void>());
  /** Fires when the list of connections, the active one, or a connection's credentials changed. */
  readonly onDidChange = this.emitter.event;
  private overrides: Partial<Pick<CdfClientOptions, 'retry' | 'run' | 'timeoutMs'>> = {};

  constructor(private readonly deps: ConnectionManagerDeps) {
    super();
    this.registerAll(
      config.onDidChange(e => {
        if (e.affectsConfiguration('cdfWorkflows.connections') || e.affectsConfiguration('cdfWorkflows.activeConnection') || e.affectsConfiguration('cdfWorkflows.requestTimeoutSeconds')) {
          this.retireStaleClients();
          this.emitter.fire();
        }
      }),
      deps.secrets.onDidChange((name, kind) => {
        // A refresh token is written by the client's own sign-in: its client stays.
        if (kind === 'refreshToken') return;
        this.retire(name, `the secret of connection "${name}" changed`);
        this.emitter.fire();
      }),
    );
  }

  list(): ConnectionSettings[] {
    return config.connections();
  }

  get(name: string): ConnectionSettings | undefined {
    return this.list().find(c => c.name === name);
  }

  /** The active connection: the setting, or the only one there is. */
  active(): ConnectionSettings | undefined {
    const all = this.list();
    const name = config.activeConnection();
    return (name ? all.find(c => c.name === name) : undefined) ?? (all.length === 1 ? all[0] : undefined);
  }

  /** The named connection, or the active one; a clear error when there is none. */
  resolve(name?: string): ConnectionSettings {
    if (name !== undefined) {
      const c = this.get(name);
      if (!c) throw new InputError(`There is no connection named "${name}". Pick one with CDF Workflows: Switch Connection.`);
      return c;
    }
    const c = this.active();
    if (c) return c;
    throw new InputError(
      this.list().length
        ? 'No active CDF connection. Pick one with CDF Workflows: Switch Connection.'
        : 'No CDF connection yet. Add one with CDF Workflows: Add Connection, or try the local sandbox.',
    );
  }

  /**
   * The client of the named (or active) connection, built on first use and reused afterwards. For one
   * call; an operation of several calls that must end on the same client (a run, a deploy) uses use().
   * The embedded sandbox's connection comes back with the URL the sandbox runs at now (started if needed).
   */
  async client(name?: string): Promise<ClientLease> {
    const { connection, cached } = await this.current(name);
    return { connection, client: await cached.client };
  }

  /**
   * Runs `operation` with the connection's client and keeps that client open until the operation ends,
   * even when the connection's settings or secret change meanwhile (later calls get a new client).
   */
  async use<T>(name: string | undefined, operation: (lease: ClientLease) => Promise<T>): Promise<T> {
    const { connection, cached } = await this.current(name);
    cached.leases++;
    try {
      return await operation({ connection, client: await cached.client });
    } finally {
      cached.leases--;
      if (cached.leases === 0 && cached.retired !== undefined) this.close(cached, cached.retired);
    }
  }

  private async current(name: string | undefined): Promise<{ connection: ConnectionSettings; cached: CachedClient }> {
    const configured = this.resolve(name);
    const embedded = isEmbeddedSandbox(configured);
    const connection = embedded ? atSandbox(configured, await this.deps.sandbox.start()) : configured;
    const key = JSON.stringify([connection, config.requestTimeoutMs(), this.overrides]);
    let cached = this.clients.get(connection.name);
    if (!cached || cached.key !== key) {
      if (cached) this.retire(connection.name, `the settings of connection "${connection.name}" changed`);
      const made: CachedClient = { key, settingsKey: this.settingsKeyOf(configured), client: this.build(connection, embedded), leases: 0 };
      this.clients.set(connection.name, made);
      made.client.catch(() => {
        if (this.clients.get(connection.name) === made) this.clients.delete(connection.name);
      });
      cached = made;
    }
    return { connection, cached };
  }

  /** What the settings say (not where the embedded sandbox runs now): a change retires the client. */
  private settingsKeyOf(configured: ConnectionSettings): string {
    return JSON.stringify([configured, config.requestTimeoutMs(), this.overrides]);
  }

  /**
   * The client secret a connection signs in with: the stored one; for the embedded sandbox, its
   * per-install secret; for a sandbox run with `npm run sandbox` defaults, the public default.
   */
  async clientSecret(name: string): Promise<string | undefined> {
    const c = this.get(name);
    if (c && isEmbeddedSandbox(c)) return this.deps.sandbox.clientSecret();
    const stored = await this.deps.secrets.get(name, 'clientSecret');
    if (stored || !c?.sandbox) return stored;
    return c.auth?.clientId === SANDBOX_CLIENT.clientId ? SANDBOX_CLIENT.clientSecret : undefined;
  }

  /**
   * Signs in with settings and a secret that are not saved (or with the stored secret when none is given)
   * and makes one request to the project, so a wrong secret, token URL, base URL or project is found
   * before anything is saved. Throws the typed error; a 403 counts as signed in (the identity is known).
   */
  async testSignIn(connection: ConnectionSettings, secrets: { clientSecret?: string; token?: string } = {}, signal?: AbortSignal): Promise<void> {
    const embedded = isEmbeddedSandbox(connection);
    const at = embedded ? atSandbox(connection, await this.deps.sandbox.start()) : connection;
    const client = await this.build(at, embedded, secrets);
    try {
      await client.tokenInspect({ signal });
    } catch (e) {
      if (!(e instanceof CdfApiError) || e.reason !== 'forbidden') throw e;
      // token/inspect needs projectsAcl:LIST and groupsAcl:LIST; a workflow list proves the project instead.
      try {
        await client.workflows.list({ limit: 1, signal });
      } catch (inner) {
        if (!(inner instanceof CdfApiError) || inner.reason !== 'forbidden') throw inner;
      }
    } finally {
      await client.close().catch(() => undefined);
    }
  }

  private async build(connection: ConnectionSettings, embedded: boolean, given: { clientSecret?: string; token?: string } = {}): Promise<CdfClient> {
    const description = describeConnection(connection);
    let secret: string | undefined;
    if (description.loginFlow === 'client_credentials') {
      secret = given.clientSecret ?? (await this.clientSecret(connection.name));
    } else if (description.loginFlow === 'token') {
      secret = given.token ?? (await this.deps.secrets.get(connection.name, 'token'));
    }
    if (connection.sandbox && !embedded) await this.checkSandboxRuns(connection.name, description.baseUrl);
    const deviceCode = description.loginFlow === 'device_code' || description.loginFlow === 'interactive';
    const tokenSource = tokenSourceFor(description, {
      secret,
      logger: this.deps.log,
      onPrompt: prompt => this.showDeviceCode(connection.name, prompt),
      // People stay signed in across restarts: the refresh token is kept in SecretStorage only.
      refreshToken: deviceCode ? await this.deps.secrets.get(connection.name, 'refreshToken') : undefined,
      onRefreshToken: token => {
        void this.deps.secrets.set(connection.name, 'refreshToken', token).then(undefined, (e: unknown) => this.deps.log.warn(`Keeping the sign-in of "${connection.name}": ${String(e)}`));
      },
    });
    return createCdfClient({
      baseUrl: description.baseUrl,
      project: description.project,
      tokenSource,
      appVersion: this.deps.appVersion,
      logger: this.deps.log,
      timeoutMs: config.requestTimeoutMs(),
      ...this.overrides,
    });
  }

  /** Tests shorten retry backoff and timeouts; clients are rebuilt with the new options. */
  setClientOptions(overrides: Partial<Pick<CdfClientOptions, 'retry' | 'run' | 'timeoutMs'>>): void {
    this.overrides = overrides;
    for (const name of [...this.clients.keys()]) this.retire(name, 'the client options changed');
  }

  /** A sandbox started elsewhere (npm start, npm run sandbox) is not started by the extension: say what to do. */
  private async checkSandboxRuns(name: string, baseUrl: string): Promise<void> {
    if (await SandboxHost.isListening(baseUrl)) return;
    throw new InputError(
      `Nothing answers at ${baseUrl}, the sandbox of connection "${name}". Start it with npm run sandbox, or run CDF Workflows: Try the Local Sandbox to switch "${name}" to the sandbox the extension runs itself.`,
    );
  }

  private showDeviceCode(connection: string, prompt: DeviceCodePrompt): void {
    const open = 'Copy Code and Open Browser';
    const message = `To sign in to "${connection}", open ${prompt.verificationUri} and enter the code ${prompt.userCode}.`;
    this.deps.log.info(`Device code sign-in for "${connection}": open ${prompt.verificationUri} and enter the code shown.`);
    void this.deps.ui().ask('info', message, {}, open).then(async choice => {
      if (choice !== open) return;
      await vscode.env.clipboard.writeText(prompt.userCode);
      await vscode.env.openExternal(vscode.Uri.parse(prompt.verificationUriComplete ?? prompt.verificationUri));
    });
  }

  /**
   * Stores a connection (settings) and its secrets (SecretStorage). It becomes the active one when there
   * is none yet, or when it is the active one renamed; `activate: false` (a connection saved although its
   * sign-in failed) never takes the place of another.
   */
  async save(connection: ConnectionSettings, secrets: { clientSecret?: string; token?: string } = {}, previousName?: string, options: { activate?: boolean } = {}): Promise<void> {
    // Refuses what cannot work before anything is stored (the embedded sandbox gets its URL when it runs).
    describeConnection(isEmbeddedSandbox(connection) ? atSandbox(connection, { baseUrl: 'http://127.0.0.1:1', tokenUrl: 'http://127.0.0.1:1/oauth2/token', clientId: connection.auth?.clientId ?? '-' }) : connection);
    const all = this.list();
    const clash = all.find(c => c.name === connection.name && c.name !== previousName);
    if (clash) throw new InputError(`A connection named "${connection.name}" exists already. Choose another name.`);
    if (previousName !== undefined && previousName !== connection.name) {
      await this.deps.secrets.rename(previousName, connection.name);
      this.retire(previousName, `connection "${previousName}" was renamed to "${connection.name}"`);
    }
    if (secrets.clientSecret !== undefined) await this.deps.secrets.set(connection.name, 'clientSecret', secrets.clientSecret);
    if (secrets.token !== undefined) await this.deps.secrets.set(connection.name, 'token', secrets.token);
    const index = all.findIndex(c => c.name === (previousName ?? connection.name));
    const next = index >= 0 ? all.map((c, i) => (i === index ? connection : c)) : [...all, connection];
    await config.setConnections(next);
    const active = config.activeConnection();
    const renamedActive = previousName !== undefined && active === previousName;
    const noActive = !active || !next.some(c => c.name === active);
    if (renamedActive || (noActive && options.activate !== false)) await config.setActiveConnection(connection.name);
  }

  async remove(name: string): Promise<void> {
    this.closeNow(name, `connection "${name}" was removed`);
    await this.deps.secrets.removeAll(name);
    const rest = this.list().filter(c => c.name !== name);
    await config.setConnections(rest);
    if (config.activeConnection() === name) await config.setActiveConnection(rest[0]?.name);
  }

  async setActive(name: string): Promise<void> {
    this.resolve(name);
    await config.setActiveConnection(name);
  }

  /** Forget the tokens of a device code connection; the next request signs in again. */
  async signOut(name: string): Promise<void> {
    await this.deps.secrets.set(name, 'refreshToken', undefined);
    this.closeNow(name, `you signed out of "${name}"`);
    this.emitter.fire();
  }

  /** After a settings change: removed connections close now, changed ones retire. */
  private retireStaleClients(): void {
    const current = new Map(this.list().map(c => [c.name, c]));
    for (const [name, cached] of [...this.clients]) {
      const connection = current.get(name);
      if (!connection) this.closeNow(name, `connection "${name}" was removed`);
      else if (this.settingsKeyOf(connection) !== cached.settingsKey) this.retire(name, `the settings of connection "${name}" changed`);
    }
  }

  /** A newer client takes over: this one closes once the calls and operations using it have ended. */
  private retire(name: string, reason: string): void {
    const cached = this.clients.get(name);
    if (!cached) return;
    this.clients.delete(name);
    cached.retired = reason;
    if (cached.leases === 0) this.close(cached, reason);
  }

  /** Nothing may use this client any more (its credentials are gone): calls in flight finish, new ones fail. */
  private closeNow(name: string, reason: string): void {
    const cached = this.clients.get(name);
    if (!cached) return;
    this.clients.delete(name);
    this.close(cached, reason);
  }

  private close(cached: CachedClient, reason: string): void {
    this.deps.log.debug(`Closing a CDF client: ${reason}`);
    cached.client.then(c => c.close(reason), () => undefined).catch((e: unknown) => this.deps.log.debug(`Closing a client: ${String(e)}`));
  }

  override dispose(): void {
    for (const name of [...this.clients.keys()]) this.closeNow(name, 'the extension is stopping');
    super.dispose();
  }
}
