// Shared setup of the deploy suites: a sandbox with a workflow to schedule, a client with short backoff, a
// journal in memory and helpers to run deploys and read what exists in CDF afterwards.
/* eslint-disable @typescript-eslint/no-explicit-any -- sandbox answers are read loosely in assertions */
import { type CdfClient } from '../../../../../src/core/client';
import { type FunctionSchedule } from '../../../../../src/core/schemas/functionSchedules';
import { type CdfFunction } from '../../../../../src/core/schemas/functions';
import {
  type DeployDeps,
  type FunctionRouteOptions,
  type FunctionRouteRequest,
  FunctionRouteDeployment,
  journalKey,
  MemoryJournalStore,
  ProjectJournal,
  runDeploySteps,
  type TriggerCredentials,
} from '../../../../../src/core/schedule/deploy';
import { type TriggerFunctionEnvironment } from '../../../../../src/core/schedule';
import { type ManualClock, type Sandbox, type SandboxOptions } from '../../../../../src/sandbox/index';
import { startTestSandbox, testClient, type TestClient } from '../../support/sandbox';
import { type CapturingLogger, rememberSecret } from '../../support/secretScan';

export const WORKFLOW = 'daily-sync';
/** The configuration hash key of "this installation" in the deploy suites. */
export const TEST_HASH_KEY = 'test-hash-key-0123456789abcdef0123456789abcdef';

export interface DeployWorld {
  readonly sandbox: Sandbox;
  readonly t: TestClient;
  readonly client: CdfClient;
  readonly store: MemoryJournalStore;
  readonly logger: CapturingLogger;
  /** Deploy dependencies with a journal read fresh from the store, as each wizard run does. */
  deps(): DeployDeps;
  close(): Promise<void>;
}

export async function startDeployWorld(options: SandboxOptions = {}): Promise<DeployWorld> {
  const sandbox = await startTestSandbox({ functionDeployMs: { queued: 5, deploying: 5 }, ...options });
  for (const c of options.clients ?? []) rememberSecret(c.clientSecret);
  const t = testClient(sandbox, { timeoutMs: 5_000 });
  const tasks = [{ externalId: 'ping', type: 'cdf', parameters: { cdfRequest: { resourcePath: '/workflows', method: 'GET' } } }];
  sandbox.upsertWorkflow({ externalId: WORKFLOW }, [
    { version: '1', workflowDefinition: { tasks } },
    { version: '2', workflowDefinition: { tasks } },
  ]);
  sandbox.upsertWorkflow({ externalId: 'weekly-report' }, [{ version: '1', workflowDefinition: { tasks } }]);
  const store = new MemoryJournalStore();
  const key = journalKey(sandbox.baseUrl, sandbox.project);
  return {
    sandbox,
    t,
    client: t.client,
    store,
    logger: t.logger,
    deps: () => ({ client: t.client, journal: new ProjectJournal(store, key), logger: t.logger }),
    close: async () => {
      await t.client.close();
      await sandbox.close();
    },
  };
}

export function environmentOf(sandbox: Sandbox): TriggerFunctionEnvironment {
  return { tokenUrl: sandbox.tokenUrl, scopes: [`${sandbox.baseUrl}/.default`], project: sandbox.project, baseUrl: sandbox.baseUrl };
}

export function defaultCredentials(sandbox: Sandbox): TriggerCredentials {
  return { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret };
}

/** A function-route request for WORKFLOW@version with the sandbox's own client. */
export function functionRequest(
  sandbox: Sandbox,
  schedule: { name?: string; cron?: string; version?: string; input?: Record<string, unknown>; workflow?: string } = {},
  fn: Partial<FunctionRouteRequest['function']> = {},
): FunctionRouteRequest {
  const workflow = schedule.workflow ?? WORKFLOW;
  const version = schedule.version ?? '1';
  return {
    function: {
      externalId: 'workflow-trigger',
      environment: environmentOf(sandbox),
      credentials: defaultCredentials(sandbox),
      extensionVersion: '0.1.0-test',
      configHashKey: TEST_HASH_KEY,
      ...fn,
    },
    schedule: {
      name: schedule.name ?? `Scheduled trigger: ${workflow}@${version}`,
      cronExpression: schedule.cron ?? '0 2 * * *',
      data: { workflowExternalId: workflow, version, ...(schedule.input ? { input: schedule.input } : {}) },
    },
  };
}

export const FAST: FunctionRouteOptions = { pollIntervalMs: 5, maxPollIntervalMs: 20, readyTimeoutMs: 20_000, uploadTimeoutMs: 5_000 };

/** Runs a whole function-route deploy (and its abandon) as the wizard does; returns the deployment. */
export async function deployFunctionRoute(
  world: DeployWorld,
  request: FunctionRouteRequest,
  options: FunctionRouteOptions = FAST,
  signal?: AbortSignal,
): Promise<FunctionRouteDeployment> {
  const deployment = new FunctionRouteDeployment(world.deps(), request, options);
  try {
    await runDeploySteps(deployment.steps, { signal });
  } finally {
    await deployment.abandon();
  }
  return deployment;
}

export async function functionsNamed(client: CdfClient, externalId = 'workflow-trigger'): Promise<CdfFunction[]> {
  return (await client.functions.list()).filter((f) => f.externalId === externalId);
}

export async function schedulesOf(client: CdfClient, functionId?: number): Promise<FunctionSchedule[]> {
  return client.functionSchedules.list(functionId === undefined ? { limit: 1000 } : { filter: { functionId }, limit: 1000 });
}

/** Every file in the project (the sandbox lists them all on one page). */
export async function allFiles(sandbox: Sandbox): Promise<any[]> {
  const token = sandbox.accessToken();
  const res = await fetch(`${sandbox.baseUrl}/api/v1/projects/${sandbox.project}/files?limit=1000`, { headers: { authorization: `Bearer ${token}` } });
  return ((await res.json()) as { items: any[] }).items;
}

/** Sessions of the project with their status (for "the unused session was revoked"). */
export async function allSessions(client: CdfClient): Promise<{ id: number; status: string }[]> {
  const out: { id: number; status: string }[] = [];
  for await (const s of client.sessions.iterate({ limit: 1000 })) out.push({ id: s.id, status: s.status });
  return out;
}

/**
 * Runs `work` while moving a manual clock forward in small steps, so that function builds and nonces
 * (which live on the sandbox clock) progress while the deploy polls in real time.
 */
export async function withClockMoving<T>(clock: ManualClock, work: Promise<T>, stepMs = 100): Promise<T> {
  let done = false;
  const finished = work.finally(() => {
    done = true;
  });
  const ticker = (async () => {
    while (!done) {
      await clock.advance(stepMs);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  try {
    return await finished;
  } finally {
    await ticker;
  }
}
