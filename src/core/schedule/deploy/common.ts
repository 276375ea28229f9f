// Steps and helpers both deploy routes share: checking the client credentials before anything is made in
// CDF, removing leftovers of an earlier deploy, and making a session whose nonce is revoked when unused.
import { ClientCredentialsTokenSource } from '../../auth/clientCredentials';
import { type CdfClient } from '../../client';
import { type Logger } from '../../log';
import { type NonceGrant } from '../../api/sessions';
import { type TriggerFunctionEnvironment } from '../triggerFunction';
import { removeOrRemember, sweepLeftovers } from './cleanup';
import { sessionCredentialsOf, type TriggerCredentials } from './credentials';
import { type ProjectJournal } from './journal';
import { type DeployStep } from './steps';

export interface DeployDeps {
  readonly client: CdfClient;
  readonly journal: ProjectJournal;
  readonly logger: Logger;
}

/** Where the credentials are checked: the identity provider the trigger function will ask for tokens. */
export type CredentialsCheckTarget = Pick<TriggerFunctionEnvironment, 'tokenUrl' | 'scopes' | 'audience' | 'baseUrl'>;

/**
 * Asks the identity provider for a token with the credentials, so a mistyped id or secret is refused
 * before anything is created in CDF. The token is dropped at once.
 */
export function checkCredentialsStep(deps: DeployDeps, target: CredentialsCheckTarget, credentials: TriggerCredentials): DeployStep {
  return {
    title: 'Check the client credentials',
    async execute(_progress, signal) {
      deps.client.redactor.add(credentials.clientSecret);
      const source = new ClientCredentialsTokenSource({
        tokenUrl: target.tokenUrl,
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        scopes: target.scopes.length > 0 ? target.scopes : undefined,
        audience: target.audience,
        baseUrl: target.baseUrl,
        logger: deps.logger,
      });
      const token = await source.getToken(signal);
      deps.client.redactor.add(token);
      deps.logger.debug(`Schedule deploy: the identity provider accepted client id ${credentials.clientId}.`);
    },
  };
}

/** Removes what earlier deploys on the project could not remove at the time. Never fails the deploy. */
export function sweepStep(deps: DeployDeps): DeployStep {
  return {
    title: 'Remove leftovers of an earlier deploy',
    shouldExecute: () => deps.journal.leftovers.length > 0,
    async execute(progress) {
      progress(`${deps.journal.leftovers.length} to remove`);
      const remaining = await sweepLeftovers(deps.client, deps.journal, deps.logger);
      if (remaining > 0) deps.logger.warn(`Schedule deploy: ${remaining} leftover(s) of an earlier deploy remain; the next deploy tries again.`);
    },
  };
}

/** A session from the client credentials; its nonce is single-use and lives about a minute (REFERENCE §3). */
export async function grantNonce(deps: DeployDeps, credentials: TriggerCredentials, signal: AbortSignal): Promise<NonceGrant> {
  const grant = await deps.client.sessions.grant(sessionCredentialsOf(credentials), { signal });
  deps.logger.info(`Schedule deploy: created session ${grant.session.id} for client id ${credentials.clientId}.`);
  return grant;
}

/** Revokes a session whose nonce was not used; if that fails, the journal keeps it for the next deploy. */
export async function releaseSession(deps: DeployDeps, grant: NonceGrant | undefined): Promise<void> {
  if (grant) await removeOrRemember(deps.client, deps.journal, { kind: 'session', id: grant.session.id }, deps.logger);
}

/** Revokes sessions of schedules that were deleted (their bound sessions would live on otherwise). */
export async function revokeScheduleSessions(deps: DeployDeps, sessionIds: readonly (string | number | null | undefined)[]): Promise<void> {
  for (const raw of sessionIds) {
    const id = typeof raw === 'number' ? raw : Number(raw);
    if (raw === null || raw === undefined || !Number.isSafeInteger(id) || id <= 0) continue;
    await removeOrRemember(deps.client, deps.journal, { kind: 'session', id }, deps.logger);
  }
}
