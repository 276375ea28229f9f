// The local CDF sandbox: an emulator of the CDF Data Workflows, Sessions, Functions and Files APIs on
// 127.0.0.1, used as the extension's try-it-out connection and by every test over real loopback HTTP.
//
// In-process API (stable; other code depends on these names):
//   startSandbox(options) -> Sandbox
//   Sandbox.baseUrl / tokenUrl / deviceAuthorizationUrl / project / clientId / clientSecret / clock
//   Sandbox.faults.add(rule) / clear()            fault injection (also POST/DELETE /_sandbox/faults)
//   Sandbox.requests.list / count(filter) / reset()  the log of API requests answered
//   Sandbox.expireTokens()                        every issued token stops working (POST /_sandbox/tokens/expire)
//   Sandbox.approveDeviceCode(userCode)           approves a device-code sign-in (POST /_sandbox/device/approve)
// Helpers for tests and benchmarks:
//   Sandbox.accessToken(clientId?)                a valid Bearer token without an HTTP round trip
//   Sandbox.upsertWorkflow(workflow, versions?)   creates a workflow and versions directly (same validation)
//   Sandbox.insertExecutions(options)             bulk-inserts finished executions of a version (paging tests)
//   Sandbox.scriptTransformation(xid, outcome)    duration/outcome of the next transformation jobs
//   Sandbox.stubFunction(xid, stub)               a function whose calls return a scripted result (no python)
//   Sandbox.settle()                              waits until in-flight work (requests, calls) is done
//   Sandbox.close()                               stops server, timers and child processes
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { ApiError } from './api-error';
import { ALL_CAPABILITIES, type Capability } from './capabilities';
import { type Clock, ManualClock, RealClock } from './clock';
import { type SandboxContext } from './context';
import { normalizeDefinition } from './definition';
import { type CdfRequestSpec, type EngineLimits, ExecutionEngine } from './engine';
import { FaultInjector, type FaultRule } from './faults';
import { FunctionRunner, type FunctionStubSource } from './function-runner';
import { Identity, type SandboxClient } from './identity';
import { newUuid } from './ids';
import { definedFields, type ExecutionRecord, type VersionRecord, type WorkflowRecord, type WorkflowStatus } from './model';
import { Persistence } from './persistence';
import { type LoggedRequest, RequestLog, type RequestFilter } from './request-log';
import { Router } from './router';
import { controlRoutes } from './routes/control';
import { dataSetRoutes } from './routes/dataSets';
import { executionRoutes } from './routes/executions';
import { fileRoutes } from './routes/files';
import { functionRoutes } from './routes/functions';
import { oauthRoutes } from './routes/oauth';
import { sessionRoutes } from './routes/sessions';
import { transformationRoutes } from './routes/transformations';
import { triggerRoutes } from './routes/triggers';
import { workflowRoutes } from './routes/workflows';
import { Scheduler } from './scheduler';
import { seedDemo } from './seed-demo';
import { SandboxHttpServer } from './server';
import { SessionService } from './sessions';
import { Store, versionKey } from './store';
import { type TransformationOutcome, TransformationSimulator } from './transformations';

export { type Capability, ALL_CAPABILITIES } from './capabilities';
export { type Clock, type ClockTimer, ManualClock, RealClock } from './clock';
export { type FaultKind, type FaultRule } from './faults';
export { type LoggedRequest, type RequestFilter } from './request-log';
export { type TransformationOutcome } from './transformations';
export { type SandboxClient } from './identity';
export { type FunctionStub } from './function-runner';
export type { WorkflowStatus, TaskStatus } from './model';

