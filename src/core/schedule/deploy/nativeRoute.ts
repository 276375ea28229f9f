// The native route (REFERENCE §2.6): a schedule trigger upserted with a cron expression, an IANA time
// zone, the run input and metadata, and a nonce from a session made with the chosen client credentials.
// Upsert replaces a trigger with the same external id, so editing is the same deploy.
import { CdfApiError, InputError } from '../../errors';
import { type NonceGrant } from '../../api/sessions';
import { validateRunMetadata } from '../../run/metadata';
import { checkInputBytes, jsonInputBytes } from '../../run/limits';
import { type Trigger } from '../../schemas/triggers';
import { parseCron, validateTimeZone } from '../cron';
import { checkCredentialsStep, type CredentialsCheckTarget, type DeployDeps, grantNonce, releaseSession, sweepStep } from './common';
import { checkTriggerCredentials, type TriggerCredentials } from './credentials';
import { checkExternalId } from './names';
import { type DeployStep } from './steps';

export interface NativeTriggerSpec {
  readonly externalId: string;
  readonly workflowExternalId: string;
  readonly version: string;
  readonly cronExpression: string;
  /** IANA time zone the expression is read in (default UTC). */
  readonly timezone?: string;
  readonly input?: Record<string, unknown>;
  readonly metadata?: Record<string, string>;
}

export interface NativeRouteRequest {
  readonly trigger: NativeTriggerSpec;
  readonly credentials: TriggerCredentials;
  /** Where the credentials are checked before the session is made. */
  readonly identityProvider: CredentialsCheckTarget;
}

export interface PreparedTrigger {
  readonly externalId: string;
  readonly workflowExternalId: string;
  readonly workflowVersion: string;
  readonly triggerRule: { readonly triggerType: 'schedule'; readonly cronExpression: string; readonly timezone: string };
  readonly input?: Record<string, unknown>;
  readonly metadata?: Record<string, string>;
}

/** Checks the trigger as CDF would and returns the upsert body (without the nonce). Throws InputError. */
export function prepareTrigger(spec: NativeTriggerSpec): PreparedTrigger {
  const externalId = checkExternalId(spec.externalId, 'trigger');
  if (typeof spec.workflowExternalId !== 'string' || spec.workflowExternalId.trim() === '') throw new InputError('The trigger needs the workflow external id.');
  if (typeof spec.version !== 'string' || spec.version.trim() === '') throw new InputError('The trigger needs the workflow version.');
  if (spec.input !== undefined) checkInputBytes(jsonInputBytes(spec.input, "The trigger's input"), "The trigger's input");
  if (spec.metadata !== undefined) validateRunMetadata(spec.metadata);
  return {
    externalId,
    workflowExternalId: spec.workflowExternalId,
    workflowVersion: spec.version,
    triggerRule: { triggerType: 'schedule', cronExpression: parseCron(spec.cronExpression).expression, timezone: validateTimeZone(spec.timezone ?? 'UTC') },
    ...(spec.input !== undefined ? { input: spec.input } : {}),
    ...(spec.metadata !== undefined ? { metadata: spec.metadata } : {}),
  };
}

/** The trigger with this external id, if there is one (the review says "create" or "update"). */
export async function findTrigger(deps: Pick<DeployDeps, 'client'>, externalId: string, signal?: AbortSignal): Promise<Trigger | undefined> {
  for await (const t of deps.client.triggers.iterate({ limit: 1000, signal })) if (t.externalId === externalId) return t;
  return undefined;
}

/** True when a trigger read back is the one asked for (an upsert whose answer was lost did happen). */
export function triggerMatches(t: Trigger, p: PreparedTrigger): boolean {
  const rule = t.triggerRule as { triggerType: string; cronExpression?: unknown; timezone?: unknown };
  return (
    t.workflowExternalId === p.workflowExternalId &&
    t.workflowVersion === p.workflowVersion &&
    rule.triggerType === 'schedule' &&
    rule.cronExpression === p.triggerRule.cronExpression &&
    (rule.timezone ?? 'UTC') === p.triggerRule.timezone &&
    // CDF answers {} for a trigger made without input or metadata.
    JSON.stringify(t.input ?? {}) === JSON.stringify(p.input ?? {}) &&
    JSON.stringify(t.metadata ?? {}) === JSON.stringify(p.metadata ?? {})
  );
}

export class NativeRouteDeployment {
  readonly prepared: PreparedTrigger;
  private readonly credentials: TriggerCredentials;
  private grant: NonceGrant | undefined;
  private existing: Trigger | undefined;
  private trigger: Trigger | undefined;

  constructor(
    private readonly deps: DeployDeps,
    private readonly request: NativeRouteRequest,
  ) {
    this.prepared = prepareTrigger(request.trigger);
    this.credentials = checkTriggerCredentials(request.credentials);
  }

  get result(): { trigger: Trigger; updated: boolean } | undefined {
    return this.trigger ? { trigger: this.trigger, updated: this.existing !== undefined } : undefined;
  }

  get steps(): DeployStep[] {
    return [
      checkCredentialsStep(this.deps, this.request.identityProvider, this.credentials),
      sweepStep(this.deps),
      {
        title: 'Create a session',
        execute: async (_progress, signal) => {
          this.grant = await grantNonce(this.deps, this.credentials, signal);
        },
      },
      { title: 'Create the schedule trigger', execute: (_progress, signal) => this.upsert(signal) },
    ];
  }

  async abandon(): Promise<void> {
    const grant = this.grant;
    this.grant = undefined;
    await releaseSession(this.deps, grant);
  }

  private async upsert(signal: AbortSignal): Promise<void> {
    const { client, logger } = this.deps;
    const grant = this.grant;
    if (!grant) throw new Error('There is no session for the trigger.');
    this.existing = await findTrigger(this.deps, this.prepared.externalId, signal).catch(() => undefined);
    try {
      this.trigger = await client.triggers.upsert({ ...this.prepared, triggerRule: { ...this.prepared.triggerRule } }, { nonce: grant.nonce, signal });
      this.grant = undefined;
    } catch (error) {
      // A refusal (4xx) made nothing. Otherwise the upsert may have happened: keep the session when the
      // trigger now is what was asked for (it is bound to it), revoke it when not.
      const refused = error instanceof CdfApiError && error.status < 500;
      const applied = refused ? undefined : await findTrigger(this.deps, this.prepared.externalId).catch(() => undefined);
      if (applied && triggerMatches(applied, this.prepared)) {
        this.trigger = applied;
        this.grant = undefined;
      } else {
        await this.abandon();
        throw error;
      }
    }
    logger.info(
      `Schedule deploy: ${this.existing ? 'updated' : 'created'} trigger "${this.prepared.externalId}" (${this.prepared.triggerRule.cronExpression} ${this.prepared.triggerRule.timezone}) for ${this.prepared.workflowExternalId}@${this.prepared.workflowVersion}.`,
    );
  }
}
