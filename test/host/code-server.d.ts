// Types of code-server.js for the TypeScript test runners (test/extension/run.ts, test/e2e/**). Those load the
// module at run time from the repo's test/host folder (esbuild copies no .js files to out/). `declare` keeps
// esbuild, which also compiles this file (to an empty module), from asking for values.
import type { ChildProcess, SpawnOptions } from 'node:child_process';

export interface TestHost {
  readonly version: string;
  readonly dir: string;
  /** code-server's entry script, run with `node`. */
  readonly entry: string;
  /** The Node that runs code-server (this one, or a Node from npm when the version needs another major). */
  readonly node: string;
  readonly nodeBinDir: string;
  readonly vscodeVersion: string | undefined;
  readonly supportsVscodeOption: boolean;
}

export interface StartOptions {
  host: TestHost;
  userDataDir: string;
  extensionsDir: string;
  /** Default: a free loopback port. */
  port?: number;
  /** Default 127.0.0.1. */
  bind?: string;
  /** A folder to open. */
  folder?: string;
  /** Extra code-server arguments. */
  args?: string[];
  /** Added to this process's environment. */
  env?: Record<string, string>;
  /** Default <userDataDir>/code-server.log. */
  logFile?: string;
  /** Default <userDataDir>/code-server.yaml. */
  configFile?: string;
  startTimeoutMs?: number;
}

export interface RunningCodeServer {
  readonly port: number;
  readonly pid: number;
  readonly url: string;
  readonly logFile: string;
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stops code-server's whole process group (extension host, watchers) and removes its private TMPDIR. */
  stop(): Promise<void>;
}

export declare const REPO_ROOT: string;
export declare const TEST_HOST_ROOT: string;
export declare const DEFAULT_VERSION: string;
export declare const WORKBENCH_SETTINGS: Readonly<Record<string, unknown>>;
export declare const CHROMIUM_ARGS: readonly string[];
export declare function hostVersion(env?: NodeJS.ProcessEnv): string;
export declare function hostDir(version?: string): string;
export declare function installedHost(version?: string): TestHost | undefined;
export declare function ensureHost(options?: { version?: string; log?: (message: string) => void }): TestHost;
export declare function startCodeServer(options: StartOptions): Promise<RunningCodeServer>;
export declare function stopProcessGroup(child: ChildProcess, graceMs?: number): Promise<void>;
/** Stops every process group started here that still runs (for Ctrl-C handlers). */
export declare function stopAllGroups(): Promise<void>;
/** Registers (once) an exit hook that SIGKILLs the groups of Chromium processes this process launched and did not close. */
export declare function killChildBrowsersOnExit(): void;
/** Spawns a command in its own process group; it is killed if this process exits first. */
export declare function spawnGroup(command: string, args: string[], options?: SpawnOptions): ChildProcess;
export declare function installExtension(host: TestHost, vsix: string, dirs: { extensionsDir: string; userDataDir: string }): void;
export declare function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): string;
export declare function chromiumExecutable(): string;
export declare function freePort(): Promise<number>;
export declare function portIsFree(port: number, bind?: string): Promise<boolean>;
export declare function tailOf(file: string, lines: number): string;
