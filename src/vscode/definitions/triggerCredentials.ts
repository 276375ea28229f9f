// The client credentials a trigger runs as, chosen as in the schedule wizard's credential step: the
// connection's own, a pair kept in SecretStorage, or a new pair (then kept there). The secret goes to CDF
// only in the session request whose nonce the trigger binds; a Toolkit file's `authentication` values
// (`${IDP_CLIENT_ID}` placeholders, usually) are never read, sent or stored: a literal client id in it only
// preselects the pair with that id.
import { checkTriggerCredentials, type TriggerCredentials } from '../../core/schedule/deploy';
import { InputError } from '../../core/errors';
import { type ConnectionSettings } from '../config';
import { ScheduleCredentialStore } from '../schedule/credentialStore';
import { type Services } from '../services';
import { type PickItem } from '../ui';

type Choice = { readonly kind: 'connection'; readonly clientId: string } | { readonly kind: 'stored'; readonly clientId: string } | { readonly kind: 'new' };

export interface ChosenCredentials {
  readonly credentials: TriggerCredentials;
  /** Store a newly entered pair once it has been used successfully. */
  readonly remember?: () => Promise<void>;
}

/** A client id written literally in a Toolkit trigger's authentication (not a `${VAR}` placeholder). */
export function literalClientId(authentication: unknown): string | undefined {
  if (typeof authentication !== 'object' || authentication === null) return undefined;
  const id = (authentication as { clientId?: unknown }).clientId;
  return typeof id === 'string' && id.trim() !== '' && !/\$\{[^}]*\}|\{\{/.test(id) ? id.trim() : undefined;
}

export async function chooseTriggerCredentials(services: Services, connection: ConnectionSettings, options: { title: string; preferredClientId?: string }): Promise<ChosenCredentials> {
  const ui = services.ui();
  const pairs = new ScheduleCredentialStore(services.context.globalState, services.context.secrets);
  const own = connection.auth.type === 'clientCredentials' ? connection.auth.clientId : undefined;
  const items = (async () => {
    const out: PickItem<Choice>[] = [];
    if (own) out.push({ label: `Client credentials of connection "${connection.name}"`, description: own, value: { kind: 'connection', clientId: own } });
    for (const p of await pairs.list()) {
      if (p.clientId !== own) out.push({ label: p.clientId, description: `stored in VS Code${p.tokenHost ? ` for ${p.tokenHost}` : ''}`, value: { kind: 'stored', clientId: p.clientId } });
    }
    out.push({ label: 'Enter a client id and secret...', description: 'stored in VS Code SecretStorage', value: { kind: 'new' } });
    return out;
  })();
  const choice = await ui.pick({
    title: options.title,
    placeholder: 'Client credentials the triggers run as (sent to CDF only to make the session the trigger binds)',
    items,
    active: (i) => options.preferredClientId !== undefined && 'clientId' in i.value && i.value.clientId === options.preferredClientId,
  });
  switch (choice.kind) {
    case 'connection': {
      // The stored secret, or the embedded sandbox's own.
      const secret = await services.connections.clientSecret(connection.name);
      if (!secret) throw new InputError(`The client secret of connection "${connection.name}" is not stored. Edit the connection to enter it, or choose other credentials.`);
      return { credentials: { clientId: choice.clientId, clientSecret: secret } };
    }
    case 'stored': {
      const secret = await pairs.secret(choice.clientId);
      if (!secret) throw new InputError(`The secret of client id "${choice.clientId}" is no longer stored. Enter it again with "Enter a client id and secret".`);
      return { credentials: { clientId: choice.clientId, clientSecret: secret } };
    }
    case 'new': {
      const clientId = (
        await ui.input({
          title: options.title,
          prompt: 'Client id of the service principal the triggers run as',
          value: options.preferredClientId,
          validate: (v) => (v.trim() === '' ? 'Enter the client id (application id) from your identity provider.' : /\s/.test(v.trim()) ? 'A client id has no blanks.' : undefined),
        })
      ).trim();
      const clientSecret = await ui.input({
        title: options.title,
        prompt: `Client secret of ${clientId} (kept in VS Code SecretStorage, never shown or logged)`,
        password: true,
        validate: (v) => (v === '' ? 'Enter the client secret.' : undefined),
      });
      const credentials = checkTriggerCredentials({ clientId, clientSecret });
      return { credentials, remember: () => pairs.save(credentials.clientId, credentials.clientSecret, hostOf(connection)) };
    }
  }
}

function hostOf(connection: ConnectionSettings): string | undefined {
  const url = connection.auth.type !== 'token' ? connection.auth.tokenUrl : undefined;
  if (!url) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
