// The function route (REFERENCE §4): one trigger function per project runs workflows for every function
// schedule, with client credentials kept as its function secrets. A deploy reuses the function when its
// metadata shows the current handler and configuration, and otherwise replaces it, moving its schedules.
//
// It replaces or deletes only what it made (ownershipOf: our owner marker and a handler hash in the
// metadata). A foreign function under the external id, or a schedule being edited that runs a foreign
// function, stops the deploy before anything changes.
//
// Steps and what a failure in each leaves behind:
//   Check the client credentials      nothing made yet
//   Check the trigger function        read only; a function the wizard did not make stops here
//   Remove leftovers of an earlier deploy   best effort, never fails
//   Upload the function code          the file is deleted (or journaled when that fails)
//   Remove the outdated trigger function    its schedules are in the journal before they are deleted;
//                                     the new zip is deleted when this fails
//   Create the trigger function       the file is deleted
//   Wait for the trigger function to be Ready   build failure: function and file deleted;
//                                     timeout or cancel: the function is kept and the next deploy reuses it
//   Restore schedules                 each restored one leaves the journal; the rest stay for the next run
//   Create a session                  the Ready function is kept for reuse
//   Create the schedule               the unused session is revoked; a replaced schedule stays in the
//                                     journal until its successor exists
// Schedules are identified by (function, name), as the Toolkit does: a schedule with the same name on the
// function is replaced, never duplicated.
import { OutcomeUnknownError } from '../../errors';
import { sleep } from '../../http/abort';
import { capText } from '../../redact';
import { type NonceGrant } from '../../api/sessions';
import { type CdfFunction } from '../../schemas/functions';
import { type FunctionSchedule } from '../../schemas/functionSchedules';
import { parseCron } from '../cron';
import {
  buildTriggerFunction,
  type TriggerFunctionEnvironment,
  triggerFunctionEnvVars,
  type TriggerFunctionPackage,
  type TriggerScheduleData,
  triggerScheduleData,
} from '../triggerFunction';
import { removeOrRemember } from './cleanup';
import { checkCredentialsStep, type DeployDeps, grantNonce, releaseSession, revokeScheduleSessions, sweepStep } from './common';
import {
  checkTriggerCredentials,
  configHashKeyId,
  deployedFunctionMetadata,
  outdatedReason,
  ownershipOf,
  TRIGGER_FUNCTION_OWNER,
  triggerFunctionConfigHash,
  triggerFunctionSecrets,
  type TriggerCredentials,
} from './credentials';
import { FunctionBuildError, FunctionNotReadyError, NotOwnedError } from './errors';
import { type JournalSchedule, type Leftover } from './journal';
import { checkExternalId, checkScheduleName, codeFileExternalId } from './names';
import { type DeployStep } from './steps';

/** A project has at most 1000 function schedules (REFERENCE §4.5): one list request sees them all. */
const SCHEDULES_PER_PROJECT = 1000;

export interface TriggerFunctionSpec {
  /** cdfWorkflows.schedule.functionExternalId (default workflow-trigger). */
  readonly externalId: string;
  readonly environment: TriggerFunctionEnvironment;
  readonly credentials: TriggerCredentials;
  /** Written to the function's metadata. */
  readonly extensionVersion: string;
  /** The HMAC key of the configuration hash: random, per installation, kept secret (SecretStorage). */
  readonly configHashKey: string;
  /** The code to deploy; default buildTriggerFunction(). */
  readonly package?: TriggerFunctionPackage;
}

export interface FunctionScheduleSpec {
  readonly name: string;
  readonly cronExpression: string;
  readonly description?: string;
  readonly data: TriggerScheduleData;
}

export interface FunctionRouteRequest {
  readonly function: TriggerFunctionSpec;
  readonly schedule: FunctionScheduleSpec;
  /** Edit: the schedule being edited, removed when the new one is made (it may sit on another function). */
  readonly replaces?: { readonly scheduleId: number };
}