export interface SandboxOptions {
  /** 0 = a free port (default). The server binds 127.0.0.1 only. */
  port?: number;
  /** Project name in API paths (default 'sandbox'). */
  project?: string;
  /** OAuth clients (default: one client 'sandbox-client' / 'sandbox-secret' with every capability). */
  clients?: { clientId: string; clientSecret: string; capabilities?: Capability[] }[];
  /** 'demo' loads the demo workflows, functions and history; 'empty' (default) starts blank. */
  seed?: 'demo' | 'empty';
  /** Real time by default; tests pass a ManualClock. */
  clock?: Clock;
  /** Where state persists across restarts; in memory when absent. */
  dataDir?: string;
  /** Access token lifetime (default 3600). */
  tokenLifetimeSeconds?: number;
  /** No request logging to stderr (default true in-process). */
  quiet?: boolean;
  /** Device code sign-in: lifetime (default 900 s) and minimum poll interval (default 5 s). */
  deviceCode?: { expiresInSeconds?: number; intervalSeconds?: number };
  /** Engine limits (concurrent executions per project, tasks per execution, execution timeout). */
  limits?: Partial<EngineLimits>;
  /** Where stderr lines go (default process.stderr). */
  log?: (line: string) => void;
  /** The python executable that runs function code (default 'python3' on PATH). */
  python?: string;
  /** How long a new function stays Queued and Deploying on the clock (default 1000 and 2000 ms). */
  functionDeployMs?: { queued?: number; deploying?: number };
}

export interface InsertExecutionsOptions {
  workflowExternalId: string;
  version: string;
  count: number;
  /** Statuses cycled through (default every terminal status, mostly COMPLETED). */
  statuses?: WorkflowStatus[];
  /** createdTime of the newest inserted execution (default: clock now - 1 minute). */
  newestCreatedTime?: number;
  /** Gap between consecutive executions (default 60 s). */
  spacingMs?: number;
  /** Run time of each execution (default 45 s). */
  durationMs?: number;
  metadata?: Record<string, string>;
}

