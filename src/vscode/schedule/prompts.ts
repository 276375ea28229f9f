// The schedule wizard's prompt steps, in order. Each asks one thing, skips itself when the start (a tree
// node, a JSON file, an edited schedule) already answered it, and goes Back with the wizard.
import * as vscode from 'vscode';
import { CancelledError, InputError } from '../../core/errors';
import { validateTimeZone } from '../../core/schedule/cron';
import { checkExternalId, checkScheduleName, checkTriggerCredentials, defaultScheduleName, defaultTriggerExternalId, deployedClientId, ownershipOf, type TriggerCredentials } from '../../core/schedule/deploy';
import { type WorkflowVersion } from '../../core/schemas/workflows';
import { type TimeFormatter } from '../../core/time/format';
import { describeError } from '../boundary';
import { versionLabel, versionTitle } from '../executions/format';
import { ADD_MISSING_KEYS, describeAddedKeys, insertMissingKeys } from '../run/missingKeys';
import { describeMissing } from '../run/target';
import { GoBackError, type PickItem, type StepInfo, type UserInput } from '../ui';
import { type PromptStep } from '../wizard';
import { connectionClientId, type CredentialChoice, type ScheduleInput, type ScheduleMethod, type ScheduleWizardContext } from './context';
import { cronPreview } from './cronPreview';
import { type ScheduleCredentialStore } from './credentialStore';
import { displayName, isJsonDocument, missingOf, readScheduleInput } from './input';

type Step = PromptStep<ScheduleWizardContext>;

export interface PromptDeps {
  readonly pairs: ScheduleCredentialStore;
  /** Local time (the extension host's zone) in VS Code's display language. */
  readonly time: TimeFormatter;
  /** Asks the identity provider for a token with typed credentials (nothing is made in CDF). */
  readonly checkCredentials: (c: ScheduleWizardContext, credentials: TriggerCredentials) => Promise<void>;
}

/**
 * Prompts that belong to one step of the counter: the counter is the same whichever method, zone or
 * credentials are chosen (8 steps from the palette), so it never jumps from 1/8 to 7/10.
 */
const GROUP = { schedule: 'schedule', credentials: 'credentials' } as const;

/** Indexes of the prompts a deploy failure reopens the wizard at (schedulePrompts order). */
export const PROMPT_INDEX = { credentials: 7, input: 6, schedule: 3 } as const;

/** The cron expression offered first when nothing else is known: every day at 06:00. */
export const DEFAULT_CRON = '0 6 * * *';

export function schedulePrompts(deps: PromptDeps): Step[] {
  return [workflowStep, versionStep, methodStep, timezoneStep(deps), cronStep(deps), cronPreviewStep(deps), inputStep, credentialsStep(deps), newClientIdStep, newClientSecretStep(deps), nameStep];
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
        .map((v): PickItem<WorkflowVersion> => ({ label: versionTitle(v.version, v.workflowDefinition.tasks.length), description: v.workflowDefinition.description ?? undefined, value: v }));
    })();
    const current = c.version?.version;
    c.version = await ui.pick({ ...step, placeholder: `Version of ${workflow} the schedule runs`, items, active: (i) => i.value.version === current });
  },
};

const methodStep: Step = {
  shouldPrompt: (c) => c.edit === undefined,
  async prompt(c, ui, step) {
    // Each line fits the pick's width: a cut explanation is no explanation.
    const items: PickItem<ScheduleMethod>[] = [
      {
        label: 'Cognite Function + schedule',
        description: 'classic · cron in UTC',
        detail: `A function schedule calls the trigger function "${c.functionExternalId}".`,
        value: 'function',
      },
      {
        label: 'Native schedule trigger',
        description: 'any time zone · nothing to deploy',
        detail: 'CDF starts the workflow on the cron, read in the zone you choose.',
        value: 'native',
      },
    ];
    const method = await ui.pick({ ...step, placeholder: 'How the workflow is started on a schedule', items, matchOnDetail: true, active: (i) => i.value === (c.method ?? 'function') });
    c.method = method;
  },
};

/** The IANA zones Intl knows, for the zone pick (a fixed short list where Intl cannot list them). */
function knownZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC', 'Europe/London', 'Europe/Oslo', 'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Asia/Tokyo', 'Australia/Sydney'];
  }
}

function timezoneStep(deps: PromptDeps): Step {
  return {
    group: GROUP.schedule,
    shouldPrompt: (c) => c.method === 'native',
    async prompt(c, ui, step) {
      const local = deps.time.timeZone;
      const first = [...new Set([c.timezone, local, 'UTC'].filter((z): z is string => typeof z === 'string' && z !== ''))];
      const note = (z: string) => (z === c.timezone ? 'current' : z === local ? 'this machine' : undefined);
      const items: PickItem<string>[] = [
        ...first.map((z) => ({ label: z, description: note(z), value: z })),
        { label: 'All time zones', kind: vscode.QuickPickItemKind.Separator, value: '' },
        ...knownZones().filter((z) => !first.includes(z)).map((z) => ({ label: z, value: z })),
      ];
      const picked = await ui.pick({
        ...step,
        placeholder: 'Time zone the cron expression is read in: type to filter (Oslo finds Europe/Oslo), or type any IANA name',
        items,
        active: (i) => i.value === (c.timezone ?? local),
        // Aliases Intl does not list (US/Eastern, Etc/GMT-1) are still IANA names CDF takes.
        freeText: (text) => {
          try {
            const zone = validateTimeZone(text);
            return { label: zone, description: 'use this time zone', value: zone };
          } catch {
            return undefined;
          }
        },
      });
      c.timezone = validateTimeZone(picked);
    },
  };
}

