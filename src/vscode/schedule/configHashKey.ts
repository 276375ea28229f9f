// The key of the HMAC that fingerprints a trigger function's configuration in its metadata: random, made
// once per installation, kept only in SecretStorage, so the fingerprint CDF shows to anyone who can list
// functions cannot be used to test a guessed client secret.
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

export const CONFIG_HASH_KEY_SECRET = 'cdfWorkflows.schedule/configHashKey';

export async function configHashKey(secrets: Pick<vscode.SecretStorage, 'get' | 'store'>): Promise<string> {
  const existing = await secrets.get(CONFIG_HASH_KEY_SECRET);
  if (existing && existing.length >= 32) return existing;
  await secrets.store(CONFIG_HASH_KEY_SECRET, randomBytes(32).toString('hex'));
  // Read back: another window may have stored its own key at the same moment, and both must use one.
  return (await secrets.get(CONFIG_HASH_KEY_SECRET)) ?? '';
}