export interface FunctionRouteOptions {
  /** How long to wait for the build (cdfWorkflows.schedule.deployTimeoutMinutes); default 15 minutes. */
  readonly readyTimeoutMs?: number;
  /** Build status polling: first interval, doubling up to the maximum (defaults 0.5 s and 20 s). */
  readonly pollIntervalMs?: number;
  readonly maxPollIntervalMs?: number;
  /** How long to wait for the zip to be marked uploaded (default 60 s). */
  readonly uploadTimeoutMs?: number;
}

/** A request checked and turned into exactly what is sent. Throws InputError naming the problem. */
export interface PreparedFunctionRoute {
  readonly functionExternalId: string;
  readonly credentials: TriggerCredentials;
  readonly environment: TriggerFunctionEnvironment;
  readonly envVars: Record<string, string>;
  readonly package: TriggerFunctionPackage;
  readonly configHash: string;
  /** Names the HMAC key in the metadata, so a function made by another installation is told apart. */
  readonly configKeyId: string;
  readonly metadata: Record<string, string>;
  readonly fileExternalId: string;
  readonly schedule: JournalSchedule;
  readonly replaces?: { readonly scheduleId: number };
}

export function prepareFunctionRoute(request: FunctionRouteRequest): PreparedFunctionRoute {
  const functionExternalId = checkExternalId(request.function.externalId, 'function');
  const credentials = checkTriggerCredentials(request.function.credentials);
  const envVars = triggerFunctionEnvVars(request.function.environment);
  const pkg = request.function.package ?? buildTriggerFunction();
  const configHash = triggerFunctionConfigHash(request.function.configHashKey, pkg.handlerHash, credentials, envVars);
  const configKeyId = configHashKeyId(request.function.configHashKey);
  const data = triggerScheduleData(request.schedule.data);
  const description = request.schedule.description ?? defaultScheduleDescription(data);
  return {
    functionExternalId,
    credentials,
    environment: request.function.environment,
    envVars,
    package: pkg,
    configHash,
    configKeyId,
    metadata: deployedFunctionMetadata(request.function.extensionVersion, pkg.handlerHash, configHash, configKeyId, credentials.clientId),
    fileExternalId: codeFileExternalId(functionExternalId, configHash),
    schedule: {
      name: checkScheduleName(request.schedule.name),
      // CDF schedules take standard 5-field cron in UTC; the normalized form reads the same everywhere.
      cronExpression: parseCron(request.schedule.cronExpression).expression,
      description: [...description].slice(0, 500).join(''),
      data: { ...data },
    },
    ...(request.replaces ? { replaces: request.replaces } : {}),
  };
}

export function defaultScheduleDescription(data: TriggerScheduleData): string {
  return `Runs workflow ${data.workflowExternalId} version ${data.version}. Made by ${TRIGGER_FUNCTION_OWNER}.`;
}

export type FunctionAction = 'create' | 'reuse' | 'replace';

/** Why a trigger function the wizard made is replaced (see outdatedReason; 'failed': its build failed). */
export type ReplaceReason = 'failed' | 'legacy' | 'handler' | 'installation' | 'configuration';

export interface FunctionRoutePlan {
  readonly action: FunctionAction;
  /** The function found under the external id (one the wizard made: a foreign one stops the plan). */
  readonly existing?: CdfFunction;
  /** Why the existing function is replaced. */
  readonly reason?: ReplaceReason;
  /** Schedules of the replaced function that move to the new one. */
  readonly moving: readonly FunctionSchedule[];
  /** Schedules the new one replaces: the same name on the trigger function, or the schedule being edited. */
  readonly replacing: readonly FunctionSchedule[];
  /** Schedules an interrupted deploy still owes (the journal), restored on the trigger function. */
  readonly restoring: readonly JournalSchedule[];
  /** Leftovers of earlier deploys that are removed first. */
  readonly leftovers: number;
  readonly removing: readonly Leftover[];
  /** Functions proven to be the wizard's: only schedules of these may be deleted. */
  readonly owned: readonly number[];
}

/** One thing a deploy deletes, for the review: what, its name and id, and why. */
export interface PlannedDeletion {
  readonly kind: 'function' | 'file' | 'schedule' | 'leftover';
  readonly name: string;
  readonly id?: number;
  readonly why: string;
}

