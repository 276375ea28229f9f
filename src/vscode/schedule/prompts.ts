// The schedule wizard's prompt steps, in order. Each asks one thing, skips itself when the start (a tree
// node, a JSON file, an edited schedule) already answered it, and goes Back with the wizard.
import * as vscode from 'vscode';
import { InputError } from '../../core/errors';
import { validateTimeZone } from '../../core/schedule/cron';
import { checkExternalId, checkScheduleName, checkTriggerCredentials, defaultScheduleName, defaultTriggerExternalId, deployedClientId, ownershipOf } from '../../core/schedule/deploy';
import { type WorkflowVersion } from '../../core/schemas/workflows';
import { GoBackError, type PickItem, type StepInfo, type UserInput } from '../ui';
import { type PromptStep } from '../wizard';
import { connectionClientId, type CredentialChoice, type ScheduleInput, type ScheduleMethod, type ScheduleWizardContext } from './context';
import { cronPreview } from './cronPreview';
import { type ScheduleCredentialStore } from './credentialStore';
import { displayName, isJsonDocument, readScheduleInput } from './input';

type Step = PromptStep<ScheduleWizardContext>;

export interface PromptDeps {
  readonly pairs: ScheduleCredentialStore;
  /** Zone of the "local time" column (the extension host's). */
  readonly localZone: string;
}

/** The cron expression offered first when nothing else is known: every day at 06:00. */
export const DEFAULT_CRON = '0 6 * * *';

export function schedulePrompts(deps: PromptDeps): Step[] {
  return [workflowStep, versionStep, methodStep, timezoneStep, otherTimezoneStep, cronStep(deps), cronPreviewStep(deps), inputStep, credentialsStep(deps), newClientIdStep, newClientSecretStep, nameStep];
}

const workflowStep: Step = {
  shouldPrompt: (c) => !c.fixed.workflow,
  async prompt(c, ui, step) {
    const items = (async () => {
      const out: PickItem<string>[] = [];
      for await (const w of c.client.workflows.iterate({ limit: 1000 })) out.push({ label: w.externalId, description: w.description ?? undefined, value: w.externalId });
      if (out.length === 0) throw new InputError(`Connection "${c.connection.name}" has no workflows yet. Create one before scheduling it.`);
      return out.sort((a, b) => a.label.localeCompare(b.label));
    })();
    const picked = await ui.pick({ ...step, placeholder: 'Workflow to schedule', items, matchOnDescription: true, active: (i) => i.value === c.workflowExternalId });
    if (picked !== c.workflowExternalId) c.version = undefined;
    c.workflowExternalId = picked;
  },
};

const versionStep: Step = {
  shouldPrompt: (c) => !c.fixed.version,
  async prompt(c, ui, step) {
    const workflow = c.workflowExternalId;
    if (!workflow) throw new InputError('Choose the workflow first.');
    const items = (async () => {
      const page = await c.client.versions.list({ workflowFilters: [{ externalId: workflow }], limit: 1000 });
      if (page.items.length === 0) throw new InputError(`Workflow "${workflow}" has no versions yet. Create a version before scheduling it.`);
      return [...page.items]
        .sort((a, b) => (b.createdTime ?? 0) - (a.createdTime ?? 0))
        .map((v): PickItem<WorkflowVersion> => ({ label: v.version, description: `${v.workflowDefinition.tasks.length} task${v.workflowDefinition.tasks.length === 1 ? '' : 's'}`, value: v }));
    })();
    const current = c.version?.version;
    c.version = await ui.pick({ ...step, placeholder: `Version of ${workflow} the schedule runs`, items, active: (i) => i.value.version === current });
  },
};

