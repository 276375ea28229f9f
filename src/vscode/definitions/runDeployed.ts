// Run... on a version file: runs the version as deployed on the active connection (through the run
// commands: input file, metadata, follow), first saying so when the file differs from it.
import * as vscode from 'vscode';
import { CancelledError } from '../../core/errors';
import { type Execution } from '../../core/schemas/executions';
import { type Services } from '../services';
import { compareVersion, type DeployedContentProvider, showComparison } from './compare';
import { type VersionTarget } from './shipTarget';

const MAX_SHOWN = 8;

export async function runDeployedVersion(services: Services, provider: DeployedContentProvider, target: VersionTarget): Promise<Execution | undefined> {
  const { connection, client } = await services.connections.client();
  const name = connection.name;
  const comparison = await compareVersion(client, target);
  if (!comparison.deployed) {
    const choice = await services.ui().ask('warning', `${target.label} is not deployed on "${name}": deploy it first, or try it in the local sandbox.`, {}, 'Deploy Definition', 'Run in Local Sandbox');
    if (choice === 'Deploy Definition') await vscode.commands.executeCommand('cdfWorkflows.deployDefinition', target.uri);
    else if (choice === 'Run in Local Sandbox') await vscode.commands.executeCommand('cdfWorkflows.runInLocalSandbox', target.uri);
    return undefined;
  }
  const differences = comparison.differences;
  if (differences.length > 0) {
    const runIt = 'Run Deployed Version';
    const deployFirst = 'Deploy First';
    const show = 'Show Differences';
    const lines = differences.slice(0, MAX_SHOWN).map((d) => `• ${d}`);
    if (differences.length > MAX_SHOWN) lines.push(`• and ${differences.length - MAX_SHOWN} more`);
    for (;;) {
      const choice = await services.ui().ask(
        'warning',
        `${target.fileName} differs from ${target.label} on "${name}": the run uses the deployed version, not the file.`,
        { modal: true, detail: `What differs:\n${lines.join('\n')}` },
        runIt,
        deployFirst,
        show,
      );
      if (choice === runIt) break;
      if (choice === deployFirst) {
        const deployed = await vscode.commands.executeCommand<{ unchanged: boolean } | undefined>('cdfWorkflows.deployDefinition', target.uri);
        if (!deployed) return undefined;
        break;
      }
      if (choice !== show) throw new CancelledError();
      if (comparison.text !== undefined) await showComparison(provider, name, target, comparison.text);
    }
  }
  return vscode.commands.executeCommand<Execution | undefined>('cdfWorkflows.runVersion', { connection: name, version: { workflowExternalId: target.workflowExternalId, version: target.version } });
}
