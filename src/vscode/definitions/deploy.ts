// Deploy Definition: the version of a file (with its workflow, from the workflow file beside it when there
// is one) upserted to the active connection. A deployed version that differs is never overwritten without
// asking: "Overwrite version 2 (N executions ran on it)" or "Deploy as a New Version...", the diff one click
// away. Then the triggers of the version found beside it, through the credential choice of the schedule
// wizard (a session nonce; the file's authentication values are never read).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type CdfClient } from '../../core/client';
import { type DeployPlan, type DeployResult, describeExecutionCount, executeDeploy, planDeploy, suggestNewVersion } from '../../core/definition/deploy';
import { type DefinitionResource, resourceIdentity, toolkitKindOf } from '../../core/definition/document';
import { replaceScalar } from '../../core/definition/fixes';
import { sameTrigger } from '../../core/definition/normalize';
import { child } from '../../core/definition/source';
import { CancelledError, CdfApiError, InputError } from '../../core/errors';
import { type Trigger, type TriggerUpsertItem } from '../../core/schemas/triggers';
import { type ConnectionSettings } from '../config';
import { type Services } from '../services';
import { type DeployedContentProvider, deployedText, showComparison } from './compare';
import { type VersionTarget, displayName } from './shipTarget';
import { chooseTriggerCredentials, literalClientId } from './triggerCredentials';

export interface DeployOutcome {
  readonly connection: string;
  readonly result: DeployResult;
  readonly triggers: readonly string[];
  /** Everything was as in the file already: nothing was written. */
  readonly unchanged: boolean;
}

const MAX_DIFFERENCES_SHOWN = 8;

async function withCancellableProgress<T>(title: string, work: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      return await work(abort.signal, (message) => progress.report({ message }));
    } catch (error) {
      if (abort.signal.aborted) throw new CancelledError();
      throw error;
    } finally {
      sub.dispose();
    }
  });
}

/** Errors the editor shows on the version: deploying anyway is the user's call. */
async function confirmProblems(services: Services, target: VersionTarget): Promise<void> {
  const doc = target.parsed.definition;
  const start = doc.lines.positionAt(target.resource.node.start);
  const end = doc.lines.positionAt(target.resource.node.end);
  const range = new vscode.Range(start.line, start.character, end.line, end.character);
  const errors = vscode.languages.getDiagnostics(target.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error && range.intersection(d.range));
  if (errors.length === 0) return;
  const first = errors[0];
  const choice = await services.ui().ask(
    'warning',
    `${target.label} has ${errors.length} error${errors.length === 1 ? '' : 's'} (line ${first.range.start.line + 1}: ${first.message}). CDF is likely to refuse it.`,
    { modal: true },
    'Deploy Anyway',
    'Show Problems',
  );
  if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
  if (choice !== 'Deploy Anyway') throw new CancelledError();
}

/** The workflow file of the version: a workflow resource in the same file, or a `*.Workflow.yaml` beside it. */
export async function findWorkflowResource(services: Services, target: VersionTarget): Promise<DefinitionResource | undefined> {
  const matches = (r: DefinitionResource): boolean => {
    const id = resourceIdentity(r);
    return id?.kind === 'workflow' && id.externalId === target.workflowExternalId;
  };
  const here = target.parsed.definition.resources.find(matches);
  if (here) return here;
  if (target.uri.scheme !== 'file' || target.parsed.definition.format !== 'yaml') return undefined;
  const folder = vscode.Uri.file(path.dirname(target.uri.fsPath));
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch {
    return undefined;
  }
  for (const [name, type] of entries.sort(([a], [b]) => a.localeCompare(b))) {
    if (type !== vscode.FileType.File || toolkitKindOf(name) !== 'workflow') continue;
    const parsed = await services.definitions.documents.getFile(vscode.Uri.joinPath(folder, name));
    const found = parsed?.definition.resources.find(matches);
    if (found) {
      if (parsed!.definition.templates.some((t) => !t.resolved && t.start >= found.node.start && t.end <= found.node.end)) {
        throw new InputError(`The workflow file ${displayName(parsed!.uri)} has Toolkit variables without a value: set them in the environment's config, or pick another environment.`);
      }
      return found;
    }
  }
  return undefined;
}

