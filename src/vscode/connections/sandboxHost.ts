// Runs the embedded local CDF sandbox ("Try the Local Sandbox") as a child process it owns:
// dist/sandbox/main.js on the extension host's own Node, in a process group of its own, so that stopping
// it stops every python3 it started. The child reads its client secret (made once per install, kept in
// SecretStorage) from stdin, never from its command line, and stops by itself when stdin closes, which
// happens when the extension host goes away however it ends.
//
// Several windows share one sandbox: the window that starts it owns it and writes owner.json into the
// data directory; another window finds it there and uses it while its process lives.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type * as vscode from 'vscode';

export interface RunningSandbox {
  baseUrl: string;
  tokenUrl: string;
  project: string;
  clientId: string;
}

/** The embedded sandbox's only client. Its secret is per install, so the id may be plain. */
export const EMBEDDED_SANDBOX_CLIENT_ID = 'vscode-sandbox';
/** SecretStorage key of the embedded sandbox's client secret. */
export const SANDBOX_SECRET_KEY = 'cdfWorkflows.sandbox/clientSecret';

export interface SandboxHostOptions {
  /** The extension's folder: dist/sandbox/main.js is run from there. */
  readonly extensionPath: string;
  /** Sandbox state (data/), the port it last used (port) and who runs it now (owner.json). */
  readonly dataDir: string;
  readonly log: Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error' | 'debug' | 'trace'>;
  readonly secrets: Pick<vscode.SecretStorage, 'get' | 'store'>;
  /** How long to wait for the ready line (default 20 s). */
  readonly readyTimeoutMs?: number;
}

/** What owner.json says: the extension host that owns the sandbox and, once it runs, the sandbox. */
interface Owner {
  hostPid: number;
  startedAt: number;
  pid?: number;
  info?: RunningSandbox;
}

interface Started {
  readonly info: RunningSandbox;
  /** Our own child, or undefined when another window's sandbox is used. */
  readonly child?: ChildProcess;
  /** The sandbox process (ours, or the other window's). */
  readonly pid: number;
  /** The extension host that owns it: a sandbox never outlives its owner, so both must be alive. */
  readonly hostPid: number;
}

const START_WAIT_MS = 30_000;

export class SandboxHost implements vscode.Disposable {
  private running: Promise<Started> | undefined;
  private current: Started | undefined;
  private disposed = false;

  constructor(private readonly o: SandboxHostOptions) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** The pid (and process group) of the sandbox process this window started, while it runs. */
  get processId(): number | undefined {
    return this.current?.child ? this.current.pid : undefined;
  }

  /**
   * The running sandbox: started on first use (or found running in another window). The port is the one
   * used last time while it is free, else a free one, so callers resolve the URL from here each time.
   */
  async start(): Promise<RunningSandbox> {
    if (this.disposed) throw new Error('The extension is shutting down: the local sandbox is not started.');
    const current = this.current;
    if (current && !current.child && !(processAlive(current.pid) && processAlive(current.hostPid))) {
      // The window that ran it closed: start one of our own.
      this.say('info', `The local sandbox of another window (pid ${current.pid}) has stopped; starting one here.`);
      this.current = undefined;
      this.running = undefined;
    }
    this.running ??= this.launchOrAttach().then(
      (started) => {
        this.current = started;
        return started;
      },
      (e: unknown) => {
        this.running = undefined;
        throw e;
      },
    );
    return { ...(await this.running).info };
  }

  /** The embedded sandbox's client secret (made on first use, kept in SecretStorage only). */
  async clientSecret(): Promise<string> {
    const secret = await this.o.secrets.get(SANDBOX_SECRET_KEY);
    if (secret) return secret;
    // Made by the window that starts the sandbox; start it so the secret exists and matches.
    await this.start();
    const made = await this.o.secrets.get(SANDBOX_SECRET_KEY);
    if (!made) throw new Error('The local sandbox secret is missing from SecretStorage.');
    return made;
  }

