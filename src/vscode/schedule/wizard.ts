// The schedule wizard: prompts (workflow, version, method, time zone, cron, input, credentials, name,
// review) over one context, then the deploy steps of the chosen route under one progress notification
// with cancellation. Started from the palette, a workflow or version node, a JSON file, or a schedule
// node (Edit).
import { InputError } from '../../core/errors';
import { type Logger } from '../../core/log';
import { formatFireTimes, nextFireTimes } from '../../core/schedule/cron';
import { type DeployDeps, FunctionRouteDeployment, journalKey, NativeRouteDeployment, ProjectJournal } from '../../core/schedule/deploy';
import { config } from '../config';
import { type ClientLease } from '../connections/manager';
import { type Services } from '../services';
import { type ExecuteStep, runExecutes, runPrompts, type WizardOptions } from '../wizard';
import { type ScheduleWizardContext, type ScheduleWizardStart, resolveCredentials, triggerEnvironment } from './context';
import { localTimeZone } from './cronPreview';
import { configHashKey } from './configHashKey';
import { ScheduleCredentialStore } from './credentialStore';
import { readScheduleInput } from './input';
import { GlobalStateJournalStore } from './journalStore';
import { schedulePrompts } from './prompts';
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
  const localZone = localTimeZone();

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
  const options: WizardOptions<ScheduleWizardContext> = {
    title: edit ? `Edit ${edit.kind === 'function' ? `Schedule "${edit.name}"` : `Trigger "${edit.trigger.externalId}"`}` : WIZARD_TITLE,
    prompts: [
      ...schedulePrompts({ pairs, localZone }),
      reviewStep({
        deployDeps,
        credentials: (c) => resolveCredentials(c, { connectionSecret: (name) => services.connections.clientSecret(name), pairs }),
        extensionVersion: services.version,
        configHashKey: () => configHashKey(services.context.secrets),
        readyTimeoutMs: config.functionDeployTimeoutMs(),
        localZone,
      }),
    ],
  };
  await runPrompts(services.ui(), context, options);
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
    await runExecutes(context, options.title, steps);
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
  const outcome = describeOutcome(context, localZone);
  log.info(`Schedule wizard: ${outcome.message}`);
  void services.ui().ask('info', outcome.message, {});
  return outcome;
}

function describeOutcome(c: ScheduleWizardContext, localZone: string): ScheduleWizardOutcome {
  const d = c.deployment;
  const target = `${c.workflowExternalId ?? '?'}@${c.version?.version ?? '?'}`;
  if (d instanceof NativeRouteDeployment) {
    const rule = d.prepared.triggerRule;
    const next = firstFire(rule.cronExpression, rule.timezone, localZone);
    return {
      kind: 'native',
      id: d.prepared.externalId,
      message: `${d.result?.updated ? 'Updated' : 'Created'} trigger "${d.prepared.externalId}": ${target} at ${rule.cronExpression} (${rule.timezone}). Next run ${next}.`,
    };
  }
  const r = d instanceof FunctionRouteDeployment ? d.result : undefined;
  if (!r) throw new Error('The deploy finished without a schedule.');
  const moved = r.restored.length > 0 ? ` ${r.restored.length} other schedule${r.restored.length === 1 ? '' : 's'} moved to it.` : '';
  const fn = r.plan.action === 'reuse' ? 'reused' : r.plan.action === 'create' ? 'created' : 'replaced';
  return {
    kind: 'function',
    id: r.schedule.id,
    message: `Scheduled ${target}: "${r.schedule.name}" at ${r.schedule.cronExpression} (UTC), trigger function "${r.function.externalId ?? r.function.id}" ${fn}.${moved} Next run ${firstFire(r.schedule.cronExpression, 'UTC', localZone)}.`,
  };
}

function firstFire(cron: string, timezone: string, localZone: string): string {
  const [next] = formatFireTimes(nextFireTimes(cron, { timezone, count: 1 }), localZone);
  return next ? next.label : 'unknown';
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
