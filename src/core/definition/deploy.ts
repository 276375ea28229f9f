// Deploying a definition file: the workflow and the version (REFERENCE §2.1, §2.2), planned first so a UI
// can ask before anything changes, then upserted. No UI here: commands, tests and other features call it.
//
// Reads a plan makes, and nothing more: the workflow (GET), the version (GET), and only when the version
// exists and differs, one page of its executions (to say how many ran on it). A workflow file naming its
// data set by external id adds one data set lookup. An unchanged definition is two reads and no write.
import { type CdfClient } from '../client';
import { CdfApiError, InputError } from '../errors';
import { type Workflow, type WorkflowUpsert, type WorkflowVersion, type WorkflowVersionUpsert } from '../schemas/workflows';
import { describeDifferences, sameVersion, sameWorkflow } from './normalize';
import { asUpsertBody } from './render';
import { isPlainObject } from './types';

export type ResourceAction = 'create' | 'update' | 'unchanged';

export interface DeployInput {
  /** The version as the file holds it, in the API's shape (`workflowExternalId`, `version`, `workflowDefinition`). */
  readonly version: Readonly<Record<string, unknown>>;
  /** The workflow from its own file, when there is one: API shape, or Toolkit shape with `dataSetExternalId`. */
  readonly workflow?: Readonly<Record<string, unknown>>;
}

export interface WorkflowPlan {
  /** `keep`: no workflow file, the workflow exists and is left as it is. */
  readonly action: ResourceAction | 'keep';
  /** What would be upserted (create/update). */
  readonly body: WorkflowUpsert;
  readonly deployed?: Workflow;
  readonly differences: readonly string[];
}

export interface VersionPlan {
  readonly action: ResourceAction;
  readonly body: WorkflowVersionUpsert;
  readonly deployed?: WorkflowVersion;
  readonly differences: readonly string[];
  /** Executions of the deployed version (first page only): `more` when it has over `count`. */
  readonly executions?: { readonly count: number; readonly more: boolean };
}

export interface DeployPlan {
  readonly workflow: WorkflowPlan;
  readonly version: VersionPlan;
}

export interface DeployResult {
  readonly workflow?: Workflow;
  readonly version: WorkflowVersion;
  /** The version that was written (another than the file's when deployed as a new version). */
  readonly versionName: string;
  readonly workflowAction: WorkflowPlan['action'];
  readonly versionAction: ResourceAction;
}

const EXECUTION_PAGE = 1000;

function isNotFound(error: unknown): boolean {
  return error instanceof CdfApiError && error.reason === 'not-found';
}

/** The version body as sent: answer-only keys dropped, a numeric version written as text (the API wants a string). */
export function versionBody(version: Readonly<Record<string, unknown>>): WorkflowVersionUpsert {
  const body = asUpsertBody('version', version);
  if (typeof body['version'] === 'number') body['version'] = String(body['version']);
  const id = body['workflowExternalId'];
  if (typeof id !== 'string' || id.trim() === '') throw new InputError('The version has no workflowExternalId: add the external id of its workflow.');
  if (typeof body['version'] !== 'string' || body['version'].trim() === '') throw new InputError(`The version of workflow "${id}" has no version: add one, e.g. version: '1'.`);
  if (!isPlainObject(body['workflowDefinition']) || !Array.isArray(body['workflowDefinition']['tasks'])) {
    throw new InputError(`Version ${id}/${body['version']} has no workflowDefinition.tasks list.`);
  }
  return body as WorkflowVersionUpsert;
}

/** The workflow body: a Toolkit `dataSetExternalId` is looked up and sent as `dataSetId`. */
async function workflowBody(client: CdfClient, workflow: Readonly<Record<string, unknown>> | undefined, externalId: string, signal?: AbortSignal): Promise<WorkflowUpsert> {
  if (!workflow) return { externalId };
  const { dataSetExternalId, ...rest } = asUpsertBody('workflow', workflow);
  if (rest['externalId'] !== externalId) {
    throw new InputError(`The workflow file is for "${String(rest['externalId'])}" but the version belongs to "${externalId}".`);
  }
  if (dataSetExternalId === undefined) return rest as WorkflowUpsert;
  if (typeof dataSetExternalId !== 'string' || dataSetExternalId === '') throw new InputError(`Workflow "${externalId}": dataSetExternalId must be the external id of a data set.`);
  const [found] = await client.dataSets.retrieve([{ externalId: dataSetExternalId }], { signal });
  if (!found) {
    throw new InputError(
      `Workflow "${externalId}" names data set "${dataSetExternalId}", which does not exist in project ${client.project}. Create the data set, or remove dataSetExternalId.`,
    );
  }
  return { ...rest, dataSetId: found.id } as WorkflowUpsert;
}

