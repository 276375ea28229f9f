// Cognite Functions in the sandbox: deployment (Queued -> Deploying -> Ready on the clock, or Failed when
// the zip has no handler) and calls, which run the function's own handle() in python3 with the cognite-sdk
// stand-in on PYTHONPATH. What the handler prints becomes the call's logs, its return value the response,
// an exception a Failed call with the traceback in the logs.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unzipSync, zipSync, strToU8 } from 'fflate';
import { ApiError } from './api-error';
import { type Clock, type ClockTimer } from './clock';
import { newInternalId, newSecretToken } from './ids';
import { definedFields, type FileRecord, type FunctionCallRecord, type FunctionRecord } from './model';
import { BOOTSTRAP, STAND_IN_FILES } from './python-stand-in';
import { type SessionService } from './sessions';
import { type Store } from './store';

/** A scripted call result (tests): no python runs; the call ends after durationMs on the clock. */
export interface FunctionStub {
  durationMs?: number;
  status?: 'Completed' | 'Failed' | 'Timeout';
  response?: unknown;
  error?: string;
  logs?: string[];
}

export type FunctionStubSource = FunctionStub | ((data: unknown) => FunctionStub);

export interface FunctionTiming {
  /** Time spent Queued before Deploying (default 1000 ms). */
  queuedMs: number;
  /** Time spent Deploying before Ready or Failed (default 2000 ms). */
  deployMs: number;
}

export const FUNCTION_LIMITS = {
  timeoutMinutes: 9,
  cpuCores: { min: 0.1, max: 3.0, default: 1.0 },
  memoryGb: { min: 0.1, max: 5.0, default: 1.5 },
  runtimes: ['py310', 'py311', 'py312', 'py313'],
  responseSizeMb: 1,
};

const RUNTIME_VERSIONS: Record<string, string> = { py310: 'Python 3.10.16', py311: 'Python 3.11.11', py312: 'Python 3.12.9', py313: 'Python 3.13.2' };

/** Running calls allowed per function and per project before calls answer 429 (REFERENCE §4.5). */
export const MAX_RUNNING_CALLS_PER_FUNCTION = 100;
export const MAX_RUNNING_CALLS_PER_PROJECT = 250;

export interface FunctionRunnerDeps {
  store: Store;
  clock: Clock;
  sessions: SessionService;
  project: string;
  baseUrl: () => string;
  /** The python executable (default 'python3', found on PATH). */
  python: string;
  timing: FunctionTiming;
  /** Where unpacked code and the stand-in package go (a temp folder by default). */
  workDir?: string;
  log: (line: string) => void;
}

export interface CallOptions {
  sessionId?: number;
  scheduleId?: number;
  scheduledTime?: number;
}

interface HandlerResult {
  ok: boolean;
  response?: unknown;
  message?: string;
  trace?: string;
}

/** Why a zip cannot be deployed, or undefined when it has a handle() in its entry file. */
export function checkFunctionZip(bytes: Uint8Array | undefined, functionPath: string): { message: string; trace: string | null } | undefined {
  if (!bytes) return { message: 'The function code file has no content. Upload the zip before creating the function.', trace: null };
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (err) {
    return { message: 'The function code file is not a valid zip archive.', trace: String((err as Error).message ?? err) };
  }
  const names = Object.keys(entries).filter((n) => !n.endsWith('/'));
  const entry = entries[functionPath] ?? entries[functionPath.replace(/^\.\//, '')];
  if (!entry) {
    const listing = names.slice(0, 20).join(', ') || '(empty archive)';
    return {
      message: `Could not find ${functionPath} at the root of the zip. Put handler.py at the root or set functionPath.`,
      trace: `Files in the archive: ${listing}`,
    };
  }
  const source = Buffer.from(entry).toString('utf8');
  if (!/^(async\s+)?def\s+handle\s*\(/m.test(source) && !/^handle\s*=/m.test(source)) {
    return { message: `${functionPath} must define a top-level function named handle.`, trace: null };
  }
  return undefined;
}

/** A minimal zip with one handler.py (for stubbed functions and the demo seed). */
export function zipOf(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])));
}

export class FunctionRunner {
  private readonly timers = new Set<ClockTimer>();
  private readonly processes = new Set<ChildProcess>();
  private readonly running = new Set<Promise<void>>();
  private readonly stubs = new Map<string, FunctionStubSource>();
  private workDir: string | undefined;
  private standInReady = false;
  private closed = false;

