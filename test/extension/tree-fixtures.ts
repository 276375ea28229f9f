// Shared by the tree, executions and details suites: the extension's API, a sandbox started in this
// extension host with a connection to it, tree walking by label, executions run and found in the tree,
// waiting, and the end-of-suite scan for secrets in the log, the settings and the extension's state.
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CdfClient } from '../../src/core/client';
import type { Execution, ExecutionDetailed } from '../../src/core/schemas/executions';
import type { CdfWorkflowsApi } from '../../src/extension';
import { type ManualClock, startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index';
import type { UserInput } from '../../src/vscode/ui';
import { repoRoot } from './index';
import { ScriptedUserInput } from './support/scriptedUi';

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { publisher: string; name: string };
export const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

export async function extensionApi(): Promise<CdfWorkflowsApi> {
  const extension = vscode.extensions.getExtension<CdfWorkflowsApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  return extension.isActive ? extension.exports : await extension.activate();
}

/** A tree node as the suites see it (the bundle's classes differ from out/src's: no instanceof). */
export interface NodeLike {
  readonly id: string;
  readonly parent?: NodeLike;
  getTreeItem(): vscode.TreeItem;
  getChildren(): Promise<NodeLike[]>;
}

export function labelOf(node: NodeLike): string {
  const label = node.getTreeItem().label;
  return typeof label === 'string' ? label : label?.label ?? '';
}

export function tooltipOf(node: NodeLike): string {
  const t = node.getTreeItem().tooltip;
  return typeof t === 'string' ? t : t?.value ?? '';
}

export function iconOf(node: NodeLike): string {
  const icon = node.getTreeItem().iconPath as vscode.ThemeIcon | undefined;
  return icon?.id ?? '';
}

/** The execution an execution node shows. */
export function executionOf(node: NodeLike): Execution {
  return (node as unknown as { execution: Execution }).execution;
}

/** Anchored token matching, like package.json's `viewItem =~ /\btoken\b/`. */
export function hasToken(node: NodeLike, token: string): boolean {
  return (node.getTreeItem().contextValue ?? '').split(/\s+/).includes(token);
}

/** Waits (bounded by mocha's timeout and a generous cap) until `ok` holds. */
export async function until(ok: () => boolean | Promise<boolean>, what: string, capMs = 20_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (await ok()) return;
    if (Date.now() - start > capMs) throw new Error(`Still waiting for ${what}`);
    await new Promise(r => setTimeout(r, 25));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise(r => setTimeout(r, ms));
}

export interface TreeHarness {
  readonly api: CdfWorkflowsApi;
  readonly sb: Sandbox;
  readonly clock: ManualClock | undefined;
  readonly ui: ScriptedUserInput;
  readonly connection: string;
  /** The roots, then children by label path: connection, workflow, version, ... */
  node(...labels: (string | RegExp)[]): Promise<NodeLike>;
  children(node: NodeLike): Promise<NodeLike[]>;
  /** The extension's own client of the connection. */
  client(): Promise<CdfClient>;
  /** API requests (not token requests) since the last reset, optionally by method and path. */
  count(method?: string, path?: RegExp): number;
}

const FOLLOW_KEYS = ['follow.minIntervalSeconds', 'follow.maxIntervalSeconds', 'follow.notify', 'executions.pageSize'] as const;

/**
 * Registers before/after hooks: a sandbox (ManualClock when given), a connection to it with its own
 * client secret, a scripted ui, the view shown, and the follow settings restored afterwards. The last
 * after hook scans for secrets.
 */
export function useTreeHarness(name: string, options: SandboxOptions & { settings?: Partial<Record<(typeof FOLLOW_KEYS)[number], unknown>> } = {}): () => TreeHarness {
  let h: TreeHarness | undefined;
  let previousUi: UserInput | undefined;
  const connection = `${name} ${randomUUID().slice(0, 8)}`;
  const secret = `tree-secret-${randomUUID()}`;
  const settings = vscode.workspace.getConfiguration('cdfWorkflows');
  const previous = new Map(FOLLOW_KEYS.map(k => [k, settings.inspect(k)?.globalValue]));

  before(async function () {
    this.timeout(60_000);
    const api = await extensionApi();
    const { settings: wanted, ...sandboxOptions } = options;
    // The harness's own client first (the connection signs in with it), then any the suite adds.
    const sb = await startSandbox({ quiet: true, ...sandboxOptions, clients: [{ clientId: 'tree-client', clientSecret: secret }, ...(sandboxOptions.clients ?? [])] });
    for (const [k, v] of Object.entries(wanted ?? {})) await vscode.workspace.getConfiguration('cdfWorkflows').update(k, v, vscode.ConfigurationTarget.Global);
    api.services.connections.setClientOptions({ retry: { baseDelayMs: 1, maxDelayMs: 5, maxRetries: 2 } });
    await api.services.connections.save(
      { name: connection, baseUrl: sb.baseUrl, project: sb.project, auth: { type: 'clientCredentials', tokenUrl: sb.tokenUrl, clientId: 'tree-client' } },
      { clientSecret: secret },
    );
    const ui = new ScriptedUserInput(api.classes, p => vscode.Uri.file(p));
    previousUi = api.setUserInput(ui);
    await vscode.commands.executeCommand('workbench.view.extension.cdfWorkflows');
    await until(() => api.tree.view.visible, 'the view to show');
    const tokenPath = /\/oauth2\//;
    h = {
      api,
      sb,
      clock: options.clock as ManualClock | undefined,
      ui,
      connection,
      async node(...labels) {
        let nodes = (await api.tree.provider.getChildren(undefined)) as unknown as NodeLike[];
        const all = [connection, ...labels];
        let found: NodeLike | undefined;
        for (const [i, label] of all.entries()) {
          found = nodes.find(n => (typeof label === 'string' ? labelOf(n) === label : label.test(labelOf(n))));
          if (!found) throw new Error(`No tree node "${String(label)}" among: ${nodes.map(labelOf).join(' | ')}`);
          // The last node's children are the caller's business (tests count the requests they cost).
          if (i < all.length - 1) nodes = await api.tree.provider.getChildren(found as never);
        }
        return found!;
      },
      async children(node) {
        return await api.tree.provider.getChildren(node as never);
      },
      async client() {
        return (await api.services.connections.client(connection)).client;
      },
      count(method, path) {
        return sb.requests.list.filter(r => !tokenPath.test(r.path) && (!method || r.method === method) && (!path || path.test(r.path))).length;
      },
    };
  });

  after(async function () {
    this.timeout(60_000);
    if (!h) return;
    const { api, sb } = h;
    if (previousUi) api.setUserInput(previousUi);
    await api.services.connections.remove(connection);
    api.services.connections.setClientOptions({});
    for (const [k, v] of previous) await vscode.workspace.getConfiguration('cdfWorkflows').update(k, v, vscode.ConfigurationTarget.Global);
    await sb.close();
    assertNoSecrets(api, [secret]);
  });

  return () => {
    if (!h) throw new Error('The tree harness did not start: see the before-all hook error.');
    return h;
  };
}

/** Execution helpers over a harness's connection; each reads the harness when called (it starts in a before hook). */
export interface ExecutionHelpers {
  /** Starts an execution with the extension's own client. */
  readonly run: (workflow: string, version: string, input?: Record<string, unknown>, metadata?: Record<string, string>) => Promise<Execution>;
  readonly retrieve: (id: string) => Promise<ExecutionDetailed>;
  /** The execution's node, with its version's page read again so a new run is listed. */
  readonly nodeOf: (workflow: string, version: string, id: string) => Promise<NodeLike>;
  /** The error messages the scripted ui has shown since its last reset. */
  readonly errors: () => string[];
}

export function executionHelpers(harness: () => TreeHarness): ExecutionHelpers {
  return {
    run: async (workflow, version, input = {}, metadata) => (await harness().client()).executions.run(workflow, version, { input, metadata }),
    retrieve: async id => (await harness().client()).executions.retrieve(id),
    nodeOf: async (workflow, version, id) => {
      const h = harness();
      const v = await h.node(workflow, /^\d/.test(version) ? `v${version}` : version);
      await vscode.commands.executeCommand('cdfWorkflows.refresh', v);
      const node = (await h.children(v)).find(n => executionOf(n).id === id);
      assert.ok(node, `execution ${id} is not under ${workflow} ${version}`);
      return node;
    },
    errors: () => harness().ui.messages.filter(m => m.kind === 'error').map(m => m.message),
  };
}

/** A sandbox access token (a JWT): none may reach the log, the settings or the state. */
const TOKEN_PATTERN = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}/;

