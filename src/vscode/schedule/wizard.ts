// The schedule wizard: prompts (workflow, version, method, time zone, cron, input, credentials, name,
// review) over one context, then the deploy steps of the chosen route under one progress notification
// with cancellation. Started from the palette, a workflow or version node, a JSON file, or a schedule
// node (Edit).
import { AuthError, CancelledError, CdfApiError, ClientClosedError, InputError } from '../../core/errors';
import { type Logger } from '../../core/log';
import { nextFireTimes } from '../../core/schedule/cron';
import { checkCredentialsStep, type DeployDeps, FunctionRouteDeployment, journalKey, NativeRouteDeployment, ProjectJournal } from '../../core/schedule/deploy';
import { type TimeFormatter } from '../../core/time/format';
import { describeError } from '../boundary';
import { config } from '../config';
import { type ClientLease } from '../connections/manager';
import { timeFormat, versionLabel } from '../executions/format';
import { type Services } from '../services';
import { type ExecuteStep, runExecutes, runPrompts, type WizardOptions, WizardStepError } from '../wizard';
import { type ScheduleWizardContext, type ScheduleWizardStart, resolveCredentials, triggerEnvironment } from './context';
import { configHashKey } from './configHashKey';
import { ScheduleCredentialStore } from './credentialStore';
import { readScheduleInput } from './input';
import { GlobalStateJournalStore } from './journalStore';
import { PROMPT_INDEX, schedulePrompts } from './prompts';
import { reviewStep } from './review';

export const WIZARD_TITLE = 'Schedule Workflow';

export interface ScheduleWizardOutcome {
  readonly kind: 'function' | 'native';
  /** Function schedule id, or trigger external id. */
  readonly id: number | string;
  readonly message: string;
}

/**
 * Runs the wizard; resolves with what was deployed, or rejects (CancelledError when the user stops). The
 * prompts and the deploy hold one client: a settings change meanwhile does not cut a deploy short.
 */
export function runScheduleWizard(services: Services, start: ScheduleWizardStart = {}): Promise<ScheduleWizardOutcome> {
  return services.connections.use(start.connection, lease => scheduleWith(services, lease, start));
}

async function scheduleWith(services: Services, { connection, client }: ClientLease, start: ScheduleWizardStart): Promise<ScheduleWizardOutcome> {
  const log = services.log;
  const pairs = new ScheduleCredentialStore(services.context.globalState, services.context.secrets);
  const journals = new GlobalStateJournalStore(services.context.globalState);
  const time = timeFormat();

  const edit = start.edit;
  const editWorkflow = edit?.kind === 'function' ? stringOf(edit.data['workflowExternalId']) : edit?.trigger.workflowExternalId;
  const editVersion = edit?.kind === 'function' ? stringOf(edit.data['version']) : edit?.trigger.workflowVersion;
  const workflowExternalId = editWorkflow ?? start.workflowExternalId;
  const context: ScheduleWizardContext = {
    connection,
    client,
    environment: triggerEnvironment(connection),
    functionExternalId: config.triggerFunctionExternalId(),
    fixed: { workflow: workflowExternalId !== undefined, version: start.version !== undefined && edit === undefined },
    workflowExternalId,
    ...(edit ? { edit, method: edit.kind } : {}),
    ...(edit?.kind === 'native' ? { timezone: stringOf((edit.trigger.triggerRule as { timezone?: unknown }).timezone) ?? 'UTC', triggerExternalId: edit.trigger.externalId } : {}),
    ...(edit?.kind === 'function' ? { scheduleName: edit.name } : {}),
    ...(start.inputFile ? { inputFile: start.inputFile } : {}),
  };
  const versionId = start.version ?? editVersion;
  if (workflowExternalId !== undefined && versionId !== undefined) context.version = await client.versions.retrieve(workflowExternalId, versionId);
  if (start.inputFile) context.input = await readScheduleInput(start.inputFile);

  const deployDeps = (c: ScheduleWizardContext): DeployDeps => ({
    client: c.client,
    journal: new ProjectJournal(journals, journalKey(c.environment.baseUrl, c.environment.project), (problem) =>
      log.warn(`Schedule deploy: dropped an unreadable deploy journal (${problem}).`),
    ),
    logger: log satisfies Logger,
  });
  const prompts = [
    ...schedulePrompts({
      pairs,
      time,
      checkCredentials: (c, credentials) => checkCredentialsStep(deployDeps(c), c.environment, credentials).execute(() => undefined, new AbortController().signal),
    }),
    reviewStep({
      deployDeps,
      credentials: (c) => resolveCredentials(c, { connectionSecret: (name) => services.connections.clientSecret(name), pairs }),
      extensionVersion: services.version,
      configHashKey: () => configHashKey(services.context.secrets),
      readyTimeoutMs: config.functionDeployTimeoutMs(),
      time,
    }),
  ];
  const options: WizardOptions<ScheduleWizardContext> = {
    title: edit ? `Edit ${edit.kind === 'function' ? `Schedule "${edit.name}"` : `Trigger "${edit.trigger.externalId}"`}` : WIZARD_TITLE,
    prompts,
  };
  await runPrompts(services.ui(), context, options);
  // A failed deploy can reopen the wizard at the step that failed, every answer kept, and deploy again.
  for (;;) {
    try {
      return await deploy(services, context, options.title, { pairs, deployDeps, time });
    } catch (error) {
      const reopenAt = await offerReopen(services, error, prompts.length - 1);
      if (reopenAt === undefined) throw error;
      context.deployment = undefined;
      await runPrompts(services.ui(), context, { ...options, startAt: reopenAt });
    }
  }
}

