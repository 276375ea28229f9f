// Client credential pairs the schedule wizard offers besides the connection's own: the client id (and
// where it was used) in globalState, the secret only in SecretStorage under a namespaced key.
import type * as vscode from 'vscode';

const STATE_KEY = 'cdfWorkflows.schedule.credentials';
const SECRET_PREFIX = 'cdfWorkflows.scheduleCredentials/';

export interface StoredCredentialPair {
  readonly clientId: string;
  /** Host of the token endpoint it was entered for, to tell pairs of different identity providers apart. */
  readonly tokenHost?: string;
  readonly savedAt: number;
}

export function scheduleSecretKey(clientId: string): string {
  return `${SECRET_PREFIX}${encodeURIComponent(clientId)}/clientSecret`;
}

export class ScheduleCredentialStore {
  constructor(
    private readonly state: vscode.Memento,
    private readonly secrets: vscode.SecretStorage,
  ) {}

  /** Pairs whose secret is still in SecretStorage, newest first. */
  async list(): Promise<StoredCredentialPair[]> {
    const pairs = this.read();
    const present: StoredCredentialPair[] = [];
    for (const p of pairs) if ((await this.secrets.get(scheduleSecretKey(p.clientId))) !== undefined) present.push(p);
    return present.sort((a, b) => b.savedAt - a.savedAt);
  }

  secret(clientId: string): Thenable<string | undefined> {
    return this.secrets.get(scheduleSecretKey(clientId));
  }

  /** Stores (or replaces) the pair: the secret in SecretStorage, the id in globalState. */
  async save(clientId: string, clientSecret: string, tokenHost?: string): Promise<void> {
    await this.secrets.store(scheduleSecretKey(clientId), clientSecret);
    const rest = this.read().filter((p) => p.clientId !== clientId);
    await this.state.update(STATE_KEY, [...rest, { clientId, ...(tokenHost ? { tokenHost } : {}), savedAt: Date.now() }]);
  }

  async remove(clientId: string): Promise<void> {
    await this.secrets.delete(scheduleSecretKey(clientId));
    await this.state.update(STATE_KEY, this.read().filter((p) => p.clientId !== clientId));
  }

  private read(): StoredCredentialPair[] {
    const raw = this.state.get<unknown>(STATE_KEY);
    if (!Array.isArray(raw)) return [];
    return raw.filter(
      (p): p is StoredCredentialPair => typeof p === 'object' && p !== null && typeof (p as StoredCredentialPair).clientId === 'string' && typeof (p as StoredCredentialPair).savedAt === 'number',
    );
  }
}