export function assertNoSecrets(api: CdfWorkflowsApi, secrets: readonly string[]): void {
  const context = api.services.context;
  const texts: [string, string][] = [];
  // The LogOutputChannel writes its file under the extension's log folder.
  const logDir = context.logUri.fsPath;
  if (fs.existsSync(logDir)) {
    for (const f of fs.readdirSync(logDir, { recursive: true, encoding: 'utf8' })) {
      const p = path.join(logDir, f);
      if (fs.statSync(p).isFile()) texts.push([`log ${f}`, fs.readFileSync(p, 'utf8')]);
    }
  }
  assert.ok(texts.some(([, t]) => /activated/.test(t)), `no log file of the channel under ${logDir}`);
  texts.push(['settings', JSON.stringify(vscode.workspace.getConfiguration('cdfWorkflows'))]);
  for (const k of ['connections', 'activeConnection']) texts.push([`setting ${k}`, JSON.stringify(vscode.workspace.getConfiguration('cdfWorkflows').inspect(k) ?? null)]);
  for (const [label, memento] of [['globalState', context.globalState], ['workspaceState', context.workspaceState]] as const) {
    texts.push([label, JSON.stringify(memento.keys().map(k => [k, memento.get(k)]))]);
  }
  for (const [where, text] of texts) {
    for (const s of secrets) assert.ok(!text.includes(s), `a client secret is in the ${where}`);
    assert.ok(!TOKEN_PATTERN.test(text), `an access token is in the ${where}`);
  }
}
