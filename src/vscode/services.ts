// Everything activate() builds, passed to the command factories and views. Nothing else is global, and
// nothing here changes after activate() returns: a class that needs a few of these takes a Pick of them.
import type * as vscode from 'vscode';
import { type ConnectionManager } from './connections/manager';
import { type SandboxHost } from './connections/sandboxHost';
import { type DefinitionServices } from './definitions';
import { type DetailsDocuments } from './details/documents';
import { type ExecutionTracker } from './executions/tracker';
import { type WorkflowRunner } from './run/runner';
import { type WorkflowsTree } from './tree/workflowsTree';
import { type UserInput } from './ui';
import { type WorkflowViews } from './workflowView/views';

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly version: string;
  readonly log: vscode.LogOutputChannel;
  /** The current UserInput: tests swap in a scripted one. */
  readonly ui: () => UserInput;
  readonly connections: ConnectionManager;
  readonly sandbox: SandboxHost;
  readonly tracker: ExecutionTracker;
  /** The CDF Workflows view. */
  readonly tree: WorkflowsTree;
  /** Execution details and function log documents. */
  readonly details: DetailsDocuments;
  /** Runs a workflow with a JSON file; its run memory drives the CodeLens. */
  readonly runs: WorkflowRunner;
  /** The workflow views (graph and timeline of executions, versions and definition files). */
  readonly workflowViews: WorkflowViews;
  /** Definition files: the Toolkit environment and the parsed documents. */
  readonly definitions: DefinitionServices;
}
