// Actions on the schedules and triggers the tree shows: Run Now, Delete (confirmed), Pause and Resume.
// The tree nodes are read by shape (schedule + data, or trigger, and their connection), so the tree can
// change its classes freely.
import * as vscode from 'vscode';
import { CdfApiError, InputError } from '../../core/errors';
import { sleep } from '../../core/http/abort';
import { type CdfClient } from '../../core/client';
import { type Execution } from '../../core/schemas/executions';
import { type FunctionSchedule } from '../../core/schemas/functionSchedules';
import { type FunctionCall } from '../../core/schemas/functions';
import { type Trigger } from '../../core/schemas/triggers';
import { type Services } from '../services';

/** A function schedule as a tree node carries it. */
export interface ScheduleTarget {
  readonly connection: string;
  readonly schedule: FunctionSchedule;
  readonly data: Record<string, unknown>;
}

export interface TriggerTarget {
  readonly connection: string;
  readonly trigger: Trigger;
}

export function scheduleTargetOf(node: unknown): ScheduleTarget | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const n = node as Partial<ScheduleTarget>;
  if (typeof n.connection !== 'string' || typeof n.schedule?.id !== 'number' || typeof n.data !== 'object' || n.data === null) return undefined;
  return { connection: n.connection, schedule: n.schedule, data: n.data };
}

export function triggerTargetOf(node: unknown): TriggerTarget | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const n = node as Partial<TriggerTarget>;
  if (typeof n.connection !== 'string' || typeof n.trigger?.externalId !== 'string') return undefined;
  return { connection: n.connection, trigger: n.trigger };
}

/** How long Run Now follows the trigger function's call before leaving it to CDF (calls time out at ~10 min). */
const CALL_WAIT_MS = 11 * 60_000;

/**
 * Calls the trigger function with the schedule's data now (a nonce from the connection's identity), waits
 * for the call, and follows the execution it started. Resolves with that execution's id.
 */
export function runScheduleNow(services: Services, target: ScheduleTarget): Promise<string> {
  // The call and the wait for it (minutes) finish on one client whatever happens to the settings meanwhile.
  return services.connections.use(target.connection, ({ client }) => callScheduleNow(services, client, target));
}

async function callScheduleNow(services: Services, client: CdfClient, target: ScheduleTarget): Promise<string> {
  const { schedule, data } = target;
  if (typeof schedule.functionId !== 'number') throw new InputError(`Schedule "${schedule.name}" names no function id; it cannot be run from here.`);
  const functionId = schedule.functionId;
  const call = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Running "${schedule.name}" now`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        let current: FunctionCall = await client.functions.call(functionId, { data, signal: abort.signal });
        services.log.info(`Run Now: called function ${functionId} for schedule "${schedule.name}" (call ${current.id}).`);
        const started = Date.now();
        let interval = 500;
        while (current.status === 'Running' && Date.now() - started < CALL_WAIT_MS) {
          progress.report({ message: `call ${current.id} running` });
          await sleep(interval, abort.signal);
          interval = Math.min(interval * 2, 5_000);
          current = await client.functions.retrieveCall(functionId, current.id, { signal: abort.signal });
        }
        return current;
      } finally {
        sub.dispose();
      }
    },
  );
  if (call.status !== 'Completed') {
    const logs = await client.functions.callLogs(functionId, call.id).catch(() => []);
    if (logs.length > 0) services.log.error(`Run Now: logs of call ${call.id}:\n${logs.map((l) => l.message).join('\n')}`);
    throw new InputError(
      call.status === 'Running'
        ? `The call ${call.id} of the trigger function is still running; its execution appears in the tree when it starts.`
        : `The trigger function's call ${call.id} ended ${call.status}: ${call.error?.message ?? 'no reason given'}. Its logs are in the log.`,
    );
  }
  const response = (await client.functions.callResponse(functionId, call.id)).response as { executionId?: unknown } | undefined;
  const executionId = typeof response?.executionId === 'string' ? response.executionId : undefined;
  if (!executionId) throw new InputError(`The trigger function's call ${call.id} returned no execution id.`);
  const execution = await client.executions.retrieve(executionId);
  await showStarted(services, target.connection, execution, `Ran "${schedule.name}" now`);
  return executionId;
}