  constructor(private readonly d: FunctionRunnerDeps) {}

  /** Starts the Queued -> Deploying -> Ready/Failed sequence of a new function. */
  deploy(fn: FunctionRecord): void {
    fn.status = 'Queued';
    this.after(this.d.timing.queuedMs, () => {
      if (!this.d.store.functions.has(fn.id)) return;
      fn.status = 'Deploying';
      this.d.store.changed();
      this.after(this.d.timing.deployMs, () => this.finishDeploy(fn));
    });
  }

  /** After a restart: functions mid-deployment continue; calls that were running fail. */
  resume(): void {
    for (const fn of this.d.store.functions.values()) {
      if (fn.status === 'Queued' || fn.status === 'Deploying') this.deploy(fn);
    }
    const now = this.d.clock.now();
    for (const call of this.d.store.calls.values()) {
      if (call.status !== 'Running') continue;
      call.status = 'Failed';
      call.endTime = now;
      call.error = { message: 'The sandbox stopped while the call was running.' };
    }
  }

  stub(functionExternalId: string, stub: FunctionStubSource): FunctionRecord {
    this.stubs.set(functionExternalId, stub);
    const existing = this.d.store.functionByExternalId(functionExternalId);
    if (existing) {
      if (existing.status !== 'Ready') {
        existing.status = 'Ready';
        delete existing.error;
        this.d.store.changed();
      }
      return existing;
    }
    // A stubbed function that does not exist yet gets a Ready function with a placeholder zip.
    const now = this.d.clock.now();
    const file: FileRecord = {
      id: newInternalId(),
      externalId: `${functionExternalId}-stub.zip`,
      name: `${functionExternalId}.zip`,
      mimeType: 'application/zip',
      uploaded: true,
      uploadedTime: now,
      createdTime: now,
      lastUpdatedTime: now,
      uploadKey: newSecretToken(18),
    };
    const zip = zipOf({ 'handler.py': 'def handle(data):\n    return {}\n' });
    this.d.store.files.set(file.id, file);
    this.d.store.fileContents.set(file.id, Buffer.from(zip));
    const fn: FunctionRecord = {
      id: newInternalId(),
      name: functionExternalId,
      externalId: functionExternalId,
      fileId: file.id,
      functionPath: 'handler.py',
      cpu: 1,
      memory: 1.5,
      runtime: 'py311',
      runtimeVersion: RUNTIME_VERSIONS['py311'],
      status: 'Ready',
      createdTime: now,
    };
    this.d.store.functions.set(fn.id, fn);
    this.d.store.changed();
    return fn;
  }

  /** Calls a Ready function. Answers 400 when it is not Ready, 429 when too many calls run. */
  startCall(fn: FunctionRecord, data: Record<string, unknown>, opts: CallOptions, onDone?: (call: FunctionCallRecord) => void): FunctionCallRecord {
    if (fn.status !== 'Ready') throw new ApiError(400, `Function ${fn.externalId ?? fn.id} is not ready to be called (status ${fn.status}).`);
    let forFunction = 0;
    let forProject = 0;
    for (const c of this.d.store.calls.values()) {
      if (c.status !== 'Running') continue;
      forProject++;
      if (c.functionId === fn.id) forFunction++;
    }
    if (forFunction >= MAX_RUNNING_CALLS_PER_FUNCTION || forProject >= MAX_RUNNING_CALLS_PER_PROJECT) {
      throw new ApiError(429, `Too many running calls (${forFunction} for this function, ${forProject} in the project). Try again later.`);
    }
    const now = this.d.clock.now();
    const call: FunctionCallRecord = {
      id: newInternalId(),
      functionId: fn.id,
      status: 'Running',
      startTime: now,
      logs: [],
      ...definedFields({ scheduleId: opts.scheduleId, scheduledTime: opts.scheduledTime }),
    };
    this.d.store.calls.set(call.id, call);
    fn.lastCalled = now;
    this.d.store.changed();
    const done = (): void => {
      this.d.store.changed();
      try {
        onDone?.(call);
      } catch (err) {
        this.d.log(`sandbox: function call callback failed: ${(err as Error)?.stack ?? String(err)}`);
      }
    };
    const stub = fn.externalId !== undefined ? this.stubs.get(fn.externalId) : undefined;
    if (stub) this.runStub(call, stub, data, done);
    else {
      const work = this.runPython(fn, call, data, opts).then(done, (err: unknown) => {
        this.fail(call, `The sandbox could not run the call: ${(err as Error)?.message ?? String(err)}`);
        done();
      });
      this.track(work);
    }
    return call;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    for (const p of this.processes) p.kill('SIGKILL');
    await Promise.allSettled([...this.running]);
    if (this.workDir && !this.d.workDir) fs.rmSync(this.workDir, { recursive: true, force: true });
  }

