// Everything activate() builds, passed to the command factories and views. Nothing else is global.
import type * as vscode from 'vscode';
import { type ConnectionManager } from './connections/manager';
import { type SandboxHost } from './connections/sandboxHost';
import { type DefinitionServices } from './definitions';
import { type ExecutionTracker, type ExecutionRef } from './executions/tracker';
import { type ExecutionDetailed, type Execution } from '../core/schemas/executions';
import { type UserInput } from './ui';

/** What other parts ask of the workflows tree. */
export interface TreeService {
  /** Refreshes everything, or the subtree of one connection / workflow. */
  refresh(target?: { connection?: string; workflowExternalId?: string; version?: string }): void;
  /** Shows a (new) execution under its version, expands the path to it and selects it. */
  revealExecution(ref: ExecutionRef, execution: Execution | ExecutionDetailed): Promise<void>;
}

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly version: string;
  readonly log: vscode.LogOutputChannel;
  /** The current UserInput: tests swap in a scripted one. */
  readonly ui: () => UserInput;
  readonly connections: ConnectionManager;
  readonly sandbox: SandboxHost;
  readonly tracker: ExecutionTracker;
  /** Definition files: the Toolkit environment and the parsed documents. */
  readonly definitions: DefinitionServices;
  tree: TreeService;
}