const methodStep: Step = {
  shouldPrompt: (c) => c.edit === undefined,
  async prompt(c, ui, step) {
    const items: PickItem<ScheduleMethod>[] = [
      {
        label: 'Cognite Function + schedule',
        description: 'classic, UTC',
        detail: `A trigger function ("${c.functionExternalId}", one per project) runs the workflow with client credentials kept as function secrets; a function schedule calls it.`,
        value: 'function',
      },
      {
        label: 'Native schedule trigger',
        description: 'any time zone',
        detail: 'CDF starts the workflow itself on the cron expression, in the time zone you choose: nothing to deploy.',
        value: 'native',
      },
    ];
    const method = await ui.pick({ ...step, placeholder: 'How the workflow is started on a schedule', items, active: (i) => i.value === c.method });
    c.method = method;
  },
};

const OTHER_ZONE = '\u0000other';

const timezoneStep: Step = {
  shouldPrompt: (c) => c.method === 'native',
  async prompt(c, ui, step) {
    const local = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    const zones = [...new Set([c.timezone, local, 'UTC'].filter((z): z is string => typeof z === 'string' && z !== ''))];
    const items: PickItem<string>[] = [
      ...zones.map((z) => ({ label: z, description: z === local ? 'this machine' : z === c.timezone ? 'current' : undefined, value: z })),
      { label: 'Other time zone...', description: 'an IANA name such as America/New_York', value: OTHER_ZONE },
    ];
    const picked = await ui.pick({ ...step, placeholder: 'Time zone the cron expression is read in', items, active: (i) => i.value === (c.timezone ?? local) });
    c.otherTimezone = picked === OTHER_ZONE;
    if (!c.otherTimezone) c.timezone = picked;
  },
};

const otherTimezoneStep: Step = {
  shouldPrompt: (c) => c.method === 'native' && c.otherTimezone === true,
  async prompt(c, ui, step) {
    const value = await ui.input({
      ...step,
      prompt: 'IANA time zone name, e.g. Europe/Oslo, America/New_York or Asia/Tokyo',
      value: c.timezone,
      validate: (v) => {
        try {
          validateTimeZone(v);
          return undefined;
        } catch (e) {
          return e instanceof InputError ? e.message : String(e);
        }
      },
    });
    c.timezone = validateTimeZone(value);
  },
};

function cronStep(deps: PromptDeps): Step {
  return {
    async prompt(c, ui, step) {
      const zone = c.method === 'native' ? (c.timezone ?? 'UTC') : 'UTC';
      const initial = c.cronExpression ?? editCron(c) ?? DEFAULT_CRON;
      const value = await ui.input({
        ...step,
        prompt:
          c.method === 'native'
            ? `Cron expression, read in ${zone}: minute hour day-of-month month day-of-week`
            : 'Cron expression in UTC (function schedules run in UTC): minute hour day-of-month month day-of-week',
        placeholder: 'e.g. 30 5 * * 1-5 (05:30 on weekdays)',
        value: initial,
        validate: (text) => cronValidation(text, zone, deps.localZone),
      });
      c.cronExpression = value.trim();
    },
  };
}

/**
 * The live message under the cron box: the refusal with its explanation, or the description and the next
 * run (not blocking). One line: the input box's message does not keep line breaks (VS Code 1.100 joins
 * them into one paragraph), so the five fire times get their own step (cronPreviewStep).
 */
export function cronValidation(text: string, timezone: string, localZone: string): string | vscode.InputBoxValidationMessage {
  try {
    const preview = cronPreview(text, { timezone, localZone, count: 1 });
    return { message: `${preview.description} · next run ${preview.fireTimes[0] ?? 'never'}`, severity: vscode.InputBoxValidationSeverity.Info };
  } catch (e) {
    return e instanceof InputError ? e.message : String(e);
  }
}

type PreviewChoice = 'use' | 'change';

