// Commands that run a workflow with a JSON file as input: from the palette, the editor (context menu,
// title, CodeLens), the explorer context menu and a version node of the tree.
import * as vscode from 'vscode';
import { InputError } from '../../core/errors';
import { type CommandHandler } from '../boundary';
import { type Services } from '../services';
import { type RunTarget } from './memory';

/** The run commands; each resolves with the started Execution. */
export function runCommands(services: Services): Record<string, CommandHandler> {
  const runner = services.runs;
  return {
    // Editor and explorer menus pass the file's Uri (the explorer adds the selection); the palette nothing.
    'cdfWorkflows.runWorkflow': (file?: unknown) => runner.runFile(file instanceof vscode.Uri ? file : undefined),
    'cdfWorkflows.runVersion': (node?: unknown) => {
      const target = versionTargetOf(node);
      return target ? runner.runVersion(target) : runner.runFile();
    },
    'cdfWorkflows.runWith': (file?: unknown, target?: unknown) => {
      const uri = file instanceof vscode.Uri ? file : vscode.window.activeTextEditor?.document.uri;
      if (!uri) throw new InputError('Run with a file needs a JSON file: open one in the editor first.');
      return runner.runWith(uri, isRunTarget(target) ? target : undefined);
    },
  };
}

/** A version node of the tree (`.version` a WorkflowVersion, its connection on the node or its workflow parent). */
export function versionTargetOf(node: unknown): RunTarget | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const n = node as { version?: { workflowExternalId?: unknown; version?: unknown }; connection?: unknown; parent?: { connection?: unknown } };
  const v = n.version;
  const connection = typeof n.connection === 'string' ? n.connection : n.parent?.connection;
  if (!v || typeof v.workflowExternalId !== 'string' || typeof v.version !== 'string' || typeof connection !== 'string') return undefined;
  return { connection, workflowExternalId: v.workflowExternalId, version: v.version };
}

function isRunTarget(v: unknown): v is RunTarget {
  if (typeof v !== 'object' || v === null) return false;
  const t = v as Record<string, unknown>;
  return typeof t.connection === 'string' && typeof t.workflowExternalId === 'string' && typeof t.version === 'string';
}