export interface Sandbox {
  /** http://127.0.0.1:PORT ; the API is at `${baseUrl}/api/v1/projects/${project}/...`. */
  baseUrl: string;
  tokenUrl: string;
  deviceAuthorizationUrl: string;
  project: string;
  /** The default (first) client. */
  clientId: string;
  clientSecret: string;
  clock: Clock;
  faults: { add(rule: FaultRule): void; clear(): void };
  requests: {
    readonly list: ReadonlyArray<LoggedRequest>;
    count(filter?: RequestFilter): number;
    reset(): void;
  };
  expireTokens(): void;
  approveDeviceCode(userCode: string): void;
  accessToken(clientId?: string): string;
  upsertWorkflow(
    workflow: { externalId: string; description?: string; dataSetId?: number; maxConcurrentExecutions?: number },
    versions?: { version: string; workflowDefinition: unknown }[],
  ): void;
  insertExecutions(options: InsertExecutionsOptions): string[];
  scriptTransformation(transformationExternalId: string, outcome: TransformationOutcome | TransformationOutcome[]): void;
  stubFunction(functionExternalId: string, stub: FunctionStubSource): void;
  settle(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_CLIENT_ID = 'sandbox-client';
export const DEFAULT_CLIENT_SECRET = 'sandbox-secret';

const DEFAULT_LIMITS: EngineLimits = { concurrentExecutions: 50, tasksPerExecution: 200, executionTimeoutMs: 24 * 60 * 60 * 1000 };

function checkOptions(o: SandboxOptions): void {
  if (o.port !== undefined && !(Number.isInteger(o.port) && o.port >= 0 && o.port <= 65535)) throw new TypeError(`port must be an integer 0-65535, got ${o.port}`);
  if (o.project !== undefined && !/^[a-z0-9][a-z0-9-]{0,254}$/.test(o.project)) {
    throw new TypeError(`project "${o.project}" is not a valid CDF project name: use lower-case letters, digits and dashes.`);
  }
  if (o.seed !== undefined && o.seed !== 'demo' && o.seed !== 'empty') throw new TypeError(`seed must be 'demo' or 'empty', got ${String(o.seed)}`);
  if (o.tokenLifetimeSeconds !== undefined && !(Number.isInteger(o.tokenLifetimeSeconds) && o.tokenLifetimeSeconds > 0)) {
    throw new TypeError('tokenLifetimeSeconds must be a positive integer.');
  }
  if (o.clients !== undefined) {
    if (!Array.isArray(o.clients) || o.clients.length === 0) throw new TypeError('clients must list at least one { clientId, clientSecret }.');
    for (const c of o.clients) if (!c.clientId || !c.clientSecret) throw new TypeError('every client needs a non-empty clientId and clientSecret.');
  }
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  checkOptions(options);
  const clock = options.clock ?? new RealClock();
  const project = options.project ?? 'sandbox';
  const clients: SandboxClient[] = (options.clients ?? [{ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET }]).map((c) => ({
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    capabilities: c.capabilities ?? ALL_CAPABILITIES,
  }));
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const store = new Store();
  const late: { sessions?: SessionService } = {};
  const identity = new Identity({
    clock,
    clients,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
    ...definedFields({ deviceCodeLifetimeSeconds: options.deviceCode?.expiresInSeconds, deviceCodeIntervalSeconds: options.deviceCode?.intervalSeconds }),
    isSessionUsable: (id) => late.sessions?.isUsable(id) ?? false,
  });
  const sessions = new SessionService(store, clock, identity);
  late.sessions = sessions;
  const transformations = new TransformationSimulator();
  const faults = new FaultInjector();
  const requests = new RequestLog();
  const internalKey = randomBytes(16).toString('hex');
  let baseUrl = '';

  const cdfRequest = async (spec: CdfRequestSpec): Promise<{ statusCode: number; response: unknown }> => {
    const url = new URL(`${baseUrl}/api/v1/projects/${project}${spec.resourcePath}`);
    for (const [k, v] of Object.entries(spec.queryParameters ?? {})) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { authorization: `Bearer ${spec.token}`, 'x-sandbox-internal': internalKey, accept: 'application/json' };
    if (spec.cdfVersion) headers['cdf-version'] = `20230101-${spec.cdfVersion}`;
    let body: string | undefined;
    if (spec.method !== 'GET' && spec.body !== undefined) {
      body = JSON.stringify(spec.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(url, { method: spec.method, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(spec.timeoutMs) });
    const text = await res.text();
    let response: unknown = text;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') response = parsed;
    } catch {
      // not JSON: keep the text
    }
    return { statusCode: res.status, response };
  };

  const functions = new FunctionRunner({
    store,
    clock,
    sessions,
    project,
    baseUrl: () => baseUrl,
    python: options.python ?? 'python3',
    timing: { queuedMs: options.functionDeployMs?.queued ?? 1000, deployMs: options.functionDeployMs?.deploying ?? 2000 },
    ...(options.dataDir ? { workDir: path.join(options.dataDir, 'runtime') } : {}),
    log,
  });

  // Routes are added once the engine exists; the engine asks the router only while tasks run.
  const router = new Router();
  const engine = new ExecutionEngine({
    store,
    clock,
    sessions,
    transformations,
    startFunctionCall: (fn, data, sessionId, onDone) => functions.startCall(fn, data, sessionId !== undefined ? { sessionId } : {}, onDone),
    cdfRequest,
    emulates: (method, resourcePath) => {
      // A known path with another method is emulated too: the request gets the API's 405.
      return router.match(method, `/api/v1/projects/${project}${resourcePath.split('?')[0]}`) !== undefined;
    },
    limits: { ...DEFAULT_LIMITS, ...(options.limits ?? {}) },
  });

  const scheduler = new Scheduler({ store, clock, sessions, engine, functions, log });
  const ctx: SandboxContext = { clock, store, identity, sessions, engine, functions, scheduler, project, baseUrl: () => baseUrl };
  router.add(
    ...oauthRoutes(ctx),
    ...workflowRoutes(ctx),
    ...executionRoutes(ctx),
    ...triggerRoutes(ctx),
    ...sessionRoutes(ctx),
    ...functionRoutes(ctx),
    ...fileRoutes(ctx),
    ...dataSetRoutes(ctx),
    ...transformationRoutes(ctx, transformations),
  );
  router.add(
    ...controlRoutes({
      faults,
      requests,
      identity,
      info: () => ({ baseUrl, project, tokenUrl: `${baseUrl}/oauth2/token`, deviceAuthorizationUrl: `${baseUrl}/oauth2/devicecode`, clientId: clients[0].clientId }),
    }),
  );

  const http = new SandboxHttpServer({ router, identity, faults, requests, clock, project, quiet: options.quiet ?? true, internalKey, log });
  const port = await http.listen(options.port ?? 0);
  baseUrl = `http://127.0.0.1:${port}`;

  // State: from the data dir when it has some, else the seed. Persistence starts after loading.
  let persistence: Persistence | undefined;
  try {
    persistence = options.dataDir ? new Persistence(options.dataDir, store, project, log) : undefined;
    const loaded = persistence?.load() ?? false;
    if (loaded) {
      followPort(store, baseUrl);
      functions.resume();
      engine.resume();
    } else if ((options.seed ?? 'empty') === 'demo') {
      const first = clients[0];
      seedDemo({
        store,
        clock,
        sessions,
        engine,
        transformations,
        client: { clientId: first.clientId, clientSecret: first.clientSecret, principal: identity.clientPrincipal(first.clientId, first.clientSecret)! },
        project,
        baseUrl,
        tokenUrl: `${baseUrl}/oauth2/token`,
      });
    }
    scheduler.armAll();
  } catch (err) {
    engine.close();
    scheduler.close();
    await functions.close();
    await http.close();
    throw err;
  }
  if (persistence) {
    const p = persistence;
    store.onChange(() => p.scheduleSave());
    p.scheduleSave();
  }

  const settle = async (): Promise<void> => {
    if (clock instanceof ManualClock) await clock.settle();
    else await new Promise<void>((resolve) => setImmediate(resolve));
  };

  let closed: Promise<void> | undefined;
  const sandbox: Sandbox = {
    baseUrl,
    tokenUrl: `${baseUrl}/oauth2/token`,
    deviceAuthorizationUrl: `${baseUrl}/oauth2/devicecode`,
    project,
    clientId: clients[0].clientId,
    clientSecret: clients[0].clientSecret,
    clock,
    faults: { add: (rule) => faults.add(rule), clear: () => faults.clear() },
    requests: {
      get list() {
        return requests.list;
      },
      count: (filter) => requests.count(filter),
      reset: () => requests.reset(),
    },
    expireTokens: () => identity.expireTokens(),
    approveDeviceCode: (userCode) => identity.approveDeviceCode(userCode),
    accessToken: (clientId = clients[0].clientId) => {
      const client = clients.find((c) => c.clientId === clientId);
      if (!client) throw new Error(`No client ${clientId} is configured in this sandbox.`);
      return identity.issueToken(identity.clientPrincipal(client.clientId, client.clientSecret)!).accessToken;
    },
    upsertWorkflow: (workflow, versions = []) => {
      const now = clock.now();
      const existing = store.workflows.get(workflow.externalId);
      const w: WorkflowRecord = { ...workflow, createdTime: existing?.createdTime ?? now, lastUpdatedTime: now };
      store.workflows.set(w.externalId, w);
      for (const v of versions) {
        let definition;
        try {
          definition = normalizeDefinition(v.workflowDefinition, ['workflowDefinition']);
        } catch (err) {
          throw new TypeError(`Version ${v.version} of ${workflow.externalId}: ${err instanceof ApiError ? err.message : String(err)}`, { cause: err });
        }
        const key = versionKey(w.externalId, v.version);
        const record: VersionRecord = {
          workflowExternalId: w.externalId,
          version: v.version,
          workflowDefinition: definition,
          createdTime: store.versions.get(key)?.createdTime ?? now,
          lastUpdatedTime: now,
        };
        store.versions.set(key, record);
      }
      store.changed();
    },
    insertExecutions: (o) => insertExecutions(store, clock, o),
    scriptTransformation: (xid, outcome) => transformations.script(xid, outcome),
    stubFunction: (xid, stub) => {
      functions.stub(xid, stub);
    },
    settle,
    close: () => {
      closed ??= (async () => {
        engine.close();
        scheduler.close();
        await http.close();
        await functions.close();
        persistence?.close();
      })();
      return closed;
    },
  };
  return sandbox;
}

const TERMINAL_MIX: WorkflowStatus[] = ['COMPLETED', 'COMPLETED', 'COMPLETED', 'FAILED', 'COMPLETED', 'TERMINATED', 'COMPLETED', 'TIMED_OUT'];

/**
 * After a restart on another port, loopback sandbox URLs in function envVars (CDF_URL, IDP_TOKEN_URL as the
 * schedule wizard writes them) are moved to the current port, so deployed trigger functions keep working.
 */
function followPort(store: Store, baseUrl: string): void {
  const loopback = /^http:\/\/(127\.0\.0\.1|localhost):\d+(?=\/|$)/;
  for (const fn of store.functions.values()) {
    if (!fn.envVars) continue;
    for (const [key, value] of Object.entries(fn.envVars)) {
      if (loopback.test(value)) fn.envVars[key] = value.replace(loopback, baseUrl);
    }
  }
}

const NO_TASKS = Object.freeze([]) as unknown as ExecutionRecord['executedTasks'];

function insertExecutions(store: Store, clock: Clock, o: InsertExecutionsOptions): string[] {
  const w = store.workflows.get(o.workflowExternalId);
  const v = store.versions.get(versionKey(o.workflowExternalId, o.version));
  if (!w || !v) throw new Error(`insertExecutions: workflow ${o.workflowExternalId} version ${o.version} does not exist; create it first.`);
  if (!Number.isInteger(o.count) || o.count < 0) throw new TypeError('insertExecutions: count must be a non-negative integer.');
  const statuses = o.statuses && o.statuses.length > 0 ? o.statuses : TERMINAL_MIX;
  const spacing = o.spacingMs ?? 60_000;
  const duration = o.durationMs ?? 45_000;
  const newest = o.newestCreatedTime ?? clock.now() - 60_000;
  // Bulk history shares its empty containers: it is read-only until a retry materializes it.
  const metadata = o.metadata ?? {};
  const list: ExecutionRecord[] = [];
  for (let i = 0; i < o.count; i++) {
    const createdTime = newest - (o.count - 1 - i) * spacing;
    const status = statuses[i % statuses.length];
    const e: ExecutionRecord = {
      id: newUuid(),
      workflowExternalId: w.externalId,
      version: v.version,
      status,
      engineExecutionId: newUuid(),
      createdTime,
      startTime: createdTime + 40,
      metadata,
      workflowDefinition: v.workflowDefinition,
      executedTasks: NO_TASKS,
      seq: store.allocateSeq(),
      synthetic: true,
      ...definedFields({ dataSetId: w.dataSetId }),
    };
    if (status !== 'RUNNING') e.endTime = createdTime + 40 + duration;
    if (status === 'FAILED') e.reasonForIncompletion = `Task ${v.workflowDefinition.tasks[v.workflowDefinition.tasks.length - 1]?.externalId ?? 'task'} failed: simulated failure`;
    if (status === 'TERMINATED') e.reasonForIncompletion = 'cancelled';
    if (status === 'TIMED_OUT') e.reasonForIncompletion = 'The execution exceeded the maximum duration of 24 hours.';
    list.push(e);
  }
  store.addExecutions(list);
  store.changed();
  return list.map((e) => e.id);
}