/** Trigger resources for the version: in the same file, or in `*.WorkflowTrigger.yaml` files beside it. */
async function findTriggerResources(services: Services, target: VersionTarget): Promise<{ resource: DefinitionResource; file: string }[]> {
  const matches = (r: DefinitionResource): boolean => r.kind === 'trigger' && r.value['workflowExternalId'] === target.workflowExternalId && String(r.value['workflowVersion']) === target.version;
  const out = target.parsed.definition.resources.filter(matches).map((resource) => ({ resource, file: target.fileName }));
  if (target.uri.scheme !== 'file' || target.parsed.definition.format !== 'yaml') return out;
  const folder = vscode.Uri.file(path.dirname(target.uri.fsPath));
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch {
    return out;
  }
  for (const [name, type] of entries.sort(([a], [b]) => a.localeCompare(b))) {
    if (type !== vscode.FileType.File || toolkitKindOf(name) !== 'trigger') continue;
    const parsed = await services.definitions.documents.getFile(vscode.Uri.joinPath(folder, name));
    if (!parsed || parsed.definition.syntaxProblems.some((p) => p.severity === 'error')) continue;
    for (const resource of parsed.definition.resources.filter(matches)) {
      if (parsed.definition.templates.some((t) => !t.resolved && t.start >= resource.node.start && t.end <= resource.node.end)) continue;
      out.push({ resource, file: displayName(parsed.uri) });
    }
  }
  return out;
}

type Decision = { readonly kind: 'overwrite' } | { readonly kind: 'newVersion'; readonly version: string };

/** The overwrite guard: a modal, with the diff one click away (it comes back after the diff opens). */
async function decide(services: Services, provider: DeployedContentProvider, client: CdfClient, connection: string, target: VersionTarget, plan: DeployPlan): Promise<Decision> {
  const deployed = plan.version.deployed;
  const differences = plan.version.differences;
  const runs = describeExecutionCount(plan.version.executions);
  const overwrite = `Overwrite Version ${target.version} (${runs} ran on it)`;
  const asNew = 'Deploy as a New Version...';
  const show = 'Show Differences';
  const shown = differences.slice(0, MAX_DIFFERENCES_SHOWN).map((d) => `• ${d}`);
  if (differences.length > MAX_DIFFERENCES_SHOWN) shown.push(`• and ${differences.length - MAX_DIFFERENCES_SHOWN} more`);
  const detail = `${runs.charAt(0).toUpperCase()}${runs.slice(1)} ran on version ${target.version}; overwriting changes what its re-runs and retries do.\n\nWhat differs:\n${shown.join('\n')}`;
  for (;;) {
    const choice = await services.ui().ask('warning', `Version ${target.version} of ${target.workflowExternalId} on "${connection}" differs from ${target.fileName}.`, { modal: true, detail }, overwrite, asNew, show);
    if (choice === overwrite) return { kind: 'overwrite' };
    if (choice === asNew) return { kind: 'newVersion', version: await askNewVersion(services, client, target) };
    if (choice !== show || !deployed) throw new CancelledError();
    await showComparison(provider, connection, target, deployedText(target, deployed).text);
  }
}

async function askNewVersion(services: Services, client: CdfClient, target: VersionTarget): Promise<string> {
  const { suggestion, taken } = await suggestNewVersion(client, target.workflowExternalId, target.version);
  const value = await services.ui().input({
    title: `Deploy ${target.label} as a new version`,
    prompt: `New version of ${target.workflowExternalId} (version ${target.version} stays as it is; the file is updated to the new version)`,
    value: suggestion,
    validate: (v) => {
      if (v.trim() === '') return 'Enter a version, e.g. 3.';
      if (v.trim() !== v) return 'A version has no leading or trailing blanks.';
      if ([...v].length > 255) return 'A version has at most 255 characters.';
      if (taken.has(v)) return `Version ${v} exists already: choose another.`;
      return undefined;
    },
  });
  return value;
}

