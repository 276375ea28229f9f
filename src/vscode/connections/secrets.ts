// Client secrets and tokens live only here (VS Code SecretStorage, encrypted by the OS or the browser),
// under keys namespaced by connection name.
import type * as vscode from 'vscode';

export type SecretKind = 'clientSecret' | 'token' | 'refreshToken';
const KINDS: readonly SecretKind[] = ['clientSecret', 'token', 'refreshToken'];
const PREFIX = 'cdfWorkflows.connection/';

export function secretKey(connection: string, kind: SecretKind): string {
  return `${PREFIX}${encodeURIComponent(connection)}/${kind}`;
}

/** The connection a SecretStorage key belongs to, or undefined for keys that are not ours. */
export function connectionOfKey(key: string): string | undefined {
  if (!key.startsWith(PREFIX)) return undefined;
  const rest = key.slice(PREFIX.length);
  return decodeURIComponent(rest.slice(0, rest.lastIndexOf('/')));
}

export class ConnectionSecrets {
  constructor(private readonly storage: vscode.SecretStorage) {}

  get(connection: string, kind: SecretKind): Thenable<string | undefined> {
    return this.storage.get(secretKey(connection, kind));
  }

  async set(connection: string, kind: SecretKind, value: string | undefined): Promise<void> {
    if (value === undefined || value === '') await this.storage.delete(secretKey(connection, kind));
    else await this.storage.store(secretKey(connection, kind), value);
  }

  async removeAll(connection: string): Promise<void> {
    for (const kind of KINDS) await this.storage.delete(secretKey(connection, kind));
  }

  /** A renamed connection keeps its secrets. */
  async rename(from: string, to: string): Promise<void> {
    if (from === to) return;
    for (const kind of KINDS) {
      const value = await this.get(from, kind);
      if (value !== undefined) await this.set(to, kind, value);
      await this.storage.delete(secretKey(from, kind));
    }
  }

  onDidChange(listener: (connection: string, kind: SecretKind) => void): vscode.Disposable {
    return this.storage.onDidChange(e => {
      const name = connectionOfKey(e.key);
      if (name !== undefined) listener(name, e.key.slice(e.key.lastIndexOf('/') + 1) as SecretKind);
    });
  }
}