const REASON_TEXT: Record<ReplaceReason, string> = {
  failed: 'its build failed',
  legacy: 'an earlier version made it, with an unkeyed hash of the client secret in its metadata',
  handler: 'the handler changed',
  installation: 'another installation of the extension made it, so whether it has these credentials cannot be told',
  configuration: 'the client credentials or settings changed',
};

export function describeReplaceReason(reason: ReplaceReason): string {
  return REASON_TEXT[reason];
}

/** Everything the deploy deletes in CDF, by name, in the order it happens. */
export function plannedDeletions(plan: FunctionRoutePlan): PlannedDeletion[] {
  const out: PlannedDeletion[] = plan.removing.map((l) => ({
    kind: 'leftover',
    name: describeLeftoverItem(l),
    ...(l.id !== undefined ? { id: l.id } : {}),
    why: 'left over by an earlier deploy that could not remove it',
  }));
  const old = plan.existing;
  if (plan.action === 'replace' && old) {
    for (const s of plan.moving) out.push({ kind: 'schedule', name: s.name, id: s.id, why: 're-created on the new function with the same cron and data; its session is revoked' });
  }
  for (const s of plan.replacing) out.push({ kind: 'schedule', name: s.name, id: s.id, why: 'replaced by the new schedule; its session is revoked' });
  if (plan.action === 'replace' && old) {
    out.push({ kind: 'function', name: old.externalId ?? old.name, id: old.id, why: `replaced: ${REASON_TEXT[plan.reason ?? 'configuration']}` });
    out.push({ kind: 'file', name: `code of "${old.externalId ?? old.name}"`, id: old.fileId, why: 'the zip the replaced function was built from' });
  }
  return out;
}

function describeLeftoverItem(l: Leftover): string {
  switch (l.kind) {
    case 'file':
      return l.id !== undefined ? 'code file' : `code file ${l.externalId ?? ''}`.trim();
    case 'function':
      return 'failed trigger function';
    case 'session':
      return 'unused session';
  }
}

function foreignFunction(fn: CdfFunction, project: string): NotOwnedError {
  const owner = fn.owner ? `, owner "${fn.owner}"` : '';
  return new NotOwnedError(
    { kind: 'function', id: fn.id, name: fn.externalId ?? fn.name },
    `Function "${fn.externalId ?? fn.name}" (id ${fn.id}, name "${fn.name}"${owner}) in project ${project} was not made by the schedule wizard, ` +
      'so the wizard does not replace it and has changed nothing. Pick another external id for the trigger function ' +
      '(the user setting cdfWorkflows.schedule.functionExternalId) and run the wizard again.',
  );
}

function foreignSchedule(s: FunctionSchedule, fn: CdfFunction | undefined): NotOwnedError {
  const runs = fn ? `function "${fn.externalId ?? fn.name}" (id ${fn.id})` : `function ${s.functionId ?? '?'}, which no longer exists`;
  return new NotOwnedError(
    { kind: 'schedule', id: s.id, name: s.name },
    `Schedule "${s.name}" (id ${s.id}) runs ${runs}, which the schedule wizard did not make, so the wizard does not replace it and has changed nothing. ` +
      'Schedule the workflow as a new schedule instead, and delete the old one yourself if it should stop.',
  );
}