/** Points the file at the version just deployed, when its version is written literally. */
async function updateFileVersion(services: Services, target: VersionTarget, version: string): Promise<boolean> {
  const node = child(target.resource.node, 'version');
  if (!node || node.kind !== 'scalar' || node.templated) return false;
  const document = await vscode.workspace.openTextDocument(target.uri);
  const wasDirty = document.isDirty;
  const edit = replaceScalar(target.parsed.definition, node, version);
  const workspaceEdit = new vscode.WorkspaceEdit();
  workspaceEdit.replace(target.uri, new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)), edit.newText);
  if (!(await vscode.workspace.applyEdit(workspaceEdit))) return false;
  if (!wasDirty) await document.save();
  services.log.info(`Deploy: ${target.fileName} now names version ${version}.`);
  return true;
}

function triggerItem(resource: DefinitionResource): TriggerUpsertItem {
  const { authentication: _authentication, createdTime: _c, lastUpdatedTime: _l, isPaused: _p, ...rest } = resource.value as Record<string, unknown>;
  return { ...rest, workflowVersion: String(rest['workflowVersion']) } as TriggerUpsertItem;
}

interface PendingTriggers {
  readonly todo: readonly { resource: DefinitionResource; file: string }[];
  /** `name (new)`, `name (changed)`. */
  readonly names: readonly string[];
  readonly unchanged: number;
}

/** The version's triggers in the files that CDF does not hold as written (one list of the triggers). */
async function pendingTriggers(services: Services, client: CdfClient, target: VersionTarget): Promise<PendingTriggers> {
  const found = await findTriggerResources(services, target);
  if (found.length === 0) return { todo: [], names: [], unchanged: 0 };
  const existing = new Map<string, Trigger>();
  for await (const t of client.triggers.iterate({ limit: 1000 })) existing.set(t.externalId, t);
  const todo = found.filter(({ resource }) => {
    const current = existing.get(String(resource.value['externalId']));
    return !current || !sameTrigger(resource.value, current);
  });
  const names = todo.map(({ resource }) => `${String(resource.value['externalId'])} (${existing.has(String(resource.value['externalId'])) ? 'changed' : 'new'})`);
  return { todo, names, unchanged: found.length - todo.length };
}

async function deployTriggers(services: Services, connection: ConnectionSettings, client: CdfClient, target: VersionTarget, pending: PendingTriggers): Promise<string[]> {
  const chosen = await chooseTriggerCredentials(services, connection, { title: `Triggers of ${target.label}`, preferredClientId: literalClientId(pending.todo[0]?.resource.value['authentication']) });
  client.redactor.add(chosen.credentials.clientSecret);
  const done: string[] = [];
  await withCancellableProgress(`Deploying triggers of ${target.label} to ${connection.name}`, async (signal, report) => {
    for (const { resource, file } of pending.todo) {
      const item = triggerItem(resource);
      report(item.externalId);
      // Each upsert binds a fresh session made from the chosen credentials (REFERENCE §2.6); one CDF
      // refused is revoked, so no unused session is left behind.
      const grant = await client.sessions.grant({ kind: 'clientCredentials', clientId: chosen.credentials.clientId, clientSecret: chosen.credentials.clientSecret }, { signal });
      try {
        await client.triggers.upsert(item, { signal, nonce: grant.nonce });
      } catch (error) {
        if (error instanceof CdfApiError) await client.sessions.revoke([grant.session.id]).catch(() => undefined);
        throw error;
      }
      services.log.info(`Deploy: trigger "${item.externalId}" from ${file} upserted on "${connection.name}", running as client id ${chosen.credentials.clientId}.`);
      done.push(item.externalId);
    }
  });
  await chosen.remember?.();
  return done;
}

