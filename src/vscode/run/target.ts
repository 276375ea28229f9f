// Which workflow version a run goes to: pickers that load from the client (the pair last used with the
// file first), and the check that the input has every `${workflow.input.<key>}` the version reads.
import * as vscode from 'vscode';
import { collect } from '../../core/api/paging';
import { type CdfClient } from '../../core/client';
import { CancelledError, CdfApiError, InputError } from '../../core/errors';
import { missingInputReferences, type MissingInputReference } from '../../core/run';
import { type WorkflowVersion } from '../../core/schemas/workflows';
import { formatRelative, taskCount, versionTitle } from '../executions/format';
import { type PickItem, type StepInfo, type UserInput } from '../ui';
import { type RememberedRun } from './memory';
import { ADD_MISSING_KEYS, describeAddedKeys, insertMissingKeys } from './missingKeys';

export const RUN_ANYWAY = 'Run Anyway';

/** "lacks runDate, site.id": what an input is missing for a version, for a picker row. */
export function describeMissing(missing: readonly MissingInputReference[]): string {
  return `lacks ${missing.map(m => m.path).join(', ')}`;
}

/** The workflow picker's answer: a workflow, or the remembered pair (version included). */
export interface WorkflowChoice {
  readonly workflowExternalId: string;
  readonly version?: string;
}

export function pickWorkflow(
  ui: UserInput,
  step: StepInfo,
  client: () => Promise<CdfClient>,
  where: { connection: string; file: string },
  remembered: RememberedRun | undefined,
): Promise<WorkflowChoice> {
  const items = (async (): Promise<PickItem<WorkflowChoice>[]> => {
    const workflows = await collect((await client()).workflows.iterate({ limit: 1000 }));
    if (workflows.length === 0) {
      throw new InputError(`Connection "${where.connection}" has no workflows yet. Create a workflow and a version in CDF first, then run it.`);
    }
    workflows.sort((a, b) => a.externalId.localeCompare(b.externalId));
    const list: PickItem<WorkflowChoice>[] = [];
    if (remembered && workflows.some(w => w.externalId === remembered.workflowExternalId)) {
      list.push({
        label: `${remembered.workflowExternalId}@${remembered.version}`,
        description: `last used with ${where.file}`,
        iconPath: new vscode.ThemeIcon('history'),
        value: { workflowExternalId: remembered.workflowExternalId, version: remembered.version },
      });
    }
    for (const w of workflows) {
      list.push({ label: w.externalId, description: w.description ?? undefined, iconPath: new vscode.ThemeIcon('type-hierarchy'), value: { workflowExternalId: w.externalId } });
    }
    return list;
  })();
  return ui.pick({ ...step, placeholder: `Workflow to run with ${where.file} (on ${where.connection})`, matchOnDescription: true, items });
}

/**
 * Versions newest first, "v2 · 4 tasks" with their description; the one last used is active. With the
 * run input at hand, each row says which `${workflow.input.*}` keys the input lacks for that version:
 * the definitions come with the list, so this costs nothing.
 */
export function pickVersion(
  ui: UserInput,
  step: StepInfo,
  client: () => Promise<CdfClient>,
  workflowExternalId: string,
  rememberedVersion: string | undefined,
  input?: { input: Record<string, unknown>; name: string },
): Promise<string> {
  const items = (async (): Promise<PickItem<string>[]> => {
    const versions = await collect((await client()).versions.iterate({ workflowFilters: [{ externalId: workflowExternalId }], limit: 1000 }));
    if (versions.length === 0) {
      throw new InputError(`Workflow "${workflowExternalId}" has no versions yet. Create a version with its tasks first, then run it.`);
    }
    versions.sort(newestFirst);
    return versions.map(v => {
      const missing = input ? missingInputReferences(v.workflowDefinition, input.input) : [];
      return {
        label: versionTitle(v.version, v.workflowDefinition.tasks.length),
        description: describeVersion(v),
        ...(missing.length ? { detail: `$(warning) ${input?.name ?? 'The input'} ${describeMissing(missing)}` } : {}),
        iconPath: new vscode.ThemeIcon('versions'),
        value: v.version,
      };
    });
  })();
  return ui.pick({
    ...step,
    placeholder: `Version of ${workflowExternalId} (newest first)`,
    matchOnDescription: true,
    items,
    active: i => i.value === rememberedVersion,
  });
}

