// The review page: what the deploy will create, reuse, replace or remove in CDF, read from CDF just
// before (nothing is written until "Deploy"). It also builds the deployment the execute steps run.
import { CancelledError, InputError } from '../../core/errors';
import {
  type DeployDeps,
  describeReplaceReason,
  FunctionRouteDeployment,
  type FunctionRoutePlan,
  findTrigger,
  NativeRouteDeployment,
  type PlannedDeletion,
  planFunctionRoute,
  plannedDeletions,
  type TriggerCredentials,
} from '../../core/schedule/deploy';
import { RUN_METADATA_LIMITS } from '../../core/run';
import { SCHEDULE_METADATA_KEY, TRIGGER_METADATA_KEY } from '../../core/run/origin';
import { type Trigger } from '../../core/schemas/triggers';
import { type TimeFormatter } from '../../core/time/format';
import { versionLabel } from '../executions/format';
import { type PickItem } from '../ui';
import { type PromptStep } from '../wizard';
import { type ScheduleWizardContext } from './context';
import { cronPreview } from './cronPreview';
import { inputValue, missingReferences } from './input';

type Review = 'deploy' | 'cancel' | 'info' | 'warning';

export interface ReviewDeps {
  /** Deploy dependencies with the project's journal read now. */
  deployDeps(context: ScheduleWizardContext): DeployDeps;
  credentials(context: ScheduleWizardContext): Promise<TriggerCredentials>;
  readonly extensionVersion: string;
  /** The per-installation key of the trigger function's configuration hash (SecretStorage). */
  configHashKey(): Promise<string>;
  readonly readyTimeoutMs: number;
  /** Local time in VS Code's display language. */
  readonly time: TimeFormatter;
}

export function reviewStep(deps: ReviewDeps): PromptStep<ScheduleWizardContext> {
  return {
    async prompt(c, ui, step) {
      const items = reviewItems(c, deps);
      // With a warning on the page, Enter lands on it, not on Deploy: deploying is a deliberate choice then.
      const hasWarning = (await items).some((i) => i.value === 'warning');
      for (;;) {
        const choice = await ui.pick<Review>({
          ...step,
          placeholder: hasWarning ? 'Review the warning, then choose Deploy or go Back to change the input' : 'Review what will be made in CDF, then Deploy',
          items,
          matchOnDetail: true,
          active: (i) => i.value === (hasWarning ? 'warning' : 'deploy'),
        });
        if (choice === 'deploy') return;
        if (choice === 'cancel') throw new CancelledError();
      }
    },
  };
}

async function reviewItems(c: ScheduleWizardContext, deps: ReviewDeps): Promise<PickItem<Review>[]> {
  const workflow = c.workflowExternalId;
  const version = c.version?.version;
  if (!workflow || !version || !c.cronExpression) throw new InputError('The schedule is not complete: choose the workflow, version and cron expression.');
  const credentials = await deps.credentials(c);
  const input = inputValue(c.input);
  const rows: PickItem<Review>[] = [];
  const info = (label: string, detail?: string, value: Review = 'info'): void => {
    rows.push({ label, ...(detail ? { detail } : {}), value });
  };
  const target = `${workflow} ${versionLabel(version)}`;
  const projectDeps = deps.deployDeps(c);
  if (c.method === 'native') {
    const deployment = new NativeRouteDeployment(projectDeps, {
      trigger: {
        externalId: c.triggerExternalId ?? (c.edit?.kind === 'native' ? c.edit.trigger.externalId : ''),
        workflowExternalId: workflow,
        version,
        cronExpression: c.cronExpression,
        timezone: c.timezone ?? 'UTC',
        ...(input !== undefined ? { input } : {}),
        ...triggerMetadata(c),
      },
      credentials,
      identityProvider: c.environment,
    });
    c.deployment = deployment;
    const p = deployment.prepared;
    const existing: Trigger | undefined = await findTrigger(projectDeps, p.externalId);
    const preview = cronPreview(p.triggerRule.cronExpression, { timezone: p.triggerRule.timezone, time: deps.time, count: 1 });
    info(
      `$(zap) ${existing ? 'Update' : 'Create'} schedule trigger "${p.externalId}"`,
      `${preview.description} · ${p.triggerRule.cronExpression} · runs ${target}${existing && existing.workflowVersion !== version ? ` (was ${versionLabel(existing.workflowVersion)})` : ''}`,
    );
    info('$(clock) Next run', preview.fireTimes[0]);
    info(`$(key) Session for client id ${credentials.clientId}`, 'Its nonce lets CDF start the runs; the secret is used only to make it.');
  } else {
    const deployment = new FunctionRouteDeployment(
      projectDeps,
      {
        function: { externalId: c.functionExternalId, environment: c.environment, credentials, extensionVersion: deps.extensionVersion, configHashKey: await deps.configHashKey() },
        schedule: {
          name: c.scheduleName ?? (c.edit?.kind === 'function' ? c.edit.name : ''),
          cronExpression: c.cronExpression,
          // The name rides along as run metadata, so the tree can say which schedule started a run.
          data: { workflowExternalId: workflow, version, ...(input !== undefined ? { input } : {}), metadata: { [SCHEDULE_METADATA_KEY]: c.scheduleName ?? (c.edit?.kind === 'function' ? c.edit.name : '') } },
        },
        ...(c.edit?.kind === 'function' ? { replaces: { scheduleId: c.edit.scheduleId } } : {}),
      },
      { readyTimeoutMs: deps.readyTimeoutMs },
    );
    c.deployment = deployment;
    const plan = await planFunctionRoute(projectDeps, deployment.prepared);
    functionRows(plan, deployment, info);
    const s = deployment.prepared.schedule;
    const preview = cronPreview(s.cronExpression, { time: deps.time, count: 1 });
    const replaced = plan.replacing.length > 0 ? `Replace schedule "${s.name}"` : `Create schedule "${s.name}"`;
    info(`$(calendar) ${replaced}`, `${preview.description} · ${s.cronExpression} · runs ${target}`);
    info('$(clock) Next run', preview.fireTimes[0]);
    info(`$(key) Session for client id ${credentials.clientId}`, 'Authorizes the schedule; the secret reaches CDF only here and as function secrets.');
  }
  info(input === undefined ? '$(json) No input' : `$(json) Input: ${Object.keys(input).length} key${Object.keys(input).length === 1 ? '' : 's'}`, input === undefined ? undefined : truncate(JSON.stringify(input), 200));
  const missing = missingReferences(c.version, c.input);
  if (missing.length > 0) info(`$(warning) The input lacks ${missing.length} value${missing.length === 1 ? '' : 's'} the version reads`, missing.join(', '), 'warning');
  return [{ label: '$(rocket) Deploy', description: `to ${c.connection.name} (${c.environment.project})`, value: 'deploy' }, ...rows, { label: '$(close) Cancel', value: 'cancel' }];
}