async function retrieveOrUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** What deploying would do. Reads only (see the file comment for which). */
export async function planDeploy(client: CdfClient, input: DeployInput, ctx: { signal?: AbortSignal } = {}): Promise<DeployPlan> {
  const body = versionBody(input.version);
  const workflowExternalId = body.workflowExternalId;
  const wfBody = await workflowBody(client, input.workflow, workflowExternalId, ctx.signal);
  const deployedWorkflow = await retrieveOrUndefined(() => client.workflows.retrieve(workflowExternalId, ctx));
  let workflow: WorkflowPlan;
  if (!deployedWorkflow) workflow = { action: 'create', body: wfBody, differences: [] };
  else if (!input.workflow) workflow = { action: 'keep', body: wfBody, deployed: deployedWorkflow, differences: [] };
  else {
    const differences = describeDifferences('workflow', wfBody, deployedWorkflow);
    workflow = { action: sameWorkflow(wfBody, deployedWorkflow) ? 'unchanged' : 'update', body: wfBody, deployed: deployedWorkflow, differences };
  }

  // A workflow that does not exist has no versions.
  const deployed = deployedWorkflow ? await retrieveOrUndefined(() => client.versions.retrieve(workflowExternalId, body.version, ctx)) : undefined;
  if (!deployed) return { workflow, version: { action: 'create', body, differences: [] } };
  if (sameVersion(body, deployed)) return { workflow, version: { action: 'unchanged', body, deployed, differences: [] } };
  const page = await client.executions.list({ filter: { workflowFilters: [{ externalId: workflowExternalId, version: body.version }] }, limit: EXECUTION_PAGE, signal: ctx.signal });
  return {
    workflow,
    version: {
      action: 'update',
      body,
      deployed,
      differences: describeDifferences('version', body, deployed),
      executions: { count: page.items.length, more: page.nextCursor !== undefined },
    },
  };
}

/** "3 executions", "1,000+ executions". */
export function describeExecutionCount(executions: { count: number; more: boolean } | undefined): string {
  if (!executions) return 'no executions';
  const n = `${executions.count.toLocaleString('en-US')}${executions.more ? '+' : ''}`;
  return `${n} execution${executions.count === 1 && !executions.more ? '' : 's'}`;
}

/**
 * Carries out a plan: the workflow first when it is new or changed, then the version (under `asVersion`
 * when given: deploy as a new version). Nothing is written for what is unchanged. When CDF refuses the
 * version, a workflow created for it is deleted again.
 */
export async function executeDeploy(client: CdfClient, plan: DeployPlan, options: { asVersion?: string; signal?: AbortSignal } = {}): Promise<DeployResult> {
  const versionName = options.asVersion ?? plan.version.body.version;
  let workflow = plan.workflow.deployed;
  if (plan.workflow.action === 'create' || plan.workflow.action === 'update') workflow = await client.workflows.upsert(plan.workflow.body, { signal: options.signal });
  const renamed = versionName !== plan.version.body.version;
  if (plan.version.action === 'unchanged' && !renamed && plan.version.deployed) {
    return { ...(workflow ? { workflow } : {}), version: plan.version.deployed, versionName, workflowAction: plan.workflow.action, versionAction: 'unchanged' };
  }
  let version: WorkflowVersion;
  try {
    version = await client.versions.upsert({ ...plan.version.body, version: versionName }, { signal: options.signal });
  } catch (error) {
    // CDF refused the version: a workflow this deploy created for it goes again, so nothing is left half made.
    if (plan.workflow.action === 'create' && error instanceof CdfApiError) await client.workflows.delete([plan.version.body.workflowExternalId]).catch(() => undefined);
    throw error;
  }
  return { ...(workflow ? { workflow } : {}), version, versionName, workflowAction: plan.workflow.action, versionAction: renamed ? 'create' : plan.version.action };
}

/** Versions of a workflow and the next free one after `current` ("2" -> "3", "v2" -> "v3", "beta" -> "beta-2"). */
export async function suggestNewVersion(client: CdfClient, workflowExternalId: string, current: string, ctx: { signal?: AbortSignal } = {}): Promise<{ suggestion: string; taken: ReadonlySet<string> }> {
  const taken = new Set<string>();
  for await (const v of client.versions.iterate({ workflowFilters: [{ externalId: workflowExternalId }], limit: 1000, signal: ctx.signal })) taken.add(v.version);
  taken.add(current);
  const numbered = /^(.*?)(\d+)$/.exec(current);
  const prefix = numbered ? numbered[1] ?? '' : `${current}-`;
  // Past the highest number any version with the same prefix uses.
  let n = 1;
  for (const v of taken) {
    if (!v.startsWith(prefix)) continue;
    const rest = v.slice(prefix.length);
    if (/^\d+$/.test(rest)) n = Math.max(n, Number(rest));
  }
  let suggestion = `${prefix}${n + 1}`;
  while (taken.has(suggestion)) suggestion = `${prefix}${++n + 1}`;
  return { suggestion, taken };
}