/** Where a deploy failure reopens the wizard: the credentials for a refused sign-in, else the review. */
function reopenIndex(error: unknown, reviewIndex: number): number {
  const cause = error instanceof WizardStepError ? error.cause : error;
  const refused = cause instanceof AuthError || (cause instanceof CdfApiError && (cause.reason === 'unauthorized' || cause.reason === 'forbidden') && /session/i.test(error instanceof WizardStepError ? error.step : ''));
  return refused ? PROMPT_INDEX.credentials : reviewIndex;
}

/**
 * Shows a deploy failure (instead of the command boundary) with "Reopen Wizard", which goes back to the
 * step the failure points at with every answer kept. Resolves with that prompt index, or undefined
 * when the user does not reopen (the error is then reported as handled: CancelledError).
 */
async function offerReopen(services: Services, error: unknown, reviewIndex: number): Promise<number | undefined> {
  if (!(error instanceof WizardStepError)) return undefined;
  // The connection itself is gone: reopening could only fail again, so the error is reported as it is.
  if (error.cause instanceof ClientClosedError) return undefined;
  const message = describeError(error).message;
  services.log.error(`${WIZARD_TITLE}: ${message}`);
  const at = reopenIndex(error, reviewIndex);
  const REOPEN = at === PROMPT_INDEX.credentials ? 'Reopen at Credentials' : 'Reopen at Review';
  const choice = await services.ui().ask('error', `${message} ${REOPEN} keeps every answer.`, {}, REOPEN, 'Show Log');
  if (choice === 'Show Log') services.log.show(true);
  if (choice !== REOPEN) throw new CancelledError(`${WIZARD_TITLE}: ${message}`);
  return at;
}

interface DeployParts {
  readonly pairs: ScheduleCredentialStore;
  readonly deployDeps: (c: ScheduleWizardContext) => DeployDeps;
  readonly time: TimeFormatter;
}

async function deploy(services: Services, context: ScheduleWizardContext, title: string, parts: DeployParts): Promise<ScheduleWizardOutcome> {
  const { log } = services;
  const { pairs, deployDeps, time } = parts;
  const connection = context.connection;
  const deployment = context.deployment;
  if (!deployment) throw new InputError('Nothing to deploy: the review did not finish.');

  const steps: ExecuteStep<ScheduleWizardContext>[] = [];
  if (context.credentialChoice?.kind === 'new' && context.newClientId && context.newClientSecret) {
    const clientId = context.newClientId;
    const secret = context.newClientSecret;
    steps.push({
      title: 'Store the client credentials',
      execute: async () => {
        await pairs.save(clientId, secret, hostOf(context.environment.tokenUrl));
        log.info(`Schedule wizard: stored the client secret of ${clientId} in SecretStorage.`);
      },
    });
  }
  for (const s of deployment.steps) {
    steps.push({ title: s.title, ...(s.shouldExecute ? { shouldExecute: () => s.shouldExecute!() } : {}), execute: (_c, progress, signal) => s.execute(progress, signal) });
  }
  try {
    await runExecutes(context, title, steps);
  } catch (error) {
    // Schedules of a replaced function wait in the journal: say so next to the error.
    const owed = deployDeps(context).journal.pending.length;
    if (owed > 0) {
      const message = `${owed} schedule${owed === 1 ? ' is' : 's are'} saved and will be restored on "${context.functionExternalId}" when the wizard runs again on this project.`;
      log.warn(`Schedule wizard: ${message}`);
      void services.ui().ask('warning', message, {});
    }
    throw error;
  } finally {
    await deployment.abandon();
    services.tree.refresh({ connection: connection.name, workflowExternalId: context.workflowExternalId });
  }
  const outcome = describeOutcome(context, time);
  log.info(`Schedule wizard: ${outcome.message}`);
  void services.ui().ask('info', outcome.message, {});
  return outcome;
}

function describeOutcome(c: ScheduleWizardContext, time: TimeFormatter): ScheduleWizardOutcome {
  const d = c.deployment;
  const target = `${c.workflowExternalId ?? '?'}@${c.version?.version ?? '?'}`;
  if (d instanceof NativeRouteDeployment) {
    const rule = d.prepared.triggerRule;
    // The trigger's own zone first, with UTC (and local time) beside it: never UTC alone.
    const next = firstFire(rule.cronExpression, rule.timezone, time);
    return {
      kind: 'native',
      id: d.prepared.externalId,
      message: `${d.result?.updated ? 'Updated' : 'Created'} trigger "${d.prepared.externalId}": ${c.workflowExternalId ?? '?'} ${versionLabel(c.version?.version)} at ${rule.cronExpression} (${rule.timezone}). Next run ${next}.`,
    };
  }
  const r = d instanceof FunctionRouteDeployment ? d.result : undefined;
  if (!r) throw new Error('The deploy finished without a schedule.');
  const moved = r.restored.length > 0 ? ` ${r.restored.length} other schedule${r.restored.length === 1 ? '' : 's'} moved to it.` : '';
  const fn = r.plan.action === 'reuse' ? 'reused' : r.plan.action === 'create' ? 'created' : 'replaced';
  return {
    kind: 'function',
    id: r.schedule.id,
    message: `Scheduled ${target}: "${r.schedule.name}" at ${r.schedule.cronExpression} (UTC), trigger function "${r.function.externalId ?? r.function.id}" ${fn}.${moved} Next run ${firstFire(r.schedule.cronExpression, 'UTC', time)}.`,
  };
}

function firstFire(cron: string, timezone: string, time: TimeFormatter): string {
  const [next] = nextFireTimes(cron, { timezone, count: 1 });
  return next ? time.fireTime(next, timezone) : 'unknown';
}

function stringOf(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
