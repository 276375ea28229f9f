// Compare with Deployed: VS Code's diff of the deployed version, written into the file's own text (only what
// CDF holds otherwise is changed), against the file. Server-filled defaults count as what the file leaves
// out, so an unchanged definition shows no difference at all.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type CdfClient } from '../../core/client';
import { alignVersion, describeDifferences } from '../../core/definition/normalize';
import { patchResource } from '../../core/definition/patch';
import { asUpsertBody, renderResource } from '../../core/definition/render';
import { CdfApiError } from '../../core/errors';
import { type WorkflowVersion } from '../../core/schemas/workflows';
import { DisposableBase } from '../lifecycle';
import { type Services } from '../services';
import { type VersionTarget } from './shipTarget';

export const DEPLOYED_SCHEME = 'cdf-workflows-deployed';

/** Read-only documents holding deployed versions as text, one per comparison. */
export class DeployedContentProvider extends DisposableBase implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly emitter = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.emitter.event;
  private counter = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** A new document with `text`, named like the file so it gets the file's language. */
  add(connection: string, target: VersionTarget, text: string): vscode.Uri {
    const base = path.posix.basename(target.uri.path);
    const uri = vscode.Uri.from({ scheme: DEPLOYED_SCHEME, path: `/${encodeURIComponent(connection)}/${encodeURIComponent(target.label)}/${base}`, query: String(++this.counter) });
    this.texts.set(uri.toString(), text);
    // Keep the last few: a diff editor that is still open reads its document again on focus.
    const keys = [...this.texts.keys()];
    for (const key of keys.slice(0, Math.max(0, keys.length - 20))) this.texts.delete(key);
    return uri;
  }

  override dispose(): void {
    super.dispose();
    this.texts.clear();
  }
}

export interface Comparison {
  readonly deployed: WorkflowVersion | undefined;
  /** The deployed version written like the file (the diff's left side); undefined when not deployed. */
  readonly text?: string;
  readonly differences: readonly string[];
}

/** The deployed version (one GET) and its text in the file's layout. */
export async function compareVersion(client: CdfClient, target: VersionTarget, signal?: AbortSignal): Promise<Comparison> {
  let deployed: WorkflowVersion;
  try {
    deployed = await client.versions.retrieve(target.workflowExternalId, target.version, { signal });
  } catch (error) {
    if (error instanceof CdfApiError && error.reason === 'not-found') return { deployed: undefined, differences: [] };
    throw error;
  }
  return { deployed, ...deployedText(target, deployed) };
}

/** The deployed version as the diff's left side, and what differs. */
export function deployedText(target: VersionTarget, deployed: WorkflowVersion): { text: string; differences: readonly string[] } {
  const local = target.resource.value;
  const aligned = alignVersion(deployed, local);
  const { definition } = target.parsed;
  // A layout the patch cannot handle: the deployed version written on its own, in the file's format.
  const text = patchResource(definition, target.resource, aligned) ?? renderResource('version', asUpsertBody('version', aligned), definition.format === 'json' ? 'api' : 'toolkit');
  return { text, differences: describeDifferences('version', local, deployed) };
}

/** Opens the diff (deployed on the left, the file on the right). */
export async function showComparison(provider: DeployedContentProvider, connection: string, target: VersionTarget, text: string): Promise<void> {
  const left = provider.add(connection, target, text);
  await vscode.commands.executeCommand('vscode.diff', left, target.uri, `${target.label} on ${connection} ↔ ${path.posix.basename(target.uri.path)}`, { preview: true });
}

/** The command: compare, open the diff, say whether anything differs. */
export async function compareWithDeployed(services: Services, provider: DeployedContentProvider, target: VersionTarget): Promise<Comparison> {
  const { connection, client } = await services.connections.client();
  const comparison = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Reading ${target.label} from ${connection.name}`, cancellable: true },
    async (_progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        return await compareVersion(client, target, abort.signal);
      } finally {
        sub.dispose();
      }
    },
  );
  if (!comparison.deployed || comparison.text === undefined) {
    const choice = await services.ui().ask('info', `${target.label} is not deployed on "${connection.name}": there is nothing to compare with.`, {}, 'Deploy Definition');
    if (choice === 'Deploy Definition') await vscode.commands.executeCommand('cdfWorkflows.deployDefinition', target.uri);
    return comparison;
  }
  await showComparison(provider, connection.name, target, comparison.text);
  const n = comparison.differences.length;
  services.log.info(`Compared ${target.fileName} with ${target.label} on "${connection.name}": ${n === 0 ? 'no difference' : `${n} difference${n === 1 ? '' : 's'}: ${comparison.differences.join('; ')}`}.`);
  if (n === 0) void services.ui().ask('info', `${target.fileName} matches ${target.label} on "${connection.name}" (defaults CDF fills in are not differences).`, {});
  return comparison;
}
