// Which workflow version a run goes to: pickers that load from the client (the pair last used with the
// file first), and the check that the input has every `${workflow.input.<key>}` the version reads.
import * as vscode from 'vscode';
import { collect } from '../../core/api/paging';
import { type CdfClient } from '../../core/client';
import { CancelledError, CdfApiError, InputError } from '../../core/errors';
import { missingInputReferences, type MissingInputReference } from '../../core/run';
import { type WorkflowVersion } from '../../core/schemas/workflows';
import { type PickItem, type StepInfo, type UserInput } from '../ui';
import { type RememberedRun } from './memory';

export const RUN_ANYWAY = 'Run Anyway';

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

/** Versions newest first, each with its task count and description; the one last used is active. */
export function pickVersion(
  ui: UserInput,
  step: StepInfo,
  client: () => Promise<CdfClient>,
  workflowExternalId: string,
  rememberedVersion: string | undefined,
): Promise<string> {
  const items = (async (): Promise<PickItem<string>[]> => {
    const versions = await collect((await client()).versions.iterate({ workflowFilters: [{ externalId: workflowExternalId }], limit: 1000 }));
    if (versions.length === 0) {
      throw new InputError(`Workflow "${workflowExternalId}" has no versions yet. Create a version with its tasks first, then run it.`);
    }
    versions.sort(newestFirst);
    return versions.map(v => ({
      label: v.version,
      description: describeVersion(v),
      iconPath: new vscode.ThemeIcon('versions'),
      value: v.version,
    }));
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
  const n = v.workflowDefinition.tasks.length;
  const tasks = `${n} task${n === 1 ? '' : 's'}`;
  return v.workflowDefinition.description ? `${tasks} · ${v.workflowDefinition.description}` : tasks;
}

/**
 * Reads the version's definition (one request) and, when the input lacks keys its tasks reference, asks
 * with a modal warning; anything but "Run Anyway" cancels. Resolves with what was missing.
 */
export async function confirmInputReferences(
  ui: UserInput,
  client: () => Promise<CdfClient>,
  target: { connection: string; workflowExternalId: string; version: string },
  input: { input: Record<string, unknown>; name: string },
): Promise<readonly MissingInputReference[]> {
  const name = `${target.workflowExternalId}@${target.version}`;
  const version = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading ${name}` }, async () => {
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
  const missing = missingInputReferences(version.workflowDefinition, input.input);
  if (missing.length === 0) return missing;
  const list = missing.map(m => `${m.path} (${m.taskExternalIds.length === 1 ? 'task' : 'tasks'} ${m.taskExternalIds.join(', ')})`).join(', ');
  const keys = missing.length === 1 ? 'an input key' : `${missing.length} input keys`;
  const choice = await ui.ask(
    'warning',
    `${name} reads ${keys} that ${input.name} does not have: ${list}.`,
    {
      modal: true,
      detail: `Tasks read them as \${workflow.input.<key>}; without them those tasks get no value and may fail. Add ${missing.length === 1 ? 'it' : 'them'} to the file, or run anyway.`,
    },
    RUN_ANYWAY,
  );
  if (choice !== RUN_ANYWAY) throw new CancelledError(`Run of ${name} cancelled: the input lacks ${missing.map(m => m.path).join(', ')}.`);
  return missing;
}