function newestFirst(a: WorkflowVersion, b: WorkflowVersion): number {
  return (b.createdTime ?? 0) - (a.createdTime ?? 0) || b.version.localeCompare(a.version, undefined, { numeric: true });
}

function describeVersion(v: WorkflowVersion): string {
  const updated = v.lastUpdatedTime ?? v.createdTime;
  return [v.workflowDefinition.description, updated !== undefined ? `updated ${formatRelative(updated)}` : undefined].filter(Boolean).join(' · ') || taskCount(v.workflowDefinition.tasks.length);
}

/** Reads a version's definition (one request), with a clear error when it is gone. */
export async function readVersion(client: () => Promise<CdfClient>, target: { connection: string; workflowExternalId: string; version: string }): Promise<WorkflowVersion> {
  const name = `${target.workflowExternalId}@${target.version}`;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading ${name}` }, async () => {
    try {
      return await (await client()).versions.retrieve(target.workflowExternalId, target.version);
    } catch (e) {
      // A remembered pair (CodeLens, last used) or a stale tree node may name a version deleted since.
      if (e instanceof CdfApiError && e.reason === 'not-found') {
        throw new InputError(
          `${name} is not on "${target.connection}" any more (404): it may have been deleted. ` +
            'Choose another version with "Run with another workflow..." or CDF Workflows: Run Workflow with JSON Input, and refresh the view.',
        );
      }
      throw e;
    }
  });
}

/**
 * Reads the version's definition (one request, unless `known` is given) and, when the input lacks keys
 * its tasks reference, asks with a modal warning whose default is the safe choice: "Add Missing Keys"
 * puts them into the file with null for the user to fill and does not run; only "Run Anyway" runs.
 * Resolves with what was missing.
 */
export async function confirmInputReferences(
  ui: UserInput,
  client: () => Promise<CdfClient>,
  target: { connection: string; workflowExternalId: string; version: string },
  input: { input: Record<string, unknown>; name: string; uri?: vscode.Uri },
  known?: WorkflowVersion,
): Promise<readonly MissingInputReference[]> {
  const name = `${target.workflowExternalId}@${target.version}`;
  const version = known ?? (await readVersion(client, target));
  const missing = missingInputReferences(version.workflowDefinition, input.input);
  if (missing.length === 0) return missing;
  const list = missing.map(m => `${m.path} (${m.taskExternalIds.length === 1 ? 'task' : 'tasks'} ${m.taskExternalIds.join(', ')})`).join(', ');
  const keys = missing.length === 1 ? 'an input key' : `${missing.length} input keys`;
  const canAdd = input.uri !== undefined;
  const choice = await ui.ask(
    'warning',
    `${name} reads ${keys} that ${input.name} does not have: ${list}.`,
    {
      modal: true,
      detail: `Tasks read them as \${workflow.input.<key>}; without them those tasks get no value and may fail.${canAdd ? ` ${ADD_MISSING_KEYS} puts ${missing.length === 1 ? 'it' : 'them'} into the file with the value null for you to fill; nothing runs.` : ''}`,
    },
    ...(canAdd ? [ADD_MISSING_KEYS] : []),
    RUN_ANYWAY,
  );
  if (choice === ADD_MISSING_KEYS && input.uri) {
    const result = await insertMissingKeys(input.uri, missing);
    void ui.ask('info', `${describeAddedKeys(result, input.name)} Then run ${name} again.`, {});
    throw new CancelledError(`Run of ${name} not started: keys were added to ${input.name} for you to fill.`);
  }
  if (choice !== RUN_ANYWAY) throw new CancelledError(`Run of ${name} cancelled: the input lacks ${missing.map(m => m.path).join(', ')}.`);
  return missing;
}