function functionRows(plan: FunctionRoutePlan, deployment: FunctionRouteDeployment, info: (label: string, detail?: string) => void): void {
  const p = deployment.prepared;
  const build = `Uploads handler.py (${(p.package.zip.byteLength / 1024).toFixed(1)} KB zip); the credentials become function secrets`;
  switch (plan.action) {
    case 'reuse':
      info(`$(check) Reuse trigger function "${p.functionExternalId}"`, `${plan.existing?.status ?? ''}: same handler, credentials and settings`);
      break;
    case 'create':
      info(`$(symbol-function) Create trigger function "${p.functionExternalId}"`, build);
      break;
    case 'replace': {
      info(`$(sync) Replace trigger function "${p.functionExternalId}" (${describeReplaceReason(plan.reason ?? 'configuration')})`, build);
      if (plan.moving.length > 0) {
        info(
          `$(arrow-right) Move ${plan.moving.length} schedule${plan.moving.length === 1 ? '' : 's'} to the new function`,
          `${truncate(plan.moving.map((s) => s.name).join(', '), 50)}: same cron and data, as ${p.credentials.clientId}`,
        );
      }
      break;
    }
  }
  if (plan.restoring.length > 0) {
    info(`$(history) Restore ${plan.restoring.length} schedule${plan.restoring.length === 1 ? '' : 's'} of an interrupted deploy`, plan.restoring.map((s) => s.name).join(', '));
  }
  // Every deletion on its own line, by name: nothing goes that the review does not show.
  for (const d of plannedDeletions(plan)) info(`$(trash) ${deletionLabel(d)}`, d.why);
}

function deletionLabel(d: PlannedDeletion): string {
  const id = d.id !== undefined ? ` (id ${d.id})` : '';
  switch (d.kind) {
    case 'schedule':
      return `Delete schedule "${d.name}"${id}`;
    case 'function':
      return `Delete trigger function "${d.name}"${id}`;
    case 'file':
      return `Delete the ${d.name} (file id ${d.id ?? '?'})`;
    case 'leftover':
      return `Delete the ${d.name}${id} left by an earlier deploy`;
  }
}

/**
 * A trigger's metadata: an edited trigger keeps its own, and the wizard names the trigger in it (CDF
 * copies it to every execution the trigger starts, so the tree can say what started a run).
 */
function triggerMetadata(c: ScheduleWizardContext): { metadata?: Record<string, string> } {
  const own = c.edit?.kind === 'native' ? { ...(c.edit.trigger.metadata ?? {}) } : {};
  const externalId = c.triggerExternalId ?? (c.edit?.kind === 'native' ? c.edit.trigger.externalId : '');
  if (externalId && (TRIGGER_METADATA_KEY in own || Object.keys(own).length < RUN_METADATA_LIMITS.maxEntries)) own[TRIGGER_METADATA_KEY] = externalId;
  return Object.keys(own).length > 0 ? { metadata: own } : {};
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
