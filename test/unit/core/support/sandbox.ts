// Starts the real sandbox for core suites and builds clients against it whose tokens, secrets and log
// lines all go to the end-of-run secret scan.
import { ClientCredentialsTokenSource, type ClientCredentialsOptions } from '../../../../src/core/auth/clientCredentials';
import { type TokenSource } from '../../../../src/core/auth/tokenSource';
import { type CdfClient, type CdfClientOptions, createCdfClient } from '../../../../src/core/client';
import { type SessionCredentials } from '../../../../src/core/schemas/sessions';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../../../src/sandbox/index';
import { CapturingLogger, rememberSecret } from './secretScan';

export const APP_VERSION = '0.1.0-test';

export async function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox({ quiet: true, ...options });
  rememberSecret(sandbox.clientSecret);
  for (const c of options.clients ?? []) rememberSecret(c.clientSecret);
  return sandbox;
}

/** Wraps a token source so every token it hands out is known to the secret scan. */
export function recordingTokens(inner: TokenSource): TokenSource & { readonly issued: string[] } {
  const issued: string[] = [];
  return {
    issued,
    unauthorizedAdvice: inner.unauthorizedAdvice,
    async getToken(signal?: AbortSignal) {
      const token = await inner.getToken(signal);
      if (!issued.includes(token)) issued.push(token);
      rememberSecret(token);
      return token;
    },
    invalidate: (token: string) => inner.invalidate(token),
    sessionCredentials: (): SessionCredentials => inner.sessionCredentials(),
  };
}

export function clientCredentials(sandbox: Sandbox, overrides: Partial<ClientCredentialsOptions> = {}): ClientCredentialsTokenSource {
  return new ClientCredentialsTokenSource({
    tokenUrl: sandbox.tokenUrl,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    baseUrl: sandbox.baseUrl,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...overrides,
  });
}

export interface TestClient {
  readonly client: CdfClient;
  readonly logger: CapturingLogger;
  readonly tokens: TokenSource & { readonly issued: string[] };
}

/** A client on the sandbox with tiny retry delays; close it in after/afterEach. */
export function testClient(sandbox: Sandbox, overrides: Partial<CdfClientOptions> = {}): TestClient {
  const logger = new CapturingLogger();
  const tokens = recordingTokens(overrides.tokenSource ?? clientCredentials(sandbox, { logger }));
  const client = createCdfClient({
    baseUrl: sandbox.baseUrl,
    project: sandbox.project,
    appVersion: APP_VERSION,
    logger,
    retry: { baseDelayMs: 1, maxDelayMs: 10, maxRetries: 4 },
    ...overrides,
    tokenSource: tokens,
  });
  return { client, logger, tokens };
}

/**
 * A workflow with one version whose only task is a transformation the sandbox keeps running for an hour:
 * executions stay RUNNING and cost the sandbox nothing, so suites that run many stay fast.
 */
export async function idleWorkflow(sandbox: Sandbox, client: CdfClient, externalId = 'wf-idle', version = '1'): Promise<void> {
  sandbox.scriptTransformation('tr-idle', { durationMs: 3_600_000 });
  await client.workflows.upsert({ externalId, description: 'test workflow' });
  await client.versions.upsert({
    workflowExternalId: externalId,
    version,
    workflowDefinition: { tasks: [{ externalId: 'wait', type: 'transformation', parameters: { transformation: { externalId: 'tr-idle' } } }] },
  });
}

/**
 * Registers hooks in the calling describe() for the sandbox (and client) its own before hook starts: after
 * each test the sandbox's faults are cleared and its request log emptied; after all, the client is closed,
 * then the sandbox. `suite` reads the suite's variables, so it sees them once they are assigned.
 */
export function useSandboxCleanup(suite: () => { sandbox: Sandbox | undefined; t?: TestClient | undefined }): void {
  afterEach(() => {
    const { sandbox } = suite();
    sandbox?.faults.clear();
    sandbox?.requests.reset();
  });
  after(async () => {
    const { sandbox, t } = suite();
    await t?.client.close();
    await sandbox?.close();
  });
}

/**
 * Starts a sandbox and a client for the calling describe(), hands both to `assign` (so the suite keeps its
 * own variables), and cleans up as useSandboxCleanup does.
 */
export function useTestSandbox(assign: (sandbox: Sandbox, t: TestClient) => void): void {
  let current: { sandbox: Sandbox; t: TestClient } | undefined;
  before(async () => {
    const sandbox = await startTestSandbox();
    current = { sandbox, t: testClient(sandbox) };
    assign(current.sandbox, current.t);
  });
  useSandboxCleanup(() => ({ sandbox: current?.sandbox, t: current?.t }));
}

/** Counts requests the sandbox answered for a method and path regex. */
export function countRequests(sandbox: Sandbox, method: string, path: RegExp): number {
  return sandbox.requests.list.filter((r) => r.method === method && path.test(r.path)).length;
}
