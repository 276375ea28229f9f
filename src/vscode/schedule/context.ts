// The schedule wizard's one typed context, where it starts from, and how the connection turns into what
// the trigger function and its credentials need.
import type * as vscode from 'vscode';
import { defaultClientCredentialsScopes, entraTokenUrl } from '../../core/auth/entra';
import { type CdfClient } from '../../core/client';
import { InputError } from '../../core/errors';
import { type FunctionRouteDeployment, type NativeRouteDeployment, type TriggerCredentials } from '../../core/schedule/deploy';
import { type TriggerFunctionEnvironment } from '../../core/schedule';
import { type Trigger } from '../../core/schemas/triggers';
import { type WorkflowVersion } from '../../core/schemas/workflows';
import { type ConnectionSettings } from '../config';
import { describeConnection } from '../connections/model';
import { type ScheduleCredentialStore } from './credentialStore';

export type ScheduleMethod = 'function' | 'native';

/** What is being edited: the wizard keeps its identity (name or external id), route and workflow. */
export type ScheduleEdit =
  | { readonly kind: 'function'; readonly scheduleId: number; readonly name: string; readonly cronExpression: string; readonly data: Readonly<Record<string, unknown>> }
  | { readonly kind: 'native'; readonly trigger: Trigger };

/** Where the wizard was started: what it does not need to ask. */
export interface ScheduleWizardStart {
  readonly connection?: string;
  readonly workflowExternalId?: string;
  readonly version?: string;
  /** A JSON file from the explorer or editor context menu: it is the input. */
  readonly inputFile?: vscode.Uri;
  readonly edit?: ScheduleEdit;
}

export type ScheduleInput =
  | { readonly kind: 'none' }
  | { readonly kind: 'file'; readonly name: string; readonly value: Record<string, unknown>; readonly bytes: number; readonly uri?: vscode.Uri }
  | { readonly kind: 'keep'; readonly value: Record<string, unknown> | undefined };

export type CredentialChoice =
  | { readonly kind: 'connection'; readonly clientId: string }
  | { readonly kind: 'stored'; readonly clientId: string }
  | { readonly kind: 'new' };

export interface ScheduleWizardContext {
  readonly connection: ConnectionSettings;
  readonly client: CdfClient;
  /** What the trigger function and the credential check need from the connection. */
  readonly environment: TriggerFunctionEnvironment;
  readonly functionExternalId: string;
  readonly edit?: ScheduleEdit;
  readonly inputFile?: vscode.Uri;
  /** Steps the start already answered. */
  readonly fixed: { readonly workflow: boolean; readonly version: boolean };
  workflowExternalId?: string;
  version?: WorkflowVersion;
  method?: ScheduleMethod;
  /** Native triggers: the IANA zone the cron expression is read in. */
  timezone?: string;
  cronExpression?: string;
  input?: ScheduleInput;
  credentialChoice?: CredentialChoice;
  newClientId?: string;
  /** Only in memory, for this run; stored in SecretStorage when the deploy starts. */
  newClientSecret?: string;
  scheduleName?: string;
  triggerExternalId?: string;
  /** Made by the review step; run by the execute steps. */
  deployment?: FunctionRouteDeployment | NativeRouteDeployment;
}

/** The trigger function's non-secret settings from the connection (REFERENCE §1.3). */
export function triggerEnvironment(connection: ConnectionSettings): TriggerFunctionEnvironment {
  const d = describeConnection(connection);
  const tokenUrl = d.tokenUrl ?? (d.tenantId ? entraTokenUrl(d.tenantId) : undefined);
  if (!tokenUrl) {
    throw new InputError(
      `Connection "${connection.name}" has no token URL or Entra tenant id, which a schedule's client credentials need. Edit the connection and set one.`,
    );
  }
  // A user's sign-in scopes (device code) are not what a service principal asks for.
  const scopes = d.loginFlow === 'client_credentials' ? [...d.scopes] : defaultClientCredentialsScopes(d.cluster, d.baseUrl);
  return { tokenUrl, scopes, ...(d.audience ? { audience: d.audience } : {}), project: d.project, baseUrl: d.baseUrl };
}

/** The connection's own client id when it signs in with client credentials. */
export function connectionClientId(connection: ConnectionSettings): string | undefined {
  return connection.auth?.type === 'clientCredentials' ? connection.auth.clientId : undefined;
}

/** Turns the chosen pair into credentials, reading the secret from SecretStorage (or this run's entry). */
export async function resolveCredentials(
  context: ScheduleWizardContext,
  stores: { connectionSecret: (connection: string) => Promise<string | undefined>; pairs: ScheduleCredentialStore },
): Promise<TriggerCredentials> {
  const choice = context.credentialChoice;
  if (!choice) throw new InputError('Choose the client credentials the schedule runs as.');
  switch (choice.kind) {
    case 'connection': {
      const secret = await stores.connectionSecret(context.connection.name);
      if (!secret) {
        throw new InputError(`The client secret of connection "${context.connection.name}" is not stored. Edit the connection to enter it, or choose other credentials.`);
      }
      return { clientId: choice.clientId, clientSecret: secret };
    }
    case 'stored': {
      const secret = await stores.pairs.secret(choice.clientId);
      if (!secret) throw new InputError(`The secret of client id "${choice.clientId}" is no longer stored. Enter it again with "Enter a client id and secret".`);
      return { clientId: choice.clientId, clientSecret: secret };
    }
    case 'new':
      if (!context.newClientId || !context.newClientSecret) throw new InputError('Enter the client id and the client secret.');
      return { clientId: context.newClientId, clientSecret: context.newClientSecret };
  }
}