/** The next five fire times as the rows of a pick: UTC and local time (and the trigger's own zone). */
function cronPreviewStep(deps: PromptDeps): Step {
  return {
    async prompt(c, ui, step) {
      const expression = c.cronExpression ?? '';
      const zone = c.method === 'native' ? (c.timezone ?? 'UTC') : 'UTC';
      const preview = cronPreview(expression, { timezone: zone, localZone: deps.localZone });
      const columns = zone === 'UTC' ? (deps.localZone === 'UTC' ? 'UTC' : `UTC · local time (${deps.localZone})`) : `${zone} · UTC${deps.localZone !== 'UTC' && deps.localZone !== zone ? ` · local time (${deps.localZone})` : ''}`;
      const items: PickItem<PreviewChoice>[] = [
        { label: `$(check) Use ${expression}`, description: preview.description, value: 'use' },
        { label: `Next runs: ${columns}`, kind: vscode.QuickPickItemKind.Separator, value: 'use' },
        ...preview.fireTimes.map((t): PickItem<PreviewChoice> => ({ label: `$(calendar) ${t}`, value: 'use' })),
        { label: '', kind: vscode.QuickPickItemKind.Separator, value: 'use' },
        { label: '$(edit) Change the cron expression', value: 'change' },
      ];
      const choice = await ui.pick({ ...step, placeholder: `${preview.description}: the next runs. Enter to continue.`, items });
      if (choice === 'change') throw new GoBackError();
    },
  };
}

function editCron(c: ScheduleWizardContext): string | undefined {
  if (!c.edit) return undefined;
  if (c.edit.kind === 'function') return c.edit.cronExpression;
  const rule = c.edit.trigger.triggerRule as { cronExpression?: unknown };
  return typeof rule.cronExpression === 'string' ? rule.cronExpression : undefined;
}

type InputChoice = 'keep' | 'none' | 'active' | 'file';

const inputStep: Step = {
  shouldPrompt: (c) => c.inputFile === undefined,
  async prompt(c, ui, step) {
    const active = vscode.window.activeTextEditor?.document;
    const activeJson = active && isJsonDocument(active) ? active : undefined;
    const kept = editInput(c);
    for (;;) {
      const items: PickItem<InputChoice>[] = [];
      if (c.edit) items.push({ label: 'Keep the current input', description: kept ? `${Object.keys(kept).length} keys` : 'none', value: 'keep' });
      items.push({ label: 'No input', description: 'runs get {}', value: 'none' });
      if (activeJson) items.push({ label: `Active editor: ${displayName(activeJson.uri)}`, value: 'active' });
      items.push({ label: 'Choose a JSON file...', value: 'file' });
      const choice = await ui.pick({ ...step, placeholder: 'Input every scheduled run gets (checked as a run input: JSON object, at most 100 KB)', items });
      try {
        c.input = await chosenInput(choice, ui, kept, activeJson?.uri);
        return;
      } catch (e) {
        // A file that is not a valid input: say why and ask again.
        if (!(e instanceof InputError)) throw e;
        await ui.ask('error', e.message, {});
      }
    }
  },
};