function cronStep(deps: PromptDeps): Step {
  return {
    group: GROUP.schedule,
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
        validate: (text) => cronValidation(text, zone, deps.time),
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
export function cronValidation(text: string, timezone: string, time: TimeFormatter): string | vscode.InputBoxValidationMessage {
  try {
    const preview = cronPreview(text, { timezone, time, count: 1 });
    return { message: `${preview.description} · next run ${preview.fireTimes[0] ?? 'never'}`, severity: vscode.InputBoxValidationSeverity.Info };
  } catch (e) {
    return e instanceof InputError ? e.message : String(e);
  }
}

type PreviewChoice = 'use' | 'change';

/** The next five fire times as the rows of a pick: the cron's own zone, then UTC and local time, each once. */
function cronPreviewStep(deps: PromptDeps): Step {
  return {
    group: GROUP.schedule,
    async prompt(c, ui, step) {
      const expression = c.cronExpression ?? '';
      const zone = c.method === 'native' ? (c.timezone ?? 'UTC') : 'UTC';
      const preview = cronPreview(expression, { timezone: zone, time: deps.time });
      const items: PickItem<PreviewChoice>[] = [
        { label: `$(check) Use ${expression}`, description: preview.description, value: 'use' },
        { label: 'Next runs', kind: vscode.QuickPickItemKind.Separator, value: 'use' },
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
    // What each choice lacks of the version's `${workflow.input.*}` keys, shown where the input is chosen.
    const lacks = (input: ScheduleInput | undefined): string | undefined => {
      const missing = missingOf(c.version, input);
      return missing.length ? describeMissing(missing) : undefined;
    };
    for (;;) {
      const activeInput = activeJson ? await readScheduleInput(activeJson.uri).catch(() => undefined) : undefined;
      const items: PickItem<InputChoice>[] = [];
      if (c.edit) items.push({ label: 'Keep the current input', description: [kept ? `${Object.keys(kept).length} keys` : 'none', lacks({ kind: 'keep', value: kept })].filter(Boolean).join(' · '), value: 'keep' });
      items.push({ label: 'No input', description: ['runs get {}', lacks({ kind: 'none' })].filter(Boolean).join(' · '), value: 'none' });
      if (activeJson) items.push({ label: `Active editor: ${displayName(activeJson.uri)}`, description: activeInput ? lacks(activeInput) : 'not a valid input yet', value: 'active' });
      items.push({ label: 'Choose a JSON file...', value: 'file' });
      const choice = await ui.pick({ ...step, placeholder: 'Input every scheduled run gets (checked as a run input: JSON object, at most 100 KB)', items });
      let input: ScheduleInput;
      try {
        input = await chosenInput(choice, ui, kept, activeJson?.uri);
      } catch (e) {
        // A file that is not a valid input: say why and ask again.
        if (!(e instanceof InputError)) throw e;
        await ui.ask('error', e.message, {});
        continue;
      }
      // A file that lacks keys: say so, defaulting to adding them. No input or the kept one: the pick
      // already said what it lacks, and the review's Enter lands on that warning.
      const missing = missingOf(c.version, input);
      const file = input.kind === 'file' ? input : undefined;
      if (missing.length > 0 && file?.uri) {
        const version = `${c.workflowExternalId ?? ''} ${versionLabel(c.version?.version)}`.trim();
        const USE = 'Use It Anyway';
        const answer = await ui.ask(
          'warning',
          `${file.name} lacks ${missing.length === 1 ? 'a key' : `${missing.length} keys`} that ${version} reads: ${missing.map((m) => `${m.path} (task ${m.taskExternalId})`).join(', ')}.`,
          {
            modal: true,
            detail: `Scheduled runs would give those tasks no value. ${ADD_MISSING_KEYS} puts them into ${file.name} with null for you to fill, then asks for the input again.`,
            cancel: 'Choose Another Input',
          },
          ADD_MISSING_KEYS,
          USE,
        );
        if (answer === ADD_MISSING_KEYS) {
          const result = await insertMissingKeys(file.uri, missing);
          void ui.ask('info', `${describeAddedKeys(result, file.name)} Then choose the file again.`, {});
          continue;
        }
        if (answer !== USE) continue;
      }
      c.input = input;
      return;
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
    group: GROUP.credentials,
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
  group: GROUP.credentials,
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

/**
 * The secret is checked on its own step: Enter asks the identity provider for a token (nothing is made in
 * CDF), and a refusal keeps the box open with the reason, so no answer is lost to a typo.
 */
function newClientSecretStep(deps: PromptDeps): Step {
  return {
    group: GROUP.credentials,
    shouldPrompt: (c) => c.credentialChoice?.kind === NEW_PAIR,
    async prompt(c, ui, step: StepInfo) {
      const clientId = c.newClientId ?? '';
      const value = await ui.input({
        ...step,
        prompt: `Client secret of ${clientId || 'the client'} (checked with the identity provider, kept in VS Code SecretStorage, never shown or logged)`,
        password: true,
        validate: (v) => (v === '' ? 'Enter the client secret.' : undefined),
        check: async (v) => {
          try {
            checkTriggerCredentials({ clientId, clientSecret: v });
            await deps.checkCredentials(c, { clientId, clientSecret: v });
            return undefined;
          } catch (e) {
            if (e instanceof CancelledError) throw e;
            return `Refused: ${describeError(e).message}`;
          }
        },
      });
      c.newClientSecret = value;
    },
  };
}

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