/** What a deploy would do, read only (the wizard's review page). */
export async function planFunctionRoute(deps: DeployDeps, prepared: PreparedFunctionRoute, signal?: AbortSignal): Promise<FunctionRoutePlan> {
  const { client, journal } = deps;
  const [existing] = await client.functions.retrieveMany([{ externalId: prepared.functionExternalId }], { signal });
  if (existing && ownershipOf(existing) === 'foreign') throw foreignFunction(existing, client.project);
  const name = prepared.schedule.name;
  const restoring = journal.pending.filter((s) => s.name !== name);
  const replacesId = prepared.replaces?.scheduleId;
  const edited = replacesId === undefined ? undefined : await findSchedule(deps, replacesId, signal);
  const owned = existing ? [existing.id] : [];
  if (edited && edited.functionId !== existing?.id) {
    // The schedule being edited runs another function (an earlier external id): it must be ours too.
    const runs = typeof edited.functionId === 'number' ? await findFunction(deps, edited.functionId, signal) : undefined;
    if (!runs || ownershipOf(runs) === 'foreign') throw foreignSchedule(edited, runs);
    owned.push(runs.id);
  }
  const leftovers = { leftovers: journal.leftovers.length, removing: [...journal.leftovers] };
  if (!existing) {
    return { action: 'create', moving: [], replacing: edited ? [edited] : [], restoring, ...leftovers, owned };
  }
  const onFunction = await client.functionSchedules.list({ filter: { functionId: existing.id }, limit: SCHEDULES_PER_PROJECT, signal });
  const superseded = (s: FunctionSchedule): boolean => s.name === name || s.id === replacesId;
  const replacing = [...onFunction.filter(superseded), ...(edited && edited.functionId !== existing.id ? [edited] : [])];
  const reason: ReplaceReason | undefined =
    existing.status === 'Failed' ? 'failed' : outdatedReason(existing, prepared.package.handlerHash, prepared.configHash, prepared.configKeyId);
  if (reason === undefined) return { action: 'reuse', existing, moving: [], replacing, restoring, ...leftovers, owned };
  return { action: 'replace', existing, reason, moving: onFunction.filter((s) => !superseded(s)), replacing, restoring, ...leftovers, owned };
}