  /** True when something accepts connections on the URL's port (a sandbox run by npm start or npm run sandbox). */
  static isListening(baseUrl: string): Promise<boolean> {
    const url = new URL(baseUrl);
    return new Promise((resolve) => {
      const socket = net.connect({ host: url.hostname, port: Number(url.port || 80) });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(500, () => done(false));
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
  }

  /** Stops the sandbox this window started (and every process it started); forgets another window's. */
  async stop(): Promise<void> {
    const pending = this.running;
    this.running = undefined;
    this.current = undefined;
    if (!pending) return;
    const started = await pending.catch(() => undefined);
    if (started?.child) await this.terminate(started.child);
  }

  /**
   * Synchronous on purpose: VS Code disposes on deactivate and may end the process right after. The
   * signal reaches the whole process group at once; the child also stops when our end of stdin closes.
   */
  dispose(): void {
    this.disposed = true;
    const child = this.current?.child;
    this.current = undefined;
    this.running = undefined;
    if (child) {
      signalGroup(child, 'SIGTERM');
      const force = setTimeout(() => signalGroup(child, 'SIGKILL'), 3000);
      force.unref();
      child.once('exit', () => {
        clearTimeout(force);
        signalGroup(child, 'SIGKILL');
      });
      child.stdin?.destroy();
      this.releaseOwner(child.pid);
    }
  }

  /** The child's last lines can come after the log channel is disposed (on deactivate): those are dropped. */
  private say(level: 'info' | 'warn', line: string): void {
    if (this.disposed) return;
    try {
      this.o.log[level](line);
    } catch {
      // the channel is closed
    }
  }

  private get ownerFile(): string {
    return path.join(this.o.dataDir, 'owner.json');
  }

  private async launchOrAttach(): Promise<Started> {
    fs.mkdirSync(this.o.dataDir, { recursive: true });
    const deadline = Date.now() + START_WAIT_MS;
    for (;;) {
      if (this.tryLock()) break;
      const owner = this.readOwner();
      if (owner?.pid !== undefined && owner.info && processAlive(owner.pid) && processAlive(owner.hostPid)) {
        this.say('info', `Using the local sandbox of another window at ${owner.info.baseUrl} (pid ${owner.pid}).`);
        return { info: owner.info, pid: owner.pid, hostPid: owner.hostPid };
      }
      // Another window is starting it (or is writing owner.json this very moment): wait for it.
      const starting = owner ? owner.pid === undefined && processAlive(owner.hostPid) : Date.now() - modifiedAt(this.ownerFile) < 2000;
      if (starting && Date.now() < deadline) {
        await delay(200);
        continue;
      }
      // Left by a window that is gone (or a start that never finished): take over.
      fs.rmSync(this.ownerFile, { force: true });
    }
    try {
      const secret = await this.ensureSecret();
      const started = await this.launch(secret);
      if (this.disposed) {
        await this.terminate(started.child!);
        throw new Error('The extension is shutting down: the local sandbox was stopped.');
      }
      const owner: Owner = { hostPid: process.pid, startedAt: Date.now(), pid: started.pid, info: started.info };
      fs.writeFileSync(this.ownerFile, JSON.stringify(owner));
      return started;
    } catch (e) {
      fs.rmSync(this.ownerFile, { force: true });
      throw e;
    }
  }

  private tryLock(): boolean {
    try {
      fs.writeFileSync(this.ownerFile, JSON.stringify({ hostPid: process.pid, startedAt: Date.now() } satisfies Owner), { flag: 'wx' });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  }

  private readOwner(): Owner | undefined {
    try {
      const o = JSON.parse(fs.readFileSync(this.ownerFile, 'utf8')) as Partial<Owner>;
      return typeof o.hostPid === 'number' ? (o as Owner) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Removes owner.json when it still names this window's sandbox. */
  private releaseOwner(pid: number | undefined): void {
    const owner = this.readOwner();
    if (owner && owner.hostPid === process.pid && (owner.pid === undefined || owner.pid === pid)) fs.rmSync(this.ownerFile, { force: true });
  }

  /**
   * The per-install secret. A new one means the state on disk was made with another secret (an earlier
   * version's public default, or SecretStorage was reset): it is replaced by a fresh demo.
   */
  private async ensureSecret(): Promise<string> {
    const existing = await this.o.secrets.get(SANDBOX_SECRET_KEY);
    if (existing) return existing;
    for (const entry of fs.readdirSync(this.o.dataDir)) {
      if (entry !== 'owner.json') fs.rmSync(path.join(this.o.dataDir, entry), { recursive: true, force: true });
    }
    const secret = randomBytes(32).toString('base64url');
    await this.o.secrets.store(SANDBOX_SECRET_KEY, secret);
    this.say('info', 'Made the local sandbox client secret for this installation (kept in SecretStorage).');
    return secret;
  }

  private async launch(secret: string): Promise<Started> {
    const portFile = path.join(this.o.dataDir, 'port');
    const last = Number(readText(portFile));
    const preferred = Number.isInteger(last) && last > 0 && last < 65536 && (await isPortFree(last)) ? last : 0;
    let started: Started;
    try {
      started = await this.spawnSandbox(secret, preferred);
    } catch (e) {
      // Taken between the check and the start: any free port will do.
      if (preferred === 0 || !(e instanceof PortInUseError)) throw e;
      started = await this.spawnSandbox(secret, 0);
    }
    fs.writeFileSync(portFile, new URL(started.info.baseUrl).port);
    return started;
  }

  private spawnSandbox(secret: string, port: number): Promise<Started> {
    const main = path.join(this.o.extensionPath, 'dist', 'sandbox', 'main.js');
    const args = [
      main,
      '--port', String(port),
      '--seed', 'demo',
      '--data-dir', path.join(this.o.dataDir, 'data'),
      '--client-id', EMBEDDED_SANDBOX_CLIENT_ID,
      '--client-secret-stdin',
      '--exit-with-stdin',
      '--quiet',
    ];
    // Desktop VS Code's execPath is Electron: this makes it a plain Node. Debug flags are not inherited.
    const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
    delete env['NODE_OPTIONS'];
    const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'pipe'], detached: process.platform !== 'win32', windowsHide: true });
    const mask = (line: string): string => line.split(secret).join('***');
    const stderrTail: string[] = [];
    readline.createInterface({ input: child.stderr }).on('line', (line) => {
      const masked = mask(line);
      stderrTail.push(masked);
      if (stderrTail.length > 20) stderrTail.shift();
      this.say('info', masked.startsWith('sandbox:') ? masked : `sandbox: ${masked}`);
    });
    child.stdin.on('error', () => undefined); // the child may be gone already
    child.stdin.write(`${secret}\n`);

    return new Promise<Started>((resolve, reject) => {
      const lines = readline.createInterface({ input: child.stdout });
      const timeoutMs = this.o.readyTimeoutMs ?? 20_000;
      const timer = setTimeout(() => fail(new Error(`The local sandbox did not start within ${timeoutMs / 1000} s.`)), timeoutMs);
      let ready = false;
      const fail = (e: Error): void => {
        clearTimeout(timer);
        lines.close();
        signalGroup(child, 'SIGKILL');
        reject(e);
      };
      lines.once('line', (line) => {
        let info: Partial<RunningSandbox> | undefined;
        try {
          info = JSON.parse(line) as Partial<RunningSandbox>;
        } catch {
          // reported below
        }
        if (!info || !['baseUrl', 'tokenUrl', 'project', 'clientId'].every((k) => typeof info[k as keyof RunningSandbox] === 'string')) {
          fail(new Error(`The local sandbox printed ${JSON.stringify(mask(line).slice(0, 200))} instead of its ready line.`));
          return;
        }
        ready = true;
        clearTimeout(timer);
        lines.on('line', (more) => this.say('info', `sandbox: ${mask(more)}`));
        this.say('info', `Local sandbox listening on ${info.baseUrl} (pid ${child.pid}, project ${info.project}, data in ${path.join(this.o.dataDir, 'data')}).`);
        resolve({ info: info as RunningSandbox, child, pid: child.pid!, hostPid: process.pid });
      });
      child.once('error', (e) => fail(new Error(`Could not start the local sandbox with ${process.execPath}: ${e.message}`)));
      child.once('exit', (code, signal) => {
        // Whatever it started goes with it.
        signalGroup(child, 'SIGKILL');
        if (!ready) {
          const tail = stderrTail.join('\n');
          fail(/ is in use/.test(tail) ? new PortInUseError(port) : new Error(`The local sandbox stopped before it was ready (${signal ?? `exit ${code}`}): ${tail || 'no output'}`));
          return;
        }
        if (this.current?.child === child) {
          this.say('warn', `The local sandbox stopped (${signal ?? `exit ${code}`}); it starts again when a sandbox connection is used.`);
          this.current = undefined;
          this.running = undefined;
          this.releaseOwner(child.pid);
        }
      });
    });
  }

  /** SIGTERM to the process group (the sandbox saves its state), SIGKILL to what is left after 5 s. */
  private async terminate(child: ChildProcess): Promise<void> {
    const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signalGroup(child, 'SIGTERM');
    child.stdin?.end();
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    signalGroup(child, 'SIGKILL');
    for (let i = 0; i < 100 && signalGroup(child, 0); i++) await delay(50);
    this.releaseOwner(child.pid);
    this.say('info', 'Local sandbox stopped.');
  }
}

class PortInUseError extends Error {
  constructor(port: number) {
    super(`Port ${port} is in use.`);
  }
}

/** Signals the child's whole process group (the child and everything it started); false when none is left. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals | 0): boolean {
  if (child.pid === undefined) return false;
  try {
    if (process.platform === 'win32') {
      if (signal === 0) return child.exitCode === null && child.signalCode === null;
      return child.kill(signal);
    }
    process.kill(-child.pid, signal);
    return true;
  } catch {
    return false;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function modifiedAt(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