export async function deployDefinition(services: Services, provider: DeployedContentProvider, target: VersionTarget): Promise<DeployOutcome> {
  await confirmProblems(services, target);
  const workflowResource = await findWorkflowResource(services, target);
  const { connection, client } = await services.connections.client();
  const name = connection.name;
  const plan = await withCancellableProgress(`Checking ${target.label} on ${name}`, (signal) =>
    planDeploy(client, { version: target.resource.value, ...(workflowResource ? { workflow: workflowResource.value } : {}) }, { signal }),
  );
  let decision: Decision = { kind: 'overwrite' };
  if (plan.version.action === 'update') decision = await decide(services, provider, client, name, target, plan);
  const asVersion = decision.kind === 'newVersion' ? decision.version : undefined;
  const nothingToDo = plan.version.action === 'unchanged' && asVersion === undefined && (plan.workflow.action === 'unchanged' || plan.workflow.action === 'keep');
  let result: DeployResult;
  if (nothingToDo) {
    result = await executeDeploy(client, plan);
  } else {
    result = await withCancellableProgress(`Deploying ${target.label} to ${name}`, (signal) => executeDeploy(client, plan, { signal, ...(asVersion ? { asVersion } : {}) }));
  }
  const deployedLabel = `${target.workflowExternalId}@${result.versionName}`;
  const parts: string[] = [];
  if (result.workflowAction === 'create') parts.push('workflow created');
  if (result.workflowAction === 'update') parts.push(`workflow updated (${plan.workflow.differences.join('; ')})`);
  parts.push(result.versionAction === 'create' ? 'version created' : result.versionAction === 'update' ? `version ${target.version} overwritten` : 'version unchanged');
  services.log.info(`Deploy: ${target.fileName} -> ${deployedLabel} on "${name}": ${parts.join(', ')}.`);
  services.tree.refresh({ connection: name, workflowExternalId: target.workflowExternalId });
  let fileNote = '';
  if (asVersion !== undefined) {
    fileNote = (await updateFileVersion(services, target, asVersion)) ? ` ${target.fileName} now says version ${asVersion}.` : ` Update the version in ${target.fileName} (it is set through a Toolkit variable).`;
  }
  const message = nothingToDo ? `${target.label} on "${name}" is already as in ${target.fileName}` : `Deployed ${deployedLabel} to "${name}": ${parts.join(', ')}.${fileNote}`;
  // Triggers point at the file's version: after a deploy as a new version they are left to the user.
  const pending = asVersion === undefined ? await pendingTriggers(services, client, target) : { todo: [], names: [], unchanged: 0 };
  if (pending.unchanged > 0) services.log.info(`Deploy: ${pending.unchanged} trigger${pending.unchanged === 1 ? '' : 's'} of ${target.label} on "${name}" ${pending.unchanged === 1 ? 'is' : 'are'} as in the files.`);
  let triggers: string[] = [];
  if (pending.todo.length === 0) {
    void services.ui().ask('info', nothingToDo ? `${message}: nothing to deploy.` : message, {});
  } else {
    // One notification: what was deployed, and the triggers beside the file to deploy next.
    const deployIt = `Deploy ${pending.todo.length === 1 ? 'Trigger' : `${pending.todo.length} Triggers`}`;
    const question = `${nothingToDo ? `${message}.` : message} ${pending.todo.length === 1 ? 'It has a trigger' : `It has ${pending.todo.length} triggers`} to deploy: ${pending.names.join(', ')}.`;
    if ((await services.ui().ask('info', question, {}, deployIt, 'Not Now')) === deployIt) {
      triggers = await deployTriggers(services, connection, client, target, pending);
      void services.ui().ask('info', `Deployed ${triggers.length === 1 ? 'trigger' : 'triggers'} ${triggers.join(', ')} of ${deployedLabel} to "${name}".`, {});
      services.tree.refresh({ connection: name, workflowExternalId: target.workflowExternalId });
    }
  }
  return { connection: name, result, triggers, unchanged: nothingToDo };
}