async function findFunction(deps: DeployDeps, id: number, signal?: AbortSignal): Promise<CdfFunction | undefined> {
  try {
    return await deps.client.functions.retrieve(id, { signal });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function findSchedule(deps: DeployDeps, id: number, signal?: AbortSignal): Promise<FunctionSchedule | undefined> {
  try {
    return await deps.client.functionSchedules.retrieve(id, { signal });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { reason?: unknown }).reason === 'not-found';
}

export interface FunctionRouteResult {
  readonly plan: FunctionRoutePlan;
  readonly function: CdfFunction;
  readonly schedule: FunctionSchedule;
  /** Names of schedules moved from a replaced function or restored from the journal. */
  readonly restored: readonly string[];
}

/**
 * One deploy of the function route. `steps` run in order (the wizard runs them under its progress
 * notification); `abandon()` must run afterwards whatever happened: it revokes a session made but unused
 * (a deploy cancelled between "Create a session" and "Create the schedule").
 */
export class FunctionRouteDeployment {
  readonly prepared: PreparedFunctionRoute;
  private plan: FunctionRoutePlan | undefined;
  private fn: CdfFunction | undefined;
  private file: { id?: number; externalId: string } | undefined;
  private grant: NonceGrant | undefined;
  private schedule: FunctionSchedule | undefined;
  private readonly restored: string[] = [];

  constructor(
    private readonly deps: DeployDeps,
    request: FunctionRouteRequest | PreparedFunctionRoute,
    private readonly options: FunctionRouteOptions = {},
  ) {
    this.prepared = 'configHash' in request ? request : prepareFunctionRoute(request);
  }

  get result(): FunctionRouteResult | undefined {
    if (!this.plan || !this.fn || !this.schedule) return undefined;
    return { plan: this.plan, function: this.fn, schedule: this.schedule, restored: [...this.restored] };
  }

  get steps(): DeployStep[] {
    const p = this.prepared;
    const needsBuild = () => this.plan?.action !== 'reuse';
    return [
      checkCredentialsStep(this.deps, { ...p.environment }, p.credentials),
      // Read only, and before anything is removed: a function the wizard did not make stops the deploy here.
      { title: 'Check the trigger function', execute: (_progress, signal) => this.inspect(signal) },
      sweepStep(this.deps),
      // Upload first: a failing upload leaves an outdated function in place, schedules and all.
      { title: 'Upload the function code', shouldExecute: needsBuild, execute: (progress, signal) => this.upload(progress, signal) },
      { title: 'Remove the outdated trigger function', shouldExecute: () => this.plan?.action === 'replace', execute: (progress, signal) => this.retire(progress, signal) },
      { title: 'Create the trigger function', shouldExecute: needsBuild, execute: (_progress, signal) => this.createFunction(signal) },
      { title: 'Wait for the trigger function to be Ready', shouldExecute: () => this.fn?.status !== 'Ready', execute: (progress, signal) => this.waitReady(progress, signal) },
      { title: 'Restore schedules', shouldExecute: () => this.toRestore().length > 0, execute: (progress, signal) => this.restore(progress, signal) },
      { title: 'Create a session', execute: async (_progress, signal) => { this.grant = await grantNonce(this.deps, p.credentials, signal); } },
      { title: 'Create the schedule', execute: (_progress, signal) => this.createSchedule(signal) },
    ];
  }

  /** Revokes a session that was made and not used. Safe to call more than once. */
  async abandon(): Promise<void> {
    const grant = this.grant;
    this.grant = undefined;
    await releaseSession(this.deps, grant);
  }

  private async inspect(signal: AbortSignal): Promise<void> {
    this.plan = await planFunctionRoute(this.deps, this.prepared, signal);
    const { action, existing, reason } = this.plan;
    if (action === 'reuse') this.fn = existing;
    this.deps.logger.info(
      `Schedule deploy: trigger function "${this.prepared.functionExternalId}": ${action}${reason ? ` (${REASON_TEXT[reason]})` : ''}.`,
    );
  }

  /** Saves the old function's schedules in the journal, then deletes them, the function and its zip. */
  private async retire(progress: (m: string) => void, signal: AbortSignal): Promise<void> {
    try {
      await this.retireOutdated(progress, signal);
    } catch (error) {
      await this.dropUpload();
      throw error;
    }
  }

  private async retireOutdated(progress: (m: string) => void, signal: AbortSignal): Promise<void> {
    const { client, journal, logger } = this.deps;
    const old = this.plan?.existing;
    if (!old) return;
    if (ownershipOf(old) === 'foreign') throw foreignFunction(old, client.project);
    // A fresh list: a schedule made since the review must move too.
    const schedules = await client.functionSchedules.list({ filter: { functionId: old.id }, limit: SCHEDULES_PER_PROJECT, signal });
    const name = this.prepared.schedule.name;
    const replacesId = this.prepared.replaces?.scheduleId;
    const moving = schedules.filter((s) => s.name !== name && s.id !== replacesId);
    progress(`saving ${moving.length} schedule${moving.length === 1 ? '' : 's'}`);
    const saved: JournalSchedule[] = [];
    for (const s of moving) {
      const data = await client.functionSchedules.inputData(s.id, { signal });
      saved.push({ name: s.name, cronExpression: s.cronExpression, ...(s.description ? { description: s.description } : {}), data: data ?? {} });
    }
    // The journal holds them before anything is deleted: from here on a failure loses nothing.
    await journal.addPending(saved);
    if (moving.length < schedules.length) await journal.addPending([this.prepared.schedule]);
    if (schedules.length > 0) {
      progress('deleting its schedules');
      await client.functionSchedules.delete(schedules.map((s) => s.id), { signal });
      await revokeScheduleSessions(this.deps, schedules.map((s) => s.sessionId));
    }
    progress('deleting the function');
    await client.functions.delete([{ id: old.id }], { ignoreUnknownIds: true, signal });
    logger.info(`Schedule deploy: deleted trigger function ${old.id} and ${schedules.length} schedule(s); ${saved.length} will be restored.`);
    // Deleting a function keeps its zip in Files (REFERENCE §4.2). A function whose build failed with this
    // same configuration had the zip just overwritten in place: that one stays.
    if (old.fileId !== this.file?.id) await removeOrRemember(client, journal, { kind: 'file', id: old.fileId }, logger);
  }

  /** Removes the zip uploaded by this deploy (when a later step fails before a function uses it). */
  private async dropUpload(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    if (file) await removeOrRemember(this.deps.client, this.deps.journal, file.id !== undefined ? { kind: 'file', id: file.id } : { kind: 'file', externalId: file.externalId }, this.deps.logger);
  }

  private async upload(progress: (m: string) => void, signal: AbortSignal): Promise<void> {
    const { client, logger } = this.deps;
    const p = this.prepared;
    this.file = { externalId: p.fileExternalId };
    try {
      // overwrite: a leftover zip of this same build (same name) is replaced instead of refused.
      const created = await client.files.create(
        { name: `${p.functionExternalId}.zip`, externalId: p.fileExternalId, mimeType: 'application/zip', source: TRIGGER_FUNCTION_OWNER },
        { overwrite: true, signal },
      );
      this.file.id = created.id;
      progress(`${p.package.zip.byteLength} bytes`);
      await client.files.upload(created.uploadUrl, p.package.zip, { mimeType: 'application/zip', signal });
      await client.files.waitUntilUploaded(created.id, { signal, timeoutMs: this.options.uploadTimeoutMs });
      logger.info(`Schedule deploy: uploaded the function code as file ${created.id} (${p.fileExternalId}).`);
    } catch (error) {
      await this.dropUpload();
      throw error;
    }
  }

  private async createFunction(signal: AbortSignal): Promise<void> {
    const { client, journal, logger } = this.deps;
    const p = this.prepared;
    const fileId = this.file?.id;
    if (fileId === undefined) throw new Error('The function code was not uploaded.');
    try {
      this.fn = await client.functions.create(
        {
          name: p.functionExternalId,
          externalId: p.functionExternalId,
          fileId,
          functionPath: 'handler.py',
          description: 'Starts Data Workflows executions for function schedules. Deployed by the schedule wizard of CDF Data Workflows for VS Code.',
          owner: TRIGGER_FUNCTION_OWNER,
          secrets: triggerFunctionSecrets(p.credentials),
          envVars: p.envVars,
          metadata: p.metadata,
        },
        { signal },
      );
      logger.info(`Schedule deploy: created trigger function ${this.fn.id} (${p.functionExternalId}).`);
    } catch (error) {
      if (error instanceof OutcomeUnknownError) {
        // It may exist after all: look before deciding the zip is unused.
        const [found] = await client.functions.retrieveMany([{ externalId: p.functionExternalId }]).catch(() => []);
        if (found && found.fileId === fileId) {
          this.fn = found;
          logger.info(`Schedule deploy: the create of "${p.functionExternalId}" was answered ambiguously, and the function exists (id ${found.id}).`);
          return;
        }
      }
      this.file = undefined;
      await removeOrRemember(client, journal, { kind: 'file', id: fileId }, logger);
      throw error;
    }
  }

  private async waitReady(progress: (m: string) => void, signal: AbortSignal): Promise<void> {
    const { client, journal, logger } = this.deps;
    const fn = this.fn;
    if (!fn) throw new Error('There is no trigger function to wait for.');
    const timeoutMs = this.options.readyTimeoutMs ?? 15 * 60_000;
    const started = Date.now();
    // Short first polls: a quick build (or a sandbox) is seen at once; CDF builds that take minutes back off to 20 s.
    let interval = this.options.pollIntervalMs ?? 500;
    let current = fn;
    for (;;) {
      if (current.status === 'Ready') break;
      if (current.status === 'Failed') {
        const removedFn = await removeOrRemember(client, journal, { kind: 'function', id: current.id }, logger);
        const removedFile = await removeOrRemember(client, journal, { kind: 'file', id: current.fileId }, logger);
        this.fn = undefined;
        // CDF's text, masked like every server text; the message gets the start, the log all of it.
        const fullMessage = client.redactor.redact(current.error?.message ?? 'CDF gave no reason.');
        const trace = current.error?.trace ? client.redactor.redact(current.error.trace) : undefined;
        const message = capText(fullMessage);
        if (message.cut) logger.error(`Schedule deploy: build error of "${this.prepared.functionExternalId}": ${fullMessage}`);
        if (trace) logger.error(`Schedule deploy: build log of "${this.prepared.functionExternalId}":\n${trace}`);
        throw new FunctionBuildError(this.prepared.functionExternalId, message.text, trace, removedFn && removedFile);
      }
      const waited = Date.now() - started;
      if (waited + interval > timeoutMs) throw new FunctionNotReadyError(this.prepared.functionExternalId, current.status, timeoutMs);
      progress(`${current.status}${waited >= 1000 ? ` (${Math.round(waited / 1000)} s)` : ''}`);
      await sleep(interval, signal);
      interval = Math.min(interval * 2, this.options.maxPollIntervalMs ?? 20_000);
      current = await client.functions.retrieve(fn.id, { signal });
    }
    this.fn = current;
    logger.info(`Schedule deploy: trigger function ${current.id} is Ready.`);
  }

  /** Journal schedules other than the one being made (that one is made by the last step). */
  private toRestore(): readonly JournalSchedule[] {
    return this.deps.journal.pending.filter((s) => s.name !== this.prepared.schedule.name);
  }

  private async restore(progress: (m: string) => void, signal: AbortSignal): Promise<void> {
    const { client, journal, logger } = this.deps;
    const fn = this.readyFunction();
    const existing = await client.functionSchedules.list({ filter: { functionId: fn.id }, limit: SCHEDULES_PER_PROJECT, signal });
    const todo = this.toRestore();
    let done = 0;
    for (const s of todo) {
      progress(`${++done} of ${todo.length}: ${s.name}`);
      if (!existing.some((e) => e.name === s.name)) {
        await this.createOnFunction(fn, s, signal);
        this.restored.push(s.name);
      }
      await journal.removePending(s.name);
    }
    logger.info(`Schedule deploy: restored ${this.restored.length} schedule(s) on trigger function ${fn.id}.`);
  }

  private async createSchedule(signal: AbortSignal): Promise<void> {
    const { client, journal, logger } = this.deps;
    const fn = this.readyFunction();
    const spec = this.prepared.schedule;
    try {
      const sameName = await client.functionSchedules.list({ filter: { functionId: fn.id, name: spec.name }, limit: SCHEDULES_PER_PROJECT, signal });
      const replaced = sameName.filter((s) => s.name === spec.name);
      const editedId = this.prepared.replaces?.scheduleId;
      if (editedId !== undefined && !replaced.some((s) => s.id === editedId)) {
        const edited = await findSchedule(this.deps, editedId, signal);
        if (edited) {
          // Only a schedule of a function proven ours when the deploy checked it (or the one just made).
          if (edited.functionId !== fn.id && !this.plan?.owned.includes(edited.functionId ?? -1)) throw foreignSchedule(edited, undefined);
          replaced.push(edited);
        }
      }
      if (replaced.length > 0) {
        // The successor is journaled before its predecessor goes: a failure below still ends with it made.
        await journal.addPending([spec]);
        await client.functionSchedules.delete(replaced.map((s) => s.id), { signal });
        await revokeScheduleSessions(this.deps, replaced.map((s) => s.sessionId));
        logger.info(`Schedule deploy: deleted ${replaced.length} schedule(s) that "${spec.name}" replaces.`);
      }
    } catch (error) {
      await this.abandon();
      throw error;
    }
    const grant = this.grant;
    this.grant = undefined;
    this.schedule = await this.createOnFunction(fn, spec, signal, grant);
    await journal.removePending(spec.name);
    logger.info(`Schedule deploy: created schedule ${this.schedule.id} "${spec.name}" (${spec.cronExpression} UTC) on trigger function ${fn.id}.`);
  }

  /** Creates one schedule with a nonce; on failure the unused session is revoked, unless the create happened. */
  private async createOnFunction(fn: CdfFunction, s: JournalSchedule, signal: AbortSignal, grant?: NonceGrant): Promise<FunctionSchedule> {
    const { client } = this.deps;
    const session = grant ?? (await grantNonce(this.deps, this.prepared.credentials, signal));
    try {
      return await client.functionSchedules.create(
        { name: s.name, cronExpression: s.cronExpression, functionId: fn.id, ...(s.description ? { description: s.description } : {}), data: s.data },
        { nonce: session.nonce, signal },
      );
    } catch (error) {
      if (error instanceof OutcomeUnknownError) {
        const found = (await client.functionSchedules.list({ filter: { functionId: fn.id, name: s.name }, limit: SCHEDULES_PER_PROJECT }).catch(() => [])).find((x) => x.name === s.name);
        if (found) return found;
      }
      await releaseSession(this.deps, session);
      throw error;
    }
  }

  private readyFunction(): CdfFunction {
    if (!this.fn || this.fn.status !== 'Ready') throw new Error('The trigger function is not Ready.');
    return this.fn;
  }
}