async function chosenInput(choice: InputChoice, ui: UserInput, kept: Record<string, unknown> | undefined, active: vscode.Uri | undefined): Promise<ScheduleInput> {
  switch (choice) {
    case 'keep':
      return { kind: 'keep', value: kept };
    case 'none':
      return { kind: 'none' };
    case 'active':
      if (!active) throw new InputError('There is no JSON file in the active editor.');
      return readScheduleInput(active);
    case 'file': {
      const uri = await ui.openFile({ title: 'JSON file with the input of every scheduled run', filters: { JSON: ['json'] }, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
      return readScheduleInput(uri);
    }
  }
}

function editInput(c: ScheduleWizardContext): Record<string, unknown> | undefined {
  if (!c.edit) return undefined;
  const raw = c.edit.kind === 'function' ? c.edit.data['input'] : c.edit.trigger.input;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || Object.keys(raw).length === 0) return undefined;
  return raw as Record<string, unknown>;
}

const NEW_PAIR = 'new';

function credentialsStep(deps: PromptDeps): Step {
  return {
    async prompt(c, ui, step) {
      const items = (async () => {
        const own = connectionClientId(c.connection);
        // The client id the trigger function runs as today (function route), to preselect it.
        const deployed = c.method === 'function' ? await deployedClientIdOf(c).catch(() => undefined) : undefined;
        const out: PickItem<CredentialChoice>[] = [];
        const note = (clientId: string) => (clientId === deployed ? ` · used by ${c.functionExternalId}` : '');
        if (own) out.push({ label: `Client credentials of connection "${c.connection.name}"`, description: `${own}${note(own)}`, value: { kind: 'connection', clientId: own } });
        for (const p of await deps.pairs.list()) {
          if (p.clientId === own) continue;
          out.push({ label: p.clientId, description: `stored in VS Code${p.tokenHost ? ` for ${p.tokenHost}` : ''}${note(p.clientId)}`, value: { kind: 'stored', clientId: p.clientId } });
        }
        out.push({ label: 'Enter a client id and secret...', description: 'stored in VS Code SecretStorage', value: { kind: NEW_PAIR } });
        return out;
      })();
      const previous = c.credentialChoice;
      c.credentialChoice = await ui.pick({
        ...step,
        placeholder: 'Client credentials the schedule runs as (sent to CDF only as function secrets or to make a session)',
        items,
        active: (i) => previous !== undefined && i.value.kind === previous.kind && ('clientId' in i.value ? i.value.clientId : '') === ('clientId' in previous ? previous.clientId : ''),
      });
    },
  };
}

async function deployedClientIdOf(c: ScheduleWizardContext): Promise<string | undefined> {
  const [fn] = await c.client.functions.retrieveMany([{ externalId: c.functionExternalId }]);
  // Only a function the wizard made says which pair it runs as.
  return fn && ownershipOf(fn) !== 'foreign' ? deployedClientId(fn.metadata) : undefined;
}

const newClientIdStep: Step = {
  shouldPrompt: (c) => c.credentialChoice?.kind === NEW_PAIR,
  async prompt(c, ui, step) {
    const value = await ui.input({
      ...step,
      prompt: 'Client id of the service principal the schedule runs as',
      value: c.newClientId,
      validate: (v) => (v.trim() === '' ? 'Enter the client id (application id) from your identity provider.' : /\s/.test(v.trim()) ? 'A client id has no blanks.' : undefined),
    });
    c.newClientId = value.trim();
  },
};

const newClientSecretStep: Step = {
  shouldPrompt: (c) => c.credentialChoice?.kind === NEW_PAIR,
  async prompt(c, ui, step: StepInfo) {
    const value = await ui.input({
      ...step,
      prompt: `Client secret of ${c.newClientId ?? 'the client'} (kept in VS Code SecretStorage, never shown or logged)`,
      password: true,
      validate: (v) => (v === '' ? 'Enter the client secret.' : undefined),
    });
    checkTriggerCredentials({ clientId: c.newClientId ?? '', clientSecret: value });
    c.newClientSecret = value;
  },
};

const nameStep: Step = {
  shouldPrompt: (c) => c.edit === undefined,
  async prompt(c, ui, step) {
    const workflow = c.workflowExternalId ?? '';
    const version = c.version?.version ?? '';
    const check = (v: string, fn: (x: string) => string) => {
      try {
        fn(v);
        return undefined;
      } catch (e) {
        return e instanceof InputError ? e.message : String(e);
      }
    };
    if (c.method === 'native') {
      const value = await ui.input({
        ...step,
        prompt: 'External id of the trigger (a trigger with this id is replaced)',
        value: c.triggerExternalId ?? defaultTriggerExternalId(workflow, version),
        validate: (v) => check(v, (x) => checkExternalId(x, 'trigger')),
      });
      c.triggerExternalId = checkExternalId(value, 'trigger');
    } else {
      const value = await ui.input({
        ...step,
        prompt: `Schedule name (a schedule with this name on ${c.functionExternalId} is replaced)`,
        value: c.scheduleName ?? defaultScheduleName(workflow, version),
        validate: (v) => check(v, checkScheduleName),
      });
      c.scheduleName = checkScheduleName(value);
    }
  },
};