/** Runs the trigger's workflow version with the trigger's input and metadata, now. */
export async function runTriggerNow(services: Services, target: TriggerTarget): Promise<string> {
  const t = target.trigger;
  const input = isObject(t.input) && Object.keys(t.input).length > 0 ? t.input : undefined;
  const metadata = t.metadata && Object.keys(t.metadata).length > 0 ? t.metadata : undefined;
  const execution = await services.connections.use(target.connection, ({ client }) =>
    client.executions.run(t.workflowExternalId, t.workflowVersion, { ...(input ? { input } : {}), ...(metadata ? { metadata } : {}) }),
  );
  await showStarted(services, target.connection, execution, `Ran trigger "${t.externalId}" now`);
  return execution.id;
}

async function showStarted(services: Services, connection: string, execution: Execution, what: string): Promise<void> {
  const ref = { connection, executionId: execution.id };
  services.log.info(`${what}: execution ${execution.id} of ${execution.workflowExternalId}@${execution.version}.`);
  void services.tracker.follow(ref, execution);
  await services.tree.revealExecution(ref, execution, { expand: true }).catch((e: unknown) => services.log.debug(`Revealing execution ${execution.id}: ${String(e)}`));
  void services.ui().ask('info', `${what}: execution of ${execution.workflowExternalId}@${execution.version} started.`, {});
}

/** Deletes a function schedule or a trigger after a modal confirmation. Resolves false when declined. */
export async function deleteScheduleOrTrigger(services: Services, target: ScheduleTarget | TriggerTarget): Promise<boolean> {
  const { client } = await services.connections.client(target.connection);
  const isSchedule = 'schedule' in target;
  const name = isSchedule ? `schedule "${target.schedule.name}"` : `trigger "${target.trigger.externalId}"`;
  const named = isSchedule ? target.data['workflowExternalId'] : target.trigger.workflowExternalId;
  const workflowExternalId = typeof named === 'string' ? named : undefined;
  const workflow = workflowExternalId ?? 'The workflow';
  const choice = await services.ui().ask(
    'warning',
    `Delete ${name}?`,
    { modal: true, detail: `${workflow} will no longer run on it. This cannot be undone.` },
    'Delete',
  );
  if (choice !== 'Delete') return false;
  if (isSchedule) {
    await client.functionSchedules.delete([target.schedule.id]);
    // Its session would stay alive: revoke it (best effort; it needs sessionsAcl:DELETE).
    const sessionId = Number(target.schedule.sessionId);
    if (Number.isSafeInteger(sessionId) && sessionId > 0) {
      await client.sessions.revoke([sessionId]).catch((e: unknown) =>
        services.log.warn(`Delete schedule: could not revoke session ${sessionId}: ${e instanceof CdfApiError ? e.message : String(e)}`),
      );
    }
  } else {
    await client.triggers.delete(target.trigger.externalId);
  }
  services.log.info(`Deleted ${name} of ${workflow} on "${target.connection}".`);
  services.tree.refresh({ connection: target.connection, workflowExternalId });
  void services.ui().ask('info', `Deleted ${name}.`, {});
  return true;
}

export async function setTriggerPaused(services: Services, target: TriggerTarget, paused: boolean): Promise<void> {
  const { client } = await services.connections.client(target.connection);
  const t = target.trigger;
  if (paused) await client.triggers.pause(t.externalId);
  else await client.triggers.resume(t.externalId);
  services.log.info(`${paused ? 'Paused' : 'Resumed'} trigger "${t.externalId}" on "${target.connection}".`);
  services.tree.refresh({ connection: target.connection, workflowExternalId: t.workflowExternalId });
  void services.ui().ask('info', `${paused ? 'Paused' : 'Resumed'} trigger "${t.externalId}".`, {});
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