  // ---- internals ----------------------------------------------------------------------------------

  private after(ms: number, fn: () => void): ClockTimer {
    const timer = this.d.clock.setTimer(() => {
      this.timers.delete(timer);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private track(work: Promise<void>): void {
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
    this.d.clock.track(work);
  }

  private finishDeploy(fn: FunctionRecord): void {
    if (!this.d.store.functions.has(fn.id)) return;
    const problem = checkFunctionZip(this.d.store.fileContents.get(fn.fileId), fn.functionPath);
    if (problem) {
      fn.status = 'Failed';
      fn.error = problem;
    } else {
      fn.status = 'Ready';
      fn.runtimeVersion = RUNTIME_VERSIONS[fn.runtime] ?? 'Python 3.11.11';
      delete fn.error;
    }
    this.d.store.changed();
  }

  private fail(call: FunctionCallRecord, message: string, trace?: string): void {
    call.status = 'Failed';
    call.endTime = this.d.clock.now();
    call.error = { message, ...(trace ? { trace } : {}) };
  }

  private runStub(call: FunctionCallRecord, source: FunctionStubSource, data: unknown, done: () => void): void {
    let stub: FunctionStub;
    try {
      stub = typeof source === 'function' ? source(data) : source;
    } catch (err) {
      stub = { status: 'Failed', error: `The stub threw: ${(err as Error)?.message ?? String(err)}` };
    }
    this.after(Math.max(0, stub.durationMs ?? 0), () => {
      const now = this.d.clock.now();
      for (const line of stub.logs ?? []) call.logs.push({ timestamp: now, message: line });
      call.endTime = now;
      call.status = stub.status ?? 'Completed';
      if (call.status === 'Completed') call.response = stub.response ?? {};
      else call.error = { message: stub.error ?? (call.status === 'Timeout' ? 'The call timed out.' : 'The call failed.') };
      done();
    });
  }

  private ensureWorkDir(): string {
    if (!this.workDir) {
      this.workDir = this.d.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cdf-sandbox-'));
      fs.mkdirSync(this.workDir, { recursive: true });
    }
    if (!this.standInReady) {
      for (const [rel, text] of Object.entries(STAND_IN_FILES)) {
        const file = path.join(this.workDir, 'python', rel);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text.trimStart());
      }
      fs.writeFileSync(path.join(this.workDir, 'python', 'sandbox_bootstrap.py'), BOOTSTRAP.trimStart());
      this.standInReady = true;
    }
    return this.workDir;
  }

  /** Unpacks the function's zip once per file version. */
  private codeDir(fn: FunctionRecord): string {
    const root = this.ensureWorkDir();
    const file = this.d.store.files.get(fn.fileId);
    const dir = path.join(root, 'functions', `${fn.id}-${file?.uploadedTime ?? 0}`);
    if (fs.existsSync(path.join(dir, '.complete'))) return dir;
    const bytes = this.d.store.fileContents.get(fn.fileId);
    if (!bytes) throw new Error(`The code file ${fn.fileId} of the function has no content.`);
    const entries = unzipSync(bytes);
    for (const [name, content] of Object.entries(entries)) {
      if (name.endsWith('/')) continue;
      const target = path.resolve(dir, name);
      // Refuse entries that would escape the folder (zip slip).
      if (!target.startsWith(path.resolve(dir) + path.sep)) continue;
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
    }
    fs.writeFileSync(path.join(dir, '.complete'), '');
    return dir;
  }

  private async runPython(fn: FunctionRecord, call: FunctionCallRecord, data: Record<string, unknown>, opts: CallOptions): Promise<void> {
    const codeDir = this.codeDir(fn);
    const workDir = this.ensureWorkDir();
    const resultPath = path.join(workDir, `result-${call.id}-${randomBytes(4).toString('hex')}.json`);
    let token = '';
    if (opts.sessionId !== undefined) {
      try {
        token = this.d.sessions.tokenFor(opts.sessionId);
      } catch (err) {
        this.fail(call, `The call's session is not active: ${(err as Error).message}`);
        return;
      }
    }
    const functionCallInfo: Record<string, unknown> = { function_id: fn.id, call_id: call.id };
    if (opts.scheduleId !== undefined) {
      functionCallInfo['schedule_id'] = opts.scheduleId;
      functionCallInfo['scheduled_time'] = opts.scheduledTime;
    }
    const input = JSON.stringify({
      data,
      secrets: fn.secrets ?? {},
      functionCallInfo,
      codeDir,
      functionPath: fn.functionPath,
      project: this.d.project,
      baseUrl: this.d.baseUrl(),
      token,
      resultPath,
    });
    // The handler sees its own envVars and a minimal environment, not the sandbox's.
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? os.homedir(),
      LANG: process.env['LANG'] ?? 'C.UTF-8',
      ...(process.env['SYSTEMROOT'] ? { SYSTEMROOT: process.env['SYSTEMROOT'] } : {}),
      ...(fn.envVars ?? {}),
      PYTHONPATH: [path.join(workDir, 'python'), codeDir].join(path.delimiter),
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONIOENCODING: 'utf-8',
    };
    const child = spawn(this.d.python, ['-u', path.join(workDir, 'python', 'sandbox_bootstrap.py')], { cwd: codeDir, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.processes.add(child);
    const addLines = (chunk: string, carry: { rest: string }): void => {
      const text = carry.rest + chunk;
      const lines = text.split(/\r?\n/);
      carry.rest = lines.pop() ?? '';
      const now = this.d.clock.now();
      for (const line of lines) call.logs.push({ timestamp: now, message: line });
    };
    const out = { rest: '' };
    const err = { rest: '' };
    child.stdout.setEncoding('utf8').on('data', (c: string) => addLines(c, out));
    child.stderr.setEncoding('utf8').on('data', (c: string) => addLines(c, err));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);

    let timedOut = false;
    const timeout = this.after(FUNCTION_LIMITS.timeoutMinutes * 60_000, () => {
      timedOut = true;
      child.kill('SIGKILL');
    });
    const exit = await new Promise<{ code: number | null; spawnError?: NodeJS.ErrnoException }>((resolve) => {
      child.once('error', (e: NodeJS.ErrnoException) => resolve({ code: null, spawnError: e }));
      child.once('close', (code) => resolve({ code }));
    });
    timeout.cancel();
    this.timers.delete(timeout);
    this.processes.delete(child);
    const now = this.d.clock.now();
    for (const carry of [out, err]) if (carry.rest) call.logs.push({ timestamp: now, message: carry.rest });

    if (exit.spawnError) {
      const message =
        exit.spawnError.code === 'ENOENT'
          ? `${this.d.python} was not found on PATH: the sandbox runs function code with Python 3. Install python3 (3.10 or newer) and restart the sandbox.`
          : `Could not start ${this.d.python}: ${exit.spawnError.message}`;
      call.logs.push({ timestamp: now, message });
      this.fail(call, message);
      return;
    }
    if (timedOut) {
      call.status = 'Timeout';
      call.endTime = now;
      call.error = { message: `The call exceeded the time limit of ${FUNCTION_LIMITS.timeoutMinutes} minutes.` };
      fs.rmSync(resultPath, { force: true });
      return;
    }
    let result: HandlerResult | undefined;
    try {
      result = JSON.parse(fs.readFileSync(resultPath, 'utf8')) as HandlerResult;
    } catch {
      result = undefined;
    }
    fs.rmSync(resultPath, { force: true });
    if (!result) {
      this.fail(call, `The function process exited with code ${exit.code} before handle() returned.`);
      return;
    }
    if (!result.ok) {
      this.fail(call, result.message ?? 'handle() raised an exception.', result.trace);
      return;
    }
    const size = Buffer.byteLength(JSON.stringify(result.response ?? null));
    if (size > FUNCTION_LIMITS.responseSizeMb * 1024 * 1024) {
      this.fail(call, `The response of handle() is ${size} bytes; the limit is ${FUNCTION_LIMITS.responseSizeMb} MB.`);
      return;
    }
    call.status = 'Completed';
    call.endTime = now;
    call.response = result.response ?? null;
  }
}
