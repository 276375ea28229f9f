// Runs the local CDF sandbox inside the extension host ("Try the Local Sandbox"). The sandbox is a
// separate bundle (dist/sandbox/main.js) loaded only when needed, so activation does not pay for it.
import * as net from 'node:net';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type * as SandboxModule from '../../sandbox/index';

export interface RunningSandbox {
  baseUrl: string;
  tokenUrl: string;
  project: string;
  clientId: string;
}

export class SandboxHost implements vscode.Disposable {
  private running: Promise<SandboxModule.Sandbox> | undefined;

  constructor(
    private readonly extensionPath: string,
    private readonly dataDir: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Starts the sandbox (once) on `port`, or a free port when it is taken; state persists in dataDir. */
  start(port: number): Promise<RunningSandbox> {
    this.running ??= this.launch(port).catch((e: unknown) => {
      this.running = undefined;
      throw e;
    });
    return this.running.then(s => ({ baseUrl: s.baseUrl, tokenUrl: s.tokenUrl, project: s.project, clientId: s.clientId }));
  }

  private async launch(port: number): Promise<SandboxModule.Sandbox> {
    // A dynamic path keeps esbuild from bundling the sandbox into extension.js; it loads on first use only.
    const file = path.join(this.extensionPath, 'dist', 'sandbox', 'main.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a runtime path, resolved on demand
    const mod = require(file) as typeof SandboxModule;
    const usePort = (await isPortFree(port)) ? port : 0;
    const sandbox = await mod.startSandbox({ port: usePort, seed: 'demo', dataDir: this.dataDir, quiet: true, log: line => this.log.trace(`sandbox: ${line}`) });
    this.log.info(`Local sandbox listening on ${sandbox.baseUrl} (project ${sandbox.project}, data in ${this.dataDir})`);
    return sandbox;
  }

  /** True when something answers on the sandbox connection's port (npm start runs one of its own). */
  static isListening(baseUrl: string): Promise<boolean> {
    const url = new URL(baseUrl);
    return new Promise(resolve => {
      const socket = net.connect({ host: url.hostname, port: Number(url.port || 80) });
      const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
      socket.setTimeout(500, () => done(false));
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
  }

  async stop(): Promise<void> {
    const s = this.running;
    this.running = undefined;
    if (s) await (await s).close();
  }

  dispose(): void {
    void this.stop().catch((e: unknown) => this.log.warn(`Stopping the local sandbox: ${String(e)}`));
  }
}

function isPortFree(port: number): Promise<boolean> {
  if (port === 0) return Promise.resolve(true);
  return new Promise(resolve => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
